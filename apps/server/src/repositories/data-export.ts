import type { Db } from '../db/types.js';

/**
 * The reads behind the data export (SPEC §9): every table that holds something about a user,
 * each with an explicit column list that leaves out hashes, tokens, secrets and key material.
 * A new table that stores user data belongs here too.
 */

/** Users this user follows, with when. */
export function exportFollowing(db: Db, userId: string) {
  return db
    .selectFrom('follows')
    .innerJoin('users', 'users.id', 'follows.followeeId')
    .select(['users.id as userId', 'users.userName', 'follows.createdAt'])
    .where('follows.followerId', '=', userId)
    .orderBy('follows.createdAt')
    .execute();
}

/** Users who follow this user, with when. */
export function exportFollowers(db: Db, userId: string) {
  return db
    .selectFrom('follows')
    .innerJoin('users', 'users.id', 'follows.followerId')
    .select(['users.id as userId', 'users.userName', 'follows.createdAt'])
    .where('follows.followeeId', '=', userId)
    .orderBy('follows.createdAt')
    .execute();
}

/** Users this user blocked (who blocked them is those users' data, not theirs). */
export function exportBlocks(db: Db, userId: string) {
  return db
    .selectFrom('blocks')
    .innerJoin('users', 'users.id', 'blocks.blockedId')
    .select(['users.id as userId', 'users.userName', 'blocks.createdAt'])
    .where('blocks.blockerId', '=', userId)
    .orderBy('blocks.createdAt')
    .execute();
}

export function exportBookmarks(db: Db, userId: string) {
  return db
    .selectFrom('bookmarks')
    .innerJoin('users', 'users.id', 'bookmarks.targetId')
    .select(['bookmarks.id', 'users.id as userId', 'users.userName', 'bookmarks.createdAt'])
    .where('bookmarks.ownerId', '=', userId)
    .orderBy('bookmarks.createdAt')
    .execute();
}

/** Sessions without their token hash. */
export function exportSessions(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'createdAt', 'lastUsedAt', 'expiresAt', 'absoluteExpiresAt', 'ip', 'userAgent'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

export function exportSecurityEvents(db: Db, userId: string) {
  return db
    .selectFrom('auditEvents')
    .select(['id', 'type', 'ip', 'userAgent', 'details', 'createdAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** Passkey metadata: no public key, no signature counter. */
export function exportPasskeys(db: Db, userId: string) {
  return db
    .selectFrom('passkeys')
    .select(['id', 'name', 'deviceType', 'backedUp', 'transports', 'createdAt', 'lastUsedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

/** Codes sent to the user (what for, to where, when) without the code or its token. */
export function exportOneTimeCodes(db: Db, userId: string) {
  return db
    .selectFrom('oneTimeCodes')
    .select(['purpose', 'target', 'createdAt', 'expiresAt', 'consumedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

/** Only when each recovery code was made and used; the codes themselves are never stored. */
export function exportRecoveryCodes(db: Db, userId: string) {
  return db
    .selectFrom('recoveryCodes')
    .select(['createdAt', 'usedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

export function exportPasswordResets(db: Db, userId: string) {
  return db
    .selectFrom('passwordResetTokens')
    .select(['createdAt', 'expiresAt', 'consumedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

/** The "this wasn't me" links of the security notices mailed, without the token. */
export function exportNotMeLinks(db: Db, userId: string) {
  return db
    .selectFrom('notMeTokens')
    .select(['event', 'createdAt', 'expiresAt', 'consumedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

/** Second-factor sign-in challenges, without the challenge token. */
export function exportTwoFactorChallenges(db: Db, userId: string) {
  return db
    .selectFrom('twoFactorChallenges')
    .select(['method', 'attempts', 'createdAt', 'expiresAt', 'consumedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

/** Passkey ceremonies started for the user, without the challenge. */
export function exportWebauthnChallenges(db: Db, userId: string) {
  return db
    .selectFrom('webauthnChallenges')
    .select(['purpose', 'createdAt', 'expiresAt', 'consumedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .execute();
}

/** Who referred the user, if anyone (their id and current name). */
export function exportReferrer(db: Db, userId: string) {
  return db
    .selectFrom('users as me')
    .innerJoin('users as referrer', 'referrer.id', 'me.referredBy')
    .select(['referrer.id as userId', 'referrer.userName'])
    .where('me.id', '=', userId)
    .executeTakeFirst();
}
