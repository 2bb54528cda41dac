import {
  completeTwoFactorInput,
  contactSchema,
  deleteAccountInput,
  passwordFieldSchema,
  passwordInput,
  profileUpdateInput,
  signInInput,
  signUpInput,
  socialsSchema,
  twoFactorCodeInput,
} from '@userhub/core';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import { defineRoute, type RestRoute } from '../route.js';
import { classicAccountSchema, classicUserSchema, toClassicAccount, toClassicUser } from './views.js';

const update = profileUpdateInput.shape;
const TAG = 'classic: account';
const AUTH_TAG = 'classic: sign-in';
const emptyData = z.object({});

/** `PATCH /v1/account/update`: the seed's nested shape over `profile.update`'s flat one. */
const classicUpdateBody = z.strictObject({
  firstName: update.firstName,
  lastName: update.lastName,
  middleName: update.middleName,
  isPrivate: update.isPrivate,
  profile: z
    .strictObject({
      contact: contactSchema.optional(),
      bio: z.strictObject({ title: update.headline, description: update.bio }).optional(),
      talent: z
        .strictObject({ about: update.about, availability: update.availability, tags: update.tags })
        .optional(),
      location: update.location,
      profilePictureUrls: update.profilePictureUrls,
    })
    .optional(),
  socials: socialsSchema.optional(),
});

const UPDATE_FIELD_NAMES = {
  headline: 'profile.bio.title',
  bio: 'profile.bio.description',
  about: 'profile.talent.about',
  availability: 'profile.talent.availability',
  tags: 'profile.talent.tags',
  contact: 'profile.contact',
  location: 'profile.location',
  profilePictureUrls: 'profile.profilePictureUrls',
};

/** Ids are UUIDs; any other id names no user, which is a 404 rather than a validation error. */
export function requireUserId(id: string): string {
  if (!z.uuid().safeParse(id).success) throw notFound();
  return id;
}

/** Drops keys whose value is undefined, so "absent" stays absent for the strict procedure input. */
function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');
const intQuery = z.coerce.number().int();

const classicListQuery = z.object({
  page: intQuery.optional(),
  limit: intQuery.optional(),
  role: z.string().optional(),
  profileCompletenessMin: intQuery.optional(),
  profileCompletenessMax: intQuery.optional(),
  tags: z
    .string()
    .optional()
    .describe('Comma-separated; matches users with any of them')
    .transform((value) =>
      value === undefined
        ? undefined
        : value
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean),
    ),
  owner: booleanQuery.optional().describe('true: only users the caller bookmarked'),
  search: z.string().optional(),
});

const signInAnswer = z.object({
  status: z.enum(['signed_in', 'two_factor_required']),
  token: z.string().optional(),
  user: classicAccountSchema.optional(),
  challengeToken: z.string().optional(),
  method: z.enum(['email', 'google_auth']).optional(),
});

