import type { CodePurpose } from '@userhub/core';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';

/** The most wrong tries any of the user's codes for the purpose collected since `since`. */
export async function findRecentCodeAttempts(
  db: Db,
  userId: string,
  purpose: CodePurpose,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('oneTimeCodes')
    .select((eb) => eb.fn.max('attempts').as('attempts'))
    .where('userId', '=', userId)
    .where('purpose', '=', purpose)
    .where('createdAt', '>', since)
    .executeTakeFirst();
  return Number(row?.attempts ?? 0);
}

/** Marks the user's open codes for the purpose used, so only the newest one can still work. */
export async function consumeOpenCodes(
  db: Db,
  userId: string,
  purpose: CodePurpose,
  now: Date,
): Promise<void> {
  await db
    .updateTable('oneTimeCodes')
    .set({ consumedAt: now })
    .where('userId', '=', userId)
    .where('purpose', '=', purpose)
    .where('consumedAt', 'is', null)
    .execute();
}

export async function insertCode(
  db: Db,
  code: {
    userId: string;
    purpose: CodePurpose;
    target: string;
    codeHash: string;
    tempTokenHash: string;
    attempts: number;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.insertInto('oneTimeCodes').values(code).execute();
}

/**
 * The code a submission names, row-locked for the rest of the transaction: the one with
 * this temp token, or without one the user's newest code for the purpose.
 */
export async function findCodeForUpdate(
  db: Db,
  request: { userId: string; purpose: CodePurpose; tempTokenHash: string | undefined },
) {
  let query = db
    .selectFrom('oneTimeCodes')
    .selectAll()
    .where('userId', '=', request.userId)
    .where('purpose', '=', request.purpose);
  query =
    request.tempTokenHash === undefined
      ? query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(1)
      : query.where('tempTokenHash', '=', request.tempTokenHash);
  return query.forUpdate().executeTakeFirst();
}

export async function countWrongCodeAttempt(db: Db, codeId: string): Promise<void> {
  await db
    .updateTable('oneTimeCodes')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', codeId)
    .execute();
}

export async function consumeCode(db: Db, codeId: string, now: Date): Promise<void> {
  await db.updateTable('oneTimeCodes').set({ consumedAt: now }).where('id', '=', codeId).execute();
}
