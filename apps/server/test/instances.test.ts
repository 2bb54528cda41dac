import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  OTP_SENDS_PER_WINDOW,
  openSharedDatabase,
  SIGN_IN_FAILURES_PER_LOGIN,
  startTestServer,
  type TestServer,
  uniqueUser,
} from './harness.js';
import { type MailCatcher, startMailCatcher } from './mail-catcher.js';

/**
 * Two server instances on one database, as a deployment runs them: on PostgreSQL when
 * DATABASE_URL is set, otherwise two apps in this process on one embedded database. Rate
 * limits, sessions and the outbox live in the database, so both see the same ones, and a
 * queued message is sent by exactly one of them.
 */

const queue = `instances-${Math.random().toString(36).slice(2, 12)}`;
let mail: MailCatcher;
let shared: Awaited<ReturnType<typeof openSharedDatabase>> | undefined;
let servers: TestServer[] = [];

beforeAll(async () => {
  mail = await startMailCatcher();
  const env = { SMTP_URL: mail.smtpUrl, OUTBOX_QUEUE: queue };
  if (process.env.DATABASE_URL === undefined)
    shared = await openSharedDatabase({ kind: 'pglite', dataDir: null });
  const on = shared === undefined ? {} : { sharedDatabase: shared };
  servers = [await startTestServer({ env, ...on }), await startTestServer({ env, ...on })];
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await shared?.close();
  await mail.close();
});

const [a, b] = [() => servers[0]!, () => servers[1]!];

describe('two instances on one database', () => {
  it('share sessions: a token from one works on the other, and signing out on one ends it on both', async () => {
    const { token } = await a().client().auth.signUp.mutate(uniqueUser());
    expect((await b().client(token).profile.me.query()).id).toEqual(expect.any(String));
    await b().client(token).auth.signOut.mutate();
    expect((await expectError(a().client(token).profile.me.query())).code).toBe('UNAUTHORIZED');
  });

  it('share the sign-in throttle: failures on either count toward one limit', async () => {
    const input = uniqueUser();
    await a().client().auth.signUp.mutate(input);
    for (let i = 0; i < SIGN_IN_FAILURES_PER_LOGIN; i++) {
      const server = i % 2 === 0 ? a() : b();
      const error = await expectError(
        server.client().auth.signIn.mutate({ login: input.email, password: `Wrong-Password-${i}` }),
      );
      expect(error.code).toBe('UNAUTHORIZED');
    }
    for (const server of [a(), b()]) {
      const error = await expectError(
        server.client().auth.signIn.mutate({ login: input.email, password: input.password }),
      );
      expect(error.code).toBe('TOO_MANY_REQUESTS');
    }
  });

  it('share the send budget and the outbox: every queued message is sent exactly once', async () => {
    const users = [];
    for (let i = 0; i < 4; i++) {
      const input = uniqueUser();
      const { token } = await a().client().auth.signUp.mutate(input);
      users.push({ ...input, token });
    }
    // Each user asks on both instances, alternately, until the budget is spent.
    for (const user of users) {
      for (let i = 0; i < OTP_SENDS_PER_WINDOW; i++) {
        const server = i % 2 === 0 ? a() : b();
        await server.client(user.token).account.requestEmailVerification.mutate();
      }
      const error = await expectError(b().client(user.token).account.requestEmailVerification.mutate());
      expect(error.code).toBe('TOO_MANY_REQUESTS');
    }
    await Promise.all([a().built.deps.outbox.drain(), b().built.deps.outbox.drain()]);
    for (const user of users) expect(mail.messagesTo(user.email)).toHaveLength(OTP_SENDS_PER_WINDOW);
    expect(mail.messages).toHaveLength(users.length * OTP_SENDS_PER_WINDOW);
  });
});
