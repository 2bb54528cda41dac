import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { invalidCode } from '../errors.js';
import { verificationCodeMessage } from '../messaging/templates.js';
import { recordAuditEvent } from '../repositories/audit.js';
import { findCodeRequestOwner } from '../repositories/sign-in-codes.js';
import { findUserByEmail, findUserById } from '../repositories/users.js';
import { OTP_TTL_MS } from '../security/one-time-codes.js';
import { signInLoginKey, unknownAddressKey } from '../security/rate-limits.js';
import { generateToken, hashToken } from '../security/tokens.js';
import type { AuthService, SignInResult } from './auth.service.js';
import type { MailInBackground } from './background-mail.js';
import { assertMaySignIn } from './sign-in-gate.js';

const PURPOSE = 'passwordless_sign_in';

/**
 * Sign-in with an emailed code (SPEC §9): the code replaces the password, never the second
 * factor, and a request looks the same whether or not the address has an account.
 */
export function createSignInCodeService(
  deps: AppDeps,
  auth: AuthService,
  mailInBackground: MailInBackground,
) {
  const { db, clock, codes, rateLimits } = deps;

  return {
    async requestSignInCode(input: { email: string }): Promise<{ tempToken: string; expiresAt: Date }> {
      const user = await findUserByEmail(db, input.email);
      // An unknown address has its own send budget, so both answer 429 after the same count.
      await rateLimits.consumeOtpSend(user === undefined ? unknownAddressKey(input.email) : user.id);
      const now = clock.now();
      if (user === undefined) {
        // Looks like any other tempToken, but no code row names it, so it can never succeed.
        return { tempToken: generateToken(), expiresAt: new Date(now.getTime() + OTP_TTL_MS) };
      }
      const issued = await codes.issue(db, { userId: user.id, purpose: PURPOSE, target: user.email }, now);
      await mailInBackground(
        user.email,
        verificationCodeMessage({ code: issued.code, purpose: PURPOSE, minutesValid: OTP_TTL_MS / 60_000 }),
        `code:${PURPOSE}`,
        { name: 'otp_send', key: user.id },
      );
      return { tempToken: issued.tempToken, expiresAt: issued.expiresAt };
    },

    async signInWithCode(
      input: { tempToken: string; code: string },
      meta: ClientMeta,
    ): Promise<SignInResult> {
      const tempTokenHash = hashToken(input.tempToken);
      const owner = await findCodeRequestOwner(db, tempTokenHash, PURPOSE);
      const subject = {
        loginKey: signInLoginKey({ kind: 'code', text: tempTokenHash }),
        userId: owner?.userId ?? null,
        ip: meta.ip,
      };
      const { accountThrottled } = await rateLimits.checkSignIn(subject);
      // A throttled account answers like an unknown request, so the throttle reveals no account.
      if (owner === undefined || accountThrottled) {
        await rateLimits.recordSignInFailure({ ...subject, userId: null });
        throw invalidCode();
      }
      try {
        await codes.verify(db, { userId: owner.userId, purpose: PURPOSE, ...input }, clock.now());
      } catch (error) {
        await rateLimits.recordSignInFailure(subject);
        await recordAuditEvent(db, {
          userId: owner.userId,
          type: 'sign_in_failed',
          meta,
          at: clock.now(),
          details: { method: 'email_code' },
        });
        throw error;
      }
      const user = await findUserById(db, owner.userId);
      if (user === undefined) throw invalidCode();
      // Said only after the code checked out, as sign-in says it after the password.
      assertMaySignIn(user);
      // The code stands in for the password only; the second factor is still owed.
      if (user.twoFactorEnabled) return auth.challengeSecondFactor(user);
      const { token, user: profile } = await auth.issueSession(user.id, meta, {
        method: 'email_code',
        row: user,
        loginKey: subject.loginKey,
      });
      return { status: 'signed_in', token, user: profile };
    },
  };
}

export type SignInCodeService = ReturnType<typeof createSignInCodeService>;
