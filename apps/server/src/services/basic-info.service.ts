import type { BasicInfoUpdate, OwnProfile } from '@userhub/core';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { notFound, validationFailed } from '../errors.js';
import { findUserById, lockUser } from '../repositories/users.js';
import { claimingUsername, renameUser } from './account.service.js';
import type { CodeDelivery, DeliverCode } from './code-delivery.js';
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
export function createBasicInfoService(
  deps: AppDeps,
  notifications: Notifications,
  deliverCode: DeliverCode,
) {
  const { db, clock } = deps;

  return {
    async update(userId: string, input: BasicInfoUpdate, meta: ClientMeta): Promise<BasicInfoUpdated> {
      const { username, email, phoneNumber, ...display } = input;
      const now = clock.now();
      const current = await findUserById(db, userId);
      if (current === undefined) throw notFound();
      // A new number is linked once its code is confirmed. The send budget is spent before the
      // transaction (its store is separate): a refused update costs one send but texts nothing.
      const phoneCode: CodeDelivery | null =
        phoneNumber !== undefined && phoneNumber !== current.phoneNumber
          ? { userId, purpose: 'phone_verification', target: phoneNumber }
          : null;
      if (phoneCode !== null) await deliverCode.reserve(userId);
      const applied = await claimingUsername(() =>
        db.transaction().execute(async (trx) => {
          const before = await lockUser(trx, userId);
          if (before === undefined) throw notFound();
          if (email !== undefined && email.toLowerCase() !== before.email.toLowerCase()) {
            throw validationFailed({
              email: ['changes only through POST /api/v1/account/link/email/initiate, with your password'],
            });
          }
          const isRenamed = username !== undefined && username !== before.userName;
          if (isRenamed) {
            const change = { userId, from: before.userName, to: username };
            await renameUser(trx, change, meta, now, deps.config.usernameHoldDays);
          }
          if (Object.keys(display).length > 0) await applyProfileUpdate(trx, userId, display, now);
          const issued = phoneCode === null ? null : await deliverCode.issue(trx, phoneCode);
          return { isRenamed, email: before.email, issued };
        }),
      );
      if (phoneCode !== null && applied.issued !== null) await deliverCode.send(phoneCode, applied.issued);
      if (applied.isRenamed)
        await notifications.securityNotice(applied.email, 'username_changed', now, { userId });
      return { profile: await loadOwnProfile(db, userId, now), isUsernameChanged: applied.isRenamed };
    },
  };
}

export type BasicInfoService = ReturnType<typeof createBasicInfoService>;
