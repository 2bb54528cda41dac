import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { resolveResponse } from '@trpc/server/http';
import { createUserhubClient, readUserhubError, type UserhubClient, type UserhubError } from '@userhub/sdk';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { z } from 'zod';
import { type BuiltApp, buildApp } from '../src/app.js';
import { type Clock, ManualClock, systemClock } from '../src/clock.js';
import { type Config, loadConfig } from '../src/config.js';
import { type DatabaseHandle, type DatabaseTarget, openDatabase } from '../src/db/connect.js';
import { createLogger } from '../src/logger.js';
import { appRouter } from '../src/routers/_app.js';
import { normalizeRecoveryCode } from '../src/security/recovery-codes.js';
import { createContextFor } from '../src/trpc/context.js';
import { type TestDatabase, testDatabase } from './harness-db.js';
import {
  linesRevealing,
  type MailCatcher,
  type SmsSink,
  startMailCatcher,
  startSmsSink,
} from './mail-catcher.js';
import { type Dialect, expectEnvelope } from './rest-http.js';

/**
 * The one test harness: `useTestServer()` at the top level of a test file registers the
 * file's beforeAll/afterAll and answers everything a test needs from the running server
 * (real HTTP on a free port; PGlite by default, PostgreSQL when DATABASE_URL is set), its
 * clock, its mail and SMS sinks, a user factory and raw HTTP helpers. This module and
 * `harness-db.ts` are the only ones that reach into `src/`, so a move there changes them alone.
 */

/** The server's own rules the tests check against, named once here. */
export { DAY_MS, ManualClock, MINUTE_MS, SECOND_MS } from '../src/clock.js';
export { formatDateForPeople } from '../src/messaging/index.js';
export { REST_DIALECTS } from '../src/rest/index.js';
export { MAX_CODE_ATTEMPTS, OTP_TTL_MS } from '../src/security/one-time-codes.js';
export {
  OTP_SEND_WINDOW_SECONDS,
  OTP_SENDS_PER_WINDOW,
  PASSWORD_RESETS_PER_WINDOW,
  SIGN_IN_FAILURES_PER_ADDRESS,
  SIGN_IN_FAILURES_PER_LOGIN,
  SIGN_IN_WINDOW_SECONDS,
} from '../src/security/rate-limits.js';
export { normalizeRecoveryCode } from '../src/security/recovery-codes.js';
export { hashToken } from '../src/security/tokens.js';
export { TOTP_PERIOD_SECONDS, totpCodeAt } from '../src/security/totp.js';
export { MAX_OPEN_CHALLENGES } from '../src/services/auth.service.js';
export {
  OUTBOX_FIRST_RETRY_MS,
  OUTBOX_LEASE_MS,
  OUTBOX_MAX_ATTEMPTS,
  OUTBOX_RETENTION_MS,
} from '../src/services/outbox.js';
export { WEBAUTHN_CHALLENGE_TTL_MS } from '../src/services/passkeys.service.js';
export { PASSWORD_RESET_TTL_MS } from '../src/services/password-reset.service.js';

/** One tRPC procedure as the fuzz suite drives it: its path, kind and input as JSON Schema. */
export interface ProcedureEntry {
  readonly path: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly input: Record<string, unknown>;
}

/** Every procedure of the router, enumerated from the router itself (no list to keep in step). */
export function procedureCatalog(): ProcedureEntry[] {
  return Object.entries(appRouter._def.procedures).map(([path, procedure]) => {
    const def = (procedure as unknown as { _def: { type: ProcedureEntry['type']; inputs: z.ZodType[] } })
      ._def;
    const [schema] = def.inputs;
    let input: Record<string, unknown> = {};
    if (schema !== undefined) {
      try {
        input = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      } catch {
        input = {};
      }
    }
    return { path, type: def.type, input };
  });
}

// --- One server --------------------------------------------------------------------------

export interface TestServer {
  readonly url: string;
  readonly built: BuiltApp;
  /** Every line the server logged, for asserting that no secret reaches the log. */
  readonly logLines: string[];
  /** The SQL of every statement the server ran, in completion order (statement counts). */
  readonly statements: string[];
  client(token?: string | (() => string | null)): UserhubClient;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly clock?: Clock;
  readonly env?: Record<string, string>;
  /** Persist the embedded database here (restart tests); default: in memory, or DATABASE_URL when set. */
  readonly pgliteDataDir?: string;
  /** Overrides the choice above, e.g. a fresh in-memory PGlite even when DATABASE_URL is set. */
  readonly database?: DatabaseTarget;

