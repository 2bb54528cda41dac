/** SPEC §2 "Security strength": points per protection; they add up to 100. */
export const EMAIL_VERIFIED_POINTS = 25;
export const PHONE_VERIFIED_POINTS = 25;
export const TWO_FACTOR_POINTS = 35;
export const RECENT_PASSWORD_POINTS = 15;

/**
 * A password counts as recent when changed within this many calendar months before
 * `now` (SPEC §2; the password set at sign-up counts as a change).
 */
export const PASSWORD_MAX_AGE_MONTHS = 6;

export const SECURITY_LEVELS = ['STRONG', 'MEDIUM', 'WEAK', 'VERY_WEAK'] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];

/** Lowest score of each level (SPEC §2: STRONG 80–100, MEDIUM 60–79, WEAK 40–59, VERY_WEAK 0–39). */
export const SECURITY_LEVEL_MIN_SCORE: Readonly<Record<SecurityLevel, number>> = {
  STRONG: 80,
  MEDIUM: 60,
  WEAK: 40,
  VERY_WEAK: 0,
};

export const SECURITY_LEVEL_DESCRIPTIONS: Readonly<Record<SecurityLevel, string>> = {
  STRONG: 'Your account is well protected.',
  MEDIUM: 'Your account is reasonably protected, but there is room for improvement.',
  WEAK: 'Your account is weakly protected. Follow the recommendations to secure it.',
  VERY_WEAK: 'Your account is at risk. Follow the recommendations to secure it.',
};

export const SECURITY_RECOMMENDATIONS = {
  verifyEmail: 'Verify your email address',
  verifyPhone: 'Verify your phone number',
  enableTwoFactor: 'Enable two-factor authentication',
  changePassword: 'Change your password',
} as const;

export interface SecurityState {
  emailVerified: boolean;
  phoneVerified: boolean;
  twoFactorEnabled: boolean;
  /** A passkey is a second factor on its own (possession plus user verification, SPEC §9). */
  hasPasskey: boolean;
  passwordChangedAt: Date | null;
}

export interface SecurityStrength {
  score: number;
  level: SecurityLevel;
  description: string;
  recommendations: string[];
}

function daysInUtcMonth(year: number, monthIndex: number): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, monthIndex + 1, 0);
  return lastDay.getUTCDate();
}

/**
 * `date` moved back `months` calendar months in UTC, keeping the time of day; the
 * day is clamped to the target month's length (31 Aug − 6 months = 28/29 Feb).
 */
export function subtractUtcMonths(date: Date, months: number): Date {
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() - months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(date.getUTCDate(), daysInUtcMonth(year, monthIndex));
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, monthIndex, day);
  return result;
}

/**
 * Whether the password was changed within the last 6 calendar months. The boundary is
 * inclusive: changed exactly 6 months before `now` (to the millisecond) still counts.
 * A change time after `now` (clock skew between servers) counts as recent.
 */
export function isPasswordRecent(passwordChangedAt: Date | null, now: Date): boolean {
  if (passwordChangedAt === null) return false;
  return passwordChangedAt.getTime() >= subtractUtcMonths(now, PASSWORD_MAX_AGE_MONTHS).getTime();
}

/** The level whose band contains `score`. */
export function securityLevelForScore(score: number): SecurityLevel {
  return SECURITY_LEVELS.find((level) => score >= SECURITY_LEVEL_MIN_SCORE[level]) ?? 'VERY_WEAK';
}

/** The profile dialect's `securityStrength`: a pure function of the user's state and `now`. */
export function computeSecurityStrength(state: SecurityState, now: Date): SecurityStrength {
  const items = [
    {
      present: state.emailVerified,
      points: EMAIL_VERIFIED_POINTS,
      advice: SECURITY_RECOMMENDATIONS.verifyEmail,
    },
    {
      present: state.phoneVerified,
      points: PHONE_VERIFIED_POINTS,
      advice: SECURITY_RECOMMENDATIONS.verifyPhone,
    },
    {
      present: state.twoFactorEnabled || state.hasPasskey,
      points: TWO_FACTOR_POINTS,
      advice: SECURITY_RECOMMENDATIONS.enableTwoFactor,
    },
    {
      present: isPasswordRecent(state.passwordChangedAt, now),
      points: RECENT_PASSWORD_POINTS,
      advice: SECURITY_RECOMMENDATIONS.changePassword,
    },
  ];
  const score = items.reduce((sum, item) => sum + (item.present ? item.points : 0), 0);
  const level = securityLevelForScore(score);
  return {
    score,
    level,
    description: SECURITY_LEVEL_DESCRIPTIONS[level],
    recommendations: items.filter((item) => !item.present).map((item) => item.advice),
  };
}
