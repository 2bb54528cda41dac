import { describe, expect, it } from 'vitest';
import {
  freePort,
  ManualClock,
  MINUTE_MS,
  makeTempDir,
  OTP_SENDS_PER_WINDOW,
  OUTBOX_FIRST_RETRY_MS,
  OUTBOX_MAX_ATTEMPTS,
  OUTBOX_RETENTION_MS,
  startTestServer,
  type TestServer,
  type TestServerOptions,
  uniqueUser,
  useTestServer,
} from './harness.js';
import { testDatabase } from './harness-db.js';
import { startMailCatcher } from './mail-catcher.js';

/**
 * The outbox (SPEC §9): requests queue mail and never wait for SMTP; the worker sends with
 * retries and backoff; a message finally undeliverable gives its send back; a restart loses
 * nothing. These tests run their own servers, whose SMTP server is down at first.
 */

const queueName = () => `outbox-test-${Math.random().toString(36).slice(2, 12)}`;

async function serverOn(smtpPort: number, queue: string, clock: ManualClock, more: TestServerOptions = {}) {
  return startTestServer({
    ...more,
    clock,
    env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, OUTBOX_QUEUE: queue },
  });
}

async function signUpOn(server: TestServer) {
  const input = uniqueUser();
  const { token, user } = await server.client().auth.signUp.mutate(input);
  return { ...input, id: user.id, client: server.client(token) };
}

describe('with the SMTP server down', () => {
  it('a code request still answers 200; the code arrives once SMTP is back, and works', async () => {
    const port = await freePort();
    const queue = queueName();
    const clock = new ManualClock();
    const server = await serverOn(port, queue, clock);
    const stored = testDatabase(server.built.deps.db);
    let mail: Awaited<ReturnType<typeof startMailCatcher>> | undefined;
    try {
      const user = await signUpOn(server);
      const answer = await user.client.account.requestEmailVerification.mutate();
      expect(answer.tempToken).toEqual(expect.any(String));
      await server.built.deps.outbox.drain();
      expect(await stored.outboxMessages(queue)).toEqual([
        { kind: 'code:email_verification', status: 'pending', attempts: 1, erased: false },
      ]);

      mail = await startMailCatcher({ port });
      clock.advance(OUTBOX_FIRST_RETRY_MS);
      await server.built.deps.outbox.drain();
      const code = mail.latestCodeTo(user.email);
      const profile = await user.client.account.verifyEmail.mutate({ tempToken: answer.tempToken, code });
      expect(profile.emailVerified).toBe(true);
      expect(mail.messagesTo(user.email)).toHaveLength(1);
      expect(await stored.outboxMessages(queue)).toEqual([
        { kind: 'code:email_verification', status: 'sent', attempts: 2, erased: true },
      ]);
      // Finished rows are a record for a week, then pruned.
      clock.advance(OUTBOX_RETENTION_MS - MINUTE_MS);
      await server.built.deps.outbox.prune();
      expect(await stored.outboxMessages(queue)).toHaveLength(1);
      clock.advance(2 * MINUTE_MS);
      await server.built.deps.outbox.prune();
      expect(await stored.outboxMessages(queue)).toEqual([]);
    } finally {
      // The server's pooled SMTP connection goes first, or the SMTP server waits for it.
      await server.close();
      await mail?.close();
    }
  });

  it('a message that finally cannot be delivered gives its send back to the budget', async () => {
    const port = await freePort();
    const queue = queueName();
    const clock = new ManualClock();
    const server = await serverOn(port, queue, clock);
    const stored = testDatabase(server.built.deps.db);
    try {
      const user = await signUpOn(server);
      for (let i = 0; i < OTP_SENDS_PER_WINDOW; i++)
        await user.client.account.requestEmailVerification.mutate();
      await expect(user.client.account.requestEmailVerification.mutate()).rejects.toMatchObject({
        data: { code: 'TOO_MANY_REQUESTS' },
      });
      for (let attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
        await server.built.deps.outbox.drain();
        clock.advance(10 * MINUTE_MS);
      }
      const rows = await stored.outboxMessages(queue);
      expect(rows).toHaveLength(OTP_SENDS_PER_WINDOW);
      for (const row of rows) {
        expect(row).toEqual({
          kind: 'code:email_verification',
          status: 'failed',
          attempts: OUTBOX_MAX_ATTEMPTS,
          erased: true,
        });
      }
      // Nothing was delivered, so nothing was spent: the user may ask again.
      expect((await user.client.account.requestEmailVerification.mutate()).tempToken).toEqual(
        expect.any(String),
      );
    } finally {
      await server.close();
    }
  });
});

describe('a restart', () => {
  it('loses no queued message: the next instance sends it, once', async () => {
    const port = await freePort();
    const queue = queueName();
    const clock = new ManualClock();
    const dataDir = process.env.DATABASE_URL === undefined ? await makeTempDir('userhub-outbox-') : undefined;
    const database: TestServerOptions = dataDir === undefined ? {} : { pgliteDataDir: dataDir.dir };
    try {
      const first = await serverOn(port, queue, clock, database);
      let user: Awaited<ReturnType<typeof signUpOn>>;
      try {
        user = await signUpOn(first);
        await user.client.account.requestEmailVerification.mutate();
      } finally {
        await first.close();
      }
      const mail = await startMailCatcher({ port });
      const second = await serverOn(
        port,
        queue,
        new ManualClock(new Date(clock.now().getTime() + MINUTE_MS)),
        database,
      );
      try {
        await second.built.deps.outbox.drain();
        expect(mail.messagesTo(user.email)).toHaveLength(1);
        expect(mail.latestCodeTo(user.email)).toMatch(/^\d{6}$/);
        const stored = testDatabase(second.built.deps.db);
        expect((await stored.outboxMessages(queue)).map((row) => row.status)).toEqual(['sent']);
      } finally {
        await second.close();
        await mail.close();
      }
    } finally {
      await dataDir?.remove();
    }
  });
});

const t = useTestServer({ mail: true });

describe('email change', () => {
  it('answers alike, without waiting for SMTP, whether the new address is free or taken', async () => {
    const user = await t.users.signUp();
    const owner = await t.users.signUp();
    const free = `free-${Date.now().toString(36)}@example.com`;
    const release = t.mail.hold();
    let answers: { tempToken: string; expiresAt: Date; email: string }[];
    try {
      // SMTP holds every message unanswered: a request that waited for it would hang here.
      answers = [];
      for (const newEmail of [free, owner.email]) {
        answers.push(
          await user.client.account.requestEmailChange.mutate({ newEmail, password: user.password }),
        );
      }
      expect(t.mail.messagesTo(free)).toHaveLength(0);
    } finally {
      release();
    }
    const [toFree, toTaken] = answers;
    expect(Object.keys(toTaken!).sort()).toEqual(Object.keys(toFree!).sort());
    expect(toTaken!.expiresAt.getTime() - toFree!.expiresAt.getTime()).toBeGreaterThanOrEqual(0);
    await t.mail.waitForMessageTo(free, 1);
    await t.settle();
    expect(t.mail.messagesTo(owner.email)).toHaveLength(0);
  });
});
