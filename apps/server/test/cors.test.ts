import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { signUp } from './helpers.js';

let server: TestServer;
let closed: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' } });
  closed = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await closed?.close();
});

async function preflight(target: TestServer, origin: string) {
  const response = await fetch(`${target.url}/trpc/profile.me`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });
  await response.arrayBuffer();
  return response;
}

describe('CORS', () => {
  it('lets a configured browser origin send the bearer token', async () => {
    const response = await preflight(server, 'https://app.example.com');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    const answer = await fetch(`${server.url}/healthz`, { headers: { origin: 'http://localhost:5173' } });
    await answer.arrayBuffer();
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('gives other origins, and every origin when none is configured, no CORS permission', async () => {
    for (const [target, origin] of [
      [server, 'https://evil.example.net'],
      [closed, 'https://app.example.com'],
    ] as const) {
      const response = await preflight(target, origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  // One real route per method the REST dialects and tRPC use; HEAD is answered on every GET route.
  const routeFor = {
    GET: '/api/v1/profile/me',
    HEAD: '/v1/account',
    POST: '/api/v1/auth/signin',
    PUT: '/api/v1/profile/update',
    PATCH: '/v1/account/update',
    DELETE: '/api/v1/account/deactivate',
  } as const;

  for (const [method, route] of Object.entries(routeFor)) {
    it(`lets an allowed origin send ${method} ${route} with a bearer token and a JSON body`, async () => {
      const response = await fetch(`${server.url}${route}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      await response.arrayBuffer();
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const methods = (response.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/);
      expect(methods).toContain(method);
      const headers = (response.headers.get('access-control-allow-headers') ?? '').split(/\s*,\s*/);
      expect(headers).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    });
  }

  it('answers a cross-origin DELETE with a body (deactivation) with the origin allowed', async () => {
    const user = await signUp(server);
    const response = await fetch(`${server.url}/api/v1/account/deactivate`, {
      method: 'DELETE',
      headers: {
        origin: 'https://app.example.com',
        authorization: `Bearer ${user.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ password: user.password }),
    });
    const body = (await response.json()) as { success: boolean };
    expect(response.status).toBe(200);
    expect(body.success).toBe(true);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });
});
