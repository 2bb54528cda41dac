import { basicInfoUpdateInput, profileUpdateInput } from '@userhub/core';
import { z } from 'zod';
import { defineRoute, MessageAnswer, NO_INPUT, type RestRoute } from '../route.js';
import { requireUserId } from '../shared/user-id.js';
import { PROFILE_TAG, USERNAME_CHANGED, V1_TAG } from './shared.js';
import { profileCardSchema, profileOwnSchema, toProfileCard, toProfileOwn } from './views.js';

const update = profileUpdateInput.shape;
const { username, ...basicInfo } = basicInfoUpdateInput.shape;

/** The profile dialect's own profile routes: reading profiles and changing display fields. */
export const profileRoutes: readonly RestRoute[] = [
  defineRoute({
    ...NO_INPUT,
    method: 'GET',
    path: '/api/v1/profile/me',
    tag: PROFILE_TAG,
    summary: 'Get my profile',
    description: 'Every field of the own account, private ones included.',
    status: 200,
    message: 'Profile retrieved successfully',
    auth: 'bearer',
    response: profileOwnSchema,
    handle: async ({ call }) => toProfileOwn(await call.profile.me()),
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'GET',
    path: '/api/v1/profile/id/{userId}',
    errors: ['NOT_FOUND'],
    tag: PROFILE_TAG,
    summary: 'Get a profile by user id',
    description: 'Public; with a session the answer adds `relationship`. Deactivated users are not found.',
    status: 200,
    message: 'Profile retrieved successfully',
    auth: 'optional',
    params: z.object({ userId: z.string() }),
    response: profileCardSchema,
    handle: async ({ call, params }) =>
      toProfileCard(await call.profile.byId({ userId: requireUserId(params.userId) })),
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'GET',
    path: '/api/v1/profile/u/{username}',
    errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
    tag: PROFILE_TAG,
    summary: 'Get a profile by username',
    description:
      'Public; a leading `@` is accepted (`/u/@john_doe`). A name its owner gave up recently (still held ' +
      'for them) answers their current profile with `redirectedFrom` set to the old name.',
    status: 200,
    message: 'Profile retrieved successfully',
    auth: 'optional',
    params: z.object({ username: z.string() }),
    response: profileCardSchema.extend({
      redirectedFrom: z.string().optional().describe('The old name asked for, when it was redirected'),
    }),
    handle: async ({ call, params }) => {
      const profile = await call.profile.byUsername({ username: params.username });
      const card = toProfileCard(profile);
      return profile.redirectedFrom === undefined
        ? card
        : { ...card, redirectedFrom: profile.redirectedFrom };
    },
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'PUT',
    path: '/api/v1/profile/update',
    tag: PROFILE_TAG,
    summary: 'Update display information',
    description:
      'Names, bio, location and pictures. The username changes through /api/v1/account/username/change; ' +
      'email and phone through the /api/v1/account/link flows.',
    status: 200,
    message: 'Profile updated successfully',
    auth: 'bearer',
    body: z.strictObject({
      firstName: update.firstName,
      lastName: update.lastName,
      middleName: update.middleName,
      bio: update.bio,
      location: update.location,
      profilePictureUrls: update.profilePictureUrls,
    }),
    response: profileOwnSchema,
    handle: async ({ call, body }) => toProfileOwn(await call.profile.update(body)),
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'PUT',
    path: '/api/v1/profile/update-basic-info',
    errors: ['USERNAME_TAKEN', 'RATE_LIMITED'],
    tag: V1_TAG,
    summary: 'Update basic information (v1)',
    deprecated: true,
    description:
      'Superseded by PUT /api/v1/profile/update and the account routes. All of it applies or none does. ' +
      'A changed `userName` ends every session (answered with the username-changed message); ' +
      'a changed `phoneNumber` is applied once its SMS code is confirmed; `email` can only be changed with ' +
      'POST /api/v1/account/link/email/initiate.',
    status: 200,
    message: 'Profile updated successfully',
    auth: 'bearer',
    body: z.strictObject({ userName: username, ...basicInfo }),
    response: profileOwnSchema,
    fieldNames: { username: 'userName' },
    handle: async ({ call, body }) => {
      const { userName, ...rest } = body;
      const updated = await call.profile.updateBasicInfo({
        ...rest,
        ...(userName === undefined ? {} : { username: userName }),
      });
      const profile = toProfileOwn(updated.profile);
      return updated.isUsernameChanged ? new MessageAnswer(profile, USERNAME_CHANGED) : profile;
    },
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'GET',
    path: '/api/v1/profile/validate-username/{username}',
    errors: ['VALIDATION_FAILED'],
    tag: V1_TAG,
    deprecated: true,
    summary: 'Check whether a username is valid and free (v1)',
    status: 200,
    message: 'Username checked',
    auth: 'optional',
    params: z.object({ username: z.string() }),
    response: z.object({
      available: z.boolean(),
      valid: z.boolean(),
      message: z.string(),
      suggestions: z.array(z.string()),
      details: z.object({
        correctLength: z.boolean(),
        validFormat: z.boolean(),
        notReserved: z.boolean(),
        notTaken: z.boolean(),
        formatRequirement: z.string(),
      }),
    }),
    handle: ({ call, params }) => call.account.checkUsername({ username: params.username }),
  }),
];
