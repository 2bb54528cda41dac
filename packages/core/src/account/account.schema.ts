import { z } from 'zod';
import { emailSchema, oneTimeCodeSchema, tokenSchema } from '../auth/auth.schema.js';
import { newPasswordSchema, passwordFieldSchema } from '../password/policy.js';
import { phoneNumberSchema } from '../profile/contact.js';
import { profileUpdateInput } from '../profile/profile.schema.js';
import { typeError, whenFieldsParsed } from '../schema-helpers.js';
import { cursorLimitSchema, cursorSchema } from '../social/social.schema.js';
import { usernameSchema } from '../username/username.schema.js';

/** Bound on the raw name `account.checkUsername` accepts; anything longer is not a question. */
export const CHECK_USERNAME_INPUT_MAX_LENGTH = 100;
export const DEACTIVATION_REASON_MAX_LENGTH = 500;

/**
 * `account.checkUsername`: the raw name. Deliberately NOT validated against the rules:
 * the procedure's job is to report validity (`valid`, `details`, `message`).
 */
export const checkUsernameInput = z.strictObject({
  username: z
    .string({ error: typeError('Username', 'a string') })
    .min(1, { error: 'Username is required' })
    .max(CHECK_USERNAME_INPUT_MAX_LENGTH, {
      error: `Username must be at most ${CHECK_USERNAME_INPUT_MAX_LENGTH} characters`,
    }),
});

/** `account.changeUsername`. */
export const changeUsernameInput = z.strictObject({ username: usernameSchema });

/**
 * `account.changePassword`. The new password is checked against the context-free
 * rules here; the server adds the personal-info rules (it knows username and email).
 */
export const changePasswordInput = z
  .strictObject({
    currentPassword: passwordFieldSchema,
    newPassword: newPasswordSchema(),
    confirmPassword: passwordFieldSchema,
  })
  .superRefine(
    (input, ctx) => {
      if (input.confirmPassword !== input.newPassword) {
        ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
      }
    },
    { when: whenFieldsParsed('newPassword', 'confirmPassword') },
  )
  .superRefine(
    (input, ctx) => {
      if (input.newPassword === input.currentPassword) {
        ctx.addIssue({
          code: 'custom',
          path: ['newPassword'],
          message: 'New password must be different from the current password',
        });
      }
    },
    { when: whenFieldsParsed('newPassword', 'currentPassword') },
  );

/** `account.requestEmailChange`: the new address and the password, re-authenticating the change. */
export const requestEmailChangeInput = z.strictObject({
  newEmail: emailSchema,
  password: passwordFieldSchema,
});

/** `account.verifyEmail`, `account.confirmEmailChange`, `account.verifyPhone`. */
export const verifyCodeInput = z.strictObject({
  tempToken: tokenSchema('Token'),
  code: oneTimeCodeSchema,
});

/** `account.requestPhoneVerification`: normalised to E.164. */
export const requestPhoneVerificationInput = z.strictObject({ phoneNumber: phoneNumberSchema });

/** `account.deactivate`. */
export const deactivateInput = z.strictObject({
  password: passwordFieldSchema,
  reason: z
    .string({ error: typeError('Reason', 'a string') })
    .trim()
    .max(DEACTIVATION_REASON_MAX_LENGTH, {
      error: `Reason must be at most ${DEACTIVATION_REASON_MAX_LENGTH} characters`,
    })
    .optional(),
});

/** `account.delete`. */
export const deleteAccountInput = z.strictObject({ password: passwordFieldSchema });

/** `account.securityEvents`: newest first, cursor-paged. */
export const securityEventsInput = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: cursorLimitSchema,
});

const display = profileUpdateInput.shape;

/**
 * `profile.updateBasicInfo`, the superseded all-in-one update: display fields, a new
 * username and a phone number to verify, applied together or not at all. The email is
 * accepted only unchanged (changing it needs the password and a code to the new address).
 */
export const basicInfoUpdateInput = z.strictObject({
  username: usernameSchema.optional(),
  firstName: display.firstName,
  lastName: display.lastName,
  middleName: display.middleName,
  email: emailSchema.optional(),
  phoneNumber: phoneNumberSchema.optional(),
  profilePictureUrls: display.profilePictureUrls,
});
export type BasicInfoUpdate = z.output<typeof basicInfoUpdateInput>;
