import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createUserhubClient, type UserhubClient } from '@userhub/sdk';
import { type BuiltApp, buildApp } from '../src/app.js';
import { type Clock, systemClock } from '../src/clock.js';
import { type Config, loadConfig } from '../src/config.js';
import type { DatabaseTarget } from '../src/db/connect.js';
import { createLogger } from '../src/logger.js';

export interface TestServer {
  readonly url: string;
  readonly built: BuiltApp;
  /** Every line the server logged, for asserting that no secret reaches the log. */
  readonly logLines: string[];
  client(token?: string | (() => string | null)): UserhubClient;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly clock?: Clock;
  readonly env?: Record<string, string>;
  /** Persist the embedded database here (restart tests); default: in memory, or DATABASE_URL when set. */
  readonly pgliteDataDir?: string;
  /** Listen on this port (default: any free one), for tests whose configuration names its own URL. */
  readonly port?: number;
  /** Runs on the built app before it listens, e.g. to add a page a browser test loads. */
  readonly beforeListen?: (built: BuiltApp) => Promise<void> | void;
}

/** A real server on a free port, on PGlite by default and on PostgreSQL when DATABASE_URL is set. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const databaseUrl = process.env.DATABASE_URL;
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    APP_SECRET: 'test-app-secret-test-app-secret-0123456789',
    PASSWORD_HASH_CONCURRENCY: '2',
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    ...options.env,
  });
  const database: DatabaseTarget =
    options.pgliteDataDir !== undefined
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
  const built = await buildApp({
    config,
    database,
    clock: options.clock ?? systemClock,
    logger: createLogger(config, sink),
  });
  await options.beforeListen?.(built);
  const address = await built.app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  return {
    url: address,
    built,
    logLines,
    client: (token) => createUserhubClient({ url: address, ...(token === undefined ? {} : { token }) }),
    close: () => built.close(),
  };
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

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
