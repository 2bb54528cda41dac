/**
 * `pnpm bench` (issue #10): the request path and the user list measured side by side in one
 * run, over HTTP against the real server on PostgreSQL, with autocannon as the load. Pairs are
 * measured in interleaved rounds (A B A B …) and reported as medians; only the ratios mean
 * much on a shared machine. Not part of CI.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench
 *
 * Uses (and seeds once, ~2 min) the database `userhub_perf_bench` on that server;
 * BENCH_USERS (default 1,000,000), BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_SAMPLES (100);
 * BENCH_ONLY picks sections (comma-separated: me, byId, batch, signIn, flood, list).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { PROFILE_LIST_WINDOW } from '@userhub/core';
import { createUserhubClient } from '@userhub/sdk';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createPasswordHasher } from '../src/security/password-hasher.js';
import { benchDatabaseUrl } from './database.js';
import { POPULAR_TAGS, seedUsers } from './seed.js';

const env = process.env;
const USERS = Number(env.BENCH_USERS ?? 1_000_000);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const SAMPLES = Number(env.BENCH_SAMPLES ?? 100);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 10;
const SECTIONS = ['me', 'byId', 'batch', 'signIn', 'flood', 'list'] as const;
const ONLY = env.BENCH_ONLY?.split(',').map((name) => name.trim());
for (const name of ONLY ?? []) {
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`BENCH_ONLY: unknown section "${name}" (sections: ${SECTIONS.join(', ')})`);
}
const wanted = (section: (typeof SECTIONS)[number]) => ONLY === undefined || ONLY.includes(section);
/** The deepest page of 12 the list serves (page × limit ≤ the window). */
const DEEPEST = Math.floor(PROFILE_LIST_WINDOW / 12);
const PASSWORD = 'Bench-Horse-9-Battery';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;
const log = (line: string) => console.error(line);

// --- Database and server --------------------------------------------------------------------

const url = await benchDatabaseUrl();
const handle = await openDatabase({ kind: 'postgres', url, poolSize: 2, unbounded: true });
await migrateToLatest(handle.db);
await seedUsers(handle.db, USERS, log);

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--conditions=@userhub/source', 'bench/server.ts'],
  {
    env: { ...env, BENCH_DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const serverUrl = await new Promise<string>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line).url));
});
log(`server at ${serverUrl}`);

// --- Load -------------------------------------------------------------------------------------

interface Load {
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly token?: string;
  /** Several requests cycled through (autocannon `requests`). */
  readonly paths?: readonly string[];
}

interface Measured {
  readonly rps: number;
  readonly p99: number;
  readonly p50: number;
}

