import type { AchievementType } from '@userhub/core';
import type { AppDeps } from '../deps.js';
import { notFound } from '../errors.js';
import { progressAchievement } from '../repositories/achievements.js';
import { adjustUserStats, type StatsDelta } from '../repositories/users.js';

/** Operations other services of the platform call with the service token. */
export function createInternalService(deps: AppDeps) {
  const { db, clock } = deps;
  return {
    async adjustStats(userId: string, delta: StatsDelta) {
      const row = await adjustUserStats(db, userId, delta, clock.now());
      if (row === undefined) throw notFound();
      return { posts: row.postsCount, shops: row.shopsCount, events: row.eventsCount };
    },

    async progressAchievement(userId: string, type: AchievementType, by: number) {
      const row = await progressAchievement(db, userId, type, by, clock.now());
      if (row === undefined) throw notFound('Achievement');
      return row;
    },
  };
}

export type InternalService = ReturnType<typeof createInternalService>;
