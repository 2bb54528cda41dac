import {
  changePasswordInput,
  changeUsernameInput,
  completeTwoFactorInput,
  deactivateInput,
  emailSchema,
  oneTimeCodeSchema,
  passwordFieldSchema,
  passwordInput,
  phoneNumberSchema,
  profileUpdateInput,
  signInInput,
  signUpInput,
  tokenSchema,
  usernameSchema,
} from '@userhub/core';
import { z } from 'zod';
import { validationFailed } from '../../errors.js';
import { requireUserId } from '../classic/routes.js';
import { defineRoute, MessageAnswer, type RestRoute } from '../route.js';
import {
  codeRequestSchema,
  profileCardSchema,
  profileOwnSchema,
  securityInfoSchema,
  toProfileCard,
  toProfileOwn,
  toSecurityInfo,
} from './views.js';

const PROFILE_TAG = 'profile: profile';
const ACCOUNT_TAG = 'profile: account';
const V1_TAG = 'profile: v1 (superseded)';
const AUTH_TAG = 'profile: sign-in';
const update = profileUpdateInput.shape;
const nothing = z.null();

/** `{tempToken, otpCode}`: the dialect's name for the code. */
const otpBody = z.strictObject({ tempToken: tokenSchema('Temp token'), otpCode: oneTimeCodeSchema });
const OTP_FIELD_NAMES = { code: 'otpCode' };

/** The message of an answer after a username change (seeds/002, v1 endpoint 2). */
const USERNAME_CHANGED =
  'Username changed successfully! You will be logged out automatically. Please login again with your new username.';

/** The dialect's answer to a code request: where the code went, and until when it works. */
function codeSent(
  sent: { tempToken: string; expiresAt: Date },
  maskedTo: { email: string } | { phone: string },
  now: Date,
): z.output<typeof codeRequestSchema> {
  const minutes = Math.round((sent.expiresAt.getTime() - now.getTime()) / 60_000);
  const to = 'email' in maskedTo ? maskedTo.email : maskedTo.phone;
  return {
    tempToken: sent.tempToken,
    message: `A verification code was sent to ${to}; it expires in ${minutes} minutes`,
    expireAt: sent.expiresAt.toISOString(),
    ...maskedTo,
  };
}

/** A route served at the v2 path and, for old clients, at the v1 path it replaced. */
function bothPaths(v2Path: string, v1Path: string, route: Omit<RestRoute, 'path'>): RestRoute[] {
  return [
    { ...route, path: v2Path },
    { ...route, path: v1Path, tag: V1_TAG, deprecated: true, description: `Superseded by ${v2Path}.` },
  ];
}

const meRoute = defineRoute({
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
});

const byIdRoute = defineRoute({
  method: 'GET',
  path: '/api/v1/profile/id/{userId}',
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
});

const byUsernameRoute = defineRoute({
  method: 'GET',
  path: '/api/v1/profile/u/{username}',
  tag: PROFILE_TAG,
  summary: 'Get a profile by username',
  description: 'Public; a leading `@` is accepted (`/u/@john_doe`).',
  status: 200,
  message: 'Profile retrieved successfully',
  auth: 'optional',
  params: z.object({ username: z.string() }),
  response: profileCardSchema,
  handle: async ({ call, params }) =>
    toProfileCard(await call.profile.byUsername({ username: params.username })),
});

const updateRoute = defineRoute({
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
});

/**
 * v1 `update-basic-info` did everything at once. Display fields are applied as in v2; a new
 * username goes through the username change (which ends every session); a new phone number
 * starts its verification. A different email is refused: changing it needs the password and
 * a code sent to the new address (POST /api/v1/account/link/email/initiate).
 */
const updateBasicInfoRoute = defineRoute({
  method: 'PUT',
  path: '/api/v1/profile/update-basic-info',
  tag: V1_TAG,
  summary: 'Update basic information (v1)',
  deprecated: true,
  description:
    'Superseded by PUT /api/v1/profile/update and the account routes. A changed `userName` ends every session ' +
    '(answered with the username-changed message); ' +
    'a changed `phoneNumber` is applied once its SMS code is confirmed; `email` can only be changed with ' +
    'POST /api/v1/account/link/email/initiate.',
  status: 200,
  message: 'Profile updated successfully',
  auth: 'bearer',
  body: z.strictObject({
    userName: usernameSchema.optional(),
    firstName: update.firstName,
    lastName: update.lastName,
    middleName: update.middleName,
    email: emailSchema.optional(),
    phoneNumber: phoneNumberSchema.optional(),
    profilePictureUrls: update.profilePictureUrls,
  }),
  response: profileOwnSchema,
  fieldNames: { username: 'userName' },
  handle: async ({ call, body }) => {
    const { userName, email, phoneNumber, ...display } = body;
    const current = await call.profile.me();
    if (email !== undefined && email.toLowerCase() !== current.email.toLowerCase()) {
      throw validationFailed({
        email: ['changes only through POST /api/v1/account/link/email/initiate, with your password'],
      });
    }
    // What can be refused goes first, so a refused request changes nothing: a new phone number
    // only starts its verification, and the username change is one atomic step. The display
    // fields, validated with the body, come last (this request was authenticated before the
    // username change ended the user's sessions).
    if (phoneNumber !== undefined && phoneNumber !== current.phoneNumber) {
      await call.account.requestPhoneVerification({ phoneNumber });
    }
    const renamed = userName !== undefined && userName !== current.userName;
    let profile = renamed ? await call.account.changeUsername({ username: userName }) : current;
    if (Object.keys(display).length > 0) profile = await call.profile.update(display);
    return renamed ? new MessageAnswer(toProfileOwn(profile), USERNAME_CHANGED) : toProfileOwn(profile);
  },
});

