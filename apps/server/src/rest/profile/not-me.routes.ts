import { cancelDeletionInput, reportNotMeInput } from '@userhub/core';
import { z } from 'zod';
import { defineRoute, NO_INPUT, type RestRoute } from '../route.js';
import { ACCOUNT_TAG } from './shared.js';
import { profileOwnSchema, toProfileOwn } from './views.js';

/** "This wasn't me" and the cancellation of a pending deletion, over `auth.reportNotMe` / `account.cancelDeletion`. */
export const notMeRoutes: RestRoute[] = [
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/not-me',
    tag: ACCOUNT_TAG,
    summary: 'Report that a change announced in a security notice was not yours',
    description:
      'The token comes from the link `<PUBLIC_URL>/not-me?token=…` in the notice (7 days, single use). ' +
      'Every session ends, an email change is undone, sign-in answers 423 `PASSWORD_RESET_REQUIRED` ' +
      'until the password is reset, and a reset link is mailed to the (restored) address.',
    status: 200,
    message: 'The account is secured; check your mailbox for a link to choose a new password',
    auth: 'none',
    body: reportNotMeInput,
    errors: ['INVALID_TOKEN', 'RATE_LIMITED'],
    response: z.object({ locked: z.literal(true) }),
    handle: ({ call, body }) => call.auth.reportNotMe(body),
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/cancel-deletion',
    tag: ACCOUNT_TAG,
    summary: 'Cancel a scheduled deletion and sign in',
    description:
      'Restores an account whose deletion is pending and answers a fresh session. With two-factor on, ' +
      '`code` is required (403 `TWO_FACTOR_REQUIRED` without it).',
    status: 200,
    message: 'The deletion is cancelled',
    auth: 'none',
    body: cancelDeletionInput,
    errors: ['INVALID_CREDENTIALS', 'NOT_FOUND', 'TWO_FACTOR_REQUIRED', 'INVALID_CODE', 'RATE_LIMITED'],
    response: z.object({ token: z.string(), user: profileOwnSchema }),
    handle: async ({ call, body }) => {
      const { token, user } = await call.account.cancelDeletion(body);
      return { token, user: toProfileOwn(user) };
    },
  }),
];
