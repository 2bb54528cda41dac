import { createUserhubClient, type UserhubClient, type UserhubError } from '@userhub/sdk';
import { afterAll, beforeAll, expect } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { normalizeRecoveryCode } from '../src/security/recovery-codes.js';
import { startTestServer, type TestServer, uniqueUser } from './harness.js';
import { expectError } from './helpers.js';
import { linesRevealing, type MessageSinks, startMessageSinks } from './mail-catcher.js';

/**
 * What the security flow test files share: a server on a fake clock that mails through a real
 * SMTP server and texts through an SMS webhook sink, clients that speak from the file's own
 * address, and the bookkeeping for the log-hygiene check (every secret the file saw, every
 * error it was refused with).
 */

export const randomOctet = () => 1 + Math.floor(Math.random() * 254);
export const randomIp = () => `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`;

/** A valid UK number in the range Ofcom keeps for drama, different for every call. */
export function newPhoneNumber(): string {
  return `+44207946${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
}

export interface SecurityContextOptions {
  /** More server settings (e.g. MAIL_FROM), on top of the sinks' SMTP_URL and SMS_WEBHOOK_URL. */
  readonly env?: Record<string, string>;
}

/** What a test may fix about a new account; the rest is fresh for every call. */
export interface NewUserOverrides {
  readonly email?: string;
  readonly username?: string;
}

/**
 * Registers this file's beforeAll/afterAll (message sinks, then the server) and answers the
 * helpers bound to them. Call it once, at the top level of a test file: each call has its own
 * clock, address and secrets.
 */
export function useSecurityContext(options: SecurityContextOptions = {}) {
  const clock = new ManualClock();
  let server: TestServer | undefined;
  let sinks: MessageSinks | undefined;

  /** Every code, token, key and password this file saw: none may reach a log line or an error message. */
  const secrets = new Set<string>();
  const errorTexts: string[] = [];

  /**
   * The server trusts X-Forwarded-For here (TRUST_PROXY), so this file's sign-in failures are
   * counted under its own address and cannot throttle other test files sharing a database; it
   * is also the address the audit log records for this file's requests.
   */
  const fileIp = randomIp();

  beforeAll(async () => {
    sinks = await startMessageSinks();
    server = await startTestServer({
      clock,
      env: { ...sinks.env, ...options.env, TRUST_PROXY: 'true' },
    });
  });
  afterAll(async () => {
    await server?.close();
    await sinks?.close();
  });

  function startedServer(): TestServer {
    if (server === undefined) throw new Error('the test server starts in beforeAll: use it inside a test');
    return server;
  }

  function startedSinks(): MessageSinks {
    if (sinks === undefined) throw new Error('the message sinks start in beforeAll: use them inside a test');
    return sinks;
  }

  /** A client from this file's address (or `ip`); its token counts as a secret. */
  function client(token?: string, ip = fileIp): UserhubClient {
    if (token !== undefined) secrets.add(token);
    return createUserhubClient({
      url: startedServer().url,
      headers: { 'x-forwarded-for': ip },
      ...(token === undefined ? {} : { token }),
    });
  }

  /** Awaits a call that must fail; its error joins the texts the log-hygiene check reads. */
  async function refused(call: Promise<unknown>): Promise<UserhubError> {
    const error = await expectError(call);
    errorTexts.push(JSON.stringify(error));
    return error;
  }

  async function newUser(overrides: NewUserOverrides = {}) {
    const input = { ...uniqueUser(), ...overrides };
    secrets.add(input.password);
    const { token, user } = await client().auth.signUp.mutate(input);
    return { ...input, id: user.id, userName: user.userName, token, api: client(token) };
  }

  async function signIn(login: string, password: string) {
    secrets.add(password);
    const result = await client().auth.signIn.mutate({ login, password });
    if (result.status !== 'signed_in') throw new Error(`expected a session, got ${result.status}`);
    return { token: result.token, api: client(result.token) };
  }

  async function expectSignedOut(token: string): Promise<void> {
    const error = await refused(client(token).profile.me.query());
    expect(error.code).toBe('UNAUTHORIZED');
  }

  async function verifyEmail(user: { readonly email: string; readonly api: UserhubClient }) {
    const { tempToken } = await user.api.account.requestEmailVerification.mutate();
    secrets.add(tempToken);
    return user.api.account.verifyEmail.mutate({
      tempToken,
      code: startedSinks().mail.latestCodeTo(user.email),
    });
  }

  /** Counts recovery codes as secrets, as answered and as normalized. */
  function remember<T extends string>(values: readonly T[]): T[] {
    for (const value of values) {
      secrets.add(value);
      secrets.add(normalizeRecoveryCode(value));
    }
    return [...values];
  }

  /**
   * The log-hygiene check: no log line and no error message of this file carries a secret it
   * saw or any code the sinks delivered, and there was enough of each for that to mean something.
   */
  function expectNoSecretsLeaked({ codesSentMoreThan }: { readonly codesSentMoreThan: number }): void {
    const { logLines } = startedServer();
    const codesSent = startedSinks().codesSent();
    const all = new Set([...secrets, ...codesSent]);
    expect(codesSent.size).toBeGreaterThan(codesSentMoreThan);
    expect(logLines.length).toBeGreaterThan(0);
    expect(errorTexts.length).toBeGreaterThan(0);
    expect(linesRevealing(logLines, all)).toEqual([]);
    expect(linesRevealing(errorTexts, all)).toEqual([]);
  }

  return {
    clock,
    fileIp,
    secrets,
    server: startedServer,
    sinks: startedSinks,
    client,
    refused,
    newUser,
    signIn,
    expectSignedOut,
    verifyEmail,
    remember,
    expectNoSecretsLeaked,
  };
}

export type SecurityContext = ReturnType<typeof useSecurityContext>;
export type SecurityTestUser = Awaited<ReturnType<SecurityContext['newUser']>>;
