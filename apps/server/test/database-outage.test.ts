import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, uniqueUser } from './harness.js';
import { type PrivatePostgres, startPrivatePostgres } from './private-postgres.js';

/**
 * The database going away under load: its own PostgreSQL cluster is restarted and its
 * backends terminated while many `profile.me` calls run. The process must stay up, every
 * answer must be 200 or a 503 with Retry-After (never a 500, never slower than a few
 * seconds), and once PostgreSQL is back every request succeeds again.
 */

/** An answer slower than this counts as a hang. */
const HANG_MS = 5_000;
/** How soon after PostgreSQL is back every request must succeed. */
const RECOVERY_MS = 10_000;
const WORKERS = 16;

let postgres: PrivatePostgres;
let server: TestServer;
let token: string;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  server = await startTestServer({ database: { kind: 'postgres', url: postgres.url, poolSize: 8 } });
  const signedUp = await server.client().auth.signUp.mutate(uniqueUser());
  token = signedUp.token;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await postgres?.destroy();
}, 60_000);

interface Outcome {
  readonly status: number | 'hang' | 'network';
  readonly retryAfter: string | null;
  readonly ms: number;
  readonly body: string;
}

async function me(): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(`${server.url}/trpc/profile.me`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(HANG_MS),
    });
    const body = await response.text();
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      ms: performance.now() - started,
      body: body.slice(0, 200),
    };
  } catch (error) {
    const name = (error as Error).name;
    return {
      status: name === 'TimeoutError' ? 'hang' : 'network',
      retryAfter: null,
      ms: performance.now() - started,
      body: String(error),
    };
  }
}

/** WORKERS clients calling `profile.me` back to back until stopped. */
function startLoad() {
  const outcomes: Outcome[] = [];
  let running = true;
  const workers = Array.from({ length: WORKERS }, async () => {
    while (running) outcomes.push(await me());
  });
  return {
    outcomes,
    /** Resolves once `count` more answers have arrived. */
    async answers(count: number): Promise<void> {
      const target = outcomes.length + count;
      while (outcomes.length < target) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    async stop(): Promise<void> {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** Every answer was a 200 or a 503 naming when to retry, and none hung. */
function expectOnly200Or503(outcomes: readonly Outcome[]): void {
  const wrong = outcomes.filter(
    (o) => !(o.status === 200 || (o.status === 503 && o.retryAfter !== null && Number(o.retryAfter) > 0)),
  );
  expect(wrong.slice(0, 5), `${wrong.length} of ${outcomes.length} answers`).toEqual([]);
  const slowest = Math.max(...outcomes.map((o) => o.ms));
  expect(slowest).toBeLessThan(HANG_MS);
}

/** Polls until `profile.me` answers 200, then checks the next calls all do; answers the time taken. */
async function expectRecovery(): Promise<number> {
  const started = performance.now();
  for (;;) {
    const outcome = await me();
    if (outcome.status === 200) break;
    expect(performance.now() - started, `still ${outcome.status}: ${outcome.body}`).toBeLessThan(RECOVERY_MS);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const recoveredIn = performance.now() - started;
  const after = await Promise.all(Array.from({ length: 40 }, () => me()));
  expect(after.map((o) => o.status)).toEqual(after.map(() => 200));
  return recoveredIn;
}

describe('the database restarting under load', () => {
  it('backends terminated mid-load: only 200 or 503 + Retry-After, then all 200', async () => {
    const load = startLoad();
    await load.answers(100);
    for (let round = 0; round < 3; round++) {
      await postgres.sql(
        `select count(pg_terminate_backend(pid)) from pg_stat_activity
         where datname = 'userhub' and pid <> pg_backend_pid()`,
      );
      await load.answers(100);
    }
    await load.stop();
    expectOnly200Or503(load.outcomes);
    await expectRecovery();
    expect(server.logLines.some((line) => line.includes('database connection lost'))).toBe(true);
  }, 120_000);

  it('PostgreSQL stopped: /readyz and calls answer 503 quickly; started again: every call succeeds', async () => {
    const load = startLoad();
    await load.answers(100);
    await postgres.stop();
    const sinceStop = load.outcomes.length;
    await load.answers(200);
    const whileDown = load.outcomes.slice(sinceStop + WORKERS);
    expect(whileDown.length).toBeGreaterThan(100);
    expect(new Set(whileDown.map((o) => o.status))).toEqual(new Set([503]));

    const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(HANG_MS) });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable' });

    await postgres.start();
    const recoveredIn = await expectRecovery();
    await load.stop();
    expectOnly200Or503(load.outcomes);
    expect(recoveredIn).toBeLessThan(RECOVERY_MS);
    const readyAgain = await fetch(`${server.url}/readyz`);
    expect(readyAgain.status).toBe(200);
    const faults = server.logLines.filter((line) => line.includes('"level":50'));
    expect(faults.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('REST answers 503 with Retry-After in its own envelope while PostgreSQL is down', async () => {
    await postgres.stop();
    try {
      const answer = await fetch(`${server.url}/api/v1/profile/me`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(HANG_MS),
      });
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = await answer.json();
      expect(body).toMatchObject({ success: false, httpStatus: 'SERVICE_UNAVAILABLE' });
    } finally {
      await postgres.start();
    }
    await expectRecovery();
  }, 120_000);
});
