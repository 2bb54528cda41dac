import type { Db } from '../db/types.js';

export async function insertNotMeToken(
  db: Db,
  token: {
    userId: string;
    tokenHash: string;
    event: string;
    details: Record<string, unknown>;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('notMeTokens')
    .values({ ...token, details: JSON.stringify(token.details) })
    .execute();
}

export async function findOpenNotMeToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('notMeTokens')
    .select(['id', 'userId', 'event', 'details', 'expiresAt'])
    .where('tokenHash', '=', tokenHash)
    .where('consumedAt', 'is', null)
    .executeTakeFirst();
}

/** Marks the token used; false when another request used it first. */
export async function consumeNotMeToken(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('notMeTokens')
    .set({ consumedAt: now })
    .where('id', '=', id)
    .where('consumedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
