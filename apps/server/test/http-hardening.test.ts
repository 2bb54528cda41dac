import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, uniqueUser, useTestServer } from './harness.js';

/**
 * What the transport guarantees whatever the client does: security headers on every answer,
 * `no-store` on API data, a request that is too slow gets 408, and SIGTERM with keep-alive
 * clients connected exits at once, after the requests in flight, with no error logged.
 */

const server = useTestServer();

describe('security headers', () => {
  it('every kind of answer has nosniff, frame protection and a CSP', async () => {
    for (const urlPath of ['/trpc/profile.me', '/api/v1/profile/me', '/healthz', '/docs/', '/']) {
      const response = await fetch(`${server.url}${urlPath}`);
      await response.text();
      expect(response.headers.get('x-content-type-options'), urlPath).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), urlPath).toBe('DENY');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, urlPath).toContain("frame-ancestors 'none'");
      expect(csp, urlPath).toContain("script-src 'self'");
    }
  });

  it('signed-in answers are Cache-Control: no-store on tRPC and on both REST dialects', async () => {
    const user = await server.users.signUp();
    const auth = { authorization: `Bearer ${user.token}` };
    for (const urlPath of ['/trpc/profile.me', '/api/v1/profile/me', '/v1/account']) {
      const response = await fetch(`${server.url}${urlPath}`, { headers: auth });
      await response.text();
      expect(response.status, urlPath).toBe(200);
      expect(response.headers.get('cache-control'), urlPath).toBe('no-store');
    }
    const signIn = await fetch(`${server.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { login: user.email, password: user.password } }),
    });
    await signIn.text();
    expect(signIn.headers.get('cache-control')).toBe('no-store');
  });

  /** Everything the CSP allows is what the page loads: scripts only from this origin, none inline. */
  for (const page of ['/docs/', '/']) {
    it(`${page} loads under the CSP: every script and stylesheet is same-origin and answers 200`, async () => {
      const response = await fetch(`${server.url}${page}`);
      expect(response.status).toBe(200);
      const html = await response.text();
      const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].filter(
        (match) => (match[1] ?? '').trim() !== '',
      );
      expect(inlineScripts.map((m) => m[0].slice(0, 80))).toEqual([]);
      const assets = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/g)].map(
        (m) => m[1] ?? '',
      );
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        const url = new URL(asset, `${server.url}${page}`);
        expect(url.origin, asset).toBe(server.url);
        const loaded = await fetch(url);
        await loaded.arrayBuffer();
        expect(loaded.status, asset).toBe(200);
      }
    });
  }
});

// --- the real entry point --------------------------------------------------------------

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  /** Resolves once a log line matches. */
  readonly logged: (pattern: RegExp) => Promise<void>;
  readonly exited: Promise<number | null>;
}

let dataDir: { dir: string; remove(): Promise<void> };
beforeAll(async () => {
  dataDir = await makeTempDir('userhub-http-');
});
afterAll(() => dataDir.remove());

/** src/main.ts as an operator starts it, on PGlite in its own folder; resolves once it is ready. */
async function startMain(env: Record<string, string> = {}): Promise<Started> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  // tsx as a loader inside one node process: the signal reaches the server itself, not a relay.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@userhub/source', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      ...base,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_FORMAT: 'json',
      APP_SECRET: 'http-test-app-secret-0123456789abcdef',
      DATA_DIR: path.join(dataDir.dir, String(Math.random()).slice(2)),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      output += `\nexit ${code} ${signal}`;
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`exited before ready:\n${output}`)));
  });
  const logged = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (output.split('\n').some((line) => pattern.test(line))) {
          child.stdout?.off('data', check);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      check();
    });
  return { child, url, output: () => output, logged, exited };
}

describe('timeouts', () => {
  it('a body sent a byte at a time past REQUEST_TIMEOUT_MS gets 408 and the socket is closed', async () => {
    const main = await startMain({ REQUEST_TIMEOUT_MS: '1000' });
    try {
      const { hostname, port } = new URL(main.url);
      const socket = connect({ host: hostname, port: Number(port) });
      let answer = '';
      socket.on('data', (chunk) => {
        answer += String(chunk);
      });
      // The drip can race the server's close: a byte written after the 408 gets a reset, which
      // is the server hanging up as it should. Any other socket error fails the test.
      const socketErrors: string[] = [];
      socket.on('error', (error: NodeJS.ErrnoException) => {
        socketErrors.push(error.code ?? error.message);
      });
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        'POST /trpc/auth.signIn HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
      );
      const drip = setInterval(() => {
        if (!socket.destroyed) socket.write(' ');
      }, 200);
      const started = performance.now();
      await closed;
      clearInterval(drip);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(socketErrors.filter((code) => code !== 'ECONNRESET' && code !== 'EPIPE')).toEqual([]);
      // Node checks every second, so the cut comes between 1 and about 2 s.
      expect(performance.now() - started).toBeLessThan(4_000);
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
    }
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('SIGTERM with an idle keep-alive client and a sign-up in flight: the sign-up finishes, exit 0 at once, no error', async () => {
    const main = await startMain();
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const call = (method: string, urlPath: string, body?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          `${main.url}${urlPath}`,
          { method, agent, headers: body === undefined ? {} : { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += String(chunk);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    // Two keep-alive sockets left open and idle.
    await Promise.all([call('GET', '/healthz'), call('GET', '/readyz')]);
    const inFlight = call('POST', '/trpc/auth.signUp', JSON.stringify({ json: uniqueUser() }));
    // SIGTERM once the server has the sign-up (Fastify logs each request as it arrives).
    await main.logged(
      /"url":"\/trpc\/auth\.signUp".*"msg":"incoming request"|"msg":"incoming request".*"url":"\/trpc\/auth\.signUp"/,
    );
    const started = performance.now();
    main.child.kill('SIGTERM');
    const [signedUp, code] = await Promise.all([
      inFlight.catch(async (error: Error) => {
        await main.exited;
        return { status: 0, body: `${error.message}\n${main.output()}` };
      }),
      main.exited,
    ]);
    const took = performance.now() - started;
    agent.destroy();
    expect(signedUp.status, signedUp.body).toBe(200);
    expect(code).toBe(0);
    expect(took).toBeLessThan(3_000);
    const errors = main
      .output()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line) || /destroyed|Error:/.test(line));
    expect(errors).toEqual([]);
  }, 60_000);
});
