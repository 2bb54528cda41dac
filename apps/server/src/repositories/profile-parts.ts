import type { Achievement, Relationship, TagRecord } from '@userhub/core';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/types.js';

/**
 * The parts of a profile that live beside the user row (tags, achievements, follow counts,
 * last activity), each a correlated subquery on its own index, for one user (`profile.me`) or
 * many (`buildPublicProfiles`): the same SQL either way, so the views cannot drift apart.
 */
type UserId = RawBuilder<unknown> | string;

/** The user's tags in their chosen order, with the stored entry counts (a JSON array). */
export const tagsOf = (userId: UserId) => sql`coalesce((
    select json_agg(json_build_object(
             'id', t.id, 'name', t.name, 'key', t.key, 'color', t.color, 'categories', t.categories,
             'isParent', t.is_parent, 'type', t.type, 'entryCount', t.entry_count,
             'createdAt', t.created_at, 'updatedAt', t.updated_at) order by ut.position)
    from user_tags ut join tags t on t.id = ut.tag_id where ut.user_id = ${userId}
  ), '[]'::json)`;

/** The user's achievements by type (a JSON array). */
export const achievementsOf = (userId: UserId) => sql`coalesce((
    select json_agg(json_build_object(
             'id', a.id, 'type', a.type, 'value', a.value, 'total', a.total,
             'createdAt', a.created_at, 'updatedAt', a.updated_at) order by a.type)
    from achievements a where a.user_id = ${userId}
  ), '[]'::json)`;

/**
 * Followers and followees that are deactivated or pending deletion are not counted: the
 * lists leave them out too.
 */
export const followersOf = (userId: UserId) =>
  sql`(select count(*)::int from follows f join users fu on fu.id = f.follower_id and fu.locked_at is null
        where f.followee_id = ${userId})`;
export const followingOf = (userId: UserId) =>
  sql`(select count(*)::int from follows f join users fu on fu.id = f.followee_id and fu.locked_at is null
        where f.follower_id = ${userId})`;

/** When the user last used any session (one entry of `sessions_user_last_used`). */
export const lastActivityOf = (userId: UserId) =>
  sql`(select max(last_used_at) from sessions where user_id = ${userId})`;

/** Rows as JSON gives them: timestamps as text. */
export type Dated<T> = Omit<T, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

export const dated = <T extends { createdAt: Date; updatedAt: Date }>(row: Dated<T>): T =>
  ({ ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt) }) as unknown as T;

export const asDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/** What a public view adds to each user row; `relationship`/`bookmarkId` are the viewer's. */
export interface ViewParts {
  readonly tags: TagRecord[];
  readonly achievements: Achievement[];
  readonly followers: number;
  readonly following: number;
  readonly lastActivity: Date | null;
  /** null for a signed-out viewer and for the viewer's own row. */
  readonly relationship: Relationship | null;
  readonly bookmarkId: string | null;
}

/** How the viewer stands to `u` (each a primary-key probe), and the viewer's bookmark of `u`. */
const standingOf = (viewer: string) => sql`
      exists (select 1 from follows where follower_id = ${viewer} and followee_id = u.id) as is_following,
      exists (select 1 from follows where follower_id = u.id and followee_id = ${viewer}) as is_followed_by,
      exists (select 1 from blocks where blocker_id = ${viewer} and blocked_id = u.id) as is_blocked,
      exists (select 1 from blocks where blocker_id = u.id and blocked_id = ${viewer}) as is_blocked_by,
      (select b.id from bookmarks b where b.owner_id = ${viewer} and b.target_id = u.id) as bookmark_id`;
const signedOut = sql`
      null::boolean as is_following, null::boolean as is_followed_by,
      null::boolean as is_blocked, null::boolean as is_blocked_by, null::uuid as bookmark_id`;

/** The statement of `findViewParts` (exported for its plan test). */
export const viewPartsQuery = (userIds: readonly string[], viewer: string | null) => {
  const id = sql.ref('u.id');
  return sql<{
    id: string;
    tags: Dated<TagRecord>[];
    achievements: Dated<Achievement>[];
    followers: number;
    following: number;
    lastActivity: Date | string | null;
    isFollowing: boolean | null;
    isFollowedBy: boolean | null;
    isBlocked: boolean | null;
    isBlockedBy: boolean | null;
    bookmarkId: string | null;
  }>`
    select u.id,
      ${tagsOf(id)} as tags,
      ${achievementsOf(id)} as achievements,
      ${followersOf(id)} as followers,
      ${followingOf(id)} as following,
      ${lastActivityOf(id)} as last_activity,
      ${viewer === null ? signedOut : standingOf(viewer)}
    from users u
    where u.id in (${sql.join(userIds.map((userId) => sql`${userId}::uuid`))})
  `;
};

/**
 * The parts of many users' public views in one statement, whatever their count: each user's
 * tags, achievements, follow counts and last activity, and how the viewer stands to each
 * (four primary-key probes) with the viewer's bookmark of them.
 */
export async function findViewParts(
  db: Db,
  userIds: readonly string[],
  viewerId: string | null,
): Promise<Map<string, ViewParts>> {
  const parts = new Map<string, ViewParts>();
  if (userIds.length === 0) return parts;
  const { rows } = await viewPartsQuery(userIds, viewerId).execute(db);
  for (const row of rows) {
    const isViewer = viewerId === null || row.id === viewerId;
    parts.set(row.id, {
      tags: row.tags.map(dated<TagRecord>),
      achievements: row.achievements.map(dated<Achievement>),
      followers: row.followers,
      following: row.following,
      lastActivity: asDate(row.lastActivity),
      relationship: isViewer
        ? null
        : {
            isFollowing: row.isFollowing === true,
            isFollowedBy: row.isFollowedBy === true,
            isBlocked: row.isBlocked === true,
            isBlockedBy: row.isBlockedBy === true,
          },
      bookmarkId: isViewer ? null : row.bookmarkId,
    });
  }
  return parts;
}
