import type { Achievement, TagRecord } from '@userhub/core';
import { sql } from 'kysely';
import { precompiled } from '../db/precompiled.js';
import type { Db } from '../db/types.js';

/** What the owner's view adds to the user row: everything that lives in other tables. */
export interface OwnProfileExtras {
  readonly tags: TagRecord[];
  readonly achievements: Achievement[];
  readonly followers: number;
  readonly following: number;
  readonly lastActivity: Date | null;
  readonly passkeyCount: number;
}

type Dated<T> = Omit<T, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

const dated = <T extends { createdAt: Date; updatedAt: Date }>(row: Dated<T>): T =>
  ({ ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt) }) as unknown as T;

/**
 * The owner's tags (in their order, with stored counts), achievements, follow counts, last
 * activity and passkey count in one statement: each a subquery on its own index, so
 * `profile.me` costs one round trip beyond the session, not five (exported for its plan test).
 */
export const ownProfileExtrasQuery = (userId: string) => sql<{
  tags: Dated<TagRecord>[];
  achievements: Dated<Achievement>[];
  followers: number;
  following: number;
  lastActivity: Date | string | null;
  passkeyCount: number;
}>`
    select
      coalesce((
        select json_agg(json_build_object(
                 'id', t.id, 'name', t.name, 'key', t.key, 'color', t.color, 'categories', t.categories,
                 'isParent', t.is_parent, 'type', t.type, 'entryCount', t.entry_count,
                 'createdAt', t.created_at, 'updatedAt', t.updated_at) order by ut.position)
        from user_tags ut join tags t on t.id = ut.tag_id where ut.user_id = ${userId}
      ), '[]'::json) as tags,
      coalesce((
        select json_agg(json_build_object(
                 'id', a.id, 'type', a.type, 'value', a.value, 'total', a.total,
                 'createdAt', a.created_at, 'updatedAt', a.updated_at) order by a.type)
        from achievements a where a.user_id = ${userId}
      ), '[]'::json) as achievements,
      -- Followers and followees that are deactivated or pending deletion are not counted,
      -- as in countFollowsForUsers: the lists leave them out too.
      (select count(*)::int from follows f join users u on u.id = f.follower_id and u.locked_at is null
        where f.followee_id = ${userId}) as followers,
      (select count(*)::int from follows f join users u on u.id = f.followee_id and u.locked_at is null
        where f.follower_id = ${userId}) as following,
      (select max(last_used_at) from sessions where user_id = ${userId}) as last_activity,
      (select count(*)::int from passkeys where user_id = ${userId}) as passkey_count
  `;
const ownProfileExtras = precompiled((_db: Db, userId: string) => ownProfileExtrasQuery(userId));

export async function findOwnProfileExtras(db: Db, userId: string): Promise<OwnProfileExtras> {
  const row = (await ownProfileExtras(db, userId)).rows[0]!;
  return {
    tags: row.tags.map(dated<TagRecord>),
    achievements: row.achievements.map(dated<Achievement>),
    followers: row.followers,
    following: row.following,
    lastActivity: row.lastActivity === null ? null : new Date(row.lastActivity),
    passkeyCount: row.passkeyCount,
  };
}
