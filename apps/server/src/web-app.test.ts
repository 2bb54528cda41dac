import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PATH_PREFIXES, registerWebApp } from './web-app.js';

const INDEX_HTML = '<!doctype html><title>userhub</title><div id="root"></div>';

async function appWithApiRoutes(): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/v1/account', async () => ({ status: 'ok' }));
  return app;
}

describe('the web app next to the API', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'userhub-web-'));
    await mkdir(path.join(root, 'assets'));
    await writeFile(path.join(root, 'index.html'), INDEX_HTML);
    await writeFile(path.join(root, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
    await writeFile(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await appWithApiRoutes();
    await registerWebApp(app, { root });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves index.html at / and for client routes, revalidated on every load', async () => {
    for (const url of ['/', '/u/alice', '/reset-password?token=abc', '/not-me?token=x', '/security']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.body, url).toBe(INDEX_HTML);
    }
  });

  it('serves built files, hashed assets cached for good', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
    expect(asset.statusCode, asset.body).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers 404 for a missing file instead of the page', async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/missing-000.js' });
    expect(response.statusCode).toBe(404);
  });

  it('never shadows an API path: its routes still answer and its misses stay 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/v1/account' })).json()).toEqual({ status: 'ok' });
    const routed = new Set(['/healthz']);
    for (const prefix of API_PATH_PREFIXES) {
      for (const url of [...(routed.has(prefix) ? [] : [prefix]), `${prefix}/no-such-route`]) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
        expect(response.body, url).not.toContain('<div id="root">');
      }
    }
  });

  it('leaves other methods alone', async () => {
    const response = await app.inject({ method: 'POST', url: '/u/alice' });
    expect(response.statusCode).toBe(404);
  });
});

describe('without a web build', () => {
  it('starts the API alone and says so once in the log', async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    });
    app.get('/healthz', async () => ({ status: 'ok' }));
    await registerWebApp(app, { root: path.join(tmpdir(), 'userhub-web-does-not-exist') });
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    expect(lines.filter((line) => line.includes('web app not built'))).toHaveLength(1);
    await app.close();
  });
});