async function load(base: string, spec: Load, seconds = SECONDS): Promise<Measured> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (spec.token !== undefined) headers.authorization = `Bearer ${spec.token}`;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    requests: (spec.paths ?? [spec.path]).map((path) => ({
      method: spec.method ?? 'GET',
      path,
      ...(spec.body === undefined ? {} : { body: spec.body }),
    })),
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${spec.path}: ${failed} failed requests of ${result.requests.total}`);
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50 };
}

/** A and B in interleaved rounds after one unmeasured warm-up of each (JIT, pools); medians of each. */
async function pair(base: string, a: Load, b: Load) {
  const as: Measured[] = [];
  const bs: Measured[] = [];
  await load(base, a, WARMUP_SECONDS);
  await load(base, b, WARMUP_SECONDS);
  for (let round = 0; round < ROUNDS; round++) {
    as.push(await load(base, a));
    bs.push(await load(base, b));
  }
  const pick = (ms: Measured[]) => ({
    rps: median(ms.map((m) => m.rps)),
    p99: median(ms.map((m) => m.p99)),
    p50: median(ms.map((m) => m.p50)),
  });
  return { a: pick(as), b: pick(bs) };
}

const trpcQuery = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const trpcBatch = (procedure: string, inputs: unknown[]) =>
  `/trpc/${inputs.map(() => procedure).join(',')}?batch=1&input=${encodeURIComponent(
    JSON.stringify(Object.fromEntries(inputs.map((input, index) => [index, { json: input }]))),
  )}`;

// --- The run ----------------------------------------------------------------------------------

async function run(base: string): Promise<void> {
  const client = createUserhubClient({ url: base });
  const stamp = Date.now().toString(36);
  const signUp = async (name: string) =>
    client.auth.signUp.mutate({
      email: `bench-${name}-${stamp}@example.com`,
      password: PASSWORD,
      firstName: 'Bench',
      lastName: name,
    });
  const viewer = await signUp('viewer');
  const popular = await signUp('popular');
  const plain = await signUp('plain');
  const rare = await signUp('rare');
  // The last tags of the long tail: each carried by a handful of seeded users.
  await createUserhubClient({ url: base, token: rare.token }).profile.update.mutate({
    tags: ['bench tag 997', 'bench tag 998', 'bench tag 999'],
  });
  await createUserhubClient({ url: base, token: popular.token }).profile.update.mutate({
    tags: POPULAR_TAGS,
  });
  await createUserhubClient({ url: base, token: viewer.token }).profile.update.mutate({
    tags: [POPULAR_TAGS[0]!],
  });
  // The viewer bookmarks 300 seeded users (SQL: the API would take minutes for no insight).
  await sql`
    insert into bookmarks (owner_id, target_id)
    select ${viewer.user.id}, id from users where user_name like 'bench-%' and not is_private
    order by user_name limit 300
  `.execute(handle.db);
  const tenIds = (
    await sql<{
      id: string;
    }>`select id from users where user_name like 'bench-%' and not is_private limit 10`.execute(handle.db)
  ).rows.map((row) => row.id);
  const counts = await sql<{ key: string; entryCount: number }>`
    select key, entry_count from tags where key = any(${sql.val(POPULAR_TAGS)}::text[])
  `.execute(handle.db);
  log(`popular tags: ${counts.rows.map((r) => `${r.key} ${r.entryCount.toLocaleString('en')}`).join(', ')}`);

  const rows: string[][] = [];
  const add = (what: string, a: string, b: string, ratio: string, target: string, met: boolean | null) =>
    rows.push([what, a, b, ratio, target, met === null ? '' : met ? 'met' : 'NOT met']);
  const fmt = (m: Measured) => `${m.rps.toFixed(0)} req/s, p99 ${m.p99} ms`;

  if (wanted('me')) {
    log('profile.me vs hand-written route …');
    const me = await pair(
      base,
      { path: '/trpc/profile.me', token: viewer.token },
      { path: '/bench/me', token: viewer.token },
    );
    add(
      'profile.me vs hand-written /bench/me',
      fmt(me.a),
      fmt(me.b),
      `${(me.a.rps / me.b.rps).toFixed(2)}× req/s, p99 ${(me.a.p99 / me.b.p99).toFixed(2)}×`,
      '≥ 0.8× req/s, p99 ≤ 1.5×',
      me.a.rps / me.b.rps >= 0.8 && me.a.p99 <= 1.5 * me.b.p99,
    );
  }

  if (wanted('byId')) {
    log('profile.byId popular-tag user vs no-tag and rare-tag users …');
    const popularPath = { path: trpcQuery('profile.byId', { userId: popular.user.id }) };
    // Against no tag, and against the same answer size where only the tags' popularity differs.
    for (const [label, other] of [
      ['no tag', plain],
      ['3 rare tags', rare],
    ] as const) {
      const byId = await pair(base, popularPath, {
        path: trpcQuery('profile.byId', { userId: other.user.id }),
      });
      add(
        `byId: 3 popular tags vs ${label}`,
        fmt(byId.a),
        fmt(byId.b),
        `${(byId.a.rps / byId.b.rps).toFixed(2)}×`,
        '≥ 0.9×',
        byId.a.rps / byId.b.rps >= 0.9,
      );
    }
  }

  if (wanted('batch')) {
    log('10-call batch vs 10 single calls …');
    const batch = await pair(
      base,
      {
        path: trpcBatch(
          'profile.byId',
          tenIds.map((userId) => ({ userId })),
        ),
      },
      { path: '', paths: tenIds.map((userId) => trpcQuery('profile.byId', { userId })) },
    );
    const batchProcs = batch.a.rps * 10;
    add(
      '10 byId in one batch vs singles (procedures/s)',
      `${batchProcs.toFixed(0)} proc/s`,
      `${batch.b.rps.toFixed(0)} proc/s`,
      `${(batchProcs / batch.b.rps).toFixed(2)}×`,
      '≥ 3×',
      batchProcs / batch.b.rps >= 3,
    );
  }

  if (wanted('signIn')) {
    log('auth.signIn vs raw argon2id verify …');
    const signInBody = JSON.stringify({ json: { login: viewer.user.email, password: PASSWORD } });
    const hasher = createPasswordHasher(2);
    const stored = (
      await sql<{
        passwordHash: string;
      }>`select password_hash from users where id = ${viewer.user.id}`.execute(handle.db)
    ).rows[0]!.passwordHash;
    const verifies: number[] = [];
    const signIns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      signIns.push((await load(base, { path: '/trpc/auth.signIn', method: 'POST', body: signInBody })).rps);
      let done = 0;
      const until = Date.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (Date.now() < until) {
            await hasher.verify(stored, PASSWORD);
            done += 1;
          }
        }),
      );
      verifies.push(done / SECONDS);
    }
    const signInRate = median(signIns);
    const verifyRate = median(verifies);
    add(
      'auth.signIn vs argon2id verify (same params, concurrency 2)',
      `${signInRate.toFixed(1)} sign-ins/s`,
      `${verifyRate.toFixed(1)} verifies/s`,
      `${(signInRate / verifyRate).toFixed(2)}×`,
      '≥ 0.8×',
      signInRate / verifyRate >= 0.8,
    );
  }

  if (wanted('flood')) {
    log('profile.me alone vs during a sign-in flood …');
    // Another user's reads while ten connections sign in flat out: argon2 must not starve them.
    const reads: Load = { path: '/trpc/profile.me', token: plain.token };
    const flood: Load = {
      path: '/trpc/auth.signIn',
      method: 'POST',
      body: JSON.stringify({ json: { login: popular.user.email, password: PASSWORD } }),
    };
    const quiet: Measured[] = [];
    const flooded: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      quiet.push(await load(base, reads));
      flooded.push((await Promise.all([load(base, reads), load(base, flood)]))[0]);
    }
    const quietP99 = median(quiet.map((m) => m.p99));
    const floodedP99 = median(flooded.map((m) => m.p99));
    add(
      'profile.me p99 during a sign-in flood vs alone',
      `p99 ${floodedP99} ms`,
      `p99 ${quietP99} ms`,
      `${(floodedP99 / quietP99).toFixed(2)}×`,
      '≤ 2×',
      floodedP99 <= 2 * quietP99,
    );
  }

  if (wanted('list')) {
    log('list shapes over HTTP …');
    const shapes: Array<[string, Record<string, unknown>, string | undefined]> = [
      ['unfiltered, page 1', {}, undefined],
      [`unfiltered, deepest page (${DEEPEST})`, { page: DEEPEST }, undefined],
      ['role partner', { role: 'partner' }, undefined],
      ['tag: popular (~12%)', { tags: [POPULAR_TAGS[1]] }, undefined],
      ['tag: rare', { tags: ['bench tag 900'] }, undefined],
      ['completeness 90–100', { completenessMin: 90, completenessMax: 100 }, undefined],
      ['search "eng" (3 chars, nearly all)', { search: 'eng' }, undefined],
      ['search "needle" (rare)', { search: 'needle' }, undefined],
      ['name search "alan1234"', { search: 'alan1234' }, undefined],
      ['bookmarked only (300)', { bookmarkedOnly: true }, viewer.token],
    ];
    const times = shapes.map(() => [] as number[]);
    const totals = shapes.map(() => '');
    for (let sample = -5; sample < SAMPLES; sample++) {
      for (const [index, [, input, token]] of shapes.entries()) {
        const started = performance.now();
        const answer = await fetch(base + trpcQuery('profile.list', input), {
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        });
        const body = (await answer.json()) as {
          result?: { data: { json: { total: number; totalIsEstimate: boolean; items: unknown[] } } };
        };
        const elapsed = performance.now() - started;
        if (!answer.ok || body.result === undefined)
          throw new Error(`list ${shapes[index]![0]}: ${answer.status}`);
        const page = body.result.data.json;
        totals[index] =
          `${page.items.length} items, total ${page.totalIsEstimate ? '≈' : ''}${page.total.toLocaleString('en')}`;
        if (sample >= 0) times[index]!.push(elapsed);
      }
    }
    const p95s = times.map((t) => percentile(t, 95));
    shapes.forEach(([label], index) => {
      add(
        `list ${label} (${totals[index]})`,
        `p50 ${median(times[index]!).toFixed(1)} ms`,
        `p95 ${p95s[index]!.toFixed(1)} ms`,
        '',
        'p95 < 20 ms',
        p95s[index]! < 20,
      );
    });
    const deepRatio = median(times[1]!) / median(times[0]!);
    add('list deepest page vs page 1 (p50)', '', '', `${deepRatio.toFixed(2)}×`, '≤ 2×', deepRatio <= 2);
  }

  const cpu = os.cpus();
  console.log(
    `\n${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ` +
      `${USERS.toLocaleString('en')} users; PostgreSQL; autocannon ${CONNECTIONS} connections × ${SECONDS} s, ` +
      `${ROUNDS} interleaved rounds (medians); list: ${SAMPLES} sequential requests per shape, interleaved\n`,
  );
  const header = ['what', 'A', 'B', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

try {
  await run(serverUrl);
} finally {
  child.kill('SIGTERM');
  await handle.close();
}
