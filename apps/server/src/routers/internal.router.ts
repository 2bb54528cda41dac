import { adjustStatsInput, progressAchievementInput } from '@userhub/core';
import { router, serviceProcedure } from '../trpc/init.js';

export const internalRouter = router({
  adjustStats: serviceProcedure
    .input(adjustStatsInput)
    .mutation(({ ctx, input }) => ctx.services.internal.adjustStats(input.userId, input)),
  progressAchievement: serviceProcedure
    .input(progressAchievementInput)
    .mutation(({ ctx, input }) =>
      ctx.services.internal.progressAchievement(input.userId, input.type, input.by),
    ),
});
