import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeTempDir } from './harness.js';

/**
 * The real entry point (src/main.ts through tsx), started as an operator starts it, with
 * one bad setting at a time. Each must end in exactly one line on stderr and exit code 1.
 */
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX = path.join(SERVER_DIR, 'node_modules', '.bin', 'tsx');

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startMain(env: Record<string, string>): ChildProcess {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return spawn(TSX, ['--conditions=@userhub/source', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...base, NODE_ENV: 'development', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const runMain = (env: Record<string, string>) => exitOf(startMain(env));

function expectOneLineFailure(exit: Exit, line: string | RegExp): void {
  expect(exit.code).toBe(1);
  const lines = exit.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(exit.stderr).not.toMatch(/\n\s+at /);
}

async function listenOnFreePort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe.concurrent('start-up errors', { timeout: 90_000 }, () => {
  let dataDir: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    dataDir = await makeTempDir('userhub-startup-');
  });
  afterAll(() => dataDir.remove());

  it('names PORT and its rule when it is not a number', async () => {
    expectOneLineFailure(
      await runMain({ PORT: 'abc', DATA_DIR: dataDir.dir }),
      'PORT: must be a whole number from 0 to 65535, got "abc"',
    );
  });

  it('names DATABASE_URL and the refused address when PostgreSQL is not there', async () => {
    const port = await freePort();
    expectOneLineFailure(
      await runMain({ PORT: '0', DATABASE_URL: `postgres://postgres:secret-pw@127.0.0.1:${port}/userhub` }),
      `DATABASE_URL: cannot connect to 127.0.0.1:${port} (ECONNREFUSED) — is PostgreSQL running?`,
    );
  });

  it('checks the port before the database: a taken port is reported even when the database is down', async () => {
    const taken = await listenOnFreePort();
    try {
      const { port } = taken.address() as { port: number };
      const databasePort = await freePort();
      expectOneLineFailure(
        await runMain({
          PORT: String(port),
          DATABASE_URL: `postgres://postgres@127.0.0.1:${databasePort}/userhub`,
        }),
        `PORT: 127.0.0.1:${port} is already in use — stop the other server or set PORT to a free port`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('requires APP_SECRET in production', async () => {
    expectOneLineFailure(
      await runMain({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir.dir }),
      /^APP_SECRET: is required when NODE_ENV=production/,
    );
  });

  it('names DATA_DIR when the folder cannot be written', async () => {
    const file = path.join(dataDir.dir, 'a-file');
    await writeFile(file, 'not a folder');
    expectOneLineFailure(
      await runMain({ PORT: '0', DATA_DIR: path.join(file, 'data') }),
      `DATA_DIR: cannot write to ${path.join(file, 'data')} (ENOTDIR) — choose a folder this user may write to`,
    );
  });

  it('never echoes a secret it rejects', async () => {
    const exit = await runMain({ PORT: '0', SERVICE_TOKEN: 'tiny-secret', DATA_DIR: dataDir.dir });
    expectOneLineFailure(exit, 'SERVICE_TOKEN: must be at least 32 characters so it cannot be guessed');
    expect(exit.stderr).not.toContain('tiny-secret');
  });
});

describe('a successful start in development', { timeout: 90_000 }, () => {
  it('prints a readable summary, prints mailed codes readably with their request id, and stops on SIGTERM', async () => {
    const data = await makeTempDir('userhub-startup-ok-');
    const child = startMain({
      PORT: '0',
      DATA_DIR: data.dir,
      LOG_FORMAT: 'pretty',
      CORS_ORIGINS: 'https://app.example.com',
    });
    const exit = exitOf(child);
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout?.on('data', (chunk) => {
          stdout += String(chunk);
          const match = /is ready at (http:\/\/\S+)/.exec(stdout);
          if (match?.[1] !== undefined && stdout.includes('metrics')) resolve(match[1]);
        });
        child.on('exit', () => reject(new Error(`server exited early:\n${stdout}`)));
      });
      expect(stdout).toContain(`docs       ${url}/docs`);
      // The default PUBLIC_URL names loopback `localhost`, the name passkeys need.
      expect(stdout).toContain(`web app    ${url.replace('127.0.0.1', 'localhost')}/`);
      expect(stdout).toContain(`PGlite (embedded) at ${path.join(data.dir, 'pglite')}`);
      expect(stdout).toContain('mail       not sent (no SMTP_URL): codes are printed here');
      expect(stdout).toContain('CORS       https://app.example.com');
      expect(stdout).toContain(`app secret generated into ${path.join(data.dir, 'app-secret')}`);

      const signUp = await fetch(`${url}/trpc/auth.signUp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          json: {
            email: 'grace@example.com',
            password: 'Correct-Horse-9-Battery',
            firstName: 'Grace',
            lastName: 'Hopper',
          },
        }),
      });
      const token = ((await signUp.json()) as { result: { data: { json: { token: string } } } }).result.data
        .json.token;
      const request = await fetch(`${url}/trpc/account.requestEmailVerification`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-request-id': 'verify-grace-1',
        },
        body: '{}',
      });
      expect(request.status).toBe(200);
      expect(request.headers.get('x-request-id')).toBe('verify-grace-1');
      await expect
        .poll(() => stdout, { timeout: 10_000 })
        .toMatch(/\[verify-grace-1\] mail \(no SMTP_URL configured\)[\s\S]*│ +\d{6}\n/);
      // The code stands on its own line, not inside an escaped JSON string.
      expect(stdout).not.toMatch(/"text":/);
    } finally {
      child.kill('SIGTERM');
      const { code } = await exit;
      expect(code).toBe(0);
      await data.remove();
    }
  });
});

/** One GET on a fresh connection (no pooled socket carried across the server's start). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

describe('requests while the server starts', { timeout: 90_000 }, () => {
  it('answers 503 "starting" until the app is ready, then 200, and never dies of an early request', async () => {
    const data = await makeTempDir('userhub-startup-early-');
    const port = await freePort();
    const child = startMain({ PORT: String(port), DATA_DIR: data.dir });
    const exit = exitOf(child);
    let exited = false;
    void exit.then(() => {
      exited = true;
    });
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
    });
    const statuses: number[] = [];
    let lastError = '';
    try {
      // From before the port is bound until well after ready, ask again every few milliseconds.
      const giveUpAt = Date.now() + 60_000;
      while (!exited && Date.now() < giveUpAt && !(stdout.includes('is ready') && statuses.at(-1) === 200)) {
        try {
          statuses.push(await statusOf(`http://127.0.0.1:${port}/readyz`));
        } catch (error) {
          // Not listening yet.
          lastError = String(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Alive throughout; every answer is either "starting" or the ready app's, never a 500;
      // and it ends ready. (A request can also time out while PGlite compiles, which is fine.)
      expect(exited, `the server exited while starting:\n${stdout}`).toBe(false);
      expect(statuses.at(-1), `${lastError}\n${stdout}`).toBe(200);
      for (const status of statuses) expect([503, 200]).toContain(status);
    } finally {
      child.kill('SIGTERM');
      expect((await exit).code).toBe(0);
      await data.remove();
    }
  });
});
