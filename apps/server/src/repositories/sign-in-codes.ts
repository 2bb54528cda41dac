import type { CodePurpose } from '@userhub/core';
import type { Db } from '../db/types.js';

/**
 * The account a code request belongs to, found by the request's tempToken digest. The
 * password-less flow starts without a session, so the tempToken is all that names the account.
 */
export async function findCodeRequestOwner(db: Db, tempTokenHash: string, purpose: CodePurpose) {
  return db
    .selectFrom('oneTimeCodes')
    .select(['userId'])
    .where('tempTokenHash', '=', tempTokenHash)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
}
