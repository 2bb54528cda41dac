import type { Db } from '../db/types.js';

export type WebauthnPurpose = 'registration' | 'authentication';

export async function insertWebauthnChallenge(
  db: Db,
  challenge: {
    userId: string | null;
    purpose: WebauthnPurpose;
    challenge: string;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<string> {
  // Expired challenges are worthless; clearing them here keeps the table at the size of the live ones.
  await db.deleteFrom('webauthnChallenges').where('expiresAt', '<', challenge.createdAt).execute();
  const row = await db
    .insertInto('webauthnChallenges')
    .values(challenge)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Takes a live challenge out of play in one statement, so of two requests presenting it only
 * one gets it (single use, SPEC §9). Consumed before the response is verified: a failed
 * verification also spends it.
 */
export async function consumeWebauthnChallenge(
  db: Db,
  where: { purpose: WebauthnPurpose; now: Date } & ({ id: string } | { userId: string; challenge: string }),
) {
  let query = db
    .updateTable('webauthnChallenges')
    .set({ consumedAt: where.now })
    .where('purpose', '=', where.purpose)
    .where('consumedAt', 'is', null)
    .where('expiresAt', '>', where.now);
  query =
    'id' in where
      ? query.where('id', '=', where.id)
      : query.where('userId', '=', where.userId).where('challenge', '=', where.challenge);
  return query.returning(['id', 'userId', 'challenge']).executeTakeFirst();
}
