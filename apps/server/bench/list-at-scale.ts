/**
 * How the user list (SPEC §4: "must stay fast at a million users") performs at scale, side
 * by side with its baseline: the same queries with index use switched off, which is what a
 * missing index would cost. Reports the median of each shape and the ratio.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench
 *   BENCH_USERS=200000 pnpm bench        # fewer users; without DATABASE_URL runs on PGlite
 *
 * With DATABASE_URL it creates (and drops) its own database on that server.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { findTagIdsByKeys, type UserListFilter, userListQueries } from '../src/repositories/user-list.js';
import { PUBLIC_USER_COLUMNS } from '../src/services/profile-views.js';

/** A developer tool outside the server, configured by its own variables. */
const env = process.env;
const USERS = Number(env.BENCH_USERS ?? 1_000_000);
const RUNS = Number(env.BENCH_RUNS ?? 15);

async function withDatabase<T>(run: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const url = env.DATABASE_URL;
  if (url === undefined) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      return await run(handle);
    } finally {
      await handle.close();
    }
  }
  const name = `userhub_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${name}`;
  // One connection, so the planner settings of the baseline apply to the queries measured.
  const handle = await openDatabase({ kind: 'postgres', url: benchUrl.toString(), poolSize: 1 });
  try {
    return await run(handle);
  } finally {
    await handle.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function seed(handle: DatabaseHandle): Promise<void> {
  const { db } = handle;
  const started = Date.now();
  await sql`
    insert into users (email, user_name, password_hash, password_changed_at, first_name, last_name,
                       headline, referral_code, profile_completeness, role, created_at, updated_at)
    select 'user' || n || '@example.com', 'user-' || n, 'x', now(), 'First' || (n % 5000), 'Last' || (n % 7919),
           case when n % 10000 = 0 then 'Rare Needle Engineer' else 'Software Engineer ' || (n % 97) end,
           'R' || n, (n % 11) * 10, case when n % 50 = 0 then 'partner' else 'user' end,
           now() - n * interval '1 second', now()
    from generate_series(1, ${USERS}) as n
  `.execute(db);
  await sql`
    insert into tags (name, key, color)
    select 'tag-' || t, 'tag-' || t, '#000000' from generate_series(0, 199) as t
  `.execute(db);
  // Every user has three tags; tag-199 is rare (one user in a thousand).
  await sql`
    insert into user_tags (user_id, tag_id, position)
    select u.id, t.id, k.k from (select id, row_number() over () as n from users) u
    cross join generate_series(0, 2) as k(k)
    join tags t on t.key = 'tag-' || case when k.k = 0 and u.n % 1000 = 0 then 199 else (u.n + k.k * 31) % 199 end
    on conflict do nothing
  `.execute(db);
  await sql`analyze`.execute(db);
  console.log(
    `seeded ${USERS.toLocaleString('en')} users in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timePage(handle: DatabaseHandle, filter: UserListFilter, page: number): Promise<number> {
  const queries = userListQueries(handle.db, null, filter, { page, limit: 12 }, PUBLIC_USER_COLUMNS);
  const times: number[] = [];
  await Promise.all([queries.count.execute(), queries.page.execute()]);
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await queries.count.execute();
    await queries.page.execute();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

async function setIndexUse(handle: DatabaseHandle, enabled: boolean): Promise<void> {
  const value = sql.raw(enabled ? 'on' : 'off');
  await sql`set enable_indexscan = ${value}`.execute(handle.db);
  await sql`set enable_bitmapscan = ${value}`.execute(handle.db);
  await sql`set enable_indexonlyscan = ${value}`.execute(handle.db);
}

await withDatabase(async (handle) => {
  await migrateToLatest(handle.db);
  await seed(handle);
  const rareTag = await findTagIdsByKeys(handle.db, ['tag-199']);
  const shapes: Array<[string, UserListFilter, number]> = [
    ['search "needle"', { search: 'needle' }, 1],
    ['tag (1 in 1,000 users)', { tagIds: rareTag }, 1],
    ['role partner, page 1', { role: 'partner' }, 1],
    ['completeness 100, page 1', { completenessMin: 100 }, 1],
    ['unfiltered, page 1', {}, 1],
  ];
  console.log(`\nmedian of ${RUNS} runs (count + page), ${handle.kind}\n`);
  console.log('shape                         indexed ms   no-index ms   ratio');
  for (const [label, filter, page] of shapes) {
    await setIndexUse(handle, true);
    const indexed = await timePage(handle, filter, page);
    await setIndexUse(handle, false);
    const baseline = await timePage(handle, filter, page);
    await setIndexUse(handle, true);
    console.log(
      `${label.padEnd(28)} ${indexed.toFixed(2).padStart(11)} ${baseline.toFixed(2).padStart(13)} ${(baseline / indexed).toFixed(1).padStart(7)}x`,
    );
  }
});
