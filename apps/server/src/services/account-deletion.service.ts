import { deletionDate, type OwnProfile, parseLogin } from '@userhub/core';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { invalidCredentials, noDeletionScheduled } from '../errors.js';
import { deletionScheduledMessage } from '../messaging/index.js';
import {
  clearScheduledDeletion,
  eraseDueAccounts,
  lockDeletionState,
} from '../repositories/account-deletion.js';
import { recordAuditEvent } from '../repositories/audit.js';
import { deleteUser, findUserByLogin } from '../repositories/users.js';
import { signInLoginKey } from '../security/rate-limits.js';
import type { AuthService } from './auth.service.js';
import type { MailInBackground } from './background-mail.js';
import { applyCredentialChange } from './credential-change.js';
import type { CredentialsService } from './credentials.service.js';
import type { SecondFactorGate } from './second-factor-gate.js';

/** Accounts one purge transaction erases; the job loops until none is due. */
export const PURGE_BATCH_SIZE = 100;

/**
 * Deletion with a grace period (SPEC §9): `delete` hides the account at once and schedules its
 * erasure, `cancelDeletion` restores it, and `purgeDueAccounts` (run by the server's job)
 * erases what is due exactly as an immediate deletion does. With DELETION_GRACE_DAYS=0 the
 * account is erased on the spot, as before.
 */
export function createAccountDeletionService(
  deps: AppDeps,
  credentials: CredentialsService,
  auth: AuthService,
  requireSecondFactor: SecondFactorGate,
  mailInBackground: MailInBackground,
) {
  const { db, clock, hasher, rateLimits, config } = deps;

  /**
   * Hidden at once: the account is locked like a deactivated one, so every public path that
   * leaves deactivated accounts out (profile, lists, search, followers, bookmarks) leaves it
   * out too; its sessions end in the same transaction.
   */
  async function deleteAccount(
    userId: string,
    input: { password: string },
    meta: ClientMeta,
  ): Promise<{ scheduledFor: Date }> {
    const user = await credentials.requirePassword(userId, input.password);
    const now = clock.now();
    if (config.deletionGraceDays === 0) {
      await deleteUser(db, userId);
      return { scheduledFor: now };
    }
    const scheduledFor = deletionDate(now, config.deletionGraceDays);
    // The notice is queued in the same transaction: scheduled and announced, or neither.
    await db.transaction().execute(async (trx) => {
      await applyCredentialChange(trx, {
        userId,
        set: { lockedAt: now, lockReason: null, deletionScheduledFor: scheduledFor, updatedAt: now },
        audit: 'account_deletion_scheduled',
        meta,
        at: now,
        details: { scheduledFor: scheduledFor.toISOString() },
      });
      await mailInBackground(
        user.email,
        deletionScheduledMessage({
          scheduledFor,
          cancelUrl: `${config.publicUrl}/`,
          brand: { productName: config.productName, publicUrl: config.publicUrl },
        }),
        'notice:deletion_scheduled',
        undefined,
        trx,
      );
    });
    deps.outbox.kick();
    return { scheduledFor };
  }

  /**
   * Checked like a sign-in (same throttle, same answer for a wrong password and an unknown
   * login); an account past its date counts as gone even before the job erased it. When
   * two-factor is on, the second factor is owed here too: the answer is a session.
   */
  async function cancelDeletion(
    input: { login: string; password: string; code?: string | undefined },
    meta: ClientMeta,
  ): Promise<{ token: string; user: OwnProfile }> {
    const login = parseLogin(input.login);
    const user = await findUserByLogin(db, login);
    const subject = { loginKey: signInLoginKey(login), userId: user?.id ?? null, ip: meta.ip };
    const { accountThrottled } = await rateLimits.checkSignIn(subject);
    const now = clock.now();
    const isDue = (at: Date | null) => at !== null && at.getTime() <= now.getTime();
    if (user === undefined || accountThrottled || isDue(user.deletionScheduledFor)) {
      await hasher.verifyDummy(input.password);
      await rateLimits.recordSignInFailure({ ...subject, userId: null });
      throw invalidCredentials();
    }
    if (!(await hasher.verify(user.passwordHash, input.password))) {
      await rateLimits.recordSignInFailure(subject);
      await recordAuditEvent(db, { userId: user.id, type: 'sign_in_failed', meta, at: now });
      throw invalidCredentials();
    }
    if (user.deletionScheduledFor === null) throw noDeletionScheduled();
    if (user.twoFactorEnabled) {
      await requireSecondFactor(user, input.code, meta, { step: 'deletion_cancel', mailedAs: 'sign_in' });
    }
    await db.transaction().execute(async (trx) => {
      // The purge job skips a row held here, and a row it already took is gone.
      const state = await lockDeletionState(trx, user.id);
      if (state === undefined || state.deletionScheduledFor === null || isDue(state.deletionScheduledFor)) {
        throw invalidCredentials();
      }
      await clearScheduledDeletion(trx, user.id, now);
      await recordAuditEvent(trx, { userId: user.id, type: 'account_deletion_cancelled', meta, at: now });
    });
    // Read afresh there: this row still carries the deletion just cancelled.
    return auth.issueSession(user.id, meta, { loginKey: subject.loginKey });
  }

  /** Erases every account past its date, a batch per transaction; answers how many went. */
  async function purgeDueAccounts(): Promise<number> {
    let erased = 0;
    for (;;) {
      const now = clock.now();
      const batch = await db.transaction().execute((trx) => eraseDueAccounts(trx, now, PURGE_BATCH_SIZE));
      erased += batch.length;
      if (batch.length < PURGE_BATCH_SIZE) return erased;
    }
  }

  return { deleteAccount, cancelDeletion, purgeDueAccounts };
}

export type AccountDeletionService = ReturnType<typeof createAccountDeletionService>;
