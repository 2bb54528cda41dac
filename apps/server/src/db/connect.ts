import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CamelCasePlugin, Kysely, type LogEvent, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { PoolUse } from '../metrics.js';
import type { Database } from './schema.js';

export type DatabaseTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number }
  /** `dataDir: null` keeps the embedded database in memory (tests). */
  | { readonly kind: 'pglite'; readonly dataDir: string | null };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseTarget['kind'];
  /** Connections open, idle and awaited now (metrics); PGlite is one in-process connection. */
  poolUse(): PoolUse;
  close(): Promise<void>;
}

export function databaseTargetFor(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  return databaseUrl === undefined
    ? { kind: 'pglite', dataDir: path.resolve(dataDir, 'pglite') }
    : { kind: 'postgres', url: databaseUrl };
}

export interface DatabaseOptions {
  /** Called with each statement's SQL as it completes (statement-count tests, diagnostics). */
  readonly onStatement?: (sql: string) => void;
}

export async function openDatabase(
  target: DatabaseTarget,
  options: DatabaseOptions = {},
): Promise<DatabaseHandle> {
  const plugins = [new CamelCasePlugin()];
  const { onStatement } = options;
  const log = onStatement === undefined ? {} : { log: (event: LogEvent) => onStatement(event.query.sql) };
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
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
