import { z } from 'zod';
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

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Bad request (malformed JSON, invalid code, business rule)',
  '401': 'No or invalid session token, or wrong password',
  '403': 'Forbidden',
  '404': 'Not found',
  '409': 'Username or email taken',
  '422': 'Validation failed; `data` maps each field to its message',
  '423': 'Account locked (deactivated)',
  '429': 'Rate limited; see the Retry-After header',
};

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
