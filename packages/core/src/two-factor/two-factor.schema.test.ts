import { describe, expect, it } from 'vitest';
import {
  initiateTwoFactorInput,
  passwordInput,
  twoFactorCodeInput,
  twoFactorMethodSchema,
} from './two-factor.schema.js';

describe('two-factor inputs', () => {
  it('accepts the two methods only', () => {
    expect(twoFactorMethodSchema.parse('email')).toBe('email');
    expect(initiateTwoFactorInput.parse({ method: 'totp' })).toEqual({ method: 'totp' });
    expect(initiateTwoFactorInput.safeParse({ method: 'sms' }).error?.issues[0]?.message).toBe(
      'Method must be one of email, totp',
    );
  });

  it('accepts a 6-digit code or a recovery code', () => {
    expect(twoFactorCodeInput.parse({ code: '654321' })).toEqual({ code: '654321' });
    expect(twoFactorCodeInput.parse({ code: 'k3j9-x8m2-p4q7' })).toEqual({ code: 'k3j9-x8m2-p4q7' });
    expect(twoFactorCodeInput.safeParse({ code: '12' }).success).toBe(false);
  });

  it('passwordInput needs a non-empty password and no other keys', () => {
    expect(passwordInput.parse({ password: 'secret' })).toEqual({ password: 'secret' });
    expect(passwordInput.safeParse({ password: '' }).success).toBe(false);
    expect(passwordInput.safeParse({ password: 'x', method: 'email' }).success).toBe(false);
  });
});
