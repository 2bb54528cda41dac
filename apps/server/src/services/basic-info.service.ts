import type { BasicInfoUpdate, OwnProfile } from '@userhub/core';
import type { AppDeps } from '../deps.js';
import { notFound, validationFailed } from '../errors.js';
import { findUserById } from '../repositories/users.js';
import type { ClientMeta } from '../security/session-store.js';
import { claimingUsername, lockUserIdentity, renameUser } from './account.service.js';
import type { Notifications } from './notifications.js';
import { applyProfileUpdate } from './profile.service.js';
import { loadOwnProfile } from './profile-views.js';

export interface BasicInfoUpdated {
  readonly profile: OwnProfile;
  /** The username changed, so every session of the user has ended. */
  readonly isUsernameChanged: boolean;
}

/**
 * The superseded v1 `update-basic-info`: display fields, a username change and the start of
 * a phone verification in one transaction. Either all of it applies or none does; the code
 * and the notice go out only once it has committed.
 */
export function createBasicInfoService(deps: AppDeps, notifications: Notifications) {
  const { db, clock, codes, rateLimits } = deps;

  return {
    async update(userId: string, input: BasicInfoUpdate, meta: ClientMeta): Promise<BasicInfoUpdated> {
      const { username, email, phoneNumber, ...display } = input;
      const now = clock.now();
      // The send budget is a separate store, so it is spent before the transaction; a refused
      // update then costs one send of the budget but texts nothing.
      const current = await findUserById(db, userId);
      if (current === undefined) throw notFound();
      const isNewPhone = phoneNumber !== undefined && phoneNumber !== current.phoneNumber;
      if (isNewPhone) await rateLimits.consumeOtpSend(userId);
      const applied = await claimingUsername(() =>
        db.transaction().execute(async (trx) => {
          const before = await lockUserIdentity(trx, userId);
          if (email !== undefined && email.toLowerCase() !== before.email.toLowerCase()) {
            throw validationFailed({
              email: ['changes only through POST /api/v1/account/link/email/initiate, with your password'],
            });
          }
          const isRenamed = username !== undefined && username !== before.userName;
          if (isRenamed) await renameUser(trx, { userId, from: before.userName, to: username }, meta, now);
          if (Object.keys(display).length > 0) await applyProfileUpdate(trx, userId, display, now);
          // A new number is linked once its code is confirmed.
          const issued = isNewPhone
            ? await codes.issue(trx, { userId, purpose: 'phone_verification', target: phoneNumber }, now)
            : null;
          return { isRenamed, email: before.email, issued };
        }),
      );
      if (applied.issued !== null && phoneNumber !== undefined) {
        await notifications.textCode(phoneNumber, applied.issued.code);
      }
      if (applied.isRenamed) await notifications.securityNotice(applied.email, 'username_changed', now);
      return { profile: await loadOwnProfile(db, userId, now), isUsernameChanged: applied.isRenamed };
    },
  };
}

export type BasicInfoService = ReturnType<typeof createBasicInfoService>;
