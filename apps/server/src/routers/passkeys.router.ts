import { registerPasskeyInput, removePasskeyInput, renamePasskeyInput } from '@userhub/core';
import { protectedProcedure, router } from '../trpc/init.js';

/** The signed-in user's passkeys (SPEC §9). Signing in with one is `auth.signInWithPasskey`. */
export const passkeysRouter = router({
  registrationOptions: protectedProcedure.mutation(({ ctx }) =>
    ctx.services.passkeys.registrationOptions(ctx.auth.userId),
  ),

  register: protectedProcedure
    .input(registerPasskeyInput)
    .mutation(({ ctx, input }) => ctx.services.passkeys.register(ctx.auth.userId, input, ctx.meta)),

  list: protectedProcedure.query(({ ctx }) => ctx.services.passkeys.list(ctx.auth.userId)),

  rename: protectedProcedure
    .input(renamePasskeyInput)
    .mutation(({ ctx, input }) => ctx.services.passkeys.rename(ctx.auth.userId, input, ctx.meta)),

  remove: protectedProcedure.input(removePasskeyInput).mutation(async ({ ctx, input }) => {
    await ctx.services.passkeys.remove(ctx.auth.userId, input, ctx.meta);
    return { success: true as const };
  }),
});
