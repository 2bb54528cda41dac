import { z } from 'zod';
import { typeError } from '../schema-helpers.js';
import { userIdSchema } from '../social/social.schema.js';

/** SPEC §2 "Achievements": every new user gets these four, value 0. */
export const ACHIEVEMENT_DEFINITIONS = [
  { type: 'five-star', total: 20 },
  { type: 'referral', total: 10 },
  { type: 'review', total: 60 },
  { type: 'squad', total: 10 },
] as const;

export type AchievementType = (typeof ACHIEVEMENT_DEFINITIONS)[number]['type'];
export const ACHIEVEMENT_TYPES = ACHIEVEMENT_DEFINITIONS.map((definition) => definition.type) as [
  AchievementType,
  ...AchievementType[],
];

export const achievementTypeSchema = z.enum(ACHIEVEMENT_TYPES, {
  error: `Achievement type must be one of ${ACHIEVEMENT_TYPES.join(', ')}`,
});

/** Bound on one stats adjustment: generous for batch imports, small enough to catch unit mistakes. */
export const STATS_DELTA_LIMIT = 1_000_000;
/** Bound on one achievement step. */
export const ACHIEVEMENT_STEP_MAX = 1000;

const statsDeltaSchema = (label: string) =>
  z
    .number({ error: typeError(label, 'a number') })
    .int({ error: `${label} must be a whole number` })
    .min(-STATS_DELTA_LIMIT, { error: `${label} must be at least -${STATS_DELTA_LIMIT}` })
    .max(STATS_DELTA_LIMIT, { error: `${label} must be at most ${STATS_DELTA_LIMIT}` });

/** `internal.adjustStats` (service token only): deltas added to the user's counters. */
export const adjustStatsInput = z.strictObject({
  userId: userIdSchema,
  posts: statsDeltaSchema('Posts delta').optional(),
  shops: statsDeltaSchema('Shops delta').optional(),
  events: statsDeltaSchema('Events delta').optional(),
});

/** `internal.progressAchievement` (service token only). */
export const progressAchievementInput = z.strictObject({
  userId: userIdSchema,
  type: achievementTypeSchema,
  by: z
    .number({ error: typeError('Step', 'a number') })
    .int({ error: 'Step must be a whole number' })
    .min(1, { error: 'Step must be at least 1' })
    .max(ACHIEVEMENT_STEP_MAX, { error: `Step must be at most ${ACHIEVEMENT_STEP_MAX}` }),
});
