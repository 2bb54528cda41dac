import { sql } from 'kysely';
import type { AppDeps } from '../deps.js';
import { forbidden, notFound, validationFailed } from '../errors.js';
import type { Db } from '../repositories/users.js';
import { decodeCursor, paginate } from './cursor.js';
import { buildPublicProfiles, PUBLIC_USER_COLUMNS } from './profile-views.js';

export interface PageInput {
  cursor?: string | undefined;
  limit: number;
}

/**
 * Follow and block decisions for one pair of users run one at a time: without this, a
 * block and a follow racing each other could both commit and leave a follow behind a block.
 */
async function lockPair(trx: Db, a: string, b: string): Promise<void> {
  const [low, high] = a < b ? [a, b] : [b, a];
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${low}:${high}`}, 0))`.execute(trx);
}

async function requireVisibleUser(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'isPrivate'])
    .where('id', '=', userId)
    .where('lockedAt', 'is', null)
    .executeTakeFirst();
  if (user === undefined) throw notFound();
  return user;
}

function refuseSelf(viewerId: string, targetId: string, action: string): void {
  if (viewerId === targetId) throw validationFailed({ userId: [`you cannot ${action} yourself`] });
}

export function createSocialService(deps: AppDeps) {
  const { db, clock } = deps;

  /** Followers or followees of a user, newest first, as public views for the viewer. */
  async function listConnections(
    viewerId: string | null,
    userId: string,
    page: PageInput,
    direction: 'followers' | 'following',
  ) {
    const target = await requireVisibleUser(db, userId);
    if (viewerId !== userId) {
      const hidden =
        target.isPrivate ||
        (viewerId !== null &&
          (await db
            .selectFrom('blocks')
            .select('blockerId')
            .where('blockerId', '=', userId)
            .where('blockedId', '=', viewerId)
            .executeTakeFirst()) !== undefined);
      if (hidden) throw forbidden('This user’s connections are not visible to you');
    }
    const [anchor, other] =
      direction === 'followers'
        ? (['followeeId', 'followerId'] as const)
        : (['followerId', 'followeeId'] as const);
    let query = db
      .selectFrom('follows')
      .innerJoin('users', 'users.id', `follows.${other}`)
      .select([...PUBLIC_USER_COLUMNS.map((c) => `users.${c}` as const), 'follows.createdAt as followedAt'])
      .where(`follows.${anchor}`, '=', userId)
      .where('users.lockedAt', 'is', null)
      .where('users.isPrivate', '=', false);
    if (page.cursor !== undefined) {
      const position = decodeCursor(page.cursor);
      query = query.where((eb) =>
        eb.or([
          eb('follows.createdAt', '<', position.at),
          eb.and([eb('follows.createdAt', '=', position.at), eb(`follows.${other}`, '<', position.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('follows.createdAt', 'desc')
      .orderBy(`follows.${other}`, 'desc')
      .limit(page.limit + 1)
      .execute();
    const { page: pageRows, nextCursor } = paginate(rows, page.limit, (r) => ({
      at: r.followedAt,
      id: r.id,
    }));
    return { items: await buildPublicProfiles(db, pageRows, viewerId, clock.now()), nextCursor };
  }

  return {
    /** Idempotent. Refused when either user blocked the other. */
    async follow(viewerId: string, targetId: string): Promise<void> {
      refuseSelf(viewerId, targetId, 'follow');
      await db.transaction().execute(async (trx) => {
        await requireVisibleUser(trx, targetId);
        await lockPair(trx, viewerId, targetId);
        const block = await trx
          .selectFrom('blocks')
          .select(['blockerId'])
          .where((eb) =>
            eb.or([
              eb.and([eb('blockerId', '=', targetId), eb('blockedId', '=', viewerId)]),
              eb.and([eb('blockerId', '=', viewerId), eb('blockedId', '=', targetId)]),
            ]),
          )
          .executeTakeFirst();
        if (block !== undefined) {
          throw forbidden(
            block.blockerId === viewerId
              ? 'Unblock this user before following them'
              : 'You cannot follow this user',
          );
        }
        await trx
          .insertInto('follows')
          .values({ followerId: viewerId, followeeId: targetId, createdAt: clock.now() })
          .onConflict((oc) => oc.columns(['followerId', 'followeeId']).doNothing())
          .execute();
      });
    },

    async unfollow(viewerId: string, targetId: string): Promise<void> {
      await db
        .deleteFrom('follows')
        .where('followerId', '=', viewerId)
        .where('followeeId', '=', targetId)
        .execute();
    },

    /** Idempotent; removes follows in both directions in the same transaction. */
    async block(viewerId: string, targetId: string): Promise<void> {
      refuseSelf(viewerId, targetId, 'block');
      await db.transaction().execute(async (trx) => {
        const target = await trx
          .selectFrom('users')
          .select('id')
          .where('id', '=', targetId)
          .executeTakeFirst();
        if (target === undefined) throw notFound();
        await lockPair(trx, viewerId, targetId);
        await trx
          .insertInto('blocks')
          .values({ blockerId: viewerId, blockedId: targetId, createdAt: clock.now() })
          .onConflict((oc) => oc.columns(['blockerId', 'blockedId']).doNothing())
          .execute();
        await trx
          .deleteFrom('follows')
          .where((eb) =>
            eb.or([
              eb.and([eb('followerId', '=', viewerId), eb('followeeId', '=', targetId)]),
              eb.and([eb('followerId', '=', targetId), eb('followeeId', '=', viewerId)]),
            ]),
          )
          .execute();
      });
    },

    async unblock(viewerId: string, targetId: string): Promise<void> {
      await db
        .deleteFrom('blocks')
        .where('blockerId', '=', viewerId)
        .where('blockedId', '=', targetId)
        .execute();
    },

    followers: (viewerId: string | null, userId: string, page: PageInput) =>
      listConnections(viewerId, userId, page, 'followers'),

    following: (viewerId: string | null, userId: string, page: PageInput) =>
      listConnections(viewerId, userId, page, 'following'),

    /** Idempotent: bookmarking twice returns the same bookmark. */
    async addBookmark(viewerId: string, targetId: string): Promise<{ bookmarkId: string }> {
      refuseSelf(viewerId, targetId, 'bookmark');
      await requireVisibleUser(db, targetId);
      const row = await db
        .insertInto('bookmarks')
        .values({ ownerId: viewerId, targetId, createdAt: clock.now() })
        .onConflict((oc) => oc.columns(['ownerId', 'targetId']).doUpdateSet({ ownerId: viewerId }))
        .returning('id')
        .executeTakeFirstOrThrow();
      return { bookmarkId: row.id };
    },

    async removeBookmark(viewerId: string, targetId: string): Promise<void> {
      await db
        .deleteFrom('bookmarks')
        .where('ownerId', '=', viewerId)
        .where('targetId', '=', targetId)
        .execute();
    },

    async listBookmarks(viewerId: string, page: PageInput) {
      let query = db
        .selectFrom('bookmarks')
        .innerJoin('users', 'users.id', 'bookmarks.targetId')
        .select([
          ...PUBLIC_USER_COLUMNS.map((c) => `users.${c}` as const),
          'bookmarks.id as bookmarkId',
          'bookmarks.createdAt as bookmarkedAt',
        ])
        .where('bookmarks.ownerId', '=', viewerId)
        .where('users.lockedAt', 'is', null);
      if (page.cursor !== undefined) {
        const position = decodeCursor(page.cursor);
        query = query.where((eb) =>
          eb.or([
            eb('bookmarks.createdAt', '<', position.at),
            eb.and([eb('bookmarks.createdAt', '=', position.at), eb('bookmarks.id', '<', position.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('bookmarks.createdAt', 'desc')
        .orderBy('bookmarks.id', 'desc')
        .limit(page.limit + 1)
        .execute();
      const { page: pageRows, nextCursor } = paginate(rows, page.limit, (r) => ({
        at: r.bookmarkedAt,
        id: r.bookmarkId,
      }));
      return { items: await buildPublicProfiles(db, pageRows, viewerId, clock.now()), nextCursor };
    },
  };
}

export type SocialService = ReturnType<typeof createSocialService>;
