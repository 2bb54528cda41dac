import { z } from 'zod';
import { newPasswordSchema, passwordFieldSchema } from '../password/policy.js';
import { whenFieldsParsed } from '../schema-helpers.js';
import { emailSchema, oneTimeCodeSchema, tokenSchema, twoFactorCodeSchema } from './auth.schema.js';

/** `auth.requestPasswordReset`: always answers `{sent: true}` (SPEC §9). */
export const requestPasswordResetInput = z.strictObject({ email: emailSchema });

/**
 * `auth.resetPassword`: the mailed token, the new password twice and, when two-factor is on,
 * a second-factor code (TOTP, an emailed two-factor code or a recovery code). The server adds
 * the personal-info password rules, since only it knows the account's username and email.
 */
export const resetPasswordInput = z
  .strictObject({
    token: tokenSchema('Token'),
    newPassword: newPasswordSchema(),
    confirmPassword: passwordFieldSchema,
    code: twoFactorCodeSchema.optional(),
  })
  .superRefine(
    (input, ctx) => {
      if (input.confirmPassword !== input.newPassword) {
        ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
      }
    },
    { when: whenFieldsParsed('newPassword', 'confirmPassword') },
  );

export const passwordResetAnswerSchema = z.object({ sent: z.literal(true) });

/** `auth.requestSignInCode`: the same shape answers for unknown addresses. */
export const requestSignInCodeInput = z.strictObject({ email: emailSchema });

/** `auth.signInWithCode`: the request's tempToken and the mailed 6-digit code. */
export const signInWithCodeInput = z.strictObject({
  tempToken: tokenSchema('Temp token'),
  code: oneTimeCodeSchema,
});

export type RequestPasswordResetInput = z.input<typeof requestPasswordResetInput>;
export type ResetPasswordInput = z.input<typeof resetPasswordInput>;
export type SignInWithCodeInput = z.input<typeof signInWithCodeInput>;
