import { sql } from 'kysely';
import type { Db } from './users.js';

export interface FollowCounts {
  readonly followers: number;
  readonly following: number;
}

/** Follower and following counts for many users in one round trip (both served by an index). */
export async function countFollowsForUsers(
  db: Db,
  userIds: readonly string[],
): Promise<Map<string, FollowCounts>> {
  const counts = new Map<string, FollowCounts>();
  for (const id of userIds) counts.set(id, { followers: 0, following: 0 });
  if (userIds.length === 0) return counts;
  const ids = sql.join(userIds.map((id) => sql`${id}::uuid`));
  const { rows } = await sql<{ userId: string; followers: number; following: number }>`
    select followee_id as user_id, count(*)::int as followers, 0 as following
      from follows where followee_id in (${ids}) group by followee_id
    union all
    select follower_id as user_id, 0 as followers, count(*)::int as following
      from follows where follower_id in (${ids}) group by follower_id
  `.execute(db);
  for (const row of rows) {
    const current = counts.get(row.userId) ?? { followers: 0, following: 0 };
    counts.set(row.userId, {
      followers: current.followers + row.followers,
      following: current.following + row.following,
    });
  }
  return counts;
}
