import { initiateTwoFactorInput, passwordInput, twoFactorCodeInput } from '@userhub/core';
import { protectedProcedure, router } from '../trpc/init.js';

const done = { success: true as const };

export const twoFactorRouter = router({
  initiate: protectedProcedure
    .input(initiateTwoFactorInput)
    .mutation(({ ctx, input }) => ctx.services.twoFactor.initiate(ctx.auth.userId, input.method)),

  activate: protectedProcedure
    .input(twoFactorCodeInput)
    .mutation(({ ctx, input }) => ctx.services.twoFactor.activate(ctx.auth.userId, input.code, ctx.meta)),

  deactivate: protectedProcedure.input(twoFactorCodeInput).mutation(async ({ ctx, input }) => {
    await ctx.services.twoFactor.deactivate(ctx.auth.userId, input.code, ctx.meta);
    return done;
  }),

  sendCode: protectedProcedure
    .input(passwordInput)
    .mutation(({ ctx, input }) => ctx.services.twoFactor.sendCode(ctx.auth.userId, input.password)),

  enableWithPassword: protectedProcedure
    .input(passwordInput)
    .mutation(({ ctx, input }) =>
      ctx.services.twoFactor.enableWithPassword(ctx.auth.userId, input.password, ctx.meta),
    ),

  disableWithPassword: protectedProcedure.input(passwordInput).mutation(async ({ ctx, input }) => {
    await ctx.services.twoFactor.disableWithPassword(ctx.auth.userId, input.password, ctx.meta);
    return done;
  }),

  regenerateRecoveryCodes: protectedProcedure
    .input(twoFactorCodeInput)
    .mutation(({ ctx, input }) =>
      ctx.services.twoFactor.regenerateRecoveryCodes(ctx.auth.userId, input.code, ctx.meta),
    ),
});
