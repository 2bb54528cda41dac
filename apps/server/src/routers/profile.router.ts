import {
  basicInfoUpdateInput,
  profileByIdInput,
  profileByUsernameInput,
  profileListInput,
  profileUpdateInput,
} from '@userhub/core';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';

export const profileRouter = router({
  me: protectedProcedure.query(({ ctx }) => ctx.services.profile.me(ctx.auth.userId, ctx.auth.user)),

  update: protectedProcedure
    .input(profileUpdateInput)
    .mutation(({ ctx, input }) => ctx.services.profile.update(ctx.auth.userId, input)),

  /** The superseded v1 all-in-one update: one transaction, the code sent only once it committed. */
  updateBasicInfo: protectedProcedure
    .input(basicInfoUpdateInput)
    .mutation(({ ctx, input }) => ctx.services.basicInfo.update(ctx.auth.userId, input, ctx.meta)),

  byId: publicProcedure
    .input(profileByIdInput)
    // Through the request's loader: the byId calls of one tRPC batch share their queries.
    .query(({ ctx, input }) => ctx.profiles.byId(input.userId)),

  byUsername: publicProcedure
    .input(profileByUsernameInput)
    .query(({ ctx, input }) => ctx.services.profile.byUsername(ctx.auth?.userId ?? null, input.username)),

  list: publicProcedure
    .input(profileListInput)
    .query(({ ctx, input }) => ctx.services.profile.list(ctx.auth?.userId ?? null, input)),
});
