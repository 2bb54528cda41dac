import { checkPassword, type OwnProfile } from '@userhub/core';
import { MINUTE_MS } from '../clock.js';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { accountLocked, accountPendingDeletion, invalidToken, validationFailed } from '../errors.js';
import { passwordResetMessage } from '../messaging/templates.js';
import { recordAuditEvent } from '../repositories/audit.js';
import {
  consumePasswordResetToken,
  deleteOpenPasswordResetTokens,
  findOpenPasswordResetToken,
  lockUserRow,
  replacePasswordResetToken,
} from '../repositories/password-reset-tokens.js';
import { findUserByEmail, findUserById } from '../repositories/users.js';
import { unknownAddressKey } from '../security/rate-limits.js';
import { createSession } from '../security/session-store.js';
import { generateToken, hashToken } from '../security/tokens.js';
import type { MailInBackground } from './background-mail.js';
import { applyCredentialChange } from './credential-change.js';
import type { Notifications } from './notifications.js';
import { loadOwnProfile } from './profile-views.js';
import type { SecondFactorGate } from './second-factor-gate.js';

/** SPEC §9: a reset link lives 30 minutes. */
export const PASSWORD_RESET_TTL_MS = 30 * MINUTE_MS;
export const RESET_PASSWORD_PATH = '/reset-password';

const SENT = { sent: true } as const;

const invalidResetToken = () => invalidToken('token', 'This reset link', 'ask for a new one');

/**
 * "Forgot password" (SPEC §9): a mailed single-use link, then a new password (and the second
 * factor when two-factor is on). The request answers `{sent: true}` whatever happens.
 */
export function createPasswordResetService(
  deps: AppDeps,
  requireSecondFactor: SecondFactorGate,
  notifications: Notifications,
  mailInBackground: MailInBackground,
) {
  const { db, clock, hasher, rateLimits, config } = deps;

  /**
   * Both branches spend the same limiter round trip (an unknown address under its own text),
   * and neither waits for SMTP: what is left between them is one small transaction.
   */
  async function requestPasswordReset(input: { email: string }, meta: ClientMeta): Promise<typeof SENT> {
    const user = await findUserByEmail(db, input.email);
    const isWithinLimit = await rateLimits.tryConsumePasswordReset(
      user === undefined ? unknownAddressKey(input.email) : user.id,
    );
    // A deactivated account is not reopened by mail: a reset would sign it in again.
    if (user === undefined || user.lockedAt !== null || !isWithinLimit) return SENT;

    const token = generateToken();
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await lockUserRow(trx, user.id);
      await replacePasswordResetToken(trx, {
        userId: user.id,
        tokenHash: hashToken(token),
        createdAt: now,
        expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS),
      });
      await recordAuditEvent(trx, { userId: user.id, type: 'password_reset_requested', meta, at: now });
      // Queued with the token it carries: both are written, or neither.
      const resetUrl = `${config.publicUrl}${RESET_PASSWORD_PATH}?token=${encodeURIComponent(token)}`;
      await mailInBackground(
        user.email,
        passwordResetMessage({ resetUrl, minutesValid: PASSWORD_RESET_TTL_MS / MINUTE_MS }),
        'link:password_reset',
        { name: 'password_reset', key: user.id },
        trx,
      );
    });
    deps.outbox.kick();
    return SENT;
  }

  async function resetPassword(
    input: { token: string; newPassword: string; code?: string | undefined },
    meta: ClientMeta,
  ): Promise<{ token: string; user: OwnProfile }> {
    const found = await findOpenPasswordResetToken(db, hashToken(input.token));
    const user = found === undefined ? undefined : await findUserById(db, found.userId);
    const now = clock.now();
    if (
      found === undefined ||
      user === undefined ||
      now.getTime() >= found.expiresAt.getTime() ||
      // A password change after the link was mailed makes the link worthless.
      found.createdAt.getTime() < user.passwordChangedAt.getTime()
    ) {
      throw invalidResetToken();
    }
    // A pending deletion is undone by cancelling it, not by a reset that would sign it in again.
    if (user.deletionScheduledFor !== null) throw accountPendingDeletion(user.deletionScheduledFor);
    if (user.lockedAt !== null) throw accountLocked();
    const policy = checkPassword(input.newPassword, { username: user.userName, email: user.email });
    if (!policy.ok) {
      throw validationFailed(
        { newPassword: policy.failures.map((f) => f.message) },
        'The new password is too weak',
      );
    }
    if (user.twoFactorEnabled) {
      await requireSecondFactor(user, input.code, meta, {
        step: 'password_reset',
        mailedAs: 'password_reset',
      });
    }

    const passwordHash = await hasher.hash(input.newPassword);
    const session = await db.transaction().execute(async (trx) => {
      if (!(await consumePasswordResetToken(trx, found.id, now))) throw invalidResetToken();
      await applyCredentialChange(trx, {
        userId: user.id,
        // A reset is what "this wasn't me" asks for before sign-in opens again.
        set: {
          passwordHash,
          passwordChangedAt: now,
          lastLoginAt: now,
          passwordResetRequiredAt: null,
          updatedAt: now,
        },
        audit: 'password_reset',
        meta,
        at: now,
      });
      await deleteOpenPasswordResetTokens(trx, user.id);
      return createSession(trx, user.id, now, meta);
    });
    await rateLimits.recordSignInSuccess(user.id);
    await notifications.securityNotice(user.email, 'password_reset', now, { userId: user.id });
    return { token: session.token, user: await loadOwnProfile(db, user.id, now) };
  }

  return { requestPasswordReset, resetPassword };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
