import { sql } from 'kysely';
import type { Db } from '../db/types.js';

/** Records that `userId` gave up `userName` at `changedAt`, held for them until `heldUntil`. */
export async function recordUsernameRelease(
  db: Db,
  release: { userId: string; userName: string; changedAt: Date; heldUntil: Date },
): Promise<void> {
  await db.insertInto('usernameHistory').values(release).execute();
}

/** The owner took a held name back: its hold ends now (the entry stays in the history). */
export async function endOwnHolds(db: Db, userId: string, userName: string, now: Date): Promise<void> {
  await db
    .updateTable('usernameHistory')
    .set({ heldUntil: now })
    .where('userId', '=', userId)
    .where(sql<string>`lower(user_name)`, '=', userName.toLowerCase())
    .where('heldUntil', '>', now)
    .execute();
}

/** Who holds this name at `now` (case-insensitive), if anyone; at most one user ever does. */
export async function findUsernameHolder(db: Db, userName: string, now: Date) {
  return db
    .selectFrom('usernameHistory')
    .select(['userId', 'userName'])
    .where(sql<string>`lower(user_name)`, '=', userName.toLowerCase())
    .where('heldUntil', '>', now)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Which of these names (lower-cased) are held at `now` for someone other than `exceptUserId`, in one query. */
export async function findUsernamesHeldForOthers(
  db: Db,
  candidates: readonly string[],
  now: Date,
  exceptUserId: string | null,
): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  let query = db
    .selectFrom('usernameHistory')
    .select(sql<string>`lower(user_name)`.as('key'))
    .where(
      sql<string>`lower(user_name)`,
      'in',
      candidates.map((c) => c.toLowerCase()),
    )
    .where('heldUntil', '>', now);
  if (exceptUserId !== null) query = query.where('userId', '<>', exceptUserId);
  const rows = await query.execute();
  return new Set(rows.map((r) => r.key));
}

/**
 * Locks the row of the user who bears `userName` now, if any; false when another transaction
 * holds that row. A claim takes this lock before it reads the holds, so a concurrent rename
 * away from the name (which must lock that row) cannot slip its hold in unseen. It does not
 * wait: a name whose bearer is busy cannot be claimed anyway (it is taken, or about to be held),
 * and not waiting rules out a deadlock between two users claiming each other's names.
 */
export async function lockUserBearingName(db: Db, userName: string): Promise<boolean> {
  try {
    await db
      .selectFrom('users')
      .select('id')
      .where(sql<string>`lower(user_name)`, '=', userName.toLowerCase())
      .forUpdate()
      .noWait()
      .execute();
    return true;
  } catch (error) {
    if (isLockNotAvailable(error)) return false;
    throw error;
  }
}

/** PostgreSQL's lock_not_available, raised by NOWAIT. */
function isLockNotAvailable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03';
}

/** The user's own username history, newest first. */
export async function listUsernameHistory(db: Db, userId: string) {
  return db
    .selectFrom('usernameHistory')
    .select(['userName', 'changedAt', 'heldUntil'])
    .where('userId', '=', userId)
    .orderBy('seq', 'desc')
    .execute();
}