  /** An database another test server opened: two instances on one embedded database. */
  readonly sharedDatabase?: DatabaseHandle;
  /** Listen on this port (default: any free one), for tests whose configuration names its own URL. */
  readonly port?: number;
  /** Runs on the built app before it listens, e.g. to add a page a browser test loads. */
  readonly beforeListen?: (built: BuiltApp) => Promise<void> | void;
}

/**
 * A real server on a free port, on PGlite by default and on PostgreSQL when DATABASE_URL is
 * set. `useTestServer` is the usual way in; this is for a test that starts and stops servers
 * itself (a restart on the same data directory).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const databaseUrl = process.env.DATABASE_URL;
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    APP_SECRET: 'test-app-secret-test-app-secret-0123456789',
    PASSWORD_HASH_CONCURRENCY: '2',
    // Test files share one database; each server sends only the mail it queued itself.
    OUTBOX_QUEUE: `test-${Math.random().toString(36).slice(2, 12)}`,
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    ...options.env,
  });
  const database: DatabaseTarget =
    options.database !== undefined
      ? options.database
      : options.pgliteDataDir !== undefined
        ? { kind: 'pglite', dataDir: options.pgliteDataDir }
        : databaseUrl !== undefined
          ? { kind: 'postgres', url: databaseUrl }
          : { kind: 'pglite', dataDir: null };
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const statements: string[] = [];
  const built = await buildApp({
    config,
    database,
    ...(options.sharedDatabase === undefined ? {} : { sharedDatabase: options.sharedDatabase }),
    clock: options.clock ?? systemClock,
    logger: createLogger(config, sink),
    // Kept only while a test counts (`countStatements`), so a long file holds no SQL log.
    onStatement: (text) => {
      if (counting > 0) statements.push(text);
    },
  });
  await options.beforeListen?.(built);
  const address = await built.app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  return {
    url: address,
    built,
    logLines,
    statements,
    client: (token) => createUserhubClient({ url: address, ...(token === undefined ? {} : { token }) }),
    close: () => built.close(),
  };
}

/** A request to `/trpc/<path>?<query>`: a GET unless it has a body. */
export interface TrpcRequest {
  readonly pathAndQuery: string;
  readonly authorization?: string;
  readonly body?: string;
  readonly contentType?: string;
}

const trpcRequestInit = ({ authorization, body, contentType }: TrpcRequest): RequestInit => ({
  method: body === undefined ? 'GET' : 'POST',
  headers: {
    ...(authorization === undefined ? {} : { authorization }),
    ...(contentType === undefined ? {} : { 'content-type': contentType }),
  },
  ...(body === undefined ? {} : { body }),
});

/** The request sent to a running server over HTTP. */
export const sendTrpcRequest = (url: string, request: TrpcRequest): Promise<Response> =>
  fetch(url + request.pathAndQuery, trpcRequestInit(request));

/**
 * What tRPC itself (`resolveResponse`, the core of every tRPC adapter) answers to a request
 * for this app's router and context: the reference the server's own tRPC route is compared with.
 */
