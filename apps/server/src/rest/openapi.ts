import { z } from 'zod';
import { ERROR_TABLE } from '../errors.js';
import type { Dialect } from './dialect.js';
import type { RestRoute } from './route.js';

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

/** Answered before any route runs, so it has no domain code of its own. */
const MALFORMED_JSON = 'Malformed JSON body';

/**
 * Each error status a route can answer, described by the codes the error table maps onto it.
 * INTERNAL is left out: a fault is not part of any operation's contract.
 */
function errorStatuses(): Record<string, string> {
  const byStatus = new Map<number, string[]>([[400, [MALFORMED_JSON]]]);
  for (const [code, { http, description }] of Object.entries(ERROR_TABLE)) {
    if (code === 'INTERNAL') continue;
    byStatus.set(http, [...(byStatus.get(http) ?? []), `${description} (\`${code}\`)`]);
  }
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([status, lines]) => [String(status), lines.join('; ')]),
  );
}

const ERROR_STATUSES = errorStatuses();

/** The OpenAPI 3.1 document of every REST route, generated from the same zod schemas that validate them. */
export function buildOpenApiDocument(dialects: readonly DialectRoutes[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { dialect, routes } of dialects) {
    const errorRef = { $ref: `#/components/schemas/${dialect.name}Error` };
    for (const route of routes) {
      const operation: Record<string, unknown> = {
        operationId: `${dialect.name}_${route.method.toLowerCase()}_${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
        summary: route.summary,
        ...(route.description === undefined ? {} : { description: route.description }),
        tags: [route.tag],
        ...(route.deprecated ? { deprecated: true } : {}),
        ...(route.auth === 'bearer' ? { security: [{ bearer: [] }] } : {}),
        ...(route.auth === 'optional' ? { security: [{ bearer: [] }, {}] } : {}),
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
          [String(route.status)]: {
            description: route.message,
            content: {
              'application/json': { schema: jsonSchema(dialect.successSchema(route.response), 'output') },
            },
          },
          ...Object.fromEntries(
            Object.entries(ERROR_STATUSES).map(([status, description]) => [
              status,
              {
                description,
                content: { 'application/json': { schema: errorRef } },
                ...(status === '429'
                  ? {
                      headers: {
                        'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' },
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
        'Obtain a token with a sign-in route and send it as `Authorization: Bearer <token>`.',
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(
        dialects.map(({ dialect }) => [`${dialect.name}Error`, jsonSchema(dialect.errorSchema, 'output')]),
      ),
    },
  };
}
