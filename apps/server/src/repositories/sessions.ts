import type { Db } from './users.js';

/** When each user last used any session: drives `presence`. */
export async function lastActivityForUsers(db: Db, userIds: readonly string[]): Promise<Map<string, Date>> {
  const activity = new Map<string, Date>();
  if (userIds.length === 0) return activity;
  const rows = await db
    .selectFrom('sessions')
    .select(['userId', (eb) => eb.fn.max('lastUsedAt').as('lastUsedAt')])
    .where('userId', 'in', userIds)
    .groupBy('userId')
    .execute();
  for (const row of rows) activity.set(row.userId, new Date(row.lastUsedAt));
  return activity;
}
