import type { UsernameHistoryEntry } from '@userhub/core';
import { DAY_MS } from '../clock.js';
import type { Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { usernameRecentlyUsed, usernameTaken } from '../errors.js';
import {
  endOwnHolds,
  findUsernameHolder,
  listUsernameHistory,
  lockUserBearingName,
  recordUsernameRelease,
} from '../repositories/username-history.js';

/**
 * Username history (SPEC §9). A name given up stays held for its previous owner for
 * `USERNAME_HOLD_DAYS`: old links keep resolving and nobody can impersonate them under it.
 */

/**
 * Refuses, within the caller's transaction, a claim of `userName` while it is held for someone
 * other than `claimantId` (null for a new account). The lock on the name's current bearer makes
 * the check safe against a concurrent rename away from it; two claims of a free name are still
 * decided by the unique index on users.
 */
export async function assertUsernameNotHeld(
  trx: Db,
  claimantId: string | null,
  userName: string,
  now: Date,
  field = 'username',
): Promise<void> {
  if (!(await lockUserBearingName(trx, userName))) throw usernameTaken(field);
  const holder = await findUsernameHolder(trx, userName, now);
  if (holder !== undefined && holder.userId !== claimantId) throw usernameRecentlyUsed(field);
}

/**
 * The history side of a rename, in the caller's transaction with the user's row locked: the new
 * name must not be held for someone else (the owner's own hold on it ends), and the old one is
 * recorded, held for the owner for `holdDays`. A change of letter case only is no hand-over.
 */
export async function handOverUsername(
  trx: Db,
  change: { userId: string; from: string; to: string },
  now: Date,
  holdDays: number,
): Promise<void> {
  if (change.from.toLowerCase() === change.to.toLowerCase()) return;
  await assertUsernameNotHeld(trx, change.userId, change.to, now);
  await endOwnHolds(trx, change.userId, change.to, now);
  await recordUsernameRelease(trx, {
    userId: change.userId,
    userName: change.from,
    changedAt: now,
    heldUntil: new Date(now.getTime() + holdDays * DAY_MS),
  });
}

export function createUsernameHistoryService(deps: AppDeps) {
  const { db } = deps;
  return {
    /** The owner's own history, newest first (SPEC §9 `account.usernameHistory`). */
    async list(userId: string): Promise<UsernameHistoryEntry[]> {
      const rows = await listUsernameHistory(db, userId);
      return rows.map((row) => ({
        userName: row.userName,
        changedAt: row.changedAt,
        heldUntil: row.heldUntil,
      }));
    },
  };
}

export type UsernameHistoryService = ReturnType<typeof createUsernameHistoryService>;
