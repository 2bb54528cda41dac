import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance } from 'fastify';
import { INTERNAL_MESSAGE } from '../errors.js';
import { classicRoutes } from './classic/routes.js';
import { classicDialect, type Dialect, profileDialect } from './dialect.js';
import { buildOpenApiDocument, type DialectRoutes } from './openapi.js';
import { notMeRoutes } from './profile/not-me.routes.js';
import { recoveryRoutes } from './profile/recovery.routes.js';
import { profileDialectRoutes } from './profile/routes.js';
import { type RestRuntime, registerRoutes } from './route.js';

export const REST_DIALECTS: readonly DialectRoutes[] = [
  { dialect: classicDialect, routes: classicRoutes },
  { dialect: profileDialect, routes: profileDialectRoutes },
  { dialect: profileDialect, routes: recoveryRoutes },
  { dialect: profileDialect, routes: notMeRoutes },
];

/**
 * Errors Fastify raises before a route runs (malformed JSON, unsupported content type, an
 * oversized body) become the dialect's error envelope with their 4xx status, never a 500.
 */
function answerFrameworkErrors(app: FastifyInstance, dialect: Dialect, runtime: RestRuntime): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'REST request failed');
    const message =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? 'The request body is not valid JSON'
        : status === 500
          ? INTERNAL_MESSAGE
          : error.message;
    return reply.code(status).send(
      dialect.failure(
        {
          status,
          reason: status === 500 ? 'INTERNAL' : 'VALIDATION_FAILED',
          message,
          fieldErrors: null,
          retryAfter: null,
          scheduledFor: null,
        },
        runtime.deps.clock.now(),
      ),
    );
  });
  // JSON is the only body these APIs take; anything else is 415 Unsupported Media Type.
  app.removeContentTypeParser('text/plain');
  // A body-less POST that still says `application/json` is common in old clients: read it as empty.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const error = Object.assign(new Error('The request body is not valid JSON'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      });
      done(error, undefined);
    }
  });
}

/** Serves both legacy dialects, the OpenAPI document at /openapi.json and its reference page at /docs. */
export async function registerRest(
  app: FastifyInstance,
  runtime: RestRuntime,
  version: string,
): Promise<void> {
  for (const { dialect, routes } of REST_DIALECTS) {
    await app.register(async (scope) => {
      answerFrameworkErrors(scope, dialect, runtime);
      registerRoutes(scope, dialect, routes, runtime);
    });
  }

  const document = buildOpenApiDocument(REST_DIALECTS, { version, publicUrl: runtime.deps.config.publicUrl });
  app.get('/openapi.json', async () => document);
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
