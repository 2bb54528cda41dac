import type { TwoFactorMethod } from '@userhub/core';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';

export async function insertChallenge(
  db: Db,
  challenge: { tokenHash: string; userId: string; method: TwoFactorMethod; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.insertInto('twoFactorChallenges').values(challenge).execute();
}

/**
 * Ends the user's open challenges beyond the newest `keep`: an account has at most that many
 * waiting for a code, however often its password is entered.
 */
export async function retireOlderChallenges(db: Db, userId: string, keep: number, now: Date): Promise<void> {
  const newest = db
    .selectFrom('twoFactorChallenges')
    .select('id')
    .where('userId', '=', userId)
    .where('consumedAt', 'is', null)
    .where('expiresAt', '>', now)
    .orderBy('seq', 'desc')
    .limit(keep);
  await db
    .updateTable('twoFactorChallenges')
    .set({ consumedAt: now })
    .where('userId', '=', userId)
    .where('consumedAt', 'is', null)
    .where('id', 'not in', newest)
    .execute();
}

/**
 * Spends one try of a live challenge before its code is checked, so parallel guesses can
 * never exceed the limit; undefined when no live challenge with tries left has this token.
 */
export async function spendChallengeAttempt(
  db: Db,
  tokenHash: string,
  now: Date,
  maxAttempts: number,
): Promise<{ id: string; userId: string; createdAt: Date } | undefined> {
  return db
    .updateTable('twoFactorChallenges')
    .set({ attempts: sql`attempts + 1` })
    .where('tokenHash', '=', tokenHash)
    .where('consumedAt', 'is', null)
    .where('expiresAt', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning(['id', 'userId', 'createdAt'])
    .executeTakeFirst();
}

/** Consumes a challenge once; false when another request consumed it first. */
export async function consumeChallenge(db: Db, challengeId: string, now: Date): Promise<boolean> {
  const consumed = await db
    .updateTable('twoFactorChallenges')
    .set({ consumedAt: now })
    .where('id', '=', challengeId)
    .where('consumedAt', 'is', null)
    .executeTakeFirst();
  return consumed.numUpdatedRows > 0n;
}

export async function deleteRecoveryCodes(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
}

/** The user's recovery codes become exactly these (by hash); the old ones stop working. */
export async function replaceRecoveryCodes(
  db: Db,
  userId: string,
  codeHashes: readonly string[],
  now: Date,
): Promise<void> {
  await deleteRecoveryCodes(db, userId);
  await db
    .insertInto('recoveryCodes')
    .values(codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: now })))
    .execute();
}

/** Marks one unused recovery code used; atomic, so a code works exactly once. */
export async function useRecoveryCode(db: Db, userId: string, codeHash: string, now: Date): Promise<boolean> {
  const used = await db
    .updateTable('recoveryCodes')
    .set({ usedAt: now })
    .where('userId', '=', userId)
    .where('codeHash', '=', codeHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return used.numUpdatedRows > 0n;
}
