import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js';
import { z } from 'zod';
import { typeError } from '../schema-helpers.js';
import { clearableText } from '../text.js';

/** Limits of the classic dialect's `profile.contact` fields, in characters. */
export const CONTACT_REGION_MAX_LENGTH = 100;
export const CONTACT_ADDRESS_MAX_LENGTH = 200;
/** Generous bound on raw phone input (spaces, dashes, brackets), checked before parsing. */
export const PHONE_INPUT_MAX_LENGTH = 40;

const PHONE_LABEL = 'Phone number';

const PHONE_LENGTH_MESSAGES: Record<string, string> = {
  TOO_SHORT: `${PHONE_LABEL} is too short`,
  TOO_LONG: `${PHONE_LABEL} is too long for its country code`,
  INVALID_LENGTH: `${PHONE_LABEL} has an invalid length for its country code`,
  INVALID_COUNTRY: `${PHONE_LABEL} has an unknown country code`,
};

/**
 * The E.164 form (`+442079460958`) of an international phone number, or `null`.
 *
 * Validation uses libphonenumber's `isValid()` (length AND the national numbering
 * plan's leading digits), not the looser `isPossible()` (length only): numbers are
 * used to send SMS codes, so a number no carrier can route is useless. Note that
 * the seed's example `+4412345678987` fails BOTH checks — UK national numbers have at
 * most 10 digits, this one has 11 — so it is rejected (SPEC §0: rules win over seed
 * examples). `+441234567898` is the closest valid form.
 */
export function toE164(input: string): string | null {
  const phone = parsePhoneNumberFromString(input.trim());
  return phone?.isValid() ? phone.number : null;
}

/** Why `input` is not an acceptable international phone number, or `null` when it is. */
export function describePhoneProblem(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length > PHONE_INPUT_MAX_LENGTH)
    return `${PHONE_LABEL} must be at most ${PHONE_INPUT_MAX_LENGTH} characters`;
  if (!trimmed.startsWith('+')) {
    return `${PHONE_LABEL} must be in international format: + and the country code, e.g. +442079460958`;
  }
  if (toE164(trimmed) !== null) return null;
  const lengthProblem = validatePhoneNumberLength(trimmed);
  return (
    (lengthProblem && PHONE_LENGTH_MESSAGES[lengthProblem]) ?? `${PHONE_LABEL} is not a valid phone number`
  );
}

/** Normalises `input` to E.164, or reports why it cannot and returns `z.NEVER`. */
function normalisePhone(input: string, ctx: z.RefinementCtx): string {
  const problem = describePhoneProblem(input);
  const e164 = problem === null ? toE164(input) : null;
  if (e164 === null) {
    ctx.addIssue({ code: 'custom', message: problem ?? `${PHONE_LABEL} is not a valid phone number` });
    return z.NEVER;
  }
  return e164;
}

/** An international phone number, validated and normalised to E.164 (`+44 20 7946 0958` → `+442079460958`). */
export const phoneNumberSchema = z
  .string({ error: typeError(PHONE_LABEL, 'a string') })
  .transform(normalisePhone);

/** E.164's shape: `+`, a country code that does not start with 0, at most 15 digits in all. */
const E164_SHAPE = /^\+[1-9]\d{7,14}$/;

/**
 * A contact phone (shown to the owner, never used to send anything): normalised to E.164
 * by libphonenumber when it is a valid number; otherwise accepted only in exact E.164 shape.
 * The looser rule exists because numbering plans change and the seed's own example
 * (`+4412345678987`, one digit too long for today's UK plan) must round-trip; the phone
 * that receives SMS codes goes through `phoneNumberSchema`, which requires a valid number.
 */
export function toContactPhone(input: string): string | null {
  const valid = toE164(input);
  if (valid !== null) return valid;
  const compact = input.trim().replace(/[\s().-]/g, '');
  return E164_SHAPE.test(compact) ? compact : null;
}

/** A phone number in contact details; `null` or a blank string clears it. */
export const contactPhoneSchema = z
  .string({ error: typeError(PHONE_LABEL, 'a string') })
  .transform((input, ctx) => {
    if (input.trim() === '') return null;
    const phone = toContactPhone(input);
    if (phone === null) {
      ctx.addIssue({
        code: 'custom',
        message: describePhoneProblem(input) ?? `${PHONE_LABEL} must be in E.164 form, e.g. +442079460958`,
      });
      return z.NEVER;
    }
    return phone;
  })
  .nullable();

/**
 * The classic dialect's `profile.contact`. Every field is optional (an update may send
 * only some), `null` or `''` clears a field, text is trimmed.
 */
export const contactSchema = z.strictObject({
  country: clearableText({ label: 'Country', maxLength: CONTACT_REGION_MAX_LENGTH }).optional(),
  state: clearableText({ label: 'State', maxLength: CONTACT_REGION_MAX_LENGTH }).optional(),
  city: clearableText({ label: 'City', maxLength: CONTACT_REGION_MAX_LENGTH }).optional(),
  address: clearableText({ label: 'Address', maxLength: CONTACT_ADDRESS_MAX_LENGTH }).optional(),
  phone: contactPhoneSchema.optional(),
});
export type ContactInput = z.input<typeof contactSchema>;
export type ContactUpdate = z.output<typeof contactSchema>;

/** How many leading digits of a phone number stay visible when masked (the country code, mostly). */
const PHONE_VISIBLE_PREFIX_DIGITS = 2;
const PHONE_VISIBLE_SUFFIX_DIGITS = 3;

/**
 * Masks an E.164 number for display in responses (`+442079460987` → `+44*******987`),
 * so a response reveals enough to recognise the number but not to use it.
 */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const visible = PHONE_VISIBLE_PREFIX_DIGITS + PHONE_VISIBLE_SUFFIX_DIGITS;
  if (digits.length <= visible) return `+${'*'.repeat(digits.length)}`;
  const hidden = '*'.repeat(digits.length - visible);
  return `+${digits.slice(0, PHONE_VISIBLE_PREFIX_DIGITS)}${hidden}${digits.slice(-PHONE_VISIBLE_SUFFIX_DIGITS)}`;
}

/**
 * Masks an email address for display (`john@example.com` → `jo***@example.com`):
 * the first min(3, max(1, length − 2)) characters of the local part stay visible, so
 * short local parts never show in full (beyond a single character), and the domain
 * is kept so the user knows which inbox to check.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '***';
  const local = email.slice(0, at);
  const visible = Math.min(3, Math.max(1, local.length - 2));
  return `${local.slice(0, visible)}***${email.slice(at)}`;
}
