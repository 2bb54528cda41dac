import type { Db } from '../db/types.js';

/**
 * A new reset token replaces every open one of the account (SPEC §9: a token dies when a
 * newer one is asked for). Run inside the transaction that holds the user's row lock.
 */
export async function replacePasswordResetToken(
  db: Db,
  token: { userId: string; tokenHash: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .deleteFrom('passwordResetTokens')
    .where('userId', '=', token.userId)
    .where('consumedAt', 'is', null)
    .execute();
  await db.insertInto('passwordResetTokens').values(token).execute();
}

export async function findOpenPasswordResetToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('passwordResetTokens')
    .select(['id', 'userId', 'createdAt', 'expiresAt'])
    .where('tokenHash', '=', tokenHash)
    .where('consumedAt', 'is', null)
    .executeTakeFirst();
}

/** Marks the token used; false when another request used it first. */
export async function consumePasswordResetToken(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('passwordResetTokens')
    .set({ consumedAt: now })
    .where('id', '=', id)
    .where('consumedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** When the account's password was last reset through a mailed link (null: never). */
export async function findLastPasswordResetAt(db: Db, userId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('passwordResetTokens')
    .select((eb) => eb.fn.max('consumedAt').as('at'))
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * Locks the account's row until the transaction ends, so that account-wide decisions (which
 * reset token is the newest, whether a passkey is the last sign-in method) are taken one at a time.
 */
export async function lockUserRow(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** Every open token of the account dies with a reset: the password they were meant to replace is gone. */
export async function deleteOpenPasswordResetTokens(db: Db, userId: string): Promise<void> {
  await db
    .deleteFrom('passwordResetTokens')
    .where('userId', '=', userId)
    .where('consumedAt', 'is', null)
    .execute();
}
