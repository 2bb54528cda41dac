import { cursorPageInput, userIdInput, userListPageInput } from '@userhub/core';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';

const done = { success: true as const };

export const socialRouter = router({
  follow: protectedProcedure.input(userIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.social.follow(ctx.auth.userId, input.userId);
    return done;
  }),
  unfollow: protectedProcedure.input(userIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.social.unfollow(ctx.auth.userId, input.userId);
    return done;
  }),
  block: protectedProcedure.input(userIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.social.block(ctx.auth.userId, input.userId);
    return done;
  }),
  unblock: protectedProcedure.input(userIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.social.unblock(ctx.auth.userId, input.userId);
    return done;
  }),
  followers: publicProcedure
    .input(userListPageInput)
    .query(({ ctx, input }) => ctx.services.social.followers(ctx.auth?.userId ?? null, input.userId, input)),
  following: publicProcedure
    .input(userListPageInput)
    .query(({ ctx, input }) => ctx.services.social.following(ctx.auth?.userId ?? null, input.userId, input)),
});

export const bookmarksRouter = router({
  add: protectedProcedure
    .input(userIdInput)
    .mutation(({ ctx, input }) => ctx.services.social.addBookmark(ctx.auth.userId, input.userId)),
  remove: protectedProcedure.input(userIdInput).mutation(async ({ ctx, input }) => {
    await ctx.services.social.removeBookmark(ctx.auth.userId, input.userId);
    return done;
  }),
  list: protectedProcedure
    .input(cursorPageInput)
    .query(({ ctx, input }) => ctx.services.social.listBookmarks(ctx.auth.userId, input)),
});
