import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeSecurityStrength,
  EMAIL_VERIFIED_POINTS,
  isPasswordRecent,
  PASSWORD_MAX_AGE_MONTHS,
  PHONE_VERIFIED_POINTS,
  RECENT_PASSWORD_POINTS,
  SECURITY_LEVEL_MIN_SCORE,
  type SecurityState,
  securityLevelForScore,
  subtractUtcMonths,
  TWO_FACTOR_POINTS,
} from './strength.js';

const now = new Date('2026-05-19T12:00:00.000Z');
const nothing: SecurityState = {
  emailVerified: false,
  phoneVerified: false,
  twoFactorEnabled: false,
  hasPasskey: false,
  passwordChangedAt: null,
};
const everything: SecurityState = {
  emailVerified: true,
  phoneVerified: true,
  twoFactorEnabled: true,
  hasPasskey: false,
  passwordChangedAt: now,
};

describe('constants', () => {
  it('match SPEC §2 and add up to 100', () => {
    expect([EMAIL_VERIFIED_POINTS, PHONE_VERIFIED_POINTS, TWO_FACTOR_POINTS, RECENT_PASSWORD_POINTS]).toEqual(
      [25, 25, 35, 15],
    );
    expect(EMAIL_VERIFIED_POINTS + PHONE_VERIFIED_POINTS + TWO_FACTOR_POINTS + RECENT_PASSWORD_POINTS).toBe(
      100,
    );
    expect(PASSWORD_MAX_AGE_MONTHS).toBe(6);
  });
});

describe('computeSecurityStrength', () => {
  it('scores 100, STRONG, no recommendations when everything is in place', () => {
    expect(computeSecurityStrength(everything, now)).toEqual({
      score: 100,
      level: 'STRONG',
      description: 'Your account is well protected.',
      recommendations: [],
    });
  });

  it('scores 0, VERY_WEAK, with every recommendation in SPEC order', () => {
    expect(computeSecurityStrength(nothing, now)).toMatchObject({
      score: 0,
      level: 'VERY_WEAK',
      recommendations: [
        'Verify your email address',
        'Verify your phone number',
        'Enable two-factor authentication',
        'Change your password',
      ],
    });
  });

  it('adds the points of each item present', () => {
    expect(
      computeSecurityStrength({ ...nothing, emailVerified: true, passwordChangedAt: now }, now).score,
    ).toBe(40);
    expect(computeSecurityStrength({ ...nothing, twoFactorEnabled: true }, now).score).toBe(35);
    expect(computeSecurityStrength({ ...everything, twoFactorEnabled: false }, now)).toMatchObject({
      score: 65,
      level: 'MEDIUM',
      recommendations: ['Enable two-factor authentication'],
    });
  });

  it('counts a passkey as two-factor, once, whether or not 2FA is also on', () => {
    expect(computeSecurityStrength({ ...nothing, hasPasskey: true }, now)).toMatchObject({
      score: 35,
      recommendations: ['Verify your email address', 'Verify your phone number', 'Change your password'],
    });
    expect(computeSecurityStrength({ ...everything, hasPasskey: true }, now).score).toBe(100);
    expect(
      computeSecurityStrength({ ...everything, twoFactorEnabled: false, hasPasskey: true }, now),
    ).toMatchObject({ score: 100, recommendations: [] });
  });

  it('a new account with a verified email and its sign-up password is WEAK (40)', () => {
    const strength = computeSecurityStrength(
      { ...nothing, emailVerified: true, passwordChangedAt: now },
      now,
    );
    expect(strength.level).toBe('WEAK');
    expect(strength.description).toMatch(/weakly protected/);
  });
});

describe('isPasswordRecent', () => {
  it('counts a change exactly 6 calendar months ago (inclusive) and not a millisecond earlier', () => {
    const boundary = new Date('2025-11-19T12:00:00.000Z');
    expect(isPasswordRecent(boundary, now)).toBe(true);
    expect(isPasswordRecent(new Date(boundary.getTime() - 1), now)).toBe(false);
  });

  it('treats no password change as not recent, and a future change as recent', () => {
    expect(isPasswordRecent(null, now)).toBe(false);
    expect(isPasswordRecent(new Date('2026-05-20T00:00:00.000Z'), now)).toBe(true);
  });
});

describe('subtractUtcMonths', () => {
  it('moves back calendar months, clamping to the end of shorter months', () => {
    expect(subtractUtcMonths(new Date('2026-08-31T10:00:00.000Z'), 6).toISOString()).toBe(
      '2026-02-28T10:00:00.000Z',
    );
    expect(subtractUtcMonths(new Date('2024-08-31T10:00:00.000Z'), 6).toISOString()).toBe(
      '2024-02-29T10:00:00.000Z',
    );
    expect(subtractUtcMonths(new Date('2026-03-15T00:00:00.000Z'), 6).toISOString()).toBe(
      '2025-09-15T00:00:00.000Z',
    );
  });
});

describe('securityLevelForScore', () => {
  it('uses the SPEC bands at their boundaries', () => {
    expect([100, 80, 79, 60, 59, 40, 39, 0].map(securityLevelForScore)).toEqual([
      'STRONG',
      'STRONG',
      'MEDIUM',
      'MEDIUM',
      'WEAK',
      'WEAK',
      'VERY_WEAK',
      'VERY_WEAK',
    ]);
  });

  it('always matches the score band (property)', () => {
    const state = fc.record({
      emailVerified: fc.boolean(),
      phoneVerified: fc.boolean(),
      twoFactorEnabled: fc.boolean(),
      hasPasskey: fc.boolean(),
      passwordChangedAt: fc.option(fc.date({ noInvalidDate: true }), { nil: null }),
    });
    fc.assert(
      fc.property(state, fc.date({ noInvalidDate: true }), (s, at) => {
        const { score, level, recommendations } = computeSecurityStrength(s, at);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        expect(score).toBeGreaterThanOrEqual(SECURITY_LEVEL_MIN_SCORE[level]);
        const higher = Object.values(SECURITY_LEVEL_MIN_SCORE).filter(
          (min) => min > SECURITY_LEVEL_MIN_SCORE[level],
        );
        for (const min of higher) expect(score).toBeLessThan(min);
        expect(recommendations.length === 0).toBe(score === 100);
      }),
    );
  });
});
