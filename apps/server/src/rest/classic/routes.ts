import {
  contactSchema,
  deleteAccountAnswerSchema,
  deleteAccountInput,
  passwordFieldSchema,
  passwordInput,
  profileUpdateInput,
  socialsSchema,
  twoFactorCodeInput,
} from '@userhub/core';
import { z } from 'zod';
import { defineRoute, NO_INPUT, type RestRoute } from '../route.js';
import { authRoutes } from '../shared/auth-routes.js';
import { requireUserId } from '../shared/user-id.js';
import {
  CLASSIC_TWO_FACTOR_TYPES,
  classicAccountSchema,
  classicUserSchema,
  toClassicAccount,
  toClassicUser,
} from './views.js';

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

export const classicRoutes: readonly RestRoute[] = [
  defineRoute({
    ...NO_INPUT,
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
    ...NO_INPUT,
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
    ...NO_INPUT,
    method: 'PUT',
    path: '/v1/account/password/change',
    errors: ['INVALID_CREDENTIALS'],
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
    ...NO_INPUT,
    method: 'GET',
    path: '/v1/account/user/{id}',
    errors: ['NOT_FOUND'],
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
    ...NO_INPUT,
    method: 'GET',
    path: '/v1/account/user',
    errors: ['UNAUTHENTICATED'],
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
    ...NO_INPUT,
    method: 'POST',
    path: '/v1/account/initiate/2fa',
    errors: ['TWO_FACTOR_ALREADY_ENABLED', 'RATE_LIMITED'],
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
        method: body.type === CLASSIC_TWO_FACTOR_TYPES.totp ? 'totp' : 'email',
      });
      return { type: body.type, secret: started.secret, otpauthUri: started.otpauthUri };
    },
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/v1/account/activate/2fa',
    errors: ['TWO_FACTOR_ALREADY_ENABLED', 'TWO_FACTOR_NOT_INITIATED', 'INVALID_CODE', 'CODE_EXPIRED'],
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
    ...NO_INPUT,
    method: 'POST',
    path: '/v1/account/deactivate/2fa',
    errors: ['TWO_FACTOR_NOT_ENABLED', 'INVALID_CODE', 'CODE_EXPIRED'],
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
    ...NO_INPUT,
    method: 'POST',
    path: '/v1/account/2fa/email',
    errors: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
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
    ...NO_INPUT,
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
    ...NO_INPUT,
    method: 'POST',
    path: '/v1/account/delete-account',
    errors: ['INVALID_CREDENTIALS'],
    tag: TAG,
    summary: 'Delete current user account',
    description:
      'Hides the account at once, ends its sessions and erases it (username and email free again) on ' +
      '`scheduledFor`, DELETION_GRACE_DAYS ahead; until then signing in answers 423 ' +
      '`ACCOUNT_PENDING_DELETION` and the deletion can be cancelled. With no grace period it is erased now.',
    status: 200,
    message: 'success',
    auth: 'bearer',
    body: deleteAccountInput,
    response: deleteAccountAnswerSchema,
    handle: ({ call, body }) => call.account.delete(body),
  }),
  ...authRoutes({
    tag: AUTH_TAG,
    paths: { signUp: '/v1/auth/signup', signIn: '/v1/auth/login', twoFactor: '/v1/auth/2fa' },
    messages: { signUp: 'Account created', signIn: 'OK', twoFactor: 'OK' },
    user: classicAccountSchema,
    toUser: toClassicAccount,
    methodNames: CLASSIC_TWO_FACTOR_TYPES,
  }),
];
