import {
  completeTwoFactorInput,
  type OwnProfile,
  signInInput,
  signUpInput,
  type TwoFactorMethod,
} from '@userhub/core';
import { z } from 'zod';
import { defineRoute, NO_INPUT, type RestRoute } from '../route.js';

/** How one dialect spells the sign-up, sign-in and two-factor routes and the user they answer. */
export interface AuthRoutesBinding<U extends z.ZodType> {
  readonly tag: string;
  readonly paths: { readonly signUp: string; readonly signIn: string; readonly twoFactor: string };
  readonly messages: { readonly signUp: string; readonly signIn: string; readonly twoFactor: string };
  /** The dialect's own view of the signed-in user. */
  readonly user: U;
  toUser(profile: OwnProfile): z.output<U>;
  /** The dialect's names of the two-factor methods. */
  readonly methodNames: Readonly<Record<TwoFactorMethod, string>>;
}

/**
 * The routes a legacy client needs to obtain a token, written once: each dialect binds its
 * paths, messages and user view, and the procedures decide everything else.
 */
export function authRoutes<U extends z.ZodType>(binding: AuthRoutesBinding<U>): RestRoute[] {
  const session = z.object({ token: z.string(), user: binding.user });
  const signInAnswer = z.object({
    status: z.enum(['signed_in', 'two_factor_required']),
    token: z.string().optional(),
    user: binding.user.optional(),
    challengeToken: z.string().optional(),
    method: z.enum(Object.values(binding.methodNames)).optional(),
  });
  const toSession = ({ token, user }: { token: string; user: OwnProfile }) => ({
    token,
    user: binding.toUser(user),
  });
  return [
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: binding.paths.signUp,
      errors: ['USERNAME_TAKEN', 'EMAIL_TAKEN'],
      tag: binding.tag,
      summary: 'Create an account and sign in',
      status: 201,
      message: binding.messages.signUp,
      auth: 'none',
      body: signUpInput,
      response: session,
      handle: async ({ call, body }) => toSession(await call.auth.signUp(body)),
    }),
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: binding.paths.signIn,
      errors: [
        'INVALID_CREDENTIALS',
        'ACCOUNT_LOCKED',
        'ACCOUNT_PENDING_DELETION',
        'PASSWORD_RESET_REQUIRED',
        'RATE_LIMITED',
      ],
      tag: binding.tag,
      summary: 'Sign in with email or username',
      description: `With two-factor on, answers a challenge token for ${binding.paths.twoFactor} instead of a session token.`,
      status: 200,
      message: binding.messages.signIn,
      auth: 'none',
      body: signInInput,
      response: signInAnswer,
      handle: async ({ call, body }) => {
        const result = await call.auth.signIn(body);
        if (result.status === 'two_factor_required') {
          return {
            status: result.status,
            challengeToken: result.challengeToken,
            method: binding.methodNames[result.method],
          };
        }
        return { status: result.status, ...toSession(result) };
      },
    }),
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: binding.paths.twoFactor,
      errors: ['UNAUTHENTICATED', 'INVALID_CODE', 'CODE_EXPIRED'],
      tag: binding.tag,
      summary: 'Complete a two-factor sign-in',
      status: 200,
      message: binding.messages.twoFactor,
      auth: 'none',
      body: completeTwoFactorInput,
      response: session,
      handle: async ({ call, body }) => toSession(await call.auth.completeTwoFactor(body)),
    }),
  ];
}
