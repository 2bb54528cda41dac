import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../db/schema.js';
import { type DomainError, tooMany } from '../errors.js';

/** SPEC §3: at most 5 code sends per user in 10 minutes. */
export const OTP_SENDS_PER_WINDOW = 5;
export const OTP_SEND_WINDOW_SECONDS = 10 * 60;
/**
 * Sign-in failures (OWASP Authentication Cheat Sheet: throttle per account and per source).
 * Per login text and per account: 10 failures in 15 minutes, then a 15-minute wait. Per
 * client address: 50. Wrong second-factor codes count per account as well.
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

function rateLimited(res: Pick<RateLimiterRes, 'msBeforeNext'>, what: string): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return tooMany(what, retryAfterSeconds);
}

/**
 * The key a typed login is counted under: a SHA-256 of its normalised text (an email
 * lower-cased, a username lower-cased without its `@`), so any login, however long, fits the
 * store's key column, and an unknown login is counted exactly like a known one.
 */
export function signInLoginKey(login: {
  readonly kind: 'email' | 'username' | 'code' | 'passkey';
  readonly text: string;
}): string {
  return createHash('sha256').update(`${login.kind}:${login.text.toLowerCase()}`).digest('hex');
}

/** The budget key of an address no account has: a hash, so any address fits the key column. */
export function unknownAddressKey(email: string): string {
  return `unknown:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

/** Who a sign-in attempt is counted against: the typed login, the account it names (if any), the address. */
export interface SignInSubject {
  readonly loginKey: string;
  readonly userId: string | null;
  readonly ip: string | null;
}

/** A sign-in counter as rate-limiter-flexible's PostgreSQL store keeps it. */
export interface StoredCounter {
  readonly key: string;
  readonly points: number;
  /** Epoch milliseconds the window ends at; null for none. */
  readonly expire: number | null;
}

/** The store keys of the counters one sign-in attempt answers to (null where there is no such counter). */
export interface SignInCounterKeys {
  readonly login: string;
  readonly address: string | null;
  readonly account: string | null;
  readonly secondFactor: string | null;
}

/** The counters stored under these keys whose window is still open: one statement. */
async function readCounters(db: Kysely<Database>, keys: ReadonlyArray<string | null>, nowMs: number) {
  const wanted = keys.filter((key): key is string => key !== null);
  const { rows } = await sql<{ key: string; points: number; expire: string | number | bigint | null }>`
    select key, points, expire from rate_limits
    where key in (${sql.join(wanted)}) and (expire > ${nowMs} or expire is null)
  `.execute(db);
  return rows.map((row) => ({ ...row, expire: row.expire === null ? null : Number(row.expire) }));
}

export function createRateLimits(db: Kysely<Database>) {
  const otpSends = limiter(db, 'otp_send', OTP_SENDS_PER_WINDOW, OTP_SEND_WINDOW_SECONDS);
  const signInByLogin = limiter(db, 'sign_in_login', SIGN_IN_FAILURES_PER_LOGIN, SIGN_IN_WINDOW_SECONDS);
  const signInByAccount = limiter(db, 'sign_in_account', SIGN_IN_FAILURES_PER_LOGIN, SIGN_IN_WINDOW_SECONDS);
  const secondFactorByAccount = limiter(
    db,
    'sign_in_second_factor',
    SIGN_IN_FAILURES_PER_LOGIN,
    SIGN_IN_WINDOW_SECONDS,
  );
  const signInByAddress = limiter(db, 'sign_in_ip', SIGN_IN_FAILURES_PER_ADDRESS, SIGN_IN_WINDOW_SECONDS);
  const passwordResets = limiter(
    db,
    'password_reset',
    PASSWORD_RESETS_PER_WINDOW,
    PASSWORD_RESET_WINDOW_SECONDS,
  );
  const budgets = { otp_send: otpSends, password_reset: passwordResets } as const;

  /** Throws RATE_LIMITED (naming `what` was spent) when any of these counters is at its limit. */
  async function refuseIfSpent(
    checks: ReadonlyArray<readonly [RateLimiterPostgres, string | null, number]>,
    what = 'failed sign-in attempts',
  ) {
    const results = await Promise.all(checks.map(([l, key]) => (key === null ? null : l.get(key))));
    results.forEach((res, i) => {
      if (res !== null && res.consumedPoints >= checks[i]![2]) throw rateLimited(res, what);
    });
  }

  function signInCounterKeys(subject: SignInSubject): SignInCounterKeys {
    return {
      login: signInByLogin.getKey(subject.loginKey),
      address: subject.ip === null ? null : signInByAddress.getKey(subject.ip),
      account: subject.userId === null ? null : signInByAccount.getKey(subject.userId),
      secondFactor: subject.userId === null ? null : secondFactorByAccount.getKey(subject.userId),
    };
  }

  /**
   * The counters a completed sign-in clears: the account's failures and its login text's
   * (not the address's).
   */
  function signInSuccessKeys(userId: string, loginKey?: string): string[] {
    return [
      signInByAccount.getKey(userId),
      secondFactorByAccount.getKey(userId),
      ...(loginKey === undefined ? [] : [signInByLogin.getKey(loginKey)]),
    ];
  }

  function judgeSignIn(
    keys: SignInCounterKeys,
    counters: readonly StoredCounter[],
    nowMs: number,
  ): { accountThrottled: boolean } {
    const spent = (key: string | null, limit: number) => {
      const counter = key === null ? undefined : counters.find((c) => c.key === key);
      return counter !== undefined && counter.points >= limit ? counter : undefined;
    };
    // The login text, the address, then the second factor: the first one spent is refused.
    const refused =
      spent(keys.login, SIGN_IN_FAILURES_PER_LOGIN) ??
      spent(keys.address, SIGN_IN_FAILURES_PER_ADDRESS) ??
      spent(keys.secondFactor, SIGN_IN_FAILURES_PER_LOGIN);
    if (refused !== undefined) {
      const msBeforeNext = refused.expire === null ? -1 : Math.max(refused.expire - nowMs, 0);
      throw rateLimited({ msBeforeNext }, 'failed sign-in attempts');
    }
    return { accountThrottled: spent(keys.account, SIGN_IN_FAILURES_PER_LOGIN) !== undefined };
  }

  const exportPasswordFailures = limiter(
    db,
    'export_password',
    EXPORT_PASSWORD_FAILURES_PER_WINDOW,
    EXPORT_PASSWORD_WINDOW_SECONDS,
  );

  return {
    /** Refuses a data export up front when the user's re-entered password failed too often. */
    async assertExportPasswordAllowed(userId: string): Promise<void> {
      await refuseIfSpent(
        [[exportPasswordFailures, userId, EXPORT_PASSWORD_FAILURES_PER_WINDOW]],
        'wrong passwords',
      );
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
    /** Gives one spent unit of a send budget back (a message that could not be delivered). */
    async refund(budget: keyof typeof budgets, key: string): Promise<void> {
      const spent = await budgets[budget].get(key);
      if (spent !== null && spent.consumedPoints > 0) await budgets[budget].reward(key, 1);
    },
    /**
     * Refuses a sign-in attempt up front (RATE_LIMITED) when its login text, its address or
     * the account's second factor failed too often. Answers whether the account itself is
     * throttled by password failures through any of its logins: the caller must then refuse
     * the attempt as a wrong password, because a 429 there would tell a stranger that the
     * email they typed belongs to the username they failed with.
     */
    async checkSignIn(subject: SignInSubject): Promise<{ accountThrottled: boolean }> {
      const keys = signInCounterKeys(subject);
      const nowMs = Date.now();
      return judgeSignIn(keys, await readCounters(db, Object.values(keys), nowMs), nowMs);
    },
    signInCounterKeys,
    /**
     * What `checkSignIn` decides, from counters the caller read itself (with the user, in one
     * statement): RATE_LIMITED thrown, or whether the account is throttled.
     */
    judgeSignIn,
    /**
     * The key prefixes of the account's counters, each followed by the user's id in the store
     * (for a statement that reads them before it knows the id).
     */
    accountCounterPrefixes: [signInByAccount.getKey(''), secondFactorByAccount.getKey('')] as const,
    /** Cleared by the statement that writes the session (`openSession`). */
    signInSuccessKeys,
    /** A wrong password (or an unknown login): one failure for the login text, the address and the account. */
    async recordSignInFailure(subject: SignInSubject): Promise<void> {
      const consumed = [signInByLogin.penalty(subject.loginKey, 1)];
      if (subject.ip !== null) consumed.push(signInByAddress.penalty(subject.ip, 1));
      if (subject.userId !== null) consumed.push(signInByAccount.penalty(subject.userId, 1));
      await Promise.all(consumed);
    },
    /**
     * Refuses a second-factor attempt (RATE_LIMITED) once the account or the address failed
     * too often: whoever holds a challenge knows the password, so saying so reveals nothing.
     */
    async assertSecondFactorAllowed(userId: string, ip: string | null): Promise<void> {
      await refuseIfSpent([
        [secondFactorByAccount, userId, SIGN_IN_FAILURES_PER_LOGIN],
        [signInByAccount, userId, SIGN_IN_FAILURES_PER_LOGIN],
        [signInByAddress, ip, SIGN_IN_FAILURES_PER_ADDRESS],
      ]);
    },
    async recordSecondFactorFailure(userId: string, ip: string | null): Promise<void> {
      const consumed = [secondFactorByAccount.penalty(userId, 1)];
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
    /** Clears what a completed sign-in clears (`signInSuccessKeys`), on its own. */
    async recordSignInSuccess(userId: string, loginKey?: string): Promise<void> {
      const keys = signInSuccessKeys(userId, loginKey);
      await sql`delete from rate_limits where key in (${sql.join(keys)})`.execute(db);
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
