import type { UserRow } from '../db/schema.js';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { twoFactorRequired } from '../errors.js';
import type { MailedCodePurpose } from '../messaging/index.js';
import { recordAuditEvent } from '../repositories/audit.js';
import type { DeliverCode } from './code-delivery.js';
import type { TwoFactorService } from './two-factor.service.js';

/**
 * The second factor a step outside sign-in needs when two-factor is on (a password reset, the
 * cancellation of a deletion): both hand out a session, so neither may skip it. Without a code
 * the answer is TWO_FACTOR_REQUIRED and the email method mails one now; the caller tries again.
 */
export function createSecondFactorGate(deps: AppDeps, twoFactor: TwoFactorService, deliverCode: DeliverCode) {
  const { db, clock, rateLimits } = deps;

  return async function requireSecondFactor(
    user: UserRow,
    code: string | undefined,
    meta: ClientMeta,
    during: { step: 'password_reset' | 'deletion_cancel'; mailedAs: MailedCodePurpose },
  ): Promise<void> {
    await rateLimits.assertSecondFactorAllowed(user.id, meta.ip);
    if (code === undefined) {
      if (user.twoFactorMethod === 'totp') {
        throw twoFactorRequired(
          'Two-factor authentication is on: send a code from your authenticator app or a recovery code',
        );
      }
      await deliverCode({
        userId: user.id,
        purpose: 'two_factor',
        target: user.email,
        wording: during.mailedAs,
      });
      throw twoFactorRequired(
        'Two-factor authentication is on: send the code just mailed to you, or a recovery code',
      );
    }
    try {
      await twoFactor.verifySecondFactor(user, code, 'two_factor');
    } catch (error) {
      // Guessing second-factor codes here counts like guessing them at sign-in.
      await rateLimits.recordSecondFactorFailure(user.id, meta.ip);
      await recordAuditEvent(db, {
        userId: user.id,
        type: 'two_factor_challenge_failed',
        meta,
        at: clock.now(),
        details: { during: during.step },
      });
      throw error;
    }
  };
}

export type SecondFactorGate = ReturnType<typeof createSecondFactorGate>;
