import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';

const METRICS_TOKEN = 'metrics-token-for-the-operations-test-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const server = useTestServer({ env: { METRICS_TOKEN, PASSWORD_HASH_CONCURRENCY: '1' } });
const plain = useTestServer();

const parsedLines = () => server.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('x-request-id (SPEC §9)', () => {
  const answers: [string, RequestInit & { path: string }][] = [
    [
      'a tRPC query',
      { path: '/trpc/profile.byUsername?input=%7B%22json%22%3A%7B%22username%22%3A%22nobody%22%7D%7D' },
    ],
    ['a REST error', { path: '/v1/account' }],
    ['the health check', { path: '/healthz' }],
    ['an unknown path (404)', { path: '/no/such/page' }],
    [
      'malformed JSON (400)',
      { path: '/v1/auth/login', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' },
    ],
  ];

  it.each(answers)('echoes an acceptable id on %s', async (_name, { path, ...init }) => {
    const id = `req.${randomUUID().slice(0, 8)}_ok-1`;
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), 'x-request-id': id },
    });
    await response.arrayBuffer();
    expect(response.headers.get('x-request-id')).toBe(id);
  });

  it('generates one when none is sent or the one sent breaks the pattern', async () => {
    for (const sent of [undefined, 'has space', 'x'.repeat(129), 'semi;colon']) {
      const response = await fetch(`${server.url}/healthz`, {
        headers: sent === undefined ? {} : { 'x-request-id': sent },
      });
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(UUID);
      expect(id).not.toBe(sent);
    }
  });

  it('marks every log line of the request, the mail it sent included, exactly once', async () => {
    const user = await server.users.signUp();
    const id = `verify-${randomUUID()}`;
    const response = await fetch(`${server.url}/trpc/account.requestEmailVerification`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${user.token}`,
        'content-type': 'application/json',
        'x-request-id': id,
      },
      body: '{}',
    });
    expect(response.status).toBe(200);
    // The mail leaves through the outbox, after the answer.
    await server.settle();

    const lines = parsedLines().filter((line) => line.reqId === id);
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain('incoming request');
    expect(messages).toContain('mail (no SMTP_URL configured)');
    expect(messages).toContain('request completed');
    expect(lines.find((line) => line.msg === 'mail (no SMTP_URL configured)')?.to).toBe(user.email);
    // A second copy of the key would make the line ambiguous to log collectors.
    const raw = server.logLines.filter((line) => line.includes(id));
    expect(raw.length).toBe(lines.length);
    for (const line of raw) expect(line.match(/"reqId"/g)).toHaveLength(1);
  });

  it('keeps concurrent requests apart', async () => {
    const users = await Promise.all([server.users.signUp(), server.users.signUp(), server.users.signUp()]);
    const ids = users.map((_, i) => `parallel-${i}-${randomUUID().slice(0, 8)}`);
    await Promise.all(
      users.map((user, i) =>
        fetch(`${server.url}/trpc/account.requestEmailVerification`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${user.token}`,
            'content-type': 'application/json',
            'x-request-id': ids[i]!,
          },
          body: '{}',
        }),
      ),
    );
    await server.settle();
    const mailLines = parsedLines().filter((line) => line.msg === 'mail (no SMTP_URL configured)');
    users.forEach((user, i) => {
      expect(mailLines.find((line) => line.to === user.email)?.reqId).toBe(ids[i]);
    });
  });
});

/** The value of one series in Prometheus text format, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const present = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => present.includes(`${key}="${value}"`)))
      return Number(match[3]);
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const response = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describe('/metrics (SPEC §9)', () => {
  it('answers 401 without the token or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${METRICS_TOKEN}` },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${server.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('userhub_');
    }
  });

  it('is not there at all when METRICS_TOKEN is unset', async () => {
    const response = await fetch(`${plain.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(404);
  });

  it('counts requests by procedure and status, sign-in outcomes, codes sent and pool use', async () => {
    const before = await scrape();
    const meLabels = { route: 'trpc:profile.me', status: '200' };
    const signedIn = { step: 'password', outcome: 'signed_in' };
    const rejected = { step: 'password', outcome: 'invalid_credentials' };
    const mailed = { channel: 'email', purpose: 'email_verification' };

    const user = await server.users.signUp();
    await user.client.profile.me.query();
    await server.client().auth.signIn.mutate({ login: user.email, password: user.password });
    await server.expectError(
      server.client().auth.signIn.mutate({ login: user.email, password: 'Wrong-Password-42' }),
    );
    await user.client.account.requestEmailVerification.mutate();
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(moved('userhub_http_request_duration_seconds_count', meLabels)).toBe(1);
    expect(
      sample(after, 'userhub_http_request_duration_seconds_bucket', { ...meLabels, le: '+Inf' }),
    ).toBeGreaterThan(0);
    expect(moved('userhub_sign_ins_total', signedIn)).toBe(1);
    expect(moved('userhub_sign_ins_total', rejected)).toBe(1);
    expect(moved('userhub_codes_sent_total', mailed)).toBe(1);
    expect(sample(after, 'userhub_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(sample(after, 'userhub_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
    // No raw URL ever becomes a label: ids and query strings would make the series unbounded.
    expect(after).not.toMatch(/route="[^"]*\?/);
  });

  it('reports the argon2 queue while hashes wait for a slot', async () => {
    const { hasher, metrics } = server.deps;
    const pending = [
      hasher.hash('one-Password-1'),
      hasher.hash('two-Password-2'),
      hasher.hash('three-Password-3'),
    ];
    await Promise.resolve();
    await Promise.resolve();
    const during = await metrics.registry.getSingleMetricAsString('userhub_password_hash_jobs');
    await Promise.all(pending);
    const afterwards = await metrics.registry.getSingleMetricAsString('userhub_password_hash_jobs');
    expect(sample(during, 'userhub_password_hash_jobs', { state: 'running' })).toBe(1);
    expect(sample(during, 'userhub_password_hash_jobs', { state: 'queued' })).toBe(2);
    expect(sample(afterwards, 'userhub_password_hash_jobs', { state: 'queued' })).toBe(0);
  });
});
