import {
  changePasswordInput,
  changeUsernameInput,
  deactivateInput,
  emailSchema,
  oneTimeCodeSchema,
  passwordFieldSchema,
  passwordInput,
  phoneNumberSchema,
  tokenSchema,
} from '@userhub/core';
import { z } from 'zod';
import { MINUTE_MS } from '../../clock.js';
import { alsoAtSupersededPath, defineRoute, NO_INPUT, type RestRoute } from '../route.js';
import { ACCOUNT_TAG, USERNAME_CHANGED, V1_TAG } from './shared.js';
import {
  codeRequestSchema,
  profileOwnSchema,
  securityInfoSchema,
  toProfileOwn,
  toSecurityInfo,
} from './views.js';

const nothing = z.null();

/** `{tempToken, otpCode}`: the dialect's name for the code. */
const otpBody = z.strictObject({ tempToken: tokenSchema('Temp token'), otpCode: oneTimeCodeSchema });
const OTP_FIELD_NAMES = { code: 'otpCode' };

/** The dialect's answer to a code request: where the code went, and until when it works. */
function codeSent(
  sent: { tempToken: string; expiresAt: Date },
  maskedTo: { email: string } | { phone: string },
  now: Date,
): z.output<typeof codeRequestSchema> {
  const minutes = Math.round((sent.expiresAt.getTime() - now.getTime()) / MINUTE_MS);
  const to = 'email' in maskedTo ? maskedTo.email : maskedTo.phone;
  return {
    tempToken: sent.tempToken,
    message: `A verification code was sent to ${to}; it expires in ${minutes} minutes`,
    expireAt: sent.expiresAt.toISOString(),
    ...maskedTo,
  };
}

/** A v2 account route that old clients also reach at its v1 profile path. */
const superseded = (route: RestRoute, v1Path: string) => alsoAtSupersededPath(route, v1Path, V1_TAG);

const changePasswordRoute = defineRoute({
  ...NO_INPUT,
  method: 'POST',
  path: '/api/v1/account/password/change',
  errors: ['INVALID_CREDENTIALS'],
  tag: ACCOUNT_TAG,
  summary: 'Change password',
  description: 'Ends every session of the user; sign in again with the new password.',
  status: 200,
  message: 'Password changed successfully',
  auth: 'bearer',
  body: changePasswordInput,
  response: nothing,
  handle: async ({ call, body }) => {
    await call.account.changePassword(body);
    return null;
  },
});

/** The profile dialect's account routes: credentials, verification, two-factor and deactivation. */
export const accountRoutes: readonly RestRoute[] = [
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/username/change',
    errors: ['USERNAME_TAKEN'],
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
  // v1 changed the password with PUT.
  ...superseded(changePasswordRoute, '/api/v1/profile/change-password').map((route) =>
    route.deprecated ? { ...route, method: 'PUT' as const } : route,
  ),
  ...superseded(
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: '/api/v1/account/email/request-verification',
      errors: ['ALREADY_VERIFIED', 'RATE_LIMITED'],
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
    }),
    '/api/v1/profile/request-email-verification',
  ),
  ...superseded(
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: '/api/v1/account/email/verify',
      errors: ['INVALID_CODE', 'CODE_EXPIRED'],
      tag: ACCOUNT_TAG,
      summary: 'Verify email',
      status: 200,
      message: 'Email verified successfully',
      auth: 'bearer',
      body: otpBody,
      response: profileOwnSchema,
      fieldNames: OTP_FIELD_NAMES,
      handle: async ({ call, body }) =>
        toProfileOwn(await call.account.verifyEmail({ tempToken: body.tempToken, code: body.otpCode })),
    }),
    '/api/v1/profile/verify-email',
  ),
  ...superseded(
    defineRoute({
      ...NO_INPUT,
      method: 'GET',
      path: '/api/v1/account/security-info',
      tag: ACCOUNT_TAG,
      summary: 'Get security information',
      status: 200,
      message: 'Security information retrieved successfully',
      auth: 'bearer',
      response: securityInfoSchema,
      handle: async ({ call }) => toSecurityInfo(await call.account.securityInfo()),
    }),
    '/api/v1/profile/security-info',
  ),
  ...superseded(
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: '/api/v1/account/2fa/enable',
      errors: ['INVALID_CREDENTIALS', 'TWO_FACTOR_ALREADY_ENABLED'],
      tag: ACCOUNT_TAG,
      summary: 'Enable two-factor authentication (email codes)',
      description: 'Answers the one-time recovery codes; a second enable is a 400.',
      status: 200,
      message: 'Two-factor authentication enabled successfully',
      auth: 'bearer',
      body: passwordInput,
      response: z.object({ recoveryCodes: z.array(z.string()) }),
      handle: ({ call, body }) => call.twoFactor.enableWithPassword(body),
    }),
    '/api/v1/profile/enable-2fa',
  ),
  ...superseded(
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: '/api/v1/account/2fa/disable',
      errors: ['INVALID_CREDENTIALS', 'TWO_FACTOR_NOT_ENABLED'],
      tag: ACCOUNT_TAG,
      summary: 'Disable two-factor authentication',
      status: 200,
      message: 'Two-factor authentication disabled successfully',
      auth: 'bearer',
      body: passwordInput,
      response: nothing,
      handle: async ({ call, body }) => {
        await call.twoFactor.disableWithPassword(body);
        return null;
      },
    }),
    '/api/v1/profile/disable-2fa',
  ),
  ...superseded(
    defineRoute({
      ...NO_INPUT,
      method: 'DELETE',
      path: '/api/v1/account/deactivate',
      errors: ['INVALID_CREDENTIALS'],
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
        await call.account.deactivate(body);
        return null;
      },
    }),
    '/api/v1/profile/deactivate',
  ),
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/link/email/initiate',
    errors: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
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
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/link/email/confirm',
    errors: ['INVALID_CODE', 'CODE_EXPIRED', 'EMAIL_TAKEN'],
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
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/link/phone/initiate',
    errors: ['RATE_LIMITED'],
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
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/link/phone/confirm',
    errors: ['INVALID_CODE', 'CODE_EXPIRED'],
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
];
