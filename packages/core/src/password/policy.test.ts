import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS, isCommonPassword } from './common-passwords.js';
import {
  CLASS_PASSWORD_POLICY,
  checkPassword,
  DEFAULT_PASSWORD_POLICY,
  NIST_PASSWORD_POLICY,
  newPasswordSchema,
  type PasswordRule,
  passwordFieldSchema,
} from './policy.js';

function rulesOf(password: string, context = {}, policy = DEFAULT_PASSWORD_POLICY): PasswordRule[] {
  return checkPassword(password, context, policy).failures.map((failure) => failure.rule);
}

describe('policies', () => {
  it('default to the seeds’ class policy', () => {
    expect(DEFAULT_PASSWORD_POLICY).toBe(CLASS_PASSWORD_POLICY);
    expect(CLASS_PASSWORD_POLICY).toMatchObject({ minLength: 8, maxLength: 128, requireSpecial: true });
    expect(NIST_PASSWORD_POLICY).toMatchObject({
      minLength: 8,
      maxLength: 128,
      requireUppercase: false,
      requireLowercase: false,
      requireDigit: false,
      requireSpecial: false,
      rejectCommon: true,
      rejectPersonalInfo: true,
    });
  });
});

describe('common password list', () => {
  it('holds tens of thousands of real entries', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(10_000);
    for (const password of ['123456', 'password', 'qwerty', 'iloveyou', 'p@ssw0rd'])
      expect(COMMON_PASSWORDS.has(password)).toBe(true);
  });

  it('matches ignoring case', () => {
    expect(isCommonPassword('PassWord')).toBe(true);
    expect(isCommonPassword('P@ssw0rd')).toBe(true);
    expect(isCommonPassword('correct-Horse-battery-9')).toBe(false);
  });
});

describe('checkPassword (class policy)', () => {
  it('accepts a strong password', () => {
    expect(checkPassword('Tr1cky!Gazelle')).toEqual({ ok: true, failures: [] });
  });

  it('accepts 8 and 128 characters, rejects 7 and 129', () => {
    const of = (length: number) => `Aa1!${'x'.repeat(length - 4)}`;
    expect(rulesOf(of(8))).toEqual([]);
    expect(rulesOf(of(128))).toEqual([]);
    expect(rulesOf(of(7))).toEqual(['min_length']);
    expect(rulesOf(of(129))).toEqual(['max_length']);
  });

  it('counts characters as code points, not UTF-16 units', () => {
    // 7 code points, 8 UTF-16 units because of the emoji.
    expect(rulesOf('Aa1!xx😀')).toEqual(['min_length']);
  });

  it('requires each character class', () => {
    expect(rulesOf('aa1!xxxxxx')).toEqual(['uppercase']);
    expect(rulesOf('AA1!XXXXXX')).toEqual(['lowercase']);
    expect(rulesOf('Aa!xxxxxxx')).toEqual(['digit']);
    expect(rulesOf('Aa1xxxxxxx')).toEqual(['special']);
  });

  it('lists every failed rule, not just the first, with a message each', () => {
    const result = checkPassword('abc');
    expect(result.ok).toBe(false);
    expect(result.failures.map((failure) => failure.rule)).toEqual([
      'min_length',
      'uppercase',
      'digit',
      'special',
    ]);
    expect(result.failures.map((failure) => failure.message)).toEqual([
      'Password must be at least 8 characters',
      'Password must contain an upper-case letter',
      'Password must contain a digit',
      'Password must contain a special character (not a letter or digit)',
    ]);
  });

  it('rejects common passwords, ignoring case', () => {
    expect(rulesOf('P@ssw0rd')).toEqual(['common']);
    expect(checkPassword('P@SSW0RD').failures.map((failure) => failure.rule)).toContain('common');
  });

  it('rejects passwords containing the username, ignoring case', () => {
    expect(rulesOf('xxJohn_Doe1!', { username: 'john_doe' })).toEqual(['contains_username']);
    expect(checkPassword('xxJohn_Doe1!', { username: 'john_doe' }).failures[0]?.message).toBe(
      'Password must not contain your username',
    );
  });

  it('rejects passwords containing the email local part, ignoring case', () => {
    expect(rulesOf('Alice.Smith#2024', { email: 'alice.smith@example.com' })).toEqual(['contains_email']);
    expect(rulesOf('Example#2024com', { email: 'x@example.com' })).toEqual([]);
  });

  it('ignores personal info shorter than 3 characters', () => {
    expect(rulesOf('Bo#kshelf9', { username: 'bo', email: 'bo@example.com' })).toEqual([]);
    expect(rulesOf('Bob#kshelf9', { username: 'bob' })).toEqual(['contains_username']);
  });

  it('checks no personal info when none is given', () => {
    expect(rulesOf('xxJohn_Doe1!', {})).toEqual([]);
    expect(rulesOf('xxJohn_Doe1!', { username: null, email: null })).toEqual([]);
  });
});

describe('checkPassword (NIST policy)', () => {
  it('has no class rules but keeps length, common and personal-info rules', () => {
    expect(rulesOf('correct horse battery staple', {}, NIST_PASSWORD_POLICY)).toEqual([]);
    expect(rulesOf('zq7#wv', {}, NIST_PASSWORD_POLICY)).toEqual(['min_length']);
    expect(rulesOf('password', {}, NIST_PASSWORD_POLICY)).toEqual(['common']);
    expect(rulesOf('johndoe-rocks', { username: 'johndoe' }, NIST_PASSWORD_POLICY)).toEqual([
      'contains_username',
    ]);
  });
});

describe('passwordFieldSchema', () => {
  it('accepts any non-empty string up to 1024 characters, untrimmed', () => {
    expect(passwordFieldSchema.parse(' a ')).toBe(' a ');
    expect(passwordFieldSchema.parse('x'.repeat(1024))).toHaveLength(1024);
  });

  it('rejects empty and 1025 characters', () => {
    expect(passwordFieldSchema.safeParse('').error?.issues[0]?.message).toBe('Password is required');
    expect(passwordFieldSchema.safeParse('x'.repeat(1025)).success).toBe(false);
  });
});

describe('newPasswordSchema', () => {
  it('reports every context-free failure as an issue', () => {
    const result = newPasswordSchema().safeParse('abc');
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(
      checkPassword('abc').failures.map((failure) => failure.message),
    );
  });

  it('follows the policy it is given', () => {
    expect(newPasswordSchema(NIST_PASSWORD_POLICY).safeParse('correct horse battery staple').success).toBe(
      true,
    );
    expect(newPasswordSchema().safeParse('correct horse battery staple').success).toBe(false);
  });
});
