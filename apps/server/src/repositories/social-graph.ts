import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { type KeysetPage, keysetPage } from './keyset.js';

export interface FollowCounts {
  readonly followers: number;
  readonly following: number;
}

/** Whether `blockerId` blocks `blockedId`. */
export async function isBlocking(db: Db, blockerId: string, blockedId: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blockerId')
    .where('blockerId', '=', blockerId)
    .where('blockedId', '=', blockedId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Who blocks whom between two users, if either does (the first found when both do). */
export async function findBlockBetween(
  db: Db,
  a: string,
  b: string,
): Promise<{ blockerId: string } | undefined> {
  return db
    .selectFrom('blocks')
    .select(['blockerId'])
    .where((eb) =>
      eb.or([
        eb.and([eb('blockerId', '=', b), eb('blockedId', '=', a)]),
        eb.and([eb('blockerId', '=', a), eb('blockedId', '=', b)]),
      ]),
    )
    .executeTakeFirst();
}

/** Idempotent: following twice leaves one edge. */
export async function insertFollow(db: Db, followerId: string, followeeId: string, now: Date): Promise<void> {
  await db
    .insertInto('follows')
    .values({ followerId, followeeId, createdAt: now })
    .onConflict((oc) => oc.columns(['followerId', 'followeeId']).doNothing())
    .execute();
}

export async function deleteFollow(db: Db, followerId: string, followeeId: string): Promise<void> {
  await db
    .deleteFrom('follows')
    .where('followerId', '=', followerId)
    .where('followeeId', '=', followeeId)
    .execute();
}

/** Removes the follows between two users in both directions. */
export async function deleteFollowsBetween(db: Db, a: string, b: string): Promise<void> {
  await db
    .deleteFrom('follows')
    .where((eb) =>
      eb.or([
        eb.and([eb('followerId', '=', a), eb('followeeId', '=', b)]),
        eb.and([eb('followerId', '=', b), eb('followeeId', '=', a)]),
      ]),
    )
    .execute();
}

/** Idempotent: blocking twice leaves one edge. */
export async function insertBlock(db: Db, blockerId: string, blockedId: string, now: Date): Promise<void> {
  await db
    .insertInto('blocks')
    .values({ blockerId, blockedId, createdAt: now })
    .onConflict((oc) => oc.columns(['blockerId', 'blockedId']).doNothing())
    .execute();
}

export async function deleteBlock(db: Db, blockerId: string, blockedId: string): Promise<void> {
  await db
    .deleteFrom('blocks')
    .where('blockerId', '=', blockerId)
    .where('blockedId', '=', blockedId)
    .execute();
}

/**
 * One keyset page of a user's followers (or followees): these columns of each public,
 * active one, with when the follow began, newest follow first.
 */
export async function listConnections<Column extends keyof Database['users']>(
  db: Db,
  userId: string,
  direction: 'followers' | 'following',
  columns: readonly Column[],
  page: KeysetPage,
) {
  const [anchor, other] =
    direction === 'followers'
      ? (['followeeId', 'followerId'] as const)
      : (['followerId', 'followeeId'] as const);
  return keysetPage(
    db
      .selectFrom('follows')
      .innerJoin('users', 'users.id', `follows.${other}`)
      .select([...columns.map((c) => `users.${c}` as const), 'follows.createdAt as followedAt'])
      .where(`follows.${anchor}`, '=', userId)
      .where('users.lockedAt', 'is', null)
      .where('users.isPrivate', '=', false),
    { at: 'follows.createdAt', id: `follows.${other}` },
    page,
  );
}

/**
 * Follow and block decisions for one pair of users run one at a time: without this, a
 * block and a follow racing each other could both commit and leave a follow behind a block.
 */
export async function lockUserPair(trx: Db, a: string, b: string): Promise<void> {
  const [low, high] = a < b ? [a, b] : [b, a];
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${low}:${high}`}, 0))`.execute(trx);
}
