import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CamelCasePlugin, Kysely, type LogEvent, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { PoolUse } from '../metrics.js';
import type { Database } from './schema.js';

export type DatabaseTarget =
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** Bulk maintenance (the benchmark's seed): no statement or query timeout. */
      readonly unbounded?: boolean;
    }
  /** `dataDir: null` keeps the embedded database in memory (tests). */
  | { readonly kind: 'pglite'; readonly dataDir: string | null };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseTarget['kind'];
  /** Connections open, idle and awaited now (metrics); PGlite is one in-process connection. */
  poolUse(): PoolUse;
  close(): Promise<void>;
}

/**
 * How long a request waits for PostgreSQL before it is answered 503: a new connection
 * (while the server is down or restarting) and one statement. Short enough that no request
 * hangs, long enough for the slowest query the service runs (a list over 10,000 users takes
 * milliseconds; see docs/scaling.md).
 */
export const DATABASE_CONNECT_TIMEOUT_MS = 2_000;
export const DATABASE_STATEMENT_TIMEOUT_MS = 10_000;
/** The driver's own bound, for a server that stops answering without closing the socket. */
export const DATABASE_QUERY_TIMEOUT_MS = DATABASE_STATEMENT_TIMEOUT_MS + 2_000;
/** A transaction left open (a request that died half-way) releases its locks after this long. */
export const DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

export interface OpenDatabaseOptions {
  /**
   * Told of a connection that broke outside any query (PostgreSQL restarted, a backend was
   * terminated). The pool drops that connection and opens a new one when next needed; without
   * a listener, the 'error' event would end the process.
   */
  readonly onConnectionError?: (error: Error) => void;
  /** Called with each statement's SQL as it completes (statement-count tests, diagnostics). */
  readonly onStatement?: (sql: string) => void;
}

export function databaseTargetFor(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  return databaseUrl === undefined
    ? { kind: 'pglite', dataDir: path.resolve(dataDir, 'pglite') }
    : { kind: 'postgres', url: databaseUrl };
}

export async function openDatabase(
  target: DatabaseTarget,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const plugins = [new CamelCasePlugin()];
  const { onStatement } = options;
  const log = onStatement === undefined ? {} : { log: (event: LogEvent) => onStatement(event.query.sql) };
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
      ...(target.unbounded === true
        ? {}
        : { query_timeout: DATABASE_QUERY_TIMEOUT_MS, statement_timeout: DATABASE_STATEMENT_TIMEOUT_MS }),
      idle_in_transaction_session_timeout: DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    });
    const onConnectionError = (error: Error) => options.onConnectionError?.(error);
    // An idle connection that breaks is reported on the pool; one checked out (inside a
    // transaction, between two statements) only on its own client, which the pool leaves
    // without a listener while it is lent. Both are answered here, so neither ends the process;
    // the query that used it fails and the pool discards it on release.
    pool.on('error', onConnectionError);
    pool.on('connect', (client) => client.on('error', onConnectionError));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins, ...log });
    const max = target.poolSize ?? 10;
    return {
      db,
      kind: 'postgres',
      poolUse: () => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => db.destroy(),
    };
  }
  if (target.dataDir !== null) await mkdir(target.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(target.dataDir === null ? {} : { dataDir: target.dataDir }),
    extensions: { pg_trgm },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), plugins, ...log });
  return {
    db,
    kind: 'pglite',
    poolUse: () => ({ max: 1, total: 1, idle: null, waiting: null }),
    close: () => db.destroy(),
  };
}
