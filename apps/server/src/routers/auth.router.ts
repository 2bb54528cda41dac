import {
  completeTwoFactorInput,
  passkeyOptionsInput,
  reportNotMeInput,
  requestPasswordResetInput,
  requestSignInCodeInput,
  resetPasswordInput,
  revokeSessionInput,
  signInInput,
  signInWithCodeInput,
  signInWithPasskeyInput,
  signUpInput,
} from '@userhub/core';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';

export const authRouter = router({
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(({ ctx, input }) => ctx.services.auth.signUp(input, ctx.meta)),

  signIn: publicProcedure
    .input(signInInput)
    .mutation(({ ctx, input }) => ctx.services.auth.signIn(input, ctx.meta)),

  completeTwoFactor: publicProcedure
    .input(completeTwoFactorInput)
    .mutation(({ ctx, input }) => ctx.services.auth.completeTwoFactor(input, ctx.meta)),

  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.auth.signOut(ctx.auth.session.id, ctx.auth.userId, ctx.meta);
    return { success: true as const };
  }),

  signOutEverywhere: protectedProcedure.mutation(({ ctx }) =>
    ctx.services.auth.signOutEverywhere(ctx.auth.userId, ctx.meta),
  ),

  sessions: protectedProcedure.query(({ ctx }) =>
    ctx.services.auth.listSessions(ctx.auth.userId, ctx.auth.session.id),
  ),

  revokeSession: protectedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.revokeSession(ctx.auth.userId, input.sessionId, ctx.meta);
    return { success: true as const };
  }),

  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .mutation(({ ctx, input }) => ctx.services.passwordReset.requestPasswordReset(input, ctx.meta)),

  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .mutation(({ ctx, input }) => ctx.services.passwordReset.resetPassword(input, ctx.meta)),

  /** The one-time link of a security notice: the account is secured whoever follows it. */
  reportNotMe: publicProcedure
    .input(reportNotMeInput)
    .mutation(({ ctx, input }) => ctx.services.notMe.reportNotMe(input, ctx.meta)),

  requestSignInCode: publicProcedure
    .input(requestSignInCodeInput)
    .mutation(({ ctx, input }) => ctx.services.signInCode.requestSignInCode(input)),

  signInWithCode: publicProcedure
    .input(signInWithCodeInput)
    .mutation(({ ctx, input }) => ctx.services.signInCode.signInWithCode(input, ctx.meta)),

  passkeyOptions: publicProcedure
    .input(passkeyOptionsInput)
    .mutation(({ ctx, input }) => ctx.services.passkeys.signInOptions(input)),

  signInWithPasskey: publicProcedure
    .input(signInWithPasskeyInput)
    .mutation(({ ctx, input }) => ctx.services.passkeys.signIn(input, ctx.meta)),
});
