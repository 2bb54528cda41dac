import { ACHIEVEMENT_DEFINITIONS, type Achievement, type AchievementType } from '@userhub/core';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';

/** SPEC §2: a new user starts every achievement at 0. */
export async function insertStartingAchievements(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .insertInto('achievements')
    .values(
      ACHIEVEMENT_DEFINITIONS.map((a) => ({
        userId,
        type: a.type,
        total: a.total,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .execute();
}

/** Moves one achievement on by `by`, capped at its total; undefined when the user has none of that type. */
export async function progressAchievement(
  db: Db,
  userId: string,
  type: AchievementType,
  by: number,
  now: Date,
): Promise<Achievement | undefined> {
  return db
    .updateTable('achievements')
    .set({ value: sql`least(total, value + ${by})`, updatedAt: now })
    .where('userId', '=', userId)
    .where('type', '=', type)
    .returning(['id', 'type', 'value', 'total', 'createdAt', 'updatedAt'])
    .executeTakeFirst();
}

/** A sign-up with someone's referral code moves their `referral` achievement on, up to its total. */
export async function creditReferral(db: Db, referrerId: string, now: Date): Promise<void> {
  await progressAchievement(db, referrerId, 'referral', 1, now);
}
