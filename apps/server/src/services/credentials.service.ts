import { checkPassword, maskEmail, maskPhone, type OwnProfile } from '@userhub/core';
import type { UserRow } from '../db/schema.js';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import {
  alreadyVerified,
  codeSentElsewhere,
  emailTaken,
  notFound,
  uniqueViolation,
  validationFailed,
  wrongPassword,
} from '../errors.js';
import { type AuditEventType, listAuditEvents, recordAuditEvent } from '../repositories/audit.js';
import { countPasskeys } from '../repositories/passkeys.js';
import { findLastPasswordResetAt } from '../repositories/password-reset-tokens.js';
import { findUserByEmail, findUserById, markEmailVerified, updateUser } from '../repositories/users.js';
import type { DeliverCode } from './code-delivery.js';
import { applyCredentialChange } from './credential-change.js';
import { type PageInput, readKeysetPage } from './cursor.js';
import type { Notifications } from './notifications.js';
import { loadOwnProfile, refreshProfileCompleteness, securityStrengthOf } from './profile-views.js';

export interface CodeRequestAnswer {
  tempToken: string;
  expiresAt: Date;
}

/**
 * Passwords, verified contact points, security info, deactivation and deletion:
 * the credential half of the account (SPEC §3).
 */
export function createCredentialsService(
  deps: AppDeps,
  notifications: Notifications,
  deliverCode: DeliverCode,
) {
  const { db, clock, hasher, codes } = deps;

  /** Loads the user and checks the password; a wrong one is UNAUTHORIZED, naming the field. */
  async function requirePassword(userId: string, password: string, field = 'password'): Promise<UserRow> {
    const user = await findUserById(db, userId);
    if (user === undefined) throw notFound();
    if (!(await hasher.verify(user.passwordHash, password))) {
      throw wrongPassword(field);
    }
    return user;
  }

  async function audit(
    userId: string,
    type: AuditEventType,
    meta: ClientMeta,
    details?: Record<string, unknown>,
  ) {
    await recordAuditEvent(db, { userId, type, meta, at: clock.now(), ...(details ? { details } : {}) });
  }

  return {
    requirePassword,

    async changePassword(
      userId: string,
      input: { currentPassword: string; newPassword: string },
      meta: ClientMeta,
    ): Promise<void> {
      const user = await requirePassword(userId, input.currentPassword, 'currentPassword');
      const policy = checkPassword(input.newPassword, { username: user.userName, email: user.email });
      if (!policy.ok) {
        throw validationFailed(
          { newPassword: policy.failures.map((f) => f.message) },
          'The new password is too weak',
        );
      }
      const passwordHash = await hasher.hash(input.newPassword);
      const now = clock.now();
      // Of concurrent changes made with the same current password exactly one applies; for the
      // others that password is no longer current.
      const changed = await db.transaction().execute((trx) =>
        applyCredentialChange(trx, {
          userId,
          set: { passwordHash, passwordChangedAt: now, updatedAt: now },
          audit: 'password_changed',
          meta,
          at: now,
          ifPasswordIs: user.passwordHash,
        }),
      );
      if (!changed) throw wrongPassword('currentPassword');
      await notifications.securityNotice(user.email, 'password_changed', now, { userId });
    },

    async securityInfo(userId: string) {
      const user = await findUserById(db, userId);
      if (user === undefined) throw notFound();
      const [passkeyCount, lastPasswordResetAt] = await Promise.all([
        countPasskeys(db, userId),
        findLastPasswordResetAt(db, userId),
      ]);
      return {
        isEmailVerified: user.emailVerified,
        isPhoneVerified: user.phoneVerified,
        isTwoFactorEnabled: user.twoFactorEnabled,
        twoFactorMethod: user.twoFactorEnabled ? user.twoFactorMethod : null,
        isAccountLocked: user.lockedAt !== null,
        lastPasswordChange: user.passwordChangedAt,
        /** When a mailed reset link last set the password (null: never). */
        lastPasswordResetAt,
        passkeyCount,
        accountCreatedAt: user.createdAt,
        roles: [user.role],
        securityStrength: securityStrengthOf(user, passkeyCount, clock.now()),
      };
    },

    async requestEmailVerification(userId: string): Promise<CodeRequestAnswer & { email: string }> {
      const user = await findUserById(db, userId);
      if (user === undefined) throw notFound();
      if (user.emailVerified) throw alreadyVerified();
      const issued = await deliverCode({ userId, purpose: 'email_verification', target: user.email });
      return { tempToken: issued.tempToken, expiresAt: issued.expiresAt, email: maskEmail(user.email) };
    },

    async verifyEmail(
      userId: string,
      input: { tempToken: string; code: string },
      meta: ClientMeta,
    ): Promise<OwnProfile> {
      const now = clock.now();
      const verified = await codes.verify(db, { userId, purpose: 'email_verification', ...input }, now);
      // The address may have changed since the code was sent; the code proves only that one.
      if (!(await markEmailVerified(db, userId, verified.target, now))) {
        throw codeSentElsewhere();
      }
      await audit(userId, 'email_verified', meta);
      return loadOwnProfile(db, userId, now);
    },

    /**
     * The code goes to the new address and nothing changes until it is confirmed. The
     * answer is the same whether or not the address belongs to another account (SPEC §3):
     * a taken address simply never receives a code, so the request cannot complete.
     */
    async requestEmailChange(
      userId: string,
      input: { newEmail: string; password: string },
    ): Promise<CodeRequestAnswer & { email: string }> {
      const user = await requirePassword(userId, input.password);
      const newEmail = input.newEmail.trim();
      if (newEmail.toLowerCase() === user.email.toLowerCase()) {
        throw validationFailed({ newEmail: ['is already the address of this account'] });
      }
      const isTaken = (await findUserByEmail(db, newEmail)) !== undefined;
      const issued = await deliverCode({
        userId,
        purpose: 'email_change',
        target: newEmail,
        withhold: isTaken,
      });
      return { tempToken: issued.tempToken, expiresAt: issued.expiresAt, email: maskEmail(newEmail) };
    },

    async confirmEmailChange(
      userId: string,
      input: { tempToken: string; code: string },
      meta: ClientMeta,
    ): Promise<OwnProfile> {
      const now = clock.now();
      const verified = await codes.verify(db, { userId, purpose: 'email_change', ...input }, now);
      const before = await findUserById(db, userId);
      if (before === undefined) throw notFound();
      try {
        await updateUser(db, userId, {
          email: verified.target,
          emailVerified: true,
          emailVerifiedAt: now,
          updatedAt: now,
        });
      } catch (error) {
        if (uniqueViolation(error) === 'users_email_lower_key') {
          throw emailTaken();
        }
        throw error;
      }
      await audit(userId, 'email_changed', meta);
      // The notice's "this wasn't me" link can bring the old address back (SPEC §9).
      await notifications.securityNotice(before.email, 'email_changed', now, {
        userId,
        undo: {
          previousEmail: before.email,
          previousEmailVerified: before.emailVerified,
          newEmail: verified.target,
        },
      });
      return loadOwnProfile(db, userId, now);
    },

    async requestPhoneVerification(
      userId: string,
      input: { phoneNumber: string },
    ): Promise<CodeRequestAnswer & { phone: string }> {
      const issued = await deliverCode({ userId, purpose: 'phone_verification', target: input.phoneNumber });
      return {
        tempToken: issued.tempToken,
        expiresAt: issued.expiresAt,
        phone: maskPhone(input.phoneNumber),
      };
    },

    async verifyPhone(
      userId: string,
      input: { tempToken: string; code: string },
      meta: ClientMeta,
    ): Promise<OwnProfile> {
      const now = clock.now();
      const verified = await codes.verify(db, { userId, purpose: 'phone_verification', ...input }, now);
      await db.transaction().execute(async (trx) => {
        await updateUser(trx, userId, {
          phoneNumber: verified.target,
          phoneVerified: true,
          phoneVerifiedAt: now,
          updatedAt: now,
        });
        // A verified phone counts toward completeness.
        await refreshProfileCompleteness(trx, userId);
      });
      await audit(userId, 'phone_verified', meta);
      return loadOwnProfile(db, userId, now);
    },

    /** Locks the account: data kept, sessions ended, hidden from others, sign-in refused. */
    async deactivate(
      userId: string,
      input: { password: string; reason?: string | undefined },
      meta: ClientMeta,
    ) {
      const user = await requirePassword(userId, input.password);
      const now = clock.now();
      await db.transaction().execute((trx) =>
        applyCredentialChange(trx, {
          userId,
          set: { lockedAt: now, lockReason: input.reason ?? null, updatedAt: now },
          audit: 'account_deactivated',
          meta,
          at: now,
        }),
      );
      await notifications.securityNotice(user.email, 'account_deactivated', now, { userId });
    },

    async securityEvents(userId: string, request: PageInput) {
      const { page: items, nextCursor } = await readKeysetPage(
        request,
        (keyset) => listAuditEvents(db, userId, keyset),
        (row) => ({ at: row.createdAt, id: row.id }),
      );
      return { items, nextCursor };
    },
  };
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;
