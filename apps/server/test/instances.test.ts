import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUserhubClient, type UserhubClient } from '@userhub/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  freePort,
  OTP_SENDS_PER_WINDOW,
  openSharedDatabase,
  randomOctet,
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
  const env = { SMTP_URL: mail.smtpUrl, OUTBOX_QUEUE: queue, TRUST_PROXY: 'true' };
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
    // An address of this test's own, so no other file's failures count against it.
    const ip = `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`;
    const from = (server: TestServer) =>
      createUserhubClient({ url: server.url, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < SIGN_IN_FAILURES_PER_LOGIN; i++) {
      const error = await expectError(
        from(i % 2 === 0 ? a() : b()).auth.signIn.mutate({
          login: input.email,
          password: `Wrong-Password-${i}`,
        }),
      );
      expect(error.code).toBe('UNAUTHORIZED');
    }
    for (const server of [a(), b()]) {
      const error = await expectError(
        from(server).auth.signIn.mutate({ login: input.email, password: input.password }),
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

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX = path.join(SERVER_DIR, 'node_modules', '.bin', 'tsx');

/** The real entry point in its own process, as an operator starts a second instance. */
async function startProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  const child = spawn(TSX, ['--conditions=@userhub/source', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...base, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Ready once it says so (the port is bound before the routes are, so it is not asked before).
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk) => {
      seen += String(chunk);
      if (seen.includes('is ready')) {
        seen = '';
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

// Two processes cannot share one embedded PGlite, so this suite exists only in the PostgreSQL
// run (CI runs the whole suite a second time with DATABASE_URL set).
if (process.env.DATABASE_URL !== undefined) describeTwoProcesses();

function describeTwoProcesses() {
  describe('two server processes on one PostgreSQL', () => {
    const processQueue = `processes-${Math.random().toString(36).slice(2, 12)}`;
    let processMail: MailCatcher;
    let processes: { url: string; child: ChildProcess }[] = [];
    let database: Awaited<ReturnType<typeof openSharedDatabase>>;

    beforeAll(async () => {
      processMail = await startMailCatcher();
      const env = {
        DATABASE_URL: process.env.DATABASE_URL!,
        APP_SECRET: 'test-app-secret-test-app-secret-0123456789',
        SMTP_URL: processMail.smtpUrl,
        OUTBOX_QUEUE: processQueue,
        TRUST_PROXY: 'true',
      };
      // One after the other: the second finds the migrations applied.
      processes = [await startProcess(env)];
      processes.push(await startProcess(env));
      database = await openSharedDatabase({ kind: 'postgres', url: process.env.DATABASE_URL!, poolSize: 1 });
    }, 120_000);

    afterAll(async () => {
      await Promise.all(
        processes.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
      await database?.close();
      await processMail?.close();
    });

    it('share sessions, the throttle and the outbox: each queued message is sent by exactly one', async () => {
      const clientIp = `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`;
      const [first, second] = processes.map(
        ({ url }) =>
          (token?: string) =>
            createUserhubClient({
              url,
              // An address of this test's own, so no other file's failures count against it.
              headers: { 'x-forwarded-for': clientIp },
              ...(token === undefined ? {} : { token }),
            }),
      ) as [(token?: string) => UserhubClient, (token?: string) => UserhubClient];

      const input = uniqueUser();
      const { token } = await first().auth.signUp.mutate(input);
      expect((await second(token).profile.me.query()).email).toBe(input.email);

      for (let i = 0; i < OTP_SENDS_PER_WINDOW; i++) {
        await (i % 2 === 0 ? first : second)(token).account.requestEmailVerification.mutate();
      }
      expect((await expectError(first(token).account.requestEmailVerification.mutate())).code).toBe(
        'TOO_MANY_REQUESTS',
      );
      await processMail.waitForMessageTo(input.email, OTP_SENDS_PER_WINDOW);
      // Once every row is finished no instance can send it again; then count what arrived.
      for (;;) {
        const rows = await database.db
          .selectFrom('outbox')
          .select('status')
          .where('queue', '=', processQueue)
          .execute();
        if (rows.length === OTP_SENDS_PER_WINDOW && rows.every((row) => row.status === 'sent')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(processMail.messagesTo(input.email)).toHaveLength(OTP_SENDS_PER_WINDOW);

      for (let i = 0; i < SIGN_IN_FAILURES_PER_LOGIN; i++) {
        const error = await expectError(
          (i % 2 === 0 ? first : second)().auth.signIn.mutate({
            login: input.email,
            password: `Wrong-${i}-Password`,
          }),
        );
        expect(error.code).toBe('UNAUTHORIZED');
      }
      const limited = await expectError(
        second().auth.signIn.mutate({ login: input.email, password: input.password }),
      );
      expect(limited.code).toBe('TOO_MANY_REQUESTS');
    }, 60_000);
  });
}
