import {
  checkUsernameRules,
  MAX_USERNAME_SUGGESTIONS,
  type OwnProfile,
  stripUsernamePrefix,
  type UsernameAvailability,
  usernameCandidates,
} from '@userhub/core';
import type { ClientMeta, Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { notFound, uniqueViolation, usernameTaken } from '../errors.js';
import { findUsernamesHeldForOthers } from '../repositories/username-history.js';
import { findTakenUsernames, findUserById, lockUser } from '../repositories/users.js';
import { secureRandom } from '../security/tokens.js';
import { applyCredentialChange } from './credential-change.js';
import type { Notifications } from './notifications.js';
import { loadOwnProfile } from './profile-views.js';
import { handOverUsername } from './username-history.service.js';

/** Runs a write that claims a username; losing the race for the name is USERNAME_TAKEN. */
export async function claimingUsername<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (uniqueViolation(error) === 'users_user_name_lower_key') throw usernameTaken();
    throw error;
  }
}

/**
 * Renames a user within the caller's transaction, the row already locked; every session ends.
 * The old name stays held for the user for `holdDays` (SPEC §9); a name held for someone else
 * is refused.
 */
export async function renameUser(
  trx: Db,
  change: { userId: string; from: string; to: string },
  meta: ClientMeta,
  now: Date,
  holdDays: number,
): Promise<void> {
  await handOverUsername(trx, change, now, holdDays);
  await applyCredentialChange(trx, {
    userId: change.userId,
    set: { userName: change.to, isUserNameUpdated: true, updatedAt: now },
    audit: 'username_changed',
    meta,
    at: now,
    details: { from: change.from, to: change.to },
  });
}

export function createAccountService(deps: AppDeps, notifications: Notifications) {
  const { db, clock } = deps;

  return {
    /**
     * Reports validity and availability; when the name cannot be had, offers alternatives
     * that are valid and free, checked against the database in one query.
     */
    async checkUsername(viewerId: string | null, raw: string): Promise<UsernameAvailability> {
      const username = stripUsernamePrefix(raw);
      const rules = checkUsernameRules(username);
      const viewer = viewerId === null ? undefined : await findUserById(db, viewerId);
      const isOwn = viewer !== undefined && viewer.userName.toLowerCase() === username.toLowerCase();
      const candidates = usernameCandidates(
        username,
        viewer === undefined ? {} : { firstName: viewer.firstName, lastName: viewer.lastName },
        secureRandom,
      );
      const asked = rules.valid ? [username, ...candidates] : candidates;
      const [taken, held] = await Promise.all([
        findTakenUsernames(db, asked),
        findUsernamesHeldForOthers(db, asked, clock.now(), viewer?.id ?? null),
      ]);
      for (const key of held) taken.add(key);
      const isHeld = held.has(username.toLowerCase());
      const notTaken = !rules.valid || isOwn || !taken.has(username.toLowerCase());
      const available = rules.valid && notTaken;
      const suggestions = available
        ? []
        : candidates.filter((c) => !taken.has(c.toLowerCase())).slice(0, MAX_USERNAME_SUGGESTIONS);
      return {
        available,
        valid: rules.valid,
        message: !rules.valid
          ? rules.message
          : available
            ? 'Username is available'
            : isHeld
              ? 'Username was used recently and is held for its previous owner'
              : 'Username is already taken',
        suggestions,
        details: { ...rules.details, notTaken },
      };
    },

    /**
     * The unique index on lower(user_name) decides a race: of two claims of one name, one
     * update succeeds and the other fails with a unique violation, reported as CONFLICT.
     * A new username ends every session (SPEC §2), so links and caches keyed on it refresh.
     */
    async changeUsername(userId: string, userName: string, meta: ClientMeta): Promise<OwnProfile> {
      const now = clock.now();
      const email = await claimingUsername(() =>
        db.transaction().execute(async (trx) => {
          const before = await lockUser(trx, userId);
          if (before === undefined) throw notFound();
          await renameUser(
            trx,
            { userId, from: before.userName, to: userName },
            meta,
            now,
            deps.config.usernameHoldDays,
          );
          return before.email;
        }),
      );
      await notifications.securityNotice(email, 'username_changed', now, { userId });
      return loadOwnProfile(db, userId, now);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
