import { z } from 'zod';
import { addFieldErrors, emptyFieldErrors, type FieldErrors, fieldPathSegment } from './errors.js';
import { typeError } from './schema-helpers.js';

/** C0 and C1 control characters, DEL included (Unicode category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;
/** The same, except line feed and tab, which long-form text (bio, about) may contain. */
const CONTROL_CHARACTER_EXCEPT_NEWLINE_AND_TAB = /(?![\n\t])\p{Cc}/u;

/**
 * Characters no text column can hold: NUL (PostgreSQL refuses it in `text`) and UTF-16
 * surrogates without their pair (they reach the database as U+FFFD, so what is stored is not
 * what was sent, and a lookup by the sent value finds nothing).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_TEXT_MESSAGE =
  'must not contain NUL or unpaired UTF-16 surrogates: such control characters and broken text cannot be stored';

/** Whether `text` has a character that cannot be stored as sent (NUL, a lone surrogate). */
export function hasUnstorableCharacter(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** Below this depth an input is not walked further: no schema nests that deep, so it fails anyway. */
const MAX_WALK_DEPTH = 32;

/**
 * Every field of an input (any JSON value) whose text, or whose own name, cannot be stored:
 * one rule for every free-text input, applied before any schema, so no procedure can forget it.
 * Paths are dot-joined like schema paths (`socials.github`, `tags.3`); the input itself is `_`.
 */
export function unstorableTextFields(input: unknown): FieldErrors {
  const fieldErrors = emptyFieldErrors();
  const stack: { value: unknown; path: string[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    const field = path.length === 0 ? '_' : path.map(fieldPathSegment).join('.');
    if (typeof value === 'string') {
      if (hasUnstorableCharacter(value)) addFieldErrors(fieldErrors, field, [UNSTORABLE_TEXT_MESSAGE]);
      continue;
    }
    if (typeof value !== 'object' || value === null || path.length >= MAX_WALK_DEPTH) continue;
    for (const [key, child] of Object.entries(value)) {
      if (hasUnstorableCharacter(key)) {
        addFieldErrors(fieldErrors, field, [`has a field name that ${UNSTORABLE_TEXT_MESSAGE}`]);
        continue;
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return fieldErrors;
}

export interface TextFieldRule {
  /** How the field is named in messages: "First name", "Bio". */
  label: string;
  maxLength: number;
  /** Whether `\n` and `\t` are allowed (long-form text only). */
  multiline?: boolean;
}

/** Whether `text` contains a forbidden control character (SPEC §2); `multiline` text may contain `\n` and `\t`. */
export function hasForbiddenControlCharacter(text: string, multiline = false): boolean {
  return (multiline ? CONTROL_CHARACTER_EXCEPT_NEWLINE_AND_TAB : CONTROL_CHARACTER).test(text);
}

function controlCharacterMessage(rule: TextFieldRule): string {
  return rule.multiline
    ? `${rule.label} must not contain control characters other than line breaks and tabs`
    : `${rule.label} must not contain control characters`;
}

/**
 * A trimmed display string: at most `maxLength` characters, no control characters.
 * Stored exactly as given otherwise: it is text, never HTML (SPEC §2), so there is
 * nothing to escape or strip here; escaping is the renderer's job.
 */
export function boundedText(rule: TextFieldRule) {
  return z
    .string({ error: typeError(rule.label, 'a string') })
    .trim()
    .max(rule.maxLength, { error: `${rule.label} must be at most ${rule.maxLength} characters` })
    .refine((text) => !hasForbiddenControlCharacter(text, rule.multiline), {
      error: controlCharacterMessage(rule),
    });
}

/** `''` (after trimming) means "no value": the field is stored as `null`. */
function emptyToNull(text: string): string | null {
  return text === '' ? null : text;
}

/**
 * An optional display string in an update: a string sets it, `null` or an empty
 * string clears it (stored as `null`).
 */
export function clearableText(rule: TextFieldRule) {
  return boundedText(rule).transform(emptyToNull).nullable();
}
