import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../auth/auth.schema.js';
import { typeError } from '../schema-helpers.js';
import { boundedText } from '../text.js';

export const PASSKEY_NAME_MAX_LENGTH = 64;
/** WebAuthn §5.1: a credential id is at most 1,023 bytes, i.e. 1,364 base64url characters. */
export const CREDENTIAL_ID_MAX_LENGTH = 1364;
/** Attestation objects can carry certificate chains; anything larger is not a real authenticator's. */
export const WEBAUTHN_FIELD_MAX_LENGTH = 64 * 1024;
export const PASSKEY_DEVICE_TYPES = ['singleDevice', 'multiDevice'] as const;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function base64url(label: string, maxLength = WEBAUTHN_FIELD_MAX_LENGTH) {
  return z
    .string({ error: typeError(label, 'a string') })
    .min(1, { error: `${label} is required` })
    .max(maxLength, { error: `${label} must be at most ${maxLength} characters` })
    .regex(BASE64URL, { error: `${label} must be base64url` });
}

/**
 * The browser's credential as JSON (W3C WebAuthn `PublicKeyCredential.toJSON()`, the shape
 * `@simplewebauthn/browser` returns). Unlike our own inputs these objects are defined by the
 * W3C and browsers add members over time, so unknown members are dropped, never rejected;
 * nothing in them is applied to the account except through the library's verification.
 */
const credentialBase = {
  id: base64url('Credential id', CREDENTIAL_ID_MAX_LENGTH),
  rawId: base64url('Raw credential id', CREDENTIAL_ID_MAX_LENGTH),
  type: z.literal('public-key', { error: 'Type must be "public-key"' }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
};

export const registrationResponseSchema = z.object({
  ...credentialBase,
  response: z.object({
    clientDataJSON: base64url('Client data'),
    attestationObject: base64url('Attestation object'),
    authenticatorData: base64url('Authenticator data').optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url('Public key').optional(),
  }),
});

export const authenticationResponseSchema = z.object({
  ...credentialBase,
  response: z.object({
    clientDataJSON: base64url('Client data'),
    authenticatorData: base64url('Authenticator data'),
    signature: base64url('Signature'),
    userHandle: base64url('User handle').optional(),
  }),
});

/** What the user calls a passkey ("Work laptop"). */
export const passkeyNameSchema = boundedText({ label: 'Name', maxLength: PASSKEY_NAME_MAX_LENGTH }).min(1, {
  error: 'Name is required',
});

export const passkeyIdSchema = z.uuid({ error: 'Passkey id must be a UUID' });

/** `passkeys.register`: the browser's answer to `passkeys.registrationOptions`. */
export const registerPasskeyInput = z.strictObject({
  response: registrationResponseSchema,
  name: passkeyNameSchema.optional(),
});

export const renamePasskeyInput = z.strictObject({ id: passkeyIdSchema, name: passkeyNameSchema });
export const removePasskeyInput = z.strictObject({ id: passkeyIdSchema });

/** `auth.passkeyOptions`: with a login, that account's passkeys; without, any discoverable one. */
export const passkeyOptionsInput = z
  .strictObject({
    login: z
      .string({ error: typeError('Login', 'a string') })
      .trim()
      .min(1, { error: 'Login must not be empty' })
      .max(EMAIL_MAX_LENGTH, { error: `Login must be at most ${EMAIL_MAX_LENGTH} characters` })
      .optional(),
  })
  .optional();

/** `auth.signInWithPasskey`: the challenge from `auth.passkeyOptions` and the browser's assertion. */
export const signInWithPasskeyInput = z.strictObject({
  challengeId: z.uuid({ error: 'Challenge id must be a UUID' }),
  response: authenticationResponseSchema,
});

/** `passkeys.list` items and `passkeys.register`'s answer: metadata only, never key material. */
export const passkeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  deviceType: z.enum(PASSKEY_DEVICE_TYPES),
  backedUp: z.boolean(),
});

export type Passkey = z.infer<typeof passkeySchema>;
export type RegistrationResponse = z.output<typeof registrationResponseSchema>;
export type AuthenticationResponse = z.output<typeof authenticationResponseSchema>;
