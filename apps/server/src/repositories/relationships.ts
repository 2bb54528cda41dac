import type { Relationship } from '@userhub/core';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';

/** How the viewer stands to each target, for many targets in one query (four primary-key probes each). */
export async function findRelationships(
  db: Db,
  viewerId: string,
  targetIds: readonly string[],
): Promise<Map<string, Relationship>> {
  const relationships = new Map<string, Relationship>();
  if (targetIds.length === 0) return relationships;
  const rows = await db
    .selectFrom('users as target')
    .select((eb) => [
      'target.id',
      eb
        .exists(
          eb
            .selectFrom('follows')
            .select(sql`1`.as('one'))
            .where('followerId', '=', viewerId)
            .whereRef('followeeId', '=', 'target.id'),
        )
        .as('isFollowing'),
      eb
        .exists(
          eb
            .selectFrom('follows')
            .select(sql`1`.as('one'))
            .whereRef('followerId', '=', 'target.id')
            .where('followeeId', '=', viewerId),
        )
        .as('isFollowedBy'),
      eb
        .exists(
          eb
            .selectFrom('blocks')
            .select(sql`1`.as('one'))
            .where('blockerId', '=', viewerId)
            .whereRef('blockedId', '=', 'target.id'),
        )
        .as('isBlocked'),
      eb
        .exists(
          eb
            .selectFrom('blocks')
            .select(sql`1`.as('one'))
            .whereRef('blockerId', '=', 'target.id')
            .where('blockedId', '=', viewerId),
        )
        .as('isBlockedBy'),
    ])
    .where('target.id', 'in', targetIds)
    .execute();
  for (const row of rows) {
    relationships.set(row.id, {
      isFollowing: Boolean(row.isFollowing),
      isFollowedBy: Boolean(row.isFollowedBy),
      isBlocked: Boolean(row.isBlocked),
      isBlockedBy: Boolean(row.isBlockedBy),
    });
  }
  return relationships;
}

/** The viewer's bookmark id for each bookmarked target. */
export async function findBookmarkIds(
  db: Db,
  ownerId: string,
  targetIds: readonly string[],
): Promise<Map<string, string>> {
  const bookmarks = new Map<string, string>();
  if (targetIds.length === 0) return bookmarks;
  const rows = await db
    .selectFrom('bookmarks')
    .select(['id', 'targetId'])
    .where('ownerId', '=', ownerId)
    .where('targetId', 'in', targetIds)
    .execute();
  for (const row of rows) bookmarks.set(row.targetId, row.id);
  return bookmarks;
}
