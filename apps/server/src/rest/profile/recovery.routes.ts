import { passwordResetAnswerSchema, requestPasswordResetInput, resetPasswordInput } from '@userhub/core';
import { z } from 'zod';
import { defineRoute, NO_INPUT, type RestRoute } from '../route.js';
import { ACCOUNT_TAG } from './shared.js';
import { profileOwnSchema, toProfileOwn } from './views.js';

/** "Forgot password" in the profile dialect, over the same procedures as `auth.requestPasswordReset` / `auth.resetPassword`. */
export const recoveryRoutes: RestRoute[] = [
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/password/forgot',
    tag: ACCOUNT_TAG,
    summary: 'Ask for a password-reset link',
    description:
      'Mails `<PUBLIC_URL>/reset-password?token=…` (30 minutes, single use). The answer is the same, ' +
      'and as fast, whether or not the address has an account; at most 5 links an hour are mailed per account.',
    status: 200,
    message: 'If an account uses this address, a reset link is on its way',
    auth: 'none',
    body: requestPasswordResetInput,
    response: passwordResetAnswerSchema,
    handle: async ({ call, body }) => call.auth.requestPasswordReset(body),
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/password/reset',
    errors: [
      'INVALID_TOKEN',
      'ACCOUNT_LOCKED',
      'TWO_FACTOR_REQUIRED',
      'INVALID_CODE',
      'CODE_EXPIRED',
      'RATE_LIMITED',
    ],
    tag: ACCOUNT_TAG,
    summary: 'Set a new password with a reset link',
    description:
      'Ends every session and answers a fresh one. With two-factor on, `code` (authenticator, mailed or ' +
      'recovery code) is required: without it the answer is 403 `TWO_FACTOR_REQUIRED` and the token stays usable.',
    status: 200,
    message: 'Password reset successfully',
    auth: 'none',
    body: resetPasswordInput,
    response: z.object({ token: z.string(), user: profileOwnSchema }),
    handle: async ({ call, body }) => {
      const { token, user } = await call.auth.resetPassword(body);
      return { token, user: toProfileOwn(user) };
    },
  }),
];
