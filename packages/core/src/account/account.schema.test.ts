import { describe, expect, it } from 'vitest';
import {
  changePasswordInput,
  changeUsernameInput,
  checkUsernameInput,
  deactivateInput,
  deleteAccountInput,
  requestEmailChangeInput,
  requestPhoneVerificationInput,
  securityEventsInput,
  verifyCodeInput,
} from './account.schema.js';

function issues(result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

describe('checkUsernameInput', () => {
  it('accepts invalid and reserved names: the procedure reports validity', () => {
    for (const username of ['a', '1abc', 'admin', 'john doe', '@john']) {
      expect(checkUsernameInput.parse({ username })).toEqual({ username });
    }
  });

  it('rejects empty and more than 100 characters', () => {
    expect(checkUsernameInput.safeParse({ username: '' }).success).toBe(false);
    expect(checkUsernameInput.safeParse({ username: 'a'.repeat(100) }).success).toBe(true);
    expect(checkUsernameInput.safeParse({ username: 'a'.repeat(101) }).success).toBe(false);
  });
});

describe('changeUsernameInput', () => {
  it('applies every username rule', () => {
    expect(changeUsernameInput.parse({ username: ' New_Name ' })).toEqual({ username: 'New_Name' });
    expect(changeUsernameInput.safeParse({ username: 'root' }).success).toBe(false);
    expect(changeUsernameInput.safeParse({ username: 'ab' }).success).toBe(false);
  });
});

describe('changePasswordInput', () => {
  const valid = {
    currentPassword: 'old-password',
    newPassword: 'Tr1cky!Gazelle',
    confirmPassword: 'Tr1cky!Gazelle',
  };

  it('accepts a matching, policy-conforming new password', () => {
    expect(changePasswordInput.parse(valid)).toEqual(valid);
  });

  it('requires confirmPassword to equal newPassword, reported at confirmPassword', () => {
    expect(issues(changePasswordInput.safeParse({ ...valid, confirmPassword: 'Tr1cky!Gazellx' }))).toEqual([
      { path: 'confirmPassword', message: 'Passwords do not match' },
    ]);
  });

  it('requires the new password to differ from the current one, reported at newPassword', () => {
    expect(issues(changePasswordInput.safeParse({ ...valid, currentPassword: valid.newPassword }))).toEqual([
      { path: 'newPassword', message: 'New password must be different from the current password' },
    ]);
  });

  it('applies the password policy to the new password', () => {
    const result = changePasswordInput.safeParse({ ...valid, newPassword: 'weak', confirmPassword: 'weak' });
    expect(issues(result).every((issue) => issue.path === 'newPassword')).toBe(true);
    expect(issues(result).map((issue) => issue.message)).toContain('Password must be at least 8 characters');
  });

  it('does not compare with a missing field', () => {
    expect(
      issues(
        changePasswordInput.safeParse({ currentPassword: 'old-password', newPassword: 'Tr1cky!Gazelle' }),
      ),
    ).toEqual([{ path: 'confirmPassword', message: 'Password is required' }]);
  });
});

describe('other account inputs', () => {
  it('requestEmailChangeInput needs a valid email and a password', () => {
    expect(requestEmailChangeInput.safeParse({ newEmail: 'new@example.com', password: 'x' }).success).toBe(
      true,
    );
    expect(requestEmailChangeInput.safeParse({ newEmail: 'nope', password: 'x' }).success).toBe(false);
    expect(requestEmailChangeInput.safeParse({ newEmail: 'new@example.com', password: '' }).success).toBe(
      false,
    );
  });

  it('verifyCodeInput needs a token of 1–200 characters and exactly 6 digits', () => {
    expect(verifyCodeInput.parse({ tempToken: 't', code: '012345' })).toEqual({
      tempToken: 't',
      code: '012345',
    });
    expect(verifyCodeInput.safeParse({ tempToken: 'x'.repeat(200), code: '012345' }).success).toBe(true);
    expect(verifyCodeInput.safeParse({ tempToken: 'x'.repeat(201), code: '012345' }).success).toBe(false);
    expect(verifyCodeInput.safeParse({ tempToken: 't', code: '12345' }).success).toBe(false);
    expect(verifyCodeInput.safeParse({ tempToken: 't', code: 'ABCD-1234' }).success).toBe(false);
  });

  it('requestPhoneVerificationInput normalises to E.164', () => {
    expect(requestPhoneVerificationInput.parse({ phoneNumber: '+44 20 7946 0958' })).toEqual({
      phoneNumber: '+442079460958',
    });
    expect(requestPhoneVerificationInput.safeParse({ phoneNumber: '12' }).success).toBe(false);
  });

  it('deactivateInput takes an optional reason of at most 500 characters', () => {
    expect(deactivateInput.parse({ password: 'x' })).toEqual({ password: 'x' });
    expect(deactivateInput.safeParse({ password: 'x', reason: 'r'.repeat(500) }).success).toBe(true);
    expect(deactivateInput.safeParse({ password: 'x', reason: 'r'.repeat(501) }).success).toBe(false);
  });

  it('deleteAccountInput needs the password and nothing else', () => {
    expect(deleteAccountInput.safeParse({ password: 'x' }).success).toBe(true);
    expect(deleteAccountInput.safeParse({ password: 'x', userId: 'someone-else' }).success).toBe(false);
  });

  it('securityEventsInput defaults the limit to 20 and caps it at 100', () => {
    expect(securityEventsInput.parse({})).toEqual({ limit: 20 });
    expect(securityEventsInput.parse({ cursor: 'abc', limit: 100 })).toEqual({ cursor: 'abc', limit: 100 });
    expect(securityEventsInput.safeParse({ limit: 0 }).success).toBe(false);
    expect(securityEventsInput.safeParse({ limit: 101 }).success).toBe(false);
    expect(securityEventsInput.safeParse({ limit: 1.5 }).success).toBe(false);
  });
});
