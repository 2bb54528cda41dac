import type { Achievement, TagRecord } from '@userhub/core';
import { sql } from 'kysely';
import { precompiled } from '../db/precompiled.js';
import type { Db } from '../db/types.js';
import {
  achievementsOf,
  asDate,
  type Dated,
  dated,
  followersOf,
  followingOf,
  lastActivityOf,
  tagsOf,
} from './profile-parts.js';

/** What the owner's view adds to the user row: everything that lives in other tables. */
export interface OwnProfileExtras {
  readonly tags: TagRecord[];
  readonly achievements: Achievement[];
  readonly followers: number;
  readonly following: number;
  readonly lastActivity: Date | null;
  readonly passkeyCount: number;
}

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
      ${tagsOf(userId)} as tags,
      ${achievementsOf(userId)} as achievements,
      ${followersOf(userId)} as followers,
      ${followingOf(userId)} as following,
      ${lastActivityOf(userId)} as last_activity,
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
    lastActivity: asDate(row.lastActivity),
    passkeyCount: row.passkeyCount,
  };
}
