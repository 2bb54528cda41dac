import { z } from 'zod';
import { checkPassword, PASSWORD_INPUT_MAX_LENGTH, passwordFieldSchema } from '../password/policy.js';
import { firstNameSchema, lastNameSchema, middleNameSchema } from '../profile/fields.js';
import { typeError, whenFieldsParsed } from '../schema-helpers.js';
import { usernameSchema } from '../username/username.schema.js';

/** RFC 5321 §4.5.3.1: a forward-path is at most 256 octets, so an address at most 254 characters. */
export const EMAIL_MAX_LENGTH = 254;
/** Bound on opaque tokens that travel in inputs (challenge tokens, temp tokens, cursors). */
export const TOKEN_MAX_LENGTH = 200;
/** A one-time code's length: 6 digits (mailed or SMS codes, TOTP per RFC 6238 defaults). */
export const ONE_TIME_CODE_DIGITS = 6;
export const ONE_TIME_CODE_PATTERN = new RegExp(`^\\d{${ONE_TIME_CODE_DIGITS}}$`);
/** What a one-time code was issued for: a code proves only its own purpose and target. */
export const ONE_TIME_CODE_PURPOSES = [
  'email_verification',
  'email_change',
  'phone_verification',
  'two_factor_setup',
  'two_factor',
  'sign_in',
  /** The code of a sign-in without a password; never accepted as a second factor. */
  'passwordless_sign_in',
] as const;
export type CodePurpose = (typeof ONE_TIME_CODE_PURPOSES)[number];
/** A 6-digit code or a recovery code (letters, digits and dashes, 6–32 characters). */
export const TWO_FACTOR_CODE_PATTERN = /^[A-Za-z0-9-]{6,32}$/;
export const REFERRAL_CODE_MAX_LENGTH = 32;

/**
 * An email address, trimmed and validated but kept in the case it was typed: the
 * server compares addresses case-insensitively, and the local part is case-sensitive
 * in principle (RFC 5321), so lower-casing it here would lose information.
 */
export const emailSchema = z
  .string({ error: typeError('Email', 'a string') })
  .trim()
  .max(EMAIL_MAX_LENGTH, { error: `Email must be at most ${EMAIL_MAX_LENGTH} characters` })
  .pipe(z.email({ error: 'Email must be a valid email address' }));

/** Authenticator apps show codes as `123 456`: spaces are dropped before checking. */
function withoutSpaces(code: string): string {
  return code.replace(/\s+/g, '');
}

/** A 6-digit one-time code (email, SMS). */
export const oneTimeCodeSchema = z
  .string({ error: typeError('Code', 'a string') })
  .transform(withoutSpaces)
  .pipe(
    z.string().regex(ONE_TIME_CODE_PATTERN, { error: `Code must be exactly ${ONE_TIME_CODE_DIGITS} digits` }),
  );

/** A second-factor code: 6 digits, or one of the user's recovery codes. */
export const twoFactorCodeSchema = z
  .string({ error: typeError('Code', 'a string') })
  .transform(withoutSpaces)
  .pipe(
    z.string().regex(TWO_FACTOR_CODE_PATTERN, {
      error: 'Code must be a 6-digit code or a recovery code (6–32 letters, digits or dashes)',
    }),
  );

/** An opaque token issued by the server (challenge token, temp token). */
export function tokenSchema(label: string) {
  return z
    .string({ error: typeError(label, 'a string') })
    .min(1, { error: `${label} is required` })
    .max(TOKEN_MAX_LENGTH, { error: `${label} must be at most ${TOKEN_MAX_LENGTH} characters` });
}

/**
 * `auth.signUp`. The password is checked against the full policy, including the
 * personal-info rules that need the email and username given alongside it; every
 * failure is reported at path `password`.
 */
export const signUpInput = z
  .strictObject({
    email: emailSchema,
    password: z.string({ error: typeError('Password', 'a string') }).max(PASSWORD_INPUT_MAX_LENGTH, {
      error: `Password must be at most ${PASSWORD_INPUT_MAX_LENGTH} characters`,
    }),
    firstName: firstNameSchema,
    lastName: lastNameSchema,
    middleName: middleNameSchema.optional(),
    username: usernameSchema.optional(),
    referralCode: z
      .string({ error: typeError('Referral code', 'a string') })
      .trim()
      .min(1, { error: 'Referral code must not be empty' })
      .max(REFERRAL_CODE_MAX_LENGTH, {
        error: `Referral code must be at most ${REFERRAL_CODE_MAX_LENGTH} characters`,
      })
      .optional(),
  })
  .superRefine(
    (input, ctx) => {
      // The password is checked even when the email or username beside it failed its own rule,
      // so those are read only when they are strings.
      const context = {
        email: typeof input.email === 'string' ? input.email : '',
        username: typeof input.username === 'string' ? input.username : null,
      };
      for (const failure of checkPassword(input.password, context).failures) {
        ctx.addIssue({
          code: 'custom',
          path: ['password'],
          message: failure.message,
          params: { rule: failure.rule },
        });
      }
    },
    { when: whenFieldsParsed('password') },
  );

/** `auth.signIn`: `login` is an email address or a username. */
export const signInInput = z.strictObject({
  login: z
    .string({ error: typeError('Login', 'a string') })
    .trim()
    .min(1, { error: 'Login is required' })
    .max(EMAIL_MAX_LENGTH, { error: `Login must be at most ${EMAIL_MAX_LENGTH} characters` }),
  password: passwordFieldSchema,
});

/** `auth.completeTwoFactor`: the challenge from `signIn` and a code (or a recovery code). */
export const completeTwoFactorInput = z.strictObject({
  challengeToken: tokenSchema('Challenge token'),
  code: twoFactorCodeSchema,
});

/** `auth.revokeSession`. */
export const revokeSessionInput = z.strictObject({
  sessionId: z.uuid({ error: 'Session id must be a UUID' }),
});

export type SignUpInput = z.input<typeof signUpInput>;
export type SignInInput = z.input<typeof signInInput>;
