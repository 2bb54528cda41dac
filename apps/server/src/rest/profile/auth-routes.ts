import { z } from 'zod';
import { defineRoute, NO_INPUT, type RestRoute } from '../route.js';
import { authRoutes } from '../shared/auth-routes.js';
import { AUTH_TAG } from './shared.js';
import { profileOwnSchema, toProfileOwn } from './views.js';

/** The profile dialect's sign-in routes: the shared ones bound to its paths, and sign-out. */
export const profileAuthRoutes: readonly RestRoute[] = [
  ...authRoutes({
    tag: AUTH_TAG,
    paths: {
      signUp: '/api/v1/auth/signup',
      signIn: '/api/v1/auth/signin',
      twoFactor: '/api/v1/auth/signin/2fa',
    },
    messages: {
      signUp: 'Account created successfully',
      signIn: 'Signed in successfully',
      twoFactor: 'Signed in successfully',
    },
    user: profileOwnSchema,
    toUser: toProfileOwn,
    methodNames: { email: 'email', totp: 'totp' },
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/auth/signout',
    tag: AUTH_TAG,
    summary: 'Sign out (this session)',
    status: 200,
    message: 'Signed out successfully',
    auth: 'bearer',
    response: z.null(),
    handle: async ({ call }) => {
      await call.auth.signOut();
      return null;
    },
  }),
];
