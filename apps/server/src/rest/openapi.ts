import type { ErrorCode } from '@userhub/core';
import { z } from 'zod';
import { ERROR_TABLE } from '../errors.js';
import type { Dialect } from './dialect.js';
import type { HttpMethod, RestRoute } from './route.js';

export interface DialectRoutes {
  readonly dialect: Dialect;
  readonly routes: readonly RestRoute[];
}

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema 2020-12, which OpenAPI 3.1 uses as is. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (schema === undefined) return [];
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** The methods whose requests Fastify reads a body of, whether or not the route declares one. */
const METHODS_WITH_BODY: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What Fastify answers before a route runs, for any request that carries a body: each is
 * answered in the dialect's error envelope (see `answerFrameworkErrors`), never by a procedure.
 */
export const BODY_STATUSES: Readonly<Record<number, string>> = {
  400: 'The request body is not valid JSON',
  413: 'The request body is larger than 1 MiB',
  415: 'The request body is not JSON: send `Content-Type: application/json`',
};

/**
 * The domain codes a route can answer: UNAUTHENTICATED where it needs a session,
 * VALIDATION_FAILED where it reads a query or a body, and whatever its procedures throw.
 */
export function routeErrorCodes(route: RestRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  if (route.auth === 'bearer') codes.add('UNAUTHENTICATED');
  if (route.query !== undefined || route.body !== undefined) codes.add('VALIDATION_FAILED');
  return [...codes];
}

/** Each error status the route can answer → what it means there, from the one error table. */
export function routeErrorStatuses(route: RestRoute): Map<number, string[]> {
  const byStatus = new Map<number, string[]>();
  const add = (status: number, line: string) => byStatus.set(status, [...(byStatus.get(status) ?? []), line]);
  if (METHODS_WITH_BODY.has(route.method)) {
    for (const [status, line] of Object.entries(BODY_STATUSES)) add(Number(status), line);
  }
  for (const code of routeErrorCodes(route)) {
    const { http, description } = ERROR_TABLE[code];
    add(http, `${description} (\`${code}\`)`);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

const AUTH_SENTENCES: Record<RestRoute['auth'], string> = {
  bearer: 'Needs a session token (`Authorization: Bearer <token>`).',
  optional: 'Public; with a session token the answer is the one its user sees.',
  none: 'Public: no session token is needed.',
};

/** What the tags of both dialects group; a tag not named here is described by its dialect. */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'classic: account': 'The signed-in user’s account, two-factor authentication and the user directory.',
  'classic: sign-in': 'Create an account, sign in and complete a two-factor sign-in.',
  'profile: profile': 'Profiles: one’s own, and others’ by id or username.',
  'profile: account': 'Credentials, verification, two-factor, password reset and deactivation.',
  'profile: sign-in': 'Create an account, sign in, complete a two-factor sign-in and sign out.',
  'profile: v1 (superseded)': 'The v1 paths of routes that moved; kept for old clients.',
};

export interface OpenApiOptions {
  readonly version: string;
  /** Where this server is reached (PUBLIC_URL): the document's server and contact. */
  readonly publicUrl: string;
}

/** The OpenAPI 3.1 document of every REST route, generated from the same zod schemas that validate them. */
export function buildOpenApiDocument(
  dialects: readonly DialectRoutes[],
  { version, publicUrl }: OpenApiOptions,
): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, string>();
  for (const { dialect, routes } of dialects) {
    const errorRef = { $ref: `#/components/schemas/${dialect.name}Error` };
    for (const route of routes) {
      if (!tags.has(route.tag)) {
        tags.set(route.tag, TAG_DESCRIPTIONS[route.tag] ?? `Operations of the ${dialect.title}.`);
      }
      const errors = routeErrorStatuses(route);
      const operation: Record<string, unknown> = {
        operationId: `${dialect.name}_${route.method.toLowerCase()}_${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
        summary: route.summary,
        description: `${route.description ?? `${route.summary}.`} ${AUTH_SENTENCES[route.auth]}`,
        tags: [route.tag],
        ...(route.deprecated ? { deprecated: true } : {}),
        security:
          route.auth === 'bearer' ? [{ bearer: [] }] : route.auth === 'optional' ? [{ bearer: [] }, {}] : [],
        parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
        ...(route.body === undefined
          ? {}
          : {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
              },
            }),
        responses: {
          [String(route.status)]: route.answersFile
            ? {
                description: `${route.message}: the file itself, without the envelope`,
                headers: {
                  'Content-Disposition': {
                    schema: { type: 'string' },
                    description: '`attachment; filename="…"`: the name to save the file under',
                  },
                },
                content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
              }
            : {
                description: route.message,
                content: {
                  'application/json': { schema: jsonSchema(dialect.successSchema(route.response), 'output') },
                },
              },
          ...Object.fromEntries(
            [...errors].map(([status, lines]) => [
              String(status),
              {
                description: lines.join('; '),
                content: { 'application/json': { schema: errorRef } },
                ...(status === ERROR_TABLE.RATE_LIMITED.http
                  ? {
                      headers: {
                        'Retry-After': {
                          schema: { type: 'integer', minimum: 1 },
                          description: 'Seconds to wait before trying again',
                        },
                      },
                    }
                  : {}),
              },
            ]),
          ),
        },
      };
      const pathItem = paths[route.path] ?? {};
      pathItem[route.method.toLowerCase()] = operation;
      paths[route.path] = pathItem;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'userhub REST API (legacy dialects)',
      version,
      description:
        'The two legacy REST dialects, served over the same procedures as the typed tRPC API at /trpc. ' +
        'Obtain a token with a sign-in route and send it as `Authorization: Bearer <token>`. ' +
        'Each operation lists the error statuses it can answer; any operation may also answer 500 on a fault.',
      contact: { name: 'userhub', url: `${publicUrl}/docs` },
      license: { name: 'Proprietary', url: `${publicUrl}/docs` },
    },
    servers: [{ url: publicUrl, description: 'This server (PUBLIC_URL)' }],
    tags: [...tags].map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The session token a sign-in or sign-up route answers',
        },
      },
      schemas: Object.fromEntries(
        dialects.map(({ dialect }) => [`${dialect.name}Error`, jsonSchema(dialect.errorSchema, 'output')]),
      ),
    },
  };
}
