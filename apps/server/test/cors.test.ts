import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';

const server = useTestServer({ env: { CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' } });
const closed = useTestServer();

async function preflight(target: { readonly url: string }, origin: string) {
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
});
