import {
  ACHIEVEMENT_DEFINITIONS,
  checkPassword,
  generateUsername,
  type OwnProfile,
  type RandomSource,
  stripUsernamePrefix,
} from '@userhub/core';
import { sql } from 'kysely';
import type { UserRow } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { DomainError, invalidCredentials, uniqueViolation, validationFailed } from '../errors.js';
import { recordAuditEvent } from '../repositories/audit.js';
import {
  type Db,
  findUserByEmail,
  findUserById,
  findUserByReferralCode,
  findUserByUsername,
} from '../repositories/users.js';
import { MAX_CODE_ATTEMPTS, OTP_TTL_MS } from '../security/one-time-codes.js';
import {
  type ClientMeta,
  createSession,
  listUserSessions,
  revokeAllUserSessions,
  revokeUserSession,
} from '../security/session-store.js';
import { generateToken, hashToken, secureRandom } from '../security/tokens.js';
import { loadOwnProfile, refreshProfileCompleteness } from './profile-views.js';
import type { TwoFactorService } from './two-factor.service.js';

/** Crockford's base32 without I, L, O, U: short codes people can read aloud and type. */
const REFERRAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERRAL_CODE_LENGTH = 8;
/** Random parts collide rarely; a few fresh draws settle it. */
const MAX_GENERATION_ATTEMPTS = 5;

export function generateReferralCode(random: RandomSource): string {
  let code = '';
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += REFERRAL_ALPHABET[random(REFERRAL_ALPHABET.length)];
  return code;
}

export interface SignUpInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  middleName?: string | null | undefined;
  username?: string | undefined;
  referralCode?: string | undefined;
}

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