export const classicRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/account',
    tag: TAG,
    summary: 'Get current user profile',
    status: 200,
    message: 'OK',
    auth: 'bearer',
    response: classicAccountSchema,
    handle: async ({ call }) => toClassicAccount(await call.profile.me()),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/account/update',
    tag: TAG,
    summary: 'Update current user profile',
    description: 'Partial update; the email address cannot be changed here.',
    status: 202,
    message: 'Profile updated successfully',
    auth: 'bearer',
    body: classicUpdateBody,
    response: classicAccountSchema,
    fieldNames: UPDATE_FIELD_NAMES,
    handle: async ({ call, body }) => {
      const { profile, ...top } = body;
      const updated = await call.profile.update(
        defined({
          ...top,
          contact: profile?.contact,
          headline: profile?.bio?.title,
          bio: profile?.bio?.description,
          about: profile?.talent?.about,
          availability: profile?.talent?.availability,
          tags: profile?.talent?.tags,
          location: profile?.location,
          profilePictureUrls: profile?.profilePictureUrls,
        }),
      );
      return toClassicAccount(updated);
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/account/password/change',
    tag: TAG,
    summary: 'Update current user password',
    description: 'Ends every session of the user; sign in again with the new password.',
    status: 202,
    message: 'Password successfully changed',
    auth: 'bearer',
    body: z.strictObject({ oldPassword: passwordFieldSchema, newPassword: passwordFieldSchema }),
    response: emptyData,
    fieldNames: { currentPassword: 'oldPassword' },
    handle: async ({ call, body }) => {
      await call.account.changePassword({
        currentPassword: body.oldPassword,
        newPassword: body.newPassword,
        confirmPassword: body.newPassword,
      });
      return {};
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/account/user/{id}',
    tag: TAG,
    summary: 'Get user by id',
    status: 200,
    message: 'OK',
    auth: 'optional',
    params: z.object({ id: z.string() }),
    response: classicUserSchema,
    fieldNames: { userId: 'id' },
    handle: async ({ call, params }) =>
      toClassicUser(await call.profile.byId({ userId: requireUserId(params.id) })),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/account/user',
    tag: TAG,
    summary: 'List users',
    description: 'Private and deactivated users are left out; no phone, email or street address is listed.',
    status: 200,
    message: 'OK',
    auth: 'optional',
    query: classicListQuery,
    response: z.object({
      pages: z.number().int(),
      page: z.number().int(),
      total: z.number().int(),
      limit: z.number().int(),
      position: z.number().int().describe('1-based position of the first item of this page'),
      data: z.array(classicUserSchema),
    }),
    fieldNames: {
      completenessMin: 'profileCompletenessMin',
      completenessMax: 'profileCompletenessMax',
      bookmarkedOnly: 'owner',
    },
    handle: async ({ call, query }) => {
      const result = await call.profile.list(
        defined({
          page: query.page,
          limit: query.limit,
          role: query.role,
          completenessMin: query.profileCompletenessMin,
          completenessMax: query.profileCompletenessMax,
          tags: query.tags,
          search: query.search,
          bookmarkedOnly: query.owner,
        }),
      );
      return {
        pages: result.pages,
        page: result.page,
        total: result.total,
        limit: result.limit,
        position: (result.page - 1) * result.limit + 1,
        data: result.items.map(toClassicUser),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/account/initiate/2fa',
    tag: TAG,
    summary: 'Initiate two-factor authentication',
    description:
      '`email` mails a code that activate/2fa takes; `google_auth` starts TOTP and returns the otpauth:// URI.',
    status: 202,
    message: 'TwoFA security is initiated',
    auth: 'bearer',
    body: z.strictObject({ type: z.enum(['email', 'google_auth']) }),
    response: z.object({
      type: z.enum(['email', 'google_auth']),
      secret: z.string().nullable(),
      otpauthUri: z.string().nullable(),
    }),
    fieldNames: { method: 'type' },
    handle: async ({ call, body }) => {
      const started = await call.twoFactor.initiate({
        method: body.type === 'google_auth' ? 'totp' : 'email',
      });
      return { type: body.type, secret: started.secret, otpauthUri: started.otpauthUri };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/account/activate/2fa',
    tag: TAG,
    summary: 'Activate two-factor authentication',
    status: 200,
    message: 'OK',
    auth: 'bearer',
    body: twoFactorCodeInput,
    response: z.object({ recoveryCodes: z.array(z.string()) }),
    handle: ({ call, body }) => call.twoFactor.activate(body),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/account/deactivate/2fa',
    tag: TAG,
    summary: 'Deactivate two-factor authentication',
    status: 200,
    message: 'OK',
    auth: 'bearer',
    body: twoFactorCodeInput,
    response: emptyData,
    handle: async ({ call, body }) => {
      await call.twoFactor.deactivate(body);
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/account/2fa/email',
    tag: TAG,
    summary: 'Send two-factor verification code',
    description: 'Mails a code (after the password checks out) that deactivate/2fa takes.',
    status: 200,
    message: 'Success',
    auth: 'bearer',
    query: z.object({ emailType: z.literal('two_fa').default('two_fa') }),
    body: passwordInput,
    response: emptyData,
    handle: async ({ call, body }) => {
      await call.twoFactor.sendCode(body);
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/account/logout',
    tag: TAG,
    summary: 'End user session',
    status: 200,
    message: 'OK',
    auth: 'bearer',
    response: emptyData,
    handle: async ({ call }) => {
      await call.auth.signOut();
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/account/delete-account',
    tag: TAG,
    summary: 'Delete current user account',
    description: 'Erases the account and its personal data; the username and email become free.',
    status: 200,
    message: 'success',
    auth: 'bearer',
    body: deleteAccountInput,
    response: emptyData,
    handle: async ({ call, body }) => {
      await call.account.delete(body);
      return {};
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/signup',
    tag: AUTH_TAG,
    summary: 'Create an account and sign in',
    status: 201,
    message: 'Account created',
    auth: 'none',
    body: signUpInput,
    response: z.object({ token: z.string(), user: classicAccountSchema }),
    handle: async ({ call, body }) => {
      const { token, user } = await call.auth.signUp(body);
      return { token, user: toClassicAccount(user) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/login',
    tag: AUTH_TAG,
    summary: 'Sign in with email or username',
    description: 'With two-factor on, answers a challenge token for /v1/auth/2fa instead of a session token.',
    status: 200,
    message: 'OK',
    auth: 'none',
    body: signInInput,
    response: signInAnswer,
    handle: async ({ call, body }) => {
      const result = await call.auth.signIn(body);
      if (result.status === 'two_factor_required') {
        return {
          status: result.status,
          challengeToken: result.challengeToken,
          method: result.method === 'totp' ? ('google_auth' as const) : ('email' as const),
        };
      }
      return { status: result.status, token: result.token, user: toClassicAccount(result.user) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/2fa',
    tag: AUTH_TAG,
    summary: 'Complete a two-factor sign-in',
    status: 200,
    message: 'OK',
    auth: 'none',
    body: completeTwoFactorInput,
    response: z.object({ token: z.string(), user: classicAccountSchema }),
    handle: async ({ call, body }) => {
      const { token, user } = await call.auth.completeTwoFactor(body);
      return { token, user: toClassicAccount(user) };
    },
  }),
];
