import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { findSignInCandidate, openSession } from '../src/repositories/sign-in.js';
import { insertUser } from '../src/repositories/users.js';
import { createRateLimits, type RateLimits } from '../src/security/rate-limits.js';
import { mintSession } from '../src/security/session-store.js';

/**
 * The two statements of a password sign-in, on their own: what the first reads and what the
 * second writes, or refuses to write once the account changed after the gate looked at it.
 */
let handle: DatabaseHandle;
let limits: RateLimits;
let userId: string;
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';
const meta = { ip: '203.0.113.9', userAgent: 'statement-test' };
const hour = 60 * 60 * 1000;

beforeAll(async () => {
  handle = await openDatabase({ kind: 'pglite', dataDir: null });
  await migrateToLatest(handle.db);
  limits = createRateLimits(handle.db);
});
afterAll(async () => {
  await handle.close();
});

beforeEach(async () => {
  await sql`delete from users`.execute(handle.db);
  await sql`delete from rate_limits`.execute(handle.db);
  const now = new Date();
  ({ id: userId } = await insertUser(handle.db, {
    email: 'ada@example.com',
    userName: 'ada',
    passwordHash: HASH,
    passwordChangedAt: now,
    firstName: 'Ada',
    lastName: 'Lovelace',
    referralCode: 'ADA00001',
    createdAt: now,
    updatedAt: now,
  }));
});

async function storeCounter(key: string, points: number, expire: number | null) {
  await sql`insert into rate_limits (key, points, expire) values (${key}, ${points}, ${expire})`.execute(
    handle.db,
  );
}

const keysOf = (loginKey: string, id: string | null) =>
  limits.signInCounterKeys({ loginKey, userId: id, ip: meta.ip });

function candidate(text: string, loginKey: string, nowMs = Date.now()) {
  const asked = keysOf(loginKey, null);
  return findSignInCandidate(
    handle.db,
    { kind: text.includes('@') ? 'email' : 'username', text },
    { loginKey: asked.login, addressKey: asked.address, accountPrefixes: limits.accountCounterPrefixes },
    nowMs,
  );
}

function open(passwordHash: string, loginKey = 'typed') {
  const now = new Date();
  const { token: _token, ...minted } = mintSession(now);
  return {
    tokenHash: minted.tokenHash,
    opened: openSession(handle.db, {
      ...minted,
      userId,
      passwordHash,
      now,
      meta,
      details: { method: 'passkey' },
      clearKeys: limits.signInSuccessKeys(userId, loginKey),
    }),
  };
}

const written = async () => ({
  sessions: (await sql<{ n: number }>`select count(*)::int as n from sessions`.execute(handle.db)).rows[0]!.n,
  audit: (await sql<{ type: string }>`select type from audit_events`.execute(handle.db)).rows.map(
    (r) => r.type,
  ),
  lastLoginAt: (await sql<{ at: Date | null }>`select last_login_at as at from users`.execute(handle.db))
    .rows[0]!.at,
  counters: (
    await sql<{ key: string }>`select key from rate_limits order by key`.execute(handle.db)
  ).rows.map((r) => r.key),
});

describe('the sign-in read', () => {
  it('finds the user by email or username, any case, with every live counter of the attempt', async () => {
    const keys = keysOf('typed', userId);
    const inAnHour = Date.now() + hour;
    await storeCounter(keys.login, 3, inAnHour);
    await storeCounter(keys.address!, 7, inAnHour);
    await storeCounter(keys.account!, 10, inAnHour);
    await storeCounter(keys.secondFactor!, 2, null);
    await storeCounter(
      limits.signInCounterKeys({ loginKey: 'other', userId: null, ip: '198.51.100.1' }).login,
      9,
      inAnHour,
    );

    for (const text of ['ADA@example.com', 'Ada']) {
      const { user, counters } = await candidate(text, 'typed');
      expect(user?.id).toBe(userId);
      expect(user?.passwordHash).toBe(HASH);
      expect(new Map(counters.map((c) => [c.key, c.points]))).toEqual(
        new Map([
          [keys.login, 3],
          [keys.address!, 7],
          [keys.account!, 10],
          [keys.secondFactor!, 2],
        ]),
      );
      // What checkSignIn decides from the same rows: the account is throttled, nothing refused.
      expect(limits.judgeSignIn(keys, counters, Date.now())).toEqual({ accountThrottled: true });
      expect(await limits.checkSignIn({ loginKey: 'typed', userId, ip: meta.ip })).toEqual({
        accountThrottled: true,
      });
    }
  });

  it('answers a login that names nobody with its own counters, and leaves out windows that ended', async () => {
    const keys = keysOf('nobody', null);
    await storeCounter(keys.login, 10, Date.now() + hour);
    await storeCounter(keys.address!, 50, Date.now() - 1);
    const { user, counters } = await candidate('nobody@example.com', 'nobody');
    expect(user).toBeUndefined();
    expect(counters.map((c) => c.key)).toEqual([keys.login]);
    expect(() => limits.judgeSignIn(keys, counters, Date.now())).toThrow(
      expect.objectContaining({ code: 'RATE_LIMITED' }),
    );
  });
});

describe('the sign-in write', () => {
  it('writes the session, the login time and the audit event, and clears the success counters', async () => {
    const keys = keysOf('typed', userId);
    for (const key of [keys.login, keys.address!, keys.account!, keys.secondFactor!])
      await storeCounter(key, 4, Date.now() + hour);
    const { opened, tokenHash } = open(HASH);
    expect(await opened).toBe(true);
    const after = await written();
    expect(after.sessions).toBe(1);
    expect(after.audit).toEqual(['sign_in']);
    expect(after.lastLoginAt).toBeInstanceOf(Date);
    // The address's failures stay: a success on one account does not clear an address.
    expect(after.counters).toEqual([keys.address]);
    const session = (
      await sql<{
        ip: string;
        user_agent: string;
      }>`select ip, user_agent from sessions where token_hash = ${tokenHash}`.execute(handle.db)
    ).rows[0];
    expect(session).toMatchObject({ ip: meta.ip });
    const details = (await sql<{ details: unknown }>`select details from audit_events`.execute(handle.db))
      .rows[0];
    expect(details?.details).toEqual({ method: 'passkey' });
  });

  it('writes nothing once the password changed, the account was deactivated, deletion was scheduled or reported', async () => {
    const keys = keysOf('typed', userId);
    await storeCounter(keys.account!, 4, Date.now() + hour);
    const changes = [
      sql`update users set password_hash = 'changed'`,
      sql`update users set locked_at = now()`,
      sql`update users set deletion_scheduled_for = now() + interval '30 days'`,
      sql`update users set password_reset_required_at = now()`,
    ];
    for (const change of changes) {
      await sql`update users set password_hash = ${HASH}, locked_at = null, deletion_scheduled_for = null, password_reset_required_at = null`.execute(
        handle.db,
      );
      await change.execute(handle.db);
      expect(await open(HASH).opened).toBe(false);
      expect(await written()).toEqual({
        sessions: 0,
        audit: [],
        lastLoginAt: null,
        counters: [keys.account],
      });
    }
  });
});
