import { describe, expect, it } from 'vitest';
import {
  ACHIEVEMENT_DEFINITIONS,
  ACHIEVEMENT_TYPES,
  achievementTypeSchema,
  adjustStatsInput,
  progressAchievementInput,
} from './internal.schema.js';

const userId = '5f1b0a4e-8c1d-4c4e-9f6a-2b7d9e0c1a23';

describe('achievements', () => {
  it('define the four SPEC achievements with their totals', () => {
    expect(ACHIEVEMENT_DEFINITIONS).toEqual([
      { type: 'five-star', total: 20 },
      { type: 'referral', total: 10 },
      { type: 'review', total: 60 },
      { type: 'squad', total: 10 },
    ]);
    expect(ACHIEVEMENT_TYPES).toEqual(['five-star', 'referral', 'review', 'squad']);
    expect(achievementTypeSchema.safeParse('referral').success).toBe(true);
    expect(achievementTypeSchema.safeParse('gold').success).toBe(false);
  });
});

describe('adjustStatsInput', () => {
  it('accepts integer deltas within ±1,000,000', () => {
    expect(adjustStatsInput.parse({ userId, posts: 1, shops: -1 })).toEqual({ userId, posts: 1, shops: -1 });
    expect(adjustStatsInput.safeParse({ userId, events: 1_000_000 }).success).toBe(true);
    expect(adjustStatsInput.safeParse({ userId, events: -1_000_000 }).success).toBe(true);
  });

  it('rejects fractions, out-of-range deltas and unknown counters', () => {
    expect(adjustStatsInput.safeParse({ userId, posts: 0.5 }).success).toBe(false);
    expect(adjustStatsInput.safeParse({ userId, posts: 1_000_001 }).success).toBe(false);
    expect(adjustStatsInput.safeParse({ userId, followers: 1 }).success).toBe(false);
  });
});

describe('progressAchievementInput', () => {
  it('accepts a known type and a step of 1–1000', () => {
    expect(progressAchievementInput.parse({ userId, type: 'review', by: 1 })).toEqual({
      userId,
      type: 'review',
      by: 1,
    });
    expect(progressAchievementInput.safeParse({ userId, type: 'review', by: 1000 }).success).toBe(true);
  });

  it('rejects steps outside 1–1000 and unknown types', () => {
    expect(progressAchievementInput.safeParse({ userId, type: 'review', by: 0 }).success).toBe(false);
    expect(progressAchievementInput.safeParse({ userId, type: 'review', by: 1001 }).success).toBe(false);
    expect(progressAchievementInput.safeParse({ userId, type: 'karma', by: 1 }).success).toBe(false);
  });
});
