import type { Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { forbidden, notFound, validationFailed } from '../errors.js';
import { deleteBookmark, listBookmarks, upsertBookmark } from '../repositories/bookmarks.js';
import {
  deleteBlock,
  deleteFollow,
  deleteFollowsBetween,
  findBlockBetween,
  insertBlock,
  insertFollow,
  isBlocking,
  listConnections,
  lockUserPair,
} from '../repositories/social-graph.js';
import { findActiveUser, userExists } from '../repositories/users.js';
import { type PageInput, readKeysetPage } from './cursor.js';
import { buildPublicProfiles, PUBLIC_USER_COLUMNS } from './profile-views.js';

async function requireVisibleUser(db: Db, userId: string) {
  const user = await findActiveUser(db, userId);
  if (user === undefined) throw notFound();
  return user;
}

function refuseSelf(viewerId: string, targetId: string, action: string): void {
  if (viewerId === targetId) throw validationFailed({ userId: [`you cannot ${action} yourself`] });
}

export function createSocialService(deps: AppDeps) {
  const { db, clock } = deps;

  /** Followers or followees of a user, newest first, as public views for the viewer. */
  async function connectionsOf(
    viewerId: string | null,
    userId: string,
    request: PageInput,
    direction: 'followers' | 'following',
  ) {
    const target = await requireVisibleUser(db, userId);
    if (viewerId !== userId) {
      const hidden = target.isPrivate || (viewerId !== null && (await isBlocking(db, userId, viewerId)));
      if (hidden) throw forbidden('This user’s connections are not visible to you');
    }
    const { page, nextCursor } = await readKeysetPage(
      request,
      (keyset) => listConnections(db, userId, direction, PUBLIC_USER_COLUMNS, keyset),
      (row) => ({ at: row.followedAt, id: row.id }),
    );
    return { items: await buildPublicProfiles(db, page, viewerId, clock.now()), nextCursor };
  }

  return {
    /** Idempotent. Refused when either user blocked the other. */
    async follow(viewerId: string, targetId: string): Promise<void> {
      refuseSelf(viewerId, targetId, 'follow');
      await db.transaction().execute(async (trx) => {
        await requireVisibleUser(trx, targetId);
        await lockUserPair(trx, viewerId, targetId);
        const block = await findBlockBetween(trx, viewerId, targetId);
        if (block !== undefined) {
          throw forbidden(
            block.blockerId === viewerId
              ? 'Unblock this user before following them'
              : 'You cannot follow this user',
          );
        }
        await insertFollow(trx, viewerId, targetId, clock.now());
      });
    },

    async unfollow(viewerId: string, targetId: string): Promise<void> {
      await deleteFollow(db, viewerId, targetId);
    },

    /** Idempotent; removes follows in both directions in the same transaction. */
    async block(viewerId: string, targetId: string): Promise<void> {
      refuseSelf(viewerId, targetId, 'block');
      await db.transaction().execute(async (trx) => {
        if (!(await userExists(trx, targetId))) throw notFound();
        await lockUserPair(trx, viewerId, targetId);
        await insertBlock(trx, viewerId, targetId, clock.now());
        await deleteFollowsBetween(trx, viewerId, targetId);
      });
    },

    async unblock(viewerId: string, targetId: string): Promise<void> {
      await deleteBlock(db, viewerId, targetId);
    },

    followers: (viewerId: string | null, userId: string, page: PageInput) =>
      connectionsOf(viewerId, userId, page, 'followers'),

    following: (viewerId: string | null, userId: string, page: PageInput) =>
      connectionsOf(viewerId, userId, page, 'following'),

    /** Idempotent: bookmarking twice returns the same bookmark. */
    async addBookmark(viewerId: string, targetId: string): Promise<{ bookmarkId: string }> {
      refuseSelf(viewerId, targetId, 'bookmark');
      await requireVisibleUser(db, targetId);
      return { bookmarkId: await upsertBookmark(db, viewerId, targetId, clock.now()) };
    },

    async removeBookmark(viewerId: string, targetId: string): Promise<void> {
      await deleteBookmark(db, viewerId, targetId);
    },

    async listBookmarks(viewerId: string, request: PageInput) {
      const { page, nextCursor } = await readKeysetPage(
        request,
        (keyset) => listBookmarks(db, viewerId, PUBLIC_USER_COLUMNS, keyset),
        (row) => ({ at: row.bookmarkedAt, id: row.bookmarkId }),
      );
      return { items: await buildPublicProfiles(db, page, viewerId, clock.now()), nextCursor };
    },
  };
}

export type SocialService = ReturnType<typeof createSocialService>;
