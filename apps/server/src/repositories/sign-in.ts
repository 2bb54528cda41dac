import { truncateUserAgent } from '@userhub/core';
import { sql } from 'kysely';
import { precompiled } from '../db/precompiled.js';
import type { UserRow } from '../db/schema.js';
import type { ClientMeta, Db } from '../db/types.js';
import type { StoredCounter } from '../security/rate-limits.js';

type CandidateRow = UserRow & { counters: Array<[string, number, number | string | null]> };

/**
 * The row of the user a login names (if any) beside the live counters of the attempt: the
 * two keyed by what was typed and where from, and the account's two (their prefixes followed
 * by the user's id). The attempt's row is there even when the login names nobody.
 */
const candidateBy = (login: 'email' | 'user_name') =>
  precompiled(
    (
      _db: Db,
      text: string,
      loginKey: string,
      addressKey: string | null,
      accountPrefix: string,
      secondFactorPrefix: string,
      nowMs: number,
    ) => sql<CandidateRow>`
      select u.*, coalesce((
        select json_agg(json_build_array(rl.key, rl.points, rl.expire))
        from rate_limits rl
        where rl.key in (${loginKey}, ${addressKey}, ${accountPrefix} || u.id::text, ${secondFactorPrefix} || u.id::text)
          and (rl.expire > ${nowMs} or rl.expire is null)
      ), '[]'::json) as counters
      from (select 1) as attempt
      left join users u on lower(u.${sql.raw(login)}) = ${text}
    `,
  );
const candidateByEmail = candidateBy('email');
const candidateByUsername = candidateBy('user_name');

/**
 * What a password sign-in reads before the hash is checked, in one statement: the user the
 * login names and the attempt's sign-in counters (see `RateLimits.signInCounterKeys`).
 */
export async function findSignInCandidate(
  db: Db,
  login: { readonly kind: 'email' | 'username'; readonly text: string },
  counters: {
    readonly loginKey: string;
    readonly addressKey: string | null;
    readonly accountPrefixes: readonly [string, string];
  },
  nowMs: number,
): Promise<{ user: UserRow | undefined; counters: StoredCounter[] }> {
  const read = login.kind === 'email' ? candidateByEmail : candidateByUsername;
  const [accountPrefix, secondFactorPrefix] = counters.accountPrefixes;
  const { rows } = await read(
    db,
    login.text.toLowerCase(),
    counters.loginKey,
    counters.addressKey,
    accountPrefix,
    secondFactorPrefix,
    nowMs,
  );
  const { counters: stored, ...user } = rows[0]!;
  return {
    user: user.id === null ? undefined : (user as UserRow),
    counters: stored.map(([key, points, expire]) => ({
      key,
      points,
      expire: expire === null ? null : Number(expire),
    })),
  };
}

/**
 * The session of a sign-in, in one statement and so one transaction, written only while the
 * account is as the gate saw it: the stored password hash is still `passwordHash` (a changed
 * password has a new one) and no deactivation, pending deletion or "this wasn't me" report
 * came in since (`assertMaySignIn` passed only while those are unset). The update takes the
 * user's row lock first, so a change committed meanwhile is seen here, and one that comes
 * later ends this session as it ends the others. With the session: the login time, the
 * `sign_in` audit event, and the counters a success clears (`clearKeys`, up to three).
 * Answers false, writing nothing, when the account changed.
 */
const openSessionStatement = precompiled(
  (
    _db: Db,
    userId: string,
    passwordHash: string,
    tokenHash: string,
    now: Date,
    expiresAt: Date,
    absoluteExpiresAt: Date,
    ip: string | null,
    userAgent: string | null,
    details: string,
    clearA: string | null,
    clearB: string | null,
    clearC: string | null,
  ) => sql<{ sessionId: string | null }>`
    with signed_in as (
      update users set last_login_at = ${now}
      where id = ${userId} and password_hash = ${passwordHash}
        and locked_at is null and deletion_scheduled_for is null and password_reset_required_at is null
      returning id
    ), session as (
      insert into sessions (token_hash, user_id, created_at, last_used_at, expires_at, absolute_expires_at, ip, user_agent)
      select ${tokenHash}::text, id, ${now}::timestamptz, ${now}::timestamptz, ${expiresAt}::timestamptz,
             ${absoluteExpiresAt}::timestamptz, ${ip}::text, ${userAgent}::text
      from signed_in
      returning id
    ), audit as (
      insert into audit_events (user_id, type, ip, user_agent, details, created_at)
      select id, 'sign_in', ${ip}::text, ${userAgent}::text, ${details}::jsonb, ${now}::timestamptz
      from signed_in
    ), cleared as (
      delete from rate_limits
      where key in (${clearA}, ${clearB}, ${clearC}) and exists (select 1 from signed_in)
    )
    select (select id from session) as session_id
  `,
);

export async function openSession(
  db: Db,
  session: {
    readonly userId: string;
    readonly passwordHash: string;
    readonly tokenHash: string;
    readonly now: Date;
    readonly expiresAt: Date;
    readonly absoluteExpiresAt: Date;
    readonly meta: ClientMeta;
    readonly details: Record<string, unknown>;
    readonly clearKeys: readonly string[];
  },
): Promise<boolean> {
  const [clearA = null, clearB = null, clearC = null, ...rest] = session.clearKeys;
  if (rest.length > 0) throw new Error('openSession clears at most three counters');
  const { rows } = await openSessionStatement(
    db,
    session.userId,
    session.passwordHash,
    session.tokenHash,
    session.now,
    session.expiresAt,
    session.absoluteExpiresAt,
    session.meta.ip,
    truncateUserAgent(session.meta.userAgent),
    JSON.stringify(session.details),
    clearA,
    clearB,
    clearC,
  );
  return rows[0]?.sessionId != null;
}
