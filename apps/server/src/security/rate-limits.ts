import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../db/schema.js';
import { type DomainError, tooMany } from '../errors.js';

/** SPEC §3: at most 5 code sends per user in 10 minutes. */
export const OTP_SENDS_PER_WINDOW = 5;
export const OTP_SEND_WINDOW_SECONDS = 10 * 60;
/**
 * Sign-in failures (OWASP Authentication Cheat Sheet: throttle per account and per source).
 * Per login name: 10 failures in 15 minutes, then a 15-minute wait. Per client address: 50.
 */
export const SIGN_IN_FAILURES_PER_LOGIN = 10;
export const SIGN_IN_FAILURES_PER_ADDRESS = 50;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
/** SPEC §9: at most 5 password-reset requests per account in an hour. */
export const PASSWORD_RESETS_PER_WINDOW = 5;
export const PASSWORD_RESET_WINDOW_SECONDS = 60 * 60;

/**
 * Wrong passwords re-entered to download the data export: the export holds everything about
 * the account, so a stolen session must not be able to guess its way to it. 5 in 15 minutes,
 * the same budget shape as sign-in (OWASP Authentication Cheat Sheet).
 */
export const EXPORT_PASSWORD_FAILURES_PER_WINDOW = 5;
export const EXPORT_PASSWORD_WINDOW_SECONDS = 15 * 60;

/**
 * rate-limiter-flexible's PostgreSQL store speaks to a `pg`-like client. This adapter runs
 * its statements through Kysely, so one code path serves both PostgreSQL and PGlite.
 */
function kyselyStoreClient(db: Kysely<Database>) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      const rows = (result.rows as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      );
      // pg's rowCount: rows returned, or rows changed by a statement without RETURNING.
      // PGlite reports 0 affected rows for a SELECT, which would hide every stored counter.
      const affected = Number(result.numAffectedRows ?? 0);
      return { rows, rowCount: rows.length > 0 ? rows.length : affected };
    },
  };
}

function limiter(db: Kysely<Database>, keyPrefix: string, points: number, durationSeconds: number) {
  return new RateLimiterPostgres({
    storeClient: kyselyStoreClient(db),
    storeType: 'client',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix,
    points,
    duration: durationSeconds,
  });
}

function rateLimited(res: RateLimiterRes, what: string): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return tooMany(what, retryAfterSeconds);
}

export function createRateLimits(db: Kysely<Database>) {
  const otpSends = limiter(db, 'otp_send', OTP_SENDS_PER_WINDOW, OTP_SEND_WINDOW_SECONDS);
  const signInByLogin = limiter(db, 'sign_in_login', SIGN_IN_FAILURES_PER_LOGIN, SIGN_IN_WINDOW_SECONDS);
  const signInByAddress = limiter(db, 'sign_in_ip', SIGN_IN_FAILURES_PER_ADDRESS, SIGN_IN_WINDOW_SECONDS);
  const passwordResets = limiter(
    db,
    'password_reset',
    PASSWORD_RESETS_PER_WINDOW,
    PASSWORD_RESET_WINDOW_SECONDS,
  );

  const exportPasswordFailures = limiter(
    db,
    'export_password',
    EXPORT_PASSWORD_FAILURES_PER_WINDOW,
    EXPORT_PASSWORD_WINDOW_SECONDS,
  );

  return {
    /** Refuses a data export up front when the user's re-entered password failed too often. */
    async assertExportPasswordAllowed(userId: string): Promise<void> {
      const res = await exportPasswordFailures.get(userId);
      if (res !== null && res.consumedPoints >= EXPORT_PASSWORD_FAILURES_PER_WINDOW) {
        throw rateLimited(res, 'wrong passwords');
      }
    },

    async recordExportPasswordFailure(userId: string): Promise<void> {
      await exportPasswordFailures.penalty(userId, 1);
    },

    /** Counts one code send for the user; throws RATE_LIMITED past the budget. */
    async consumeOtpSend(userId: string): Promise<void> {
      try {
        await otpSends.consume(userId);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw rateLimited(error, 'codes requested');
        throw error;
      }
    },

    /** Refuses a sign-in attempt up front when the login or the address has failed too often. */
    async assertSignInAllowed(login: string, ip: string | null): Promise<void> {
      const checks = await Promise.all([
        signInByLogin.get(login.toLowerCase()),
        ip === null ? null : signInByAddress.get(ip),
      ]);
      const limits = [SIGN_IN_FAILURES_PER_LOGIN, SIGN_IN_FAILURES_PER_ADDRESS];
      checks.forEach((res, i) => {
        if (res !== null && res.consumedPoints >= limits[i]!)
          throw rateLimited(res, 'failed sign-in attempts');
      });
    },

    async recordSignInFailure(login: string, ip: string | null): Promise<void> {
      const consumed = [signInByLogin.penalty(login.toLowerCase(), 1)];
      if (ip !== null) consumed.push(signInByAddress.penalty(ip, 1));
      await Promise.all(consumed);
    },

    /**
     * Counts one password-reset request for the account; false past the budget. It answers
     * instead of throwing because the caller must not reveal the limit (it would reveal the account).
     */
    async tryConsumePasswordReset(userId: string): Promise<boolean> {
      try {
        await passwordResets.consume(userId);
        return true;
      } catch (error) {
        if (error instanceof RateLimiterRes) return false;
        throw error;
      }
    },

    /** A successful sign-in clears the login's failures (not the address's). */
    async recordSignInSuccess(login: string): Promise<void> {
      await signInByLogin.delete(login.toLowerCase());
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
