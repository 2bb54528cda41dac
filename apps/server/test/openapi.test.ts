import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { REST_DIALECTS, useTestServer } from './harness.js';

/**
 * The REST layer's OpenAPI 3.1 document (`/openapi.json`) and its reference page (`/docs`),
 * SPEC §5: the document is valid OpenAPI 3.1, covers every route of both dialects, and the
 * page is served with its own assets (no CDN).
 */

const server = useTestServer({ mail: true });

interface Operation {
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
}
type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> };

async function fetchDocument(): Promise<OpenApiDocument> {
  const response = await fetch(`${server.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  return (await response.json()) as OpenApiDocument;
}

const ROUTES = REST_DIALECTS.flatMap(({ dialect, routes }) =>
  routes.map((route) => ({
    dialect: dialect.name,
    route,
    label: `${dialect.name} ${route.method} ${route.path}`,
  })),
);

describe('/openapi.json', () => {
  it('validates as OpenAPI 3.1', async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it.each(ROUTES)('documents $label with its body, path parameters and success status', async ({ route }) => {
    const doc = await fetchDocument();
    const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
    expect(operation, `${route.method} ${route.path} is missing`).toBeDefined();
    const success = operation!.responses?.[String(route.status)];
    expect(success, `status ${route.status}`).toBeDefined();
    expect(success!.content?.['application/json']?.schema).toBeTypeOf('object');
    if (route.body !== undefined) {
      expect(operation!.requestBody?.content?.['application/json']?.schema).toBeTypeOf('object');
    } else {
      expect(operation!.requestBody).toBeUndefined();
    }
    for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
      expect(operation!.parameters ?? []).toContainEqual(
        expect.objectContaining({ name, in: 'path', required: true }),
      );
    }
  });

  it('documents no operation that no route serves', async () => {
    const doc = await fetchDocument();
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = ROUTES.map(({ route }) => `${route.method} ${route.path}`);
    expect(documented.sort()).toEqual([...new Set(served)].sort());
    // Both dialects are there: the classic account API and the profile/account API.
    expect(served.some((route) => route.startsWith('GET /v1/account'))).toBe(true);
    expect(served.some((route) => route.startsWith('GET /api/v1/profile/me'))).toBe(true);
  });
});

describe('/docs', () => {
  it.each(['/docs', '/docs/'])('%s answers an HTML page whose scripts are served locally', async (path) => {
    const page = await fetch(`${server.url}${path}`, { redirect: 'follow' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type') ?? '').toMatch(/^text\/html/);
    const html = await page.text();
    const sources = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThan(0);
    const origin = new URL(server.url).origin;
    for (const source of sources) {
      const url = new URL(source, page.url);
      expect(url.origin, `${source} must not come from a CDN`).toBe(origin);
      const asset = await fetch(url);
      expect(asset.status, url.pathname).toBe(200);
      expect(asset.headers.get('content-type') ?? '').toMatch(/javascript/);
      expect((await asset.text()).length).toBeGreaterThan(0);
    }
    // The page's stylesheets are local too.
    for (const [, href] of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) {
      const url = new URL(href!, page.url);
      expect(url.origin).toBe(origin);
      const stylesheet = await fetch(url);
      expect(stylesheet.status, url.pathname).toBe(200);
      expect((await stylesheet.text()).length).toBeGreaterThan(0);
    }
  });
});
