import {
  generateReferralCode,
  generateUsername,
  type OwnProfile,
  parseLogin,
  type SignUpInput,
} from '@userhub/core';
import type { UserRow } from '../db/schema.js';
import type { ClientMeta, Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import {
  DomainError,
  emailTaken,
  invalidChallenge,
  invalidCredentials,
  notFound,
  uniqueViolation,
  usernameTaken,
  validationFailed,
} from '../errors.js';
import { creditReferral, insertStartingAchievements } from '../repositories/achievements.js';
import { recordAuditEvent } from '../repositories/audit.js';
import { listLiveSessions, revokeAllSessions, revokeSession } from '../repositories/sessions.js';
import { findSignInCandidate, openSession } from '../repositories/sign-in.js';
import {
  consumeChallenge,
  insertChallenge,
  retireOlderChallenges,
  spendChallengeAttempt,
} from '../repositories/two-factor.js';
import { findUserById, findUserByReferralCode, insertUser, updateUser } from '../repositories/users.js';
import { MAX_CODE_ATTEMPTS, OTP_TTL_MS } from '../security/one-time-codes.js';
import { signInLoginKey } from '../security/rate-limits.js';
import { createSession, mintSession } from '../security/session-store.js';
import { generateToken, hashToken, secureRandom } from '../security/tokens.js';
import { loadOwnProfile, refreshProfileCompleteness } from './profile-views.js';
import { assertMaySignIn } from './sign-in-gate.js';
import type { TwoFactorService } from './two-factor.service.js';
import { assertUsernameNotHeld } from './username-history.service.js';

/** Random parts collide rarely; a few fresh draws settle it. */
const MAX_GENERATION_ATTEMPTS = 5;
/** An account that keeps changing under a sign-in is refused after this many reads. */
const MAX_SESSION_ATTEMPTS = 3;

export type SignInResult =
  | { status: 'signed_in'; token: string; user: OwnProfile }
  | { status: 'two_factor_required'; challengeToken: string; method: 'email' | 'totp' };

export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** SPEC §3: the pre-2FA challenge lives as long as a mailed code and allows five tries. */
export const CHALLENGE_TTL_MS = OTP_TTL_MS;
export const MAX_CHALLENGE_ATTEMPTS = MAX_CODE_ATTEMPTS;
/** Open challenges per account: a new one retires the oldest, so entering the password again buys no guesses. */
export const MAX_OPEN_CHALLENGES = 5;

/**
 * What the credential a sign-in checked must still be when its session is written: the
 * password hash it verified, or (for a second factor) no password change since the challenge.
 */
export interface SessionGuard {
  readonly passwordHash?: string;
  readonly passwordUnchangedSince?: Date;
}

/** A sign-in that was not by password, as the audit log records it. */
type SignInMethod = 'email_code' | 'passkey';

export function createAuthService(deps: AppDeps, twoFactor: TwoFactorService) {
  const { db, clock, hasher, rateLimits } = deps;

  /** The first session of a new account, in its transaction: the token, the login time, the audit event. */
  async function startFirstSession(trx: Db, userId: string, meta: ClientMeta, now: Date) {
    const issued = await createSession(trx, userId, now, meta);
    await updateUser(trx, userId, { lastLoginAt: now });
    await recordAuditEvent(trx, { userId, type: 'sign_in', meta, at: now });
    return issued;
  }

  /**
   * A session for a user whose credential checked out: the gate asked on the account as it is
   * (`row` when the caller just read it, else read here), then the session written in one
   * statement that holds only while the account is still so (`openSession`). An account
   * changed in between is read and asked again. `loginKey` names the login text whose
   * failures the success clears, with the account's.
   */
  async function issueSession(
    userId: string,
    meta: ClientMeta,
    options: {
      readonly method?: SignInMethod;
      readonly guard?: SessionGuard;
      readonly row?: UserRow;
      readonly loginKey?: string;
    } = {},
  ) {
    const { method, guard = {}, loginKey } = options;
    const now = clock.now();
    const { token, ...minted } = mintSession(now);
    for (let attempt = 1; ; attempt++) {
      const state = attempt === 1 && options.row !== undefined ? options.row : await findUserById(db, userId);
      if (state === undefined) throw invalidCredentials();
      assertMaySignIn(state);
      if (guard.passwordHash !== undefined && state.passwordHash !== guard.passwordHash) {
        throw invalidCredentials();
      }
      const since = guard.passwordUnchangedSince;
      if (since !== undefined && state.passwordChangedAt.getTime() > since.getTime())
        throw invalidChallenge();
      const opened = await openSession(db, {
        ...minted,
        userId,
        passwordHash: state.passwordHash,
        now,
        meta,
        details: method === undefined ? {} : { method },
        clearKeys: rateLimits.signInSuccessKeys(userId, loginKey),
      });
      if (opened) {
        return { token, user: await loadOwnProfile(db, userId, now, { ...state, lastLoginAt: now }) };
      }
      if (attempt >= MAX_SESSION_ATTEMPTS) throw invalidCredentials();
    }
  }

  /**
   * The whole account in one transaction: the user, their achievements, the referrer's
   * credit, the stored completeness, the first session and both audit events. Any failure
   * leaves nothing behind, so the email can sign up again. A generated username or
   * referral code that collides is drawn again, in a fresh transaction.
   */
  async function createAccount(
    input: SignUpInput,
    passwordHash: string,
    referrerId: string | null,
    meta: ClientMeta,
  ) {
    const email = input.email.trim();
    for (let attempt = 1; ; attempt++) {
      const userName = input.username ?? generateUsername(input.firstName, input.lastName, secureRandom);
      const now = clock.now();
      try {
        return await db.transaction().execute(async (trx) => {
          await assertUsernameNotHeld(trx, null, userName, now);
          const user = await insertUser(trx, {
            email,
            userName,
            passwordHash,
            passwordChangedAt: now,
            firstName: input.firstName,
            lastName: input.lastName,
            middleName: input.middleName ?? null,
            referralCode: generateReferralCode(secureRandom),
            referredBy: referrerId,
            isUserNameUpdated: input.username !== undefined,
            createdAt: now,
            updatedAt: now,
          });
          await insertStartingAchievements(trx, user.id, now);
          if (referrerId !== null) await creditReferral(trx, referrerId, now);
          // The stored score feeds the list's completeness filter; a new account has its name.
          await refreshProfileCompleteness(trx, user.id);
          const { token } = await startFirstSession(trx, user.id, meta, now);
          await recordAuditEvent(trx, { userId: user.id, type: 'sign_up', meta, at: now });
          return { userId: user.id, token, now };
        });
      } catch (error) {
        const isGeneratedNameHeld =
          error instanceof DomainError && error.code === 'USERNAME_TAKEN' && input.username === undefined;
        if (isGeneratedNameHeld && attempt < MAX_GENERATION_ATTEMPTS) continue;
        const constraint = uniqueViolation(error);
        if (constraint === 'users_email_lower_key') {
          throw emailTaken('email');
        }
        if (constraint === 'users_user_name_lower_key' && input.username !== undefined) {
          throw usernameTaken();
        }
        const isRetryable =
          constraint === 'users_user_name_lower_key' || constraint === 'users_referral_code_key';
        if (!isRetryable || attempt >= MAX_GENERATION_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * A first factor checked out on an account with two-factor on: a challenge that grants only
   * `completeTwoFactor`, and for the email method a sign-in code mailed.
   */
  async function challengeSecondFactor(user: UserRow): Promise<SignInResult> {
    const method = user.twoFactorMethod ?? 'email';
    const challengeToken = generateToken();
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await insertChallenge(trx, {
        tokenHash: hashToken(challengeToken),
        userId: user.id,
        method,
        createdAt: now,
        expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      });
      await retireOlderChallenges(trx, user.id, MAX_OPEN_CHALLENGES, now);
    });
    if (method === 'email') await twoFactor.sendSignInCode(user);
    return { status: 'two_factor_required', challengeToken, method };
  }

  return {
    issueSession,
    challengeSecondFactor,

    /** The password policy is checked by `signUpInput`, the schema every caller passes through. */
    async signUp(input: SignUpInput, meta: ClientMeta): Promise<{ token: string; user: OwnProfile }> {
      let referrerId: string | null = null;
      if (input.referralCode !== undefined) {
        const referrer = await findUserByReferralCode(db, input.referralCode);
        if (referrer === undefined)
          throw validationFailed({ referralCode: ['is not a known referral code'] });
        referrerId = referrer.id;
      }
      const passwordHash = await hasher.hash(input.password);
      const { userId, token, now } = await createAccount(input, passwordHash, referrerId, meta);
      return { token, user: await loadOwnProfile(db, userId, now) };
    },

    async signIn(input: { login: string; password: string }, meta: ClientMeta): Promise<SignInResult> {
      const login = parseLogin(input.login);
      // Failures are counted per typed login (known or not, the same way), per account
      // (whichever login names it) and per client address: read with the user, one statement.
      const loginKey = signInLoginKey(login);
      const nowMs = Date.now();
      const asked = rateLimits.signInCounterKeys({ loginKey, userId: null, ip: meta.ip });
      const { user, counters } = await findSignInCandidate(
        db,
        login,
        {
          loginKey: asked.login,
          addressKey: asked.address,
          accountPrefixes: rateLimits.accountCounterPrefixes,
        },
        nowMs,
      );
      const subject = { loginKey, userId: user?.id ?? null, ip: meta.ip };
      const { accountThrottled } = rateLimits.judgeSignIn(
        rateLimits.signInCounterKeys(subject),
        counters,
        nowMs,
      );
      // An account throttled through another of its logins answers as an unknown login does.
      if (user === undefined || accountThrottled) {
        await hasher.verifyDummy(input.password);
        await rateLimits.recordSignInFailure({ ...subject, userId: null });
        throw invalidCredentials();
      }
      if (!(await hasher.verify(user.passwordHash, input.password))) {
        await rateLimits.recordSignInFailure(subject);
        await recordAuditEvent(db, { userId: user.id, type: 'sign_in_failed', meta, at: clock.now() });
        throw invalidCredentials();
      }
      // Said only after the password checked out, so it reveals nothing to a stranger (SPEC §3).
      assertMaySignIn(user);
      // A password alone is not a success while a second factor is owed: clearing the
      // failures here would give whoever knows the password five fresh code guesses per sign-in.
      if (user.twoFactorEnabled) return challengeSecondFactor(user);
      const { token, user: profile } = await issueSession(user.id, meta, {
        guard: { passwordHash: user.passwordHash },
        row: user,
        loginKey,
      });
      return { status: 'signed_in', token, user: profile };
    },

    /**
     * The challenge grants nothing but this call. Each call spends one of its five tries
     * before the code is checked (so parallel guesses cannot exceed five), and success
     * consumes the challenge and issues a brand-new session token.
     */
    async completeTwoFactor(
      input: { challengeToken: string; code: string },
      meta: ClientMeta,
    ): Promise<{ token: string; user: OwnProfile }> {
      const now = clock.now();
      const challenge = await spendChallengeAttempt(
        db,
        hashToken(input.challengeToken),
        now,
        MAX_CHALLENGE_ATTEMPTS,
      );
      if (challenge === undefined) {
        throw invalidChallenge();
      }
      // Every code guessed counts against the account, across all its challenges.
      await rateLimits.assertSecondFactorAllowed(challenge.userId, meta.ip);
      const user = await findUserById(db, challenge.userId);
      if (user === undefined || !user.twoFactorEnabled) {
        throw invalidChallenge();
      }
      // The account may have been shut since the password checked out (a deletion, a report).
      assertMaySignIn(user);
      try {
        await twoFactor.verifySecondFactor(user, input.code, 'sign_in');
      } catch (error) {
        await rateLimits.recordSecondFactorFailure(user.id, meta.ip);
        await recordAuditEvent(db, { userId: user.id, type: 'two_factor_challenge_failed', meta, at: now });
        throw error;
      }
      if (!(await consumeChallenge(db, challenge.id, now))) {
        throw invalidChallenge();
      }
      return issueSession(user.id, meta, {
        guard: { passwordUnchangedSince: challenge.createdAt },
        row: user,
      });
    },

    async signOut(sessionId: string, userId: string, meta: ClientMeta): Promise<void> {
      await revokeSession(db, userId, sessionId);
      await recordAuditEvent(db, { userId, type: 'sign_out', meta, at: clock.now() });
    },

    async signOutEverywhere(userId: string, meta: ClientMeta): Promise<{ revoked: number }> {
      const revoked = await revokeAllSessions(db, userId);
      await recordAuditEvent(db, {
        userId,
        type: 'sessions_revoked_all',
        meta,
        at: clock.now(),
        details: { revoked },
      });
      return { revoked };
    },

    async listSessions(userId: string, currentSessionId: string): Promise<SessionView[]> {
      const sessions = await listLiveSessions(db, userId, clock.now());
      return sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        expiresAt: s.expiresAt,
        ip: s.ip,
        userAgent: s.userAgent,
        current: s.id === currentSessionId,
      }));
    },

    async revokeSession(userId: string, sessionId: string, meta: ClientMeta): Promise<void> {
      const revoked = await revokeSession(db, userId, sessionId);
      if (!revoked) throw notFound('Session');
      await recordAuditEvent(db, {
        userId,
        type: 'session_revoked',
        meta,
        at: clock.now(),
        details: { sessionId },
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
