import {
  cancelDeletionInput,
  changePasswordInput,
  changeUsernameInput,
  checkUsernameInput,
  deactivateInput,
  deleteAccountInput,
  exportDataInput,
  requestEmailChangeInput,
  requestPhoneVerificationInput,
  securityEventsInput,
  verifyCodeInput,
} from '@userhub/core';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';

const done = { success: true as const };

export const accountRouter = router({
  checkUsername: publicProcedure
    .input(checkUsernameInput)
    .query(({ ctx, input }) => ctx.services.account.checkUsername(ctx.auth?.userId ?? null, input.username)),

  changeUsername: protectedProcedure
    .input(changeUsernameInput)
    .mutation(({ ctx, input }) =>
      ctx.services.account.changeUsername(ctx.auth.userId, input.username, ctx.meta),
    ),

  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await ctx.services.credentials.changePassword(ctx.auth.userId, input, ctx.meta);
    return done;
  }),

  securityInfo: protectedProcedure.query(({ ctx }) => ctx.services.credentials.securityInfo(ctx.auth.userId)),

  requestEmailVerification: protectedProcedure.mutation(({ ctx }) =>
    ctx.services.credentials.requestEmailVerification(ctx.auth.userId),
  ),

  verifyEmail: protectedProcedure
    .input(verifyCodeInput)
    .mutation(({ ctx, input }) => ctx.services.credentials.verifyEmail(ctx.auth.userId, input, ctx.meta)),

  requestEmailChange: protectedProcedure
    .input(requestEmailChangeInput)
    .mutation(({ ctx, input }) => ctx.services.credentials.requestEmailChange(ctx.auth.userId, input)),

  confirmEmailChange: protectedProcedure
    .input(verifyCodeInput)
    .mutation(({ ctx, input }) =>
      ctx.services.credentials.confirmEmailChange(ctx.auth.userId, input, ctx.meta),
    ),

  requestPhoneVerification: protectedProcedure
    .input(requestPhoneVerificationInput)
    .mutation(({ ctx, input }) => ctx.services.credentials.requestPhoneVerification(ctx.auth.userId, input)),

  verifyPhone: protectedProcedure
    .input(verifyCodeInput)
    .mutation(({ ctx, input }) => ctx.services.credentials.verifyPhone(ctx.auth.userId, input, ctx.meta)),

  deactivate: protectedProcedure.input(deactivateInput).mutation(async ({ ctx, input }) => {
    await ctx.services.credentials.deactivate(ctx.auth.userId, input, ctx.meta);
    return done;
  }),

  delete: protectedProcedure
    .input(deleteAccountInput)
    .mutation(({ ctx, input }) =>
      ctx.services.accountDeletion.deleteAccount(ctx.auth.userId, input, ctx.meta),
    ),

  /** Public: a pending deletion ended every session, so the login and password prove the owner. */
  cancelDeletion: publicProcedure
    .input(cancelDeletionInput)
    .mutation(({ ctx, input }) => ctx.services.accountDeletion.cancelDeletion(input, ctx.meta)),

  /** SPEC §9: the names the user gave up, newest first, and until when each is held for them. */
  usernameHistory: protectedProcedure.query(({ ctx }) => ctx.services.usernameHistory.list(ctx.auth.userId)),

  /** SPEC §9: everything held about the user, nothing secret; a mutation, as it carries the password. */
  exportData: protectedProcedure
    .input(exportDataInput)
    .mutation(({ ctx, input }) =>
      ctx.services.dataExport.exportData(ctx.auth.userId, input.password, ctx.meta),
    ),

  securityEvents: protectedProcedure
    .input(securityEventsInput)
    .query(({ ctx, input }) => ctx.services.credentials.securityEvents(ctx.auth.userId, input)),
});
