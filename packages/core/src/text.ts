import { z } from 'zod';
import { typeError } from './schema-helpers.js';

/** C0 and C1 control characters, DEL included (Unicode category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;
/** The same, except line feed and tab, which long-form text (bio, about) may contain. */
const CONTROL_CHARACTER_EXCEPT_NEWLINE_AND_TAB = /(?![\n\t])\p{Cc}/u;

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
