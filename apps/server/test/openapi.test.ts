import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_TABLE } from '../src/errors.js';
import { classicDialect } from '../src/rest/dialect.js';
import { buildOpenApiDocument } from '../src/rest/openapi.js';
import { defineRoute, NO_INPUT } from '../src/rest/route.js';
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
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation & { security?: unknown[]; description?: string }>>;
  servers?: Array<{ url: string }>;
  tags?: Array<{ name: string; description?: string }>;
};

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

describe('error statuses', () => {
  /** A route as a new REST route would be written: the statuses follow from what it declares. */
  const probe = (spec: Partial<Parameters<typeof defineRoute>[0]>) =>
    defineRoute({
      ...NO_INPUT,
      method: 'POST',
      path: '/v1/probe',
      tag: 'probe',
      summary: 'Probe',
      status: 200,
      message: 'OK',
      auth: 'none',
      response: z.object({}),
      handle: async () => ({}),
      ...spec,
    });
  const statusesOf = (route: ReturnType<typeof probe>) => {
    const doc = buildOpenApiDocument([{ dialect: classicDialect, routes: [route] }], {
      version: '0',
      publicUrl: 'https://userhub.test',
    }) as unknown as OpenApiDocument;
    return Object.keys(doc.paths[route.path]![route.method.toLowerCase()]!.responses ?? {});
  };

  it('derive from the route: its session, its input, its body and the codes its procedures throw', () => {
    // A body-less GET that needs nothing can only succeed.
    expect(statusesOf(probe({ method: 'GET' }))).toEqual(['200']);
    // A session: 401.
    expect(statusesOf(probe({ method: 'GET', auth: 'bearer' }))).toEqual(['200', '401']);
    // A query it validates: 422.
    expect(statusesOf(probe({ method: 'GET', query: z.object({ q: z.string() }) }))).toEqual(['200', '422']);
    // Any request with a body: malformed JSON 400, too large 413, not JSON 415; a body schema adds 422.
    expect(statusesOf(probe({}))).toEqual(['200', '400', '413', '415']);
    expect(statusesOf(probe({ body: z.object({ name: z.string() }) }))).toEqual([
      '200',
      '400',
      '413',
      '415',
      '422',
    ]);
    // The procedure's codes, with their statuses from the error table.
    expect(
      statusesOf(probe({ auth: 'bearer', errors: ['USERNAME_TAKEN', 'ACCOUNT_LOCKED', 'RATE_LIMITED'] })),
    ).toEqual(['200', '400', '401', '409', '413', '415', '423', '429']);
  });

  it('GET /v1/account lists only what it can answer: no 409, no 429', async () => {
    const doc = await fetchDocument();
    expect(Object.keys(doc.paths['/v1/account']!.get!.responses ?? {})).toEqual(['200', '401']);
  });

  it.each(ROUTES)(
    '$label: described, tagged, with its security and the statuses of its route',
    async ({ route }) => {
      const doc = await fetchDocument();
      const operation = doc.paths[route.path]![route.method.toLowerCase()]!;
      expect(operation.description?.length ?? 0).toBeGreaterThan(0);
      expect(doc.tags?.map((tag) => tag.name)).toContain(route.tag);
      if (route.auth === 'none') expect(operation.security).toEqual([]);
      if (route.auth === 'bearer') expect(operation.security).toEqual([{ bearer: [] }]);
      const errors = Object.keys(operation.responses ?? {}).filter((status) => Number(status) >= 400);
      if (route.auth === 'bearer') expect(errors).toContain('401');
      if (route.body !== undefined)
        expect(errors).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
      for (const code of route.errors ?? []) expect(errors).toContain(String(ERROR_TABLE[code].http));
    },
  );

  it('names its server and gives dates, emails and URLs their formats', async () => {
    const doc = await fetchDocument();
    expect(doc.servers?.[0]?.url).toBe(server.deps.config.publicUrl);
    const me = JSON.stringify(doc.paths['/api/v1/profile/me']!.get!.responses?.['200']);
    expect(me).toContain('"format":"date-time"');
    expect(me).toContain('"format":"email"');
    expect(me).toContain('"format":"uri"');
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