export function createAuthService(deps: AppDeps, twoFactor: TwoFactorService) {
  const { db, clock, hasher, rateLimits } = deps;

  async function insertUserWithRetries(input: SignUpInput, passwordHash: string, referrerId: string | null) {
    const email = input.email.trim();
    for (let attempt = 1; ; attempt++) {
      const userName = input.username ?? generateUsername(input.firstName, input.lastName, secureRandom);
      const now = clock.now();
      try {
        return await db.transaction().execute(async (trx) => {
          const user = await trx
            .insertInto('users')
            .values({
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
            })
            .returning(['id', 'userName'])
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('achievements')
            .values(
              ACHIEVEMENT_DEFINITIONS.map((a) => ({
                userId: user.id,
                type: a.type,
                total: a.total,
                createdAt: now,
                updatedAt: now,
              })),
            )
            .execute();
          if (referrerId !== null) await creditReferral(trx, referrerId, now);
          // The stored score feeds the list's completeness filter; a new account has its name.
          await refreshProfileCompleteness(trx, user.id);
          return user;
        });
      } catch (error) {
        const constraint = uniqueViolation(error);
        if (constraint === 'users_email_lower_key') {
          throw new DomainError('EMAIL_TAKEN', 'An account with this email address already exists', {
            fieldErrors: { email: ['is already registered'] },
          });
        }
        if (constraint === 'users_user_name_lower_key' && input.username !== undefined) {
          throw new DomainError('USERNAME_TAKEN', 'This username is already taken', {
            fieldErrors: { username: ['is already taken'] },
          });
        }
        const isRetryable =
          constraint === 'users_user_name_lower_key' || constraint === 'users_referral_code_key';
        if (!isRetryable || attempt >= MAX_GENERATION_ATTEMPTS) throw error;
      }
    }
  }

  /** `method` names how the user signed in, for the audit log, when it was not the password. */
  async function issueSession(userId: string, meta: ClientMeta, method?: 'email_code' | 'passkey') {
    const now = clock.now();
    const { token } = await db.transaction().execute(async (trx) => {
      const issued = await createSession(trx, userId, now, meta);
      await trx.updateTable('users').set({ lastLoginAt: now }).where('id', '=', userId).execute();
      await recordAuditEvent(trx, {
        userId,
        type: 'sign_in',
        meta,
        at: now,
        ...(method === undefined ? {} : { details: { method } }),
      });
      return issued;
    });
    return { token, user: await loadOwnProfile(db, userId, now) };
  }

  /**
   * A first factor checked out on an account with two-factor on: a challenge that grants only
   * `completeTwoFactor`, and for the email method a sign-in code mailed.
   */
  async function challengeSecondFactor(user: UserRow): Promise<SignInResult> {
    const method = user.twoFactorMethod === 'totp' ? 'totp' : 'email';
    const challengeToken = generateToken();
    const now = clock.now();
    await db
      .insertInto('twoFactorChallenges')
      .values({
        tokenHash: hashToken(challengeToken),
        userId: user.id,
        method,
        createdAt: now,
        expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      })
      .execute();
    if (method === 'email') await twoFactor.sendSignInCode(user);
    return { status: 'two_factor_required', challengeToken, method };
  }

  return {
    issueSession,
    challengeSecondFactor,

    async signUp(input: SignUpInput, meta: ClientMeta): Promise<{ token: string; user: OwnProfile }> {
      const policy = checkPassword(input.password, { email: input.email, username: input.username ?? null });
      if (!policy.ok) {
        throw validationFailed(
          { password: policy.failures.map((f) => f.message) },
          'The password is too weak',
        );
      }
      let referrerId: string | null = null;
      if (input.referralCode !== undefined) {
        const referrer = await findUserByReferralCode(db, input.referralCode);
        if (referrer === undefined)
          throw validationFailed({ referralCode: ['is not a known referral code'] });
        referrerId = referrer.id;
      }
      const passwordHash = await hasher.hash(input.password);
      const user = await insertUserWithRetries(input, passwordHash, referrerId);
      await recordAuditEvent(db, { userId: user.id, type: 'sign_up', meta, at: clock.now() });
      return issueSession(user.id, meta);
    },

    async signIn(input: { login: string; password: string }, meta: ClientMeta): Promise<SignInResult> {
      const login = input.login.trim();
      // `@name` is a username with its conventional prefix; anything else with an @ is an email.
      const isEmail = login.indexOf('@') > 0;
      const user = isEmail
        ? await findUserByEmail(db, login)
        : await findUserByUsername(db, stripUsernamePrefix(login));
      // Failures are counted per account (whichever login names it) and per client address;
      // an unknown login is counted under its own text, so throttling reveals no existence.
      const throttleKey = user === undefined ? `login:${login.toLowerCase()}` : `user:${user.id}`;
      await rateLimits.assertSignInAllowed(throttleKey, meta.ip);
      if (user === undefined) {
        await hasher.verifyDummy(input.password);
        await rateLimits.recordSignInFailure(throttleKey, meta.ip);
        throw invalidCredentials();
      }
      if (!(await hasher.verify(user.passwordHash, input.password))) {
        await rateLimits.recordSignInFailure(throttleKey, meta.ip);
        await recordAuditEvent(db, { userId: user.id, type: 'sign_in_failed', meta, at: clock.now() });
        throw invalidCredentials();
      }
      // Said only after the password checked out, so it reveals nothing to a stranger (SPEC §3).
      if (user.lockedAt !== null) {
        throw new DomainError('ACCOUNT_LOCKED', 'This account has been deactivated');
      }
      // A password alone is not a success while a second factor is owed: clearing the
      // failures here would give whoever knows the password five fresh code guesses per sign-in.
      if (user.twoFactorEnabled) return challengeSecondFactor(user);
      await rateLimits.recordSignInSuccess(throttleKey);
      const { token, user: profile } = await issueSession(user.id, meta);
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
      const challenge = await db
        .updateTable('twoFactorChallenges')
        .set({ attempts: sql`attempts + 1` })
        .where('tokenHash', '=', hashToken(input.challengeToken))
        .where('consumedAt', 'is', null)
        .where('expiresAt', '>', now)
        .where('attempts', '<', MAX_CHALLENGE_ATTEMPTS)
        .returning(['id', 'userId'])
        .executeTakeFirst();
      if (challenge === undefined) {
        throw new DomainError(
          'UNAUTHENTICATED',
          'The sign-in challenge is invalid or has expired; sign in again',
        );
      }
      const user = await findUserById(db, challenge.userId);
      if (user === undefined || user.lockedAt !== null || !user.twoFactorEnabled) {
        throw new DomainError(
          'UNAUTHENTICATED',
          'The sign-in challenge is invalid or has expired; sign in again',
        );
      }
      try {
        await twoFactor.verifySecondFactor(user, input.code, 'sign_in');
      } catch (error) {
        await rateLimits.recordSignInFailure(`user:${user.id}`, meta.ip);
        await recordAuditEvent(db, { userId: user.id, type: 'two_factor_challenge_failed', meta, at: now });
        throw error;
      }
      const consumed = await db
        .updateTable('twoFactorChallenges')
        .set({ consumedAt: now })
        .where('id', '=', challenge.id)
        .where('consumedAt', 'is', null)
        .executeTakeFirst();
      if (consumed.numUpdatedRows === 0n) {
        throw new DomainError(
          'UNAUTHENTICATED',
          'The sign-in challenge is invalid or has expired; sign in again',
        );
      }
      await rateLimits.recordSignInSuccess(`user:${user.id}`);
      return issueSession(user.id, meta);
    },

    async signOut(sessionId: string, userId: string, meta: ClientMeta): Promise<void> {
      await revokeUserSession(db, userId, sessionId);
      await recordAuditEvent(db, { userId, type: 'sign_out', meta, at: clock.now() });
    },

    async signOutEverywhere(userId: string, meta: ClientMeta): Promise<{ revoked: number }> {
      const revoked = await revokeAllUserSessions(db, userId);
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
      const sessions = await listUserSessions(db, userId, clock.now());
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
      const revoked = await revokeUserSession(db, userId, sessionId);
      if (!revoked) throw new DomainError('NOT_FOUND', 'Session not found');
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

/** A sign-up with someone's referral code moves their `referral` achievement on, up to its total. */
async function creditReferral(db: Db, referrerId: string, now: Date): Promise<void> {
  await db
    .updateTable('achievements')
    .set({ value: sql`least(value + 1, total)`, updatedAt: now })
    .where('userId', '=', referrerId)
    .where('type', '=', 'referral')
    .execute();
}

export type AuthService = ReturnType<typeof createAuthService>;
