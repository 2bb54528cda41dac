import { describe, expect, it } from 'vitest';
import {
  completeTwoFactorInput,
  emailSchema,
  oneTimeCodeSchema,
  revokeSessionInput,
  signInInput,
  signUpInput,
  twoFactorCodeSchema,
} from './auth.schema.js';

const validSignUp = {
  email: 'Alice.Bob@Example.com',
  password: 'Tr1cky!Gazelle',
  firstName: 'Alice',
  lastName: 'Bob',
};

function issuesAt(
  result: { error?: { issues: { path: PropertyKey[]; message: string }[] } },
  field: string,
): string[] {
  return (result.error?.issues ?? [])
    .filter((issue) => issue.path[0] === field)
    .map((issue) => issue.message);
}

describe('emailSchema', () => {
  it('trims but keeps the case as typed', () => {
    expect(emailSchema.parse('  Alice.Bob@Example.com ')).toBe('Alice.Bob@Example.com');
  });

  it('rejects invalid addresses and addresses over 254 characters', () => {
    expect(emailSchema.safeParse('not-an-email').error?.issues[0]?.message).toBe(
      'Email must be a valid email address',
    );
    expect(emailSchema.safeParse(`${'a'.repeat(64)}@${'b'.repeat(186)}.com`).success).toBe(false);
  });
});

describe('signUpInput', () => {
  it('accepts a valid sign-up with optional fields left out', () => {
    expect(signUpInput.parse(validSignUp)).toEqual(validSignUp);
  });

  it('accepts the optional fields', () => {
    const input = { ...validSignUp, middleName: 'Marie', username: 'alice_b', referralCode: 'Jg60' };
    expect(signUpInput.parse(input)).toEqual(input);
  });

  it('reports every password failure at path password', () => {
    const result = signUpInput.safeParse({ ...validSignUp, password: 'abc' });
    expect(issuesAt(result, 'password')).toEqual([
      'Password must be at least 8 characters',
      'Password must contain an upper-case letter',
      'Password must contain a digit',
      'Password must contain a special character (not a letter or digit)',
    ]);
    expect(result.error?.issues.every((issue) => issue.path.join('.') === 'password')).toBe(true);
  });

  it('rejects a password containing the username or the email local part', () => {
    const withUsername = signUpInput.safeParse({
      ...validSignUp,
      username: 'gazelle',
      password: 'Tr1cky!Gazelle',
    });
    expect(issuesAt(withUsername, 'password')).toEqual(['Password must not contain your username']);
    const withEmail = signUpInput.safeParse({ ...validSignUp, password: 'alice.bob#2026X' });
    expect(issuesAt(withEmail, 'password')).toEqual(['Password must not contain your email address']);
  });

  it('still checks the password when another field is invalid, so all problems come back at once', () => {
    const result = signUpInput.safeParse({ ...validSignUp, firstName: '', password: 'abc' });
    expect(issuesAt(result, 'firstName')).toEqual(['First name is required']);
    expect(issuesAt(result, 'password').length).toBeGreaterThan(0);
  });

  it('reports a missing password once, at path password', () => {
    const { password: _, ...withoutPassword } = validSignUp;
    expect(issuesAt(signUpInput.safeParse(withoutPassword), 'password')).toHaveLength(1);
  });

  it('validates the username and rejects unknown keys', () => {
    expect(issuesAt(signUpInput.safeParse({ ...validSignUp, username: 'admin' }), 'username')).toEqual([
      'Username is reserved',
    ]);
    expect(signUpInput.safeParse({ ...validSignUp, role: 'admin' }).success).toBe(false);
    expect(signUpInput.safeParse({ ...validSignUp, emailVerified: true }).success).toBe(false);
  });
});

describe('signInInput', () => {
  it('accepts an email or a username as login and does not trim the password', () => {
    expect(signInInput.parse({ login: ' alice@example.com ', password: ' pw ' })).toEqual({
      login: 'alice@example.com',
      password: ' pw ',
    });
    expect(signInInput.parse({ login: 'alice-bob-kgnx', password: 'x' }).login).toBe('alice-bob-kgnx');
  });

  it('rejects an empty or over-long login and an empty password', () => {
    expect(signInInput.safeParse({ login: '', password: 'x' }).success).toBe(false);
    expect(signInInput.safeParse({ login: 'a'.repeat(255), password: 'x' }).success).toBe(false);
    expect(signInInput.safeParse({ login: 'alice', password: '' }).success).toBe(false);
  });
});

describe('codes', () => {
  it('one-time codes are exactly 6 digits; spaces are ignored', () => {
    expect(oneTimeCodeSchema.parse('123456')).toBe('123456');
    expect(oneTimeCodeSchema.parse('123 456')).toBe('123456');
    for (const code of ['12345', '1234567', '12345a', 'abcdef']) {
      expect(oneTimeCodeSchema.safeParse(code).error?.issues[0]?.message).toBe(
        'Code must be exactly 6 digits',
      );
    }
  });

  it('two-factor codes accept 6 digits or a recovery code', () => {
    expect(twoFactorCodeSchema.parse('123456')).toBe('123456');
    expect(twoFactorCodeSchema.parse('ABCD-EFGH-1234')).toBe('ABCD-EFGH-1234');
    expect(twoFactorCodeSchema.safeParse('12345').success).toBe(false);
    expect(twoFactorCodeSchema.safeParse('x'.repeat(33)).success).toBe(false);
    expect(twoFactorCodeSchema.safeParse('abc$def').success).toBe(false);
  });

  it('completeTwoFactorInput needs a challenge token and a code', () => {
    expect(completeTwoFactorInput.parse({ challengeToken: 'tok', code: '123456' })).toEqual({
      challengeToken: 'tok',
      code: '123456',
    });
    expect(completeTwoFactorInput.safeParse({ challengeToken: '', code: '123456' }).success).toBe(false);
    expect(
      completeTwoFactorInput.safeParse({ challengeToken: 'x'.repeat(201), code: '123456' }).success,
    ).toBe(false);
  });
});

describe('revokeSessionInput', () => {
  it('requires a UUID', () => {
    expect(revokeSessionInput.safeParse({ sessionId: '5f1b0a4e-8c1d-4c4e-9f6a-2b7d9e0c1a23' }).success).toBe(
      true,
    );
    expect(revokeSessionInput.safeParse({ sessionId: 'not-a-uuid' }).error?.issues[0]?.message).toBe(
      'Session id must be a UUID',
    );
  });
});