export async function trpcReferenceAnswer(
  built: Pick<BuiltApp, 'deps' | 'services'>,
  request: TrpcRequest,
): Promise<{ status: number; contentType: string | null; vary: string | null; body: string }> {
  const url = new URL(request.pathAndQuery, 'http://reference.test');
  const response = await resolveResponse({
    router: appRouter,
    req: new Request(url, trpcRequestInit(request)),
    path: url.pathname.replace(/^\/trpc\//, ''),
    error: null,
    createContext: () =>
      createContextFor(built.deps, built.services, request.authorization, {
        ip: '127.0.0.1',
        userAgent: null,
      }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    vary: response.headers.get('vary'),
    body: await response.text(),
  };
}

let counting = 0;
/** Opens a database for several test servers to share (`sharedDatabase`); the caller closes it. */
export const openSharedDatabase = openDatabase;

/** A loopback port that was free a moment ago (for a server a test starts on a port it must name). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

// --- Fresh data --------------------------------------------------------------------------

let counter = 0;
/** A fresh identity per test: no state is shared between tests, even on one database. */
export function uniqueUser(
  overrides: Partial<{ firstName: string; lastName: string; password: string }> = {},
) {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return {
    email: `user-${tag}@example.com`,
    password: overrides.password ?? 'Correct-Horse-9-Battery',
    firstName: overrides.firstName ?? 'Alice',
    lastName: overrides.lastName ?? 'Bob',
  };
}

export const randomOctet = () => 1 + Math.floor(Math.random() * 254);
export const randomIp = () => `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`;

/** A valid UK number in the range Ofcom keeps for drama, different for every call. */
export function newPhoneNumber(): string {
  return `+44207946${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
}

/** A 6-digit code that is none of `codes`. */
export function wrongCode(...codes: string[]): string {
  for (let n = 0; ; n++) {
    const candidate = String(n * 111_111 + 7)
      .padStart(6, '0')
      .slice(-6);
    if (!codes.includes(candidate)) return candidate;
  }
}

/** Awaits a call that must fail and returns the API error it failed with. */
export async function expectError(promise: Promise<unknown>): Promise<UserhubError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  const read = readUserhubError(error);
  expect(read, `not an API error: ${String(error)}`).not.toBeNull();
  return read!;
}

// --- Raw HTTP ----------------------------------------------------------------------------

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A parsed JSON answer, navigated by the tests without ceremony. */
// biome-ignore lint/suspicious/noExplicitAny: answers are checked key by key at run time.
export type Json = any;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  readonly body: Json;
}

export interface SendOptions {
  readonly token?: string;
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent as is; pair it with `contentType`. */
  readonly raw?: string;
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string>>;
  /** More request headers, e.g. `x-password`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One real `fetch` against `baseUrl`, exactly as a client without the SDK sends it. */
async function send(
  baseUrl: string,
  method: HttpMethod,
  urlPath: string,
  options: SendOptions,
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.raw !== undefined) body = options.raw;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const search = new URLSearchParams(options.query ?? {}).toString();
  const response = await fetch(`${baseUrl}${urlPath}${search === '' ? '' : `?${search}`}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

// --- Users -------------------------------------------------------------------------------

export interface SignedUpUser {
  readonly token: string;
  readonly id: string;
  readonly userName: string;
  readonly email: string;
  readonly password: string;
  readonly firstName: string;
  readonly lastName: string;
  /** A client carrying this user's session token. */
  readonly client: UserhubClient;
}

/** What a test may fix about a new account; the rest is fresh for every call. */
export type SignUpExtras = Partial<{
  email: string;
  firstName: string;
  lastName: string;
  username: string;
  referralCode: string;
}>;

/** An account made through a REST dialect's own sign-up route. */
export interface RestUser {
  readonly id: string;
  readonly token: string;
  readonly userName: string;
  readonly email: string;
  readonly password: string;
}

export interface RestSignUpFields {
  email?: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  middleName?: string;
  username?: string;
}

const SIGN_UP_PATH: Record<Dialect, string> = { classic: '/v1/auth/signup', profile: '/api/v1/auth/signup' };
const SIGN_IN_PATH: Record<Dialect, string> = { classic: '/v1/auth/login', profile: '/api/v1/auth/signin' };

// --- The harness -------------------------------------------------------------------------

export interface UseTestServerOptions {
  /** A manual clock (`t.clock`, starting now or at the given time), moved by hand to test expiry without sleeping. */
  readonly clock?: true | Date;
  /** More server settings, on top of the harness's own. */
  readonly env?: Record<string, string>;
  /** Mail through a real in-process SMTP server (`t.mail`). */
  readonly mail?: boolean;
  /** Texts through an in-process SMS webhook (`t.sms`). */
  readonly sms?: boolean;
  /**
   * The server trusts X-Forwarded-For and every SDK client of this file sends one address
   * (`t.fileIp`), so the file's sign-in failures are counted under its own address and
   * cannot throttle other files sharing a database; it is also what the audit log records.
   */
  readonly ownAddress?: boolean;
  /**
   * Erase the accounts made with `t.users.signUpOverRest` after each test, so fixed seed
   * names (`john_doe`) are free again for the next one.
   */
  readonly eraseRestUsersAfterEach?: boolean;
}

/**
 * Registers this file's beforeAll/afterAll (sinks, then the server) and answers the harness
 * bound to them. Call it at the top level of a test file, once per server the file needs.
 */
export function useTestServer(options: UseTestServerOptions = {}) {
  const manualClock =
    options.clock === undefined
      ? undefined
      : new ManualClock(options.clock === true ? new Date() : options.clock);
  const fileIp = options.ownAddress === true ? randomIp() : undefined;
  let server: TestServer | undefined;
  let mail: MailCatcher | undefined;
  let sms: SmsSink | undefined;
  let database: TestDatabase | undefined;
  const restUsers: string[] = [];

  /** Every code, token, key and password this file saw: none may reach a log line or an error message. */
  const secrets = new Set<string>();
  const errorTexts: string[] = [];

  beforeAll(async () => {
    [mail, sms] = await Promise.all([
      options.mail === true ? startMailCatcher() : undefined,
      options.sms === true ? startSmsSink() : undefined,
    ]);
    server = await startTestServer({
      ...(manualClock === undefined ? {} : { clock: manualClock }),
      env: {
        ...(mail === undefined ? {} : { SMTP_URL: mail.smtpUrl }),
        ...(sms === undefined ? {} : { SMS_WEBHOOK_URL: sms.url }),
        ...options.env,
        ...(fileIp === undefined ? {} : { TRUST_PROXY: 'true' }),
      },
    });
    database = testDatabase(server.built.deps.db);
  });
  if (options.eraseRestUsersAfterEach === true) {
    afterEach(async () => {
      await database?.eraseUsers(restUsers.splice(0));
    });
  }
  afterAll(async () => {
    await server?.close();
    await Promise.all([mail?.close(), sms?.close()]);
  });

  function started<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`${what}: use it inside a test (or pass its option)`);
    return value;
  }
  const running = () => started(server, 'the test server starts in beforeAll');
  const mailSink = () => started(mail, 'the mail sink needs { mail: true }');
  const smsSink = () => started(sms, 'the SMS sink needs { sms: true }');

  /**
   * Waits until the outbox has sent everything due, so a test reads a message as soon as the
   * call that queued it has answered. Skipped while the catcher holds mail (the point then is
   * that answers do not wait for SMTP).
   */
  async function settle(): Promise<void> {
    if (mail?.isHeld() === true) return;
    await server?.built.deps.outbox.drain();
  }
  const settlingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    await settle();
    return response;
  };
  const sendSettled = async (...args: Parameters<typeof send>): Promise<Answer> => {
    const answer = await send(...args);
    await settle();
    return answer;
  };

  /** A client (from this file's address with `ownAddress`, or from `ip`); its token counts as a secret. */
  function client(token?: string, ip = fileIp): UserhubClient {
    if (token !== undefined) secrets.add(token);
    return createUserhubClient({
      url: running().url,
      fetch: settlingFetch,
      ...(ip === undefined ? {} : { headers: { 'x-forwarded-for': ip } }),
      ...(token === undefined ? {} : { token }),
    });
  }

  /** Awaits a call that must fail; its error joins the texts the log-hygiene check reads. */
  async function refused(call: Promise<unknown>): Promise<UserhubError> {
    const error = await expectError(call);
    errorTexts.push(JSON.stringify(error));
    return error;
  }

  const users = {
    /** Signs a fresh user up through the SDK. */
    async signUp(extras: SignUpExtras = {}): Promise<SignedUpUser> {
      const { username, referralCode, email, ...names } = extras;
      const input = {
        ...uniqueUser(names),
        ...(email === undefined ? {} : { email }),
        ...(username === undefined ? {} : { username }),
        ...(referralCode === undefined ? {} : { referralCode }),
      };
      secrets.add(input.password);
      const { token, user } = await client().auth.signUp.mutate(input);
      return {
        token,
        id: user.id,
        userName: user.userName,
        email: input.email,
        password: input.password,
        firstName: input.firstName,
        lastName: input.lastName,
        client: client(token),
      };
    },

    async signIn(login: string, password: string): Promise<{ token: string; client: UserhubClient }> {
      secrets.add(password);
      const result = await client().auth.signIn.mutate({ login, password });
      if (result.status !== 'signed_in') throw new Error(`expected a session, got ${result.status}`);
      return { token: result.token, client: client(result.token) };
    },

    /** Verifies the user's email with the code the mail sink received. */
    async verifyEmail(user: { readonly email: string; readonly client: UserhubClient }) {
      const { tempToken } = await user.client.account.requestEmailVerification.mutate();
      secrets.add(tempToken);
      return user.client.account.verifyEmail.mutate({ tempToken, code: mailSink().latestCodeTo(user.email) });
    },

    /** Verifies `phoneNumber` as the user's phone with the code the SMS sink received. */
    async verifyPhone(user: { readonly client: UserhubClient }, phoneNumber: string) {
      const { tempToken } = await user.client.account.requestPhoneVerification.mutate({ phoneNumber });
      secrets.add(tempToken);
      return user.client.account.verifyPhone.mutate({ tempToken, code: smsSink().latestCodeTo(phoneNumber) });
    },

    /** Deactivates the account the way its owner does (`account.deactivate`). */
    async deactivate(user: { readonly client: UserhubClient; readonly password: string }): Promise<void> {
      await user.client.account.deactivate.mutate({ password: user.password });
    },

    /** Signs up through the dialect's own route, expecting its 201 envelope. */
    async signUpOverRest(dialect: Dialect, fields: RestSignUpFields = {}): Promise<RestUser> {
      const base = uniqueUser();
      const input = {
        email: fields.email ?? base.email,
        password: fields.password ?? base.password,
        firstName: fields.firstName ?? base.firstName,
        lastName: fields.lastName ?? base.lastName,
        ...(fields.middleName === undefined ? {} : { middleName: fields.middleName }),
        ...(fields.username === undefined ? {} : { username: fields.username }),
      };
      const answer = await sendSettled(running().url, 'POST', SIGN_UP_PATH[dialect], { json: input });
      expectEnvelope(dialect, answer, 201);
      const { token, user } = answer.body.data;
      const id: string = dialect === 'classic' ? user._id : user.id;
      restUsers.push(id);
      return { id, token, userName: user.userName, email: user.email, password: input.password };
    },

    signInOverRest(dialect: Dialect, login: string, password: string): Promise<Answer> {
      return sendSettled(running().url, 'POST', SIGN_IN_PATH[dialect], { json: { login, password } });
    },
  };

  /** Every 6-digit code the sinks delivered. */
  function codesSent(): Set<string> {
    return new Set([...(mail?.codesSent() ?? []), ...(sms?.codesSent() ?? [])]);
  }

  const http = {
    /** A REST request as a legacy client sends it. */
    rest: (method: HttpMethod, urlPath: string, sendOptions: SendOptions = {}) =>
      sendSettled(running().url, method, urlPath, sendOptions),
    /** The raw JSON a tRPC query answers over HTTP, exactly as it travels (no SDK in between). */
    async trpcQuery(
      procedure: string,
      input: unknown,
      token?: string,
    ): Promise<{ status: number; text: string }> {
      const query = encodeURIComponent(JSON.stringify({ json: input }));
      const response = await fetch(`${running().url}/trpc/${procedure}?input=${query}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      return { status: response.status, text: await response.text() };
    },
  };

  return {
    get url(): string {
      return running().url;
    },
    /** Every line the server logged. */
    get logLines(): readonly string[] {
      return running().logLines;
    },
    get clock(): ManualClock {
      return started(manualClock, 'the manual clock needs { clock: true }');
    },
    get mail(): MailCatcher {
      return mailSink();
    },
    get sms(): SmsSink {
      return smsSink();
    },
    /** The address this file's clients send (with `ownAddress`). */
    get fileIp(): string {
      return started(fileIp, 'the file address needs { ownAddress: true }');
    },
    /** The running server's dependencies, for tests that read its gauges (metrics, the hasher queue). */
    get deps(): TestServer['built']['deps'] {
      return running().built.deps;
    },
    /**
     * The SQL statements the server ran while `run` did (all of them: run nothing else at the
     * same time), for the statement-count tests.
     */
    async countStatements(run: () => Promise<unknown>): Promise<string[]> {
      const statements = running().statements;
      statements.length = 0;
      counting += 1;
      try {
        await run();
      } finally {
        counting -= 1;
      }
      return statements.splice(0);
    },
    /** Sends every queued message that is due now and waits for it (the SDK clients do this after each call). */
    settle,
    /** The running server's services, for running a background job's round by hand (the purge). */
    get services(): TestServer['built']['services'] {
      return running().built.services;
    },
    /** The few states no public API reaches, and what is stored at rest. */
    get db(): TestDatabase {
      return started(database, 'the test database opens in beforeAll');
    },
    secrets,
    client,
    expectError: refused,
    users,
    http,

    async expectSignedOut(token: string): Promise<void> {
      const error = await refused(client(token).profile.me.query());
      expect(error.code).toBe('UNAUTHORIZED');
    },

    /** Counts recovery codes as secrets, as answered and as normalized. */
    remember<T extends string>(values: readonly T[]): T[] {
      for (const value of values) {
        secrets.add(value);
        secrets.add(normalizeRecoveryCode(value));
      }
      return [...values];
    },

    codesSent,

    /**
     * The log-hygiene check: no log line and no error message of this file carries a secret it
     * saw or any code the sinks delivered, and there was enough of each for that to mean something.
     */
    expectNoSecretsLeaked({ codesSentMoreThan }: { readonly codesSentMoreThan: number }): void {
      const { logLines } = running();
      const sent = codesSent();
      const all = new Set([...secrets, ...sent]);
      expect(sent.size).toBeGreaterThan(codesSentMoreThan);
      expect(logLines.length).toBeGreaterThan(0);
      expect(errorTexts.length).toBeGreaterThan(0);
      expect(linesRevealing(logLines, all)).toEqual([]);
      expect(linesRevealing(errorTexts, all)).toEqual([]);
    },
  };
}

export type TestContext = ReturnType<typeof useTestServer>;