const changePasswordRoute: Omit<RestRoute, 'path'> = {
  method: 'POST',
  tag: ACCOUNT_TAG,
  summary: 'Change password',
  description: 'Ends every session of the user; sign in again with the new password.',
  status: 200,
  message: 'Password changed successfully',
  auth: 'bearer',
  body: changePasswordInput,
  response: nothing,
  handle: async ({ call, body }) => {
    await call.account.changePassword(body as z.output<typeof changePasswordInput>);
    return null;
  },
};

const requestEmailVerificationRoute: Omit<RestRoute, 'path'> = {
  method: 'POST',
  tag: ACCOUNT_TAG,
  summary: 'Request email verification',
  description: 'Mails a 6-digit code; at most 5 codes per 10 minutes.',
  status: 200,
  message: 'Verification code sent',
  auth: 'bearer',
  response: codeRequestSchema,
  handle: async ({ call, now }) => {
    const sent = await call.account.requestEmailVerification();
    return codeSent(sent, { email: sent.email }, now);
  },
};

const verifyEmailRoute: Omit<RestRoute, 'path'> = {
  method: 'POST',
  tag: ACCOUNT_TAG,
  summary: 'Verify email',
  status: 200,
  message: 'Email verified successfully',
  auth: 'bearer',
  body: otpBody,
  response: profileOwnSchema,
  fieldNames: OTP_FIELD_NAMES,
  handle: async ({ call, body }) => {
    const { tempToken, otpCode } = body as z.output<typeof otpBody>;
    return toProfileOwn(await call.account.verifyEmail({ tempToken, code: otpCode }));
  },
};

const securityInfoRoute: Omit<RestRoute, 'path'> = {
  method: 'GET',
  tag: ACCOUNT_TAG,
  summary: 'Get security information',
  status: 200,
  message: 'Security information retrieved successfully',
  auth: 'bearer',
  response: securityInfoSchema,
  handle: async ({ call }) => toSecurityInfo(await call.account.securityInfo()),
};

const enableTwoFactorRoute: Omit<RestRoute, 'path'> = {
  method: 'POST',
  tag: ACCOUNT_TAG,
  summary: 'Enable two-factor authentication (email codes)',
  description: 'Answers the one-time recovery codes; a second enable is a 400.',
  status: 200,
  message: 'Two-factor authentication enabled successfully',
  auth: 'bearer',
  body: passwordInput,
  response: z.object({ recoveryCodes: z.array(z.string()) }),
  handle: ({ call, body }) => call.twoFactor.enableWithPassword(body as z.output<typeof passwordInput>),
};

const disableTwoFactorRoute: Omit<RestRoute, 'path'> = {
  method: 'POST',
  tag: ACCOUNT_TAG,
  summary: 'Disable two-factor authentication',
  status: 200,
  message: 'Two-factor authentication disabled successfully',
  auth: 'bearer',
  body: passwordInput,
  response: nothing,
  handle: async ({ call, body }) => {
    await call.twoFactor.disableWithPassword(body as z.output<typeof passwordInput>);
    return null;
  },
};

const deactivateRoute: Omit<RestRoute, 'path'> = {
  method: 'DELETE',
  tag: ACCOUNT_TAG,
  summary: 'Deactivate account',
  description:
    'Locks the account (data kept): every session ends, the profile is hidden and sign-in is refused (423).',
  status: 200,
  message: 'Account deactivated successfully',
  auth: 'bearer',
  body: deactivateInput,
  response: nothing,
  handle: async ({ call, body }) => {
    await call.account.deactivate(body as z.output<typeof deactivateInput>);
    return null;
  },
};

const signInAnswer = z.object({
  status: z.enum(['signed_in', 'two_factor_required']),
  token: z.string().optional(),
  user: profileOwnSchema.optional(),
  challengeToken: z.string().optional(),
  method: z.enum(['email', 'totp']).optional(),
});

