import { sql } from 'kysely';
import type { AppDeps } from '../deps.js';
import { notFound } from '../errors.js';

export interface StatsDelta {
  posts?: number | undefined;
  shops?: number | undefined;
  events?: number | undefined;
}

/** Operations other services of the platform call with the service token. */
export function createInternalService(deps: AppDeps) {
  const { db, clock } = deps;
  return {
    /** Applies deltas atomically in the database; a counter never drops below zero. */
    async adjustStats(userId: string, delta: StatsDelta) {
      const row = await db
        .updateTable('users')
        .set({
          postsCount: sql`greatest(0, posts_count + ${delta.posts ?? 0})`,
          shopsCount: sql`greatest(0, shops_count + ${delta.shops ?? 0})`,
          eventsCount: sql`greatest(0, events_count + ${delta.events ?? 0})`,
          updatedAt: clock.now(),
        })
        .where('id', '=', userId)
        .returning(['postsCount', 'shopsCount', 'eventsCount'])
        .executeTakeFirst();
      if (row === undefined) throw notFound();
      return { posts: row.postsCount, shops: row.shopsCount, events: row.eventsCount };
    },

    /** Moves an achievement on by `by`, capped at its total. */
    async progressAchievement(userId: string, type: string, by: number) {
      const row = await db
        .updateTable('achievements')
        .set({ value: sql`least(total, value + ${by})`, updatedAt: clock.now() })
        .where('userId', '=', userId)
        .where('type', '=', type)
        .returning(['id', 'type', 'value', 'total', 'createdAt', 'updatedAt'])
        .executeTakeFirst();
      if (row === undefined) throw notFound('Achievement');
      return row;
    },
  };
}

export type InternalService = ReturnType<typeof createInternalService>;
