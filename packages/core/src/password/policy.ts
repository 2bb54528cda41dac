import { z } from 'zod';
import { typeError } from '../schema-helpers.js';
import { isCommonPassword } from './common-passwords.js';

/** A password policy as data (SPEC §2 "Passwords"): switching policy is one setting. */
export interface PasswordPolicy {
  /** In Unicode code points, as NIST SP 800-63B §5.1.1.2 counts. */
  minLength: number;
  maxLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireDigit: boolean;
  requireSpecial: boolean;
  /** Reject passwords on the common-password list. */
  rejectCommon: boolean;
  /** Reject passwords containing the username or the email's local part. */
  rejectPersonalInfo: boolean;
}

/**
 * The seeds' rule and the default: 8–128 characters with upper-case, lower-case,
 * digit and special character, not common, not containing personal info.
 */
export const CLASS_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  minLength: 8,
  maxLength: 128,
  requireUppercase: true,
  requireLowercase: true,
  requireDigit: true,
  requireSpecial: true,
  rejectCommon: true,
  rejectPersonalInfo: true,
});

/**
 * NIST SP 800-63B §5.1.1.2: at least 8 characters, at least 64 allowed (we allow 128),
 * no composition rules, checked against a blocklist of common and context-specific
 * passwords.
 */
export const NIST_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  minLength: 8,
  maxLength: 128,
  requireUppercase: false,
  requireLowercase: false,
  requireDigit: false,
  requireSpecial: false,
  rejectCommon: true,
  rejectPersonalInfo: true,
});

export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = CLASS_PASSWORD_POLICY;

export type PasswordRule =
  | 'min_length'
  | 'max_length'
  | 'uppercase'
  | 'lowercase'
  | 'digit'
  | 'special'
  | 'common'
  | 'contains_username'
  | 'contains_email';

export interface PasswordFailure {
  rule: PasswordRule;
  message: string;
}

export interface PasswordCheck {
  ok: boolean;
  failures: PasswordFailure[];
}

export interface PasswordContext {
  username?: string | null;
  email?: string | null;
}

/** Personal info shorter than this is not checked: `ab` inside a password is coincidence, not a leak. */
export const PERSONAL_INFO_MIN_LENGTH = 3;

/** The upper bound for any password input, policy or not: argon2 of a megabyte is a DoS vector. */
export const PASSWORD_INPUT_MAX_LENGTH = 1024;

function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function emailLocalPart(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at);
}

/** Whether `password` contains `value` ignoring case; values shorter than 3 characters never match. */
function containsPersonalInfo(password: string, value: string | null | undefined): boolean {
  const needle = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return needle.length >= PERSONAL_INFO_MIN_LENGTH && password.toLowerCase().includes(needle);
}

interface RuleCheck {
  rule: PasswordRule;
  applies: (policy: PasswordPolicy) => boolean;
  fails: (password: string, context: PasswordContext, policy: PasswordPolicy) => boolean;
  message: (policy: PasswordPolicy) => string;
}

/** Every rule, in the order failures are reported. */
const RULE_CHECKS: readonly RuleCheck[] = [
  {
    rule: 'min_length',
    applies: () => true,
    fails: (password, _, policy) => countCodePoints(password) < policy.minLength,
    message: (policy) => `Password must be at least ${policy.minLength} characters`,
  },
  {
    rule: 'max_length',
    applies: () => true,
    fails: (password, _, policy) => countCodePoints(password) > policy.maxLength,
    message: (policy) => `Password must be at most ${policy.maxLength} characters`,
  },
  {
    rule: 'uppercase',
    applies: (policy) => policy.requireUppercase,
    fails: (password) => !/\p{Lu}/u.test(password),
    message: () => 'Password must contain an upper-case letter',
  },
  {
    rule: 'lowercase',
    applies: (policy) => policy.requireLowercase,
    fails: (password) => !/\p{Ll}/u.test(password),
    message: () => 'Password must contain a lower-case letter',
  },
  {
    rule: 'digit',
    applies: (policy) => policy.requireDigit,
    fails: (password) => !/\p{Nd}/u.test(password),
    message: () => 'Password must contain a digit',
  },
  {
    rule: 'special',
    applies: (policy) => policy.requireSpecial,
    fails: (password) => !/[^\p{L}\p{N}]/u.test(password),
    message: () => 'Password must contain a special character (not a letter or digit)',
  },
  {
    rule: 'common',
    applies: (policy) => policy.rejectCommon,
    fails: (password) => isCommonPassword(password),
    message: () => 'Password is too common: choose one that is harder to guess',
  },
  {
    rule: 'contains_username',
    applies: (policy) => policy.rejectPersonalInfo,
    fails: (password, context) => containsPersonalInfo(password, context.username),
    message: () => 'Password must not contain your username',
  },
  {
    rule: 'contains_email',
    applies: (policy) => policy.rejectPersonalInfo,
    fails: (password, context) => containsPersonalInfo(password, emailLocalPart(context.email ?? '')),
    message: () => 'Password must not contain your email address',
  },
];

/**
 * Checks `password` against `policy`, listing EVERY failed rule so the user can fix
 * them all at once. Personal-info rules only run for the context that is given.
 */
export function checkPassword(
  password: string,
  context: PasswordContext = {},
  policy: Readonly<PasswordPolicy> = DEFAULT_PASSWORD_POLICY,
): PasswordCheck {
  const failures = RULE_CHECKS.filter(
    (check) => check.applies(policy) && check.fails(password, context, policy),
  ).map((check) => ({ rule: check.rule, message: check.message(policy) }));
  return { ok: failures.length === 0, failures };
}

/** A password the user types to prove who they are ("current password"): any non-empty string, no policy. */
export const passwordFieldSchema = z
  .string({ error: typeError('Password', 'a string') })
  .min(1, { error: 'Password is required' })
  .max(PASSWORD_INPUT_MAX_LENGTH, {
    error: `Password must be at most ${PASSWORD_INPUT_MAX_LENGTH} characters`,
  });

/**
 * A new password, checked against the context-free rules of `policy` (length,
 * character classes, common list). The personal-info rules need the username and
 * email: schemas that have them (`signUpInput`) or the server add that check.
 */
export function newPasswordSchema(policy: Readonly<PasswordPolicy> = DEFAULT_PASSWORD_POLICY) {
  return z.string({ error: typeError('Password', 'a string') }).superRefine((password, ctx) => {
    for (const failure of checkPassword(password, {}, policy).failures) {
      ctx.addIssue({ code: 'custom', message: failure.message, params: { rule: failure.rule } });
    }
  });
}