export const profileRoutes: readonly RestRoute[] = [
  meRoute,
  byIdRoute,
  byUsernameRoute,
  updateRoute,
  updateBasicInfoRoute,
  defineRoute({
    method: 'GET',
    path: '/api/v1/profile/validate-username/{username}',
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
  defineRoute({
    method: 'POST',
    path: '/api/v1/account/username/change',
    tag: ACCOUNT_TAG,
    summary: 'Change username',
    description: 'Unique case-insensitively (409 when taken). Ends every session: sign in again.',
    status: 200,
    message: USERNAME_CHANGED,
    auth: 'bearer',
    body: changeUsernameInput,
    response: profileOwnSchema,
    handle: async ({ call, body }) => toProfileOwn(await call.account.changeUsername(body)),
  }),
  ...bothPaths('/api/v1/account/password/change', '/api/v1/profile/change-password', changePasswordRoute).map(
    (route) => (route.deprecated ? { ...route, method: 'PUT' as const } : route),
  ),
  ...bothPaths(
    '/api/v1/account/email/request-verification',
    '/api/v1/profile/request-email-verification',
    requestEmailVerificationRoute,
  ),
  ...bothPaths('/api/v1/account/email/verify', '/api/v1/profile/verify-email', verifyEmailRoute),
  ...bothPaths('/api/v1/account/security-info', '/api/v1/profile/security-info', securityInfoRoute),
  ...bothPaths('/api/v1/account/2fa/enable', '/api/v1/profile/enable-2fa', enableTwoFactorRoute),
  ...bothPaths('/api/v1/account/2fa/disable', '/api/v1/profile/disable-2fa', disableTwoFactorRoute),
  ...bothPaths('/api/v1/account/deactivate', '/api/v1/profile/deactivate', deactivateRoute),
  defineRoute({
    method: 'POST',
    path: '/api/v1/account/link/email/initiate',
    tag: ACCOUNT_TAG,
    summary: 'Start an email change',
    description:
      'Needs the password; the code goes to the new address and nothing changes until it is confirmed. ' +
      'The answer is the same whether or not the address is in use.',
    status: 200,
    message: 'Verification code sent to the new address',
    auth: 'bearer',
    body: z.strictObject({ newEmail: emailSchema, password: passwordFieldSchema }),
    response: codeRequestSchema,
    handle: async ({ call, body, now }) => {
      const sent = await call.account.requestEmailChange(body);
      return codeSent(sent, { email: sent.email }, now);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/account/link/email/confirm',
    tag: ACCOUNT_TAG,
    summary: 'Confirm an email change',
    description: 'Applies the new address (verified); the old address receives a notice.',
    status: 200,
    message: 'Email changed successfully',
    auth: 'bearer',
    body: otpBody,
    response: profileOwnSchema,
    fieldNames: OTP_FIELD_NAMES,
    handle: async ({ call, body }) =>
      toProfileOwn(await call.account.confirmEmailChange({ tempToken: body.tempToken, code: body.otpCode })),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/account/link/phone/initiate',
    tag: ACCOUNT_TAG,
    summary: 'Start linking a phone number',
    description:
      'Texts a 6-digit code to the number (E.164); the number is linked once the code is confirmed.',
    status: 200,
    message: 'Verification code sent to the phone number',
    auth: 'bearer',
    body: z.strictObject({ phoneNumber: phoneNumberSchema }),
    response: codeRequestSchema,
    handle: async ({ call, body, now }) => {
      const sent = await call.account.requestPhoneVerification(body);
      return codeSent(sent, { phone: sent.phone }, now);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/account/link/phone/confirm',
    tag: ACCOUNT_TAG,
    summary: 'Confirm a phone number',
    status: 200,
    message: 'Phone number verified successfully',
    auth: 'bearer',
    body: otpBody,
    response: profileOwnSchema,
    fieldNames: OTP_FIELD_NAMES,
    handle: async ({ call, body }) =>
      toProfileOwn(await call.account.verifyPhone({ tempToken: body.tempToken, code: body.otpCode })),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/signup',
    tag: AUTH_TAG,
    summary: 'Create an account and sign in',
    status: 201,
    message: 'Account created successfully',
    auth: 'none',
    body: signUpInput,
    response: z.object({ token: z.string(), user: profileOwnSchema }),
    handle: async ({ call, body }) => {
      const { token, user } = await call.auth.signUp(body);
      return { token, user: toProfileOwn(user) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/signin',
    tag: AUTH_TAG,
    summary: 'Sign in with email or username',
    description:
      'With two-factor on, answers a challenge token for /api/v1/auth/signin/2fa instead of a session token.',
    status: 200,
    message: 'Signed in successfully',
    auth: 'none',
    body: signInInput,
    response: signInAnswer,
    handle: async ({ call, body }) => {
      const result = await call.auth.signIn(body);
      return result.status === 'signed_in'
        ? { status: result.status, token: result.token, user: toProfileOwn(result.user) }
        : result;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/signin/2fa',
    tag: AUTH_TAG,
    summary: 'Complete a two-factor sign-in',
    status: 200,
    message: 'Signed in successfully',
    auth: 'none',
    body: completeTwoFactorInput,
    response: z.object({ token: z.string(), user: profileOwnSchema }),
    handle: async ({ call, body }) => {
      const { token, user } = await call.auth.completeTwoFactor(body);
      return { token, user: toProfileOwn(user) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/auth/signout',
    tag: AUTH_TAG,
    summary: 'Sign out (this session)',
    status: 200,
    message: 'Signed out successfully',
    auth: 'bearer',
    response: nothing,
    handle: async ({ call }) => {
      await call.auth.signOut();
      return null;
    },
  }),
];
