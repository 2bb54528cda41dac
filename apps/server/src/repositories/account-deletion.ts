import type { Db } from '../db/types.js';

/** Locks the account's row for the transaction; its deletion state, or undefined when it is gone. */
export async function lockDeletionState(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'deletionScheduledFor'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** Lifts a pending deletion: the account is visible and usable again. */
export async function clearScheduledDeletion(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ deletionScheduledFor: null, lockedAt: null, lockReason: null, updatedAt: now })
    .where('id', '=', userId)
    .execute();
}

/**
 * Erases up to `limit` accounts whose deletion date has passed, through the same row delete
 * (and foreign-key cascades) as an immediate deletion. `SKIP LOCKED` lets every server
 * instance run this at once: each row is taken by one of them, and a row that a cancellation
 * holds locked is left for the next round, when its date is read again.
 */
export async function eraseDueAccounts(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .deleteFrom('users')
    .where(
      'id',
      'in',
      db
        .selectFrom('users')
        .select('id')
        .where('deletionScheduledFor', '<=', now)
        .orderBy('deletionScheduledFor')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}
