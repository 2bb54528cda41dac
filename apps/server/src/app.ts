import cors from '@fastify/cors';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerFactory,
} from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type DatabaseHandle, type DatabaseTarget, databaseTargetFor, openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { ClientMeta } from './db/types.js';
import type { AppDeps } from './deps.js';
import { DomainError, databaseUnavailable, isDatabaseUnavailable } from './errors.js';
import { fastifyTimeoutOptions, registerSecurityHeaders } from './http-server.js';
import { createLogger } from './logger.js';
import { createMailer, createSmsSender } from './messaging/index.js';
import { createMetrics, registerMetrics } from './metrics.js';
import { registerRequestId, requestIdServerOptions } from './request-id.js';
import { registerRest } from './rest/index.js';
import { appRouter } from './routers/_app.js';
import { createOneTimeCodes } from './security/one-time-codes.js';
import { createPasswordHasher } from './security/password-hasher.js';
import { createRateLimits } from './security/rate-limits.js';
import { createSecretBox } from './security/secret-box.js';
import { createServices, type Services } from './services/index.js';
import { createOutbox } from './services/outbox.js';
import { startPurgeJob } from './services/purge-job.js';
import { createContextFor } from './trpc/context.js';
import { registerTrpcRoute } from './trpc/http.js';
import { trpcErrorOf } from './trpc/init.js';
import { registerWebApp } from './web-app.js';

/** Reported in the OpenAPI document. */
export const SERVER_VERSION = '0.1.0';

export interface BuildAppOptions {
  readonly config: Config;
  /** Defaults to the database the config names (PostgreSQL, or PGlite under DATA_DIR). */
  readonly database?: DatabaseTarget;
  /**
   * An database already open, shared with another app in this process (two instances on one
   * embedded database in tests); closing the app then leaves it open for its owner.
   */
  readonly sharedDatabase?: DatabaseHandle;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Sees every SQL statement the app runs (statement-count tests). */
  readonly onStatement?: (sql: string) => void;
  /** Serve on an HTTP server bound beforehand (main.ts checks the port before the database). */
  readonly serverFactory?: FastifyServerFactory;
}

export interface BuiltApp {
  readonly app: FastifyInstance;
  readonly deps: AppDeps;
  readonly services: Services;
  /** Stops accepting requests, lets in-flight ones finish, then closes the database. */
  close(): Promise<void>;
}

function clientMeta(request: FastifyRequest): ClientMeta {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

/** Opens the database, applies migrations and wires every route onto one Fastify instance. */
export async function buildApp(options: BuildAppOptions): Promise<BuiltApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const opened: DatabaseHandle =
    options.sharedDatabase ??
    (await openDatabase(options.database ?? databaseTargetFor(config.databaseUrl, config.dataDir), {
      onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost; reconnecting'),
      ...(options.onStatement === undefined ? {} : { onStatement: options.onStatement }),
    }));
  const database: DatabaseHandle =
    options.sharedDatabase === undefined ? opened : { ...opened, close: async () => {} };
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }

  const appSecret = config.appSecret;
  if (appSecret === undefined) {
    await database.close();
    throw new Error('APP_SECRET must be resolved before the app is built (see ensureAppSecret)');
  }
  const hasher = createPasswordHasher(config.passwordHashConcurrency);
  const clock = options.clock ?? systemClock;
  const mailer = createMailer(config, logger);
  const sms = createSmsSender(config, logger);
  const rateLimits = createRateLimits(database.db);
  const metrics = createMetrics({ hasher, poolUse: database.poolUse });
  const outbox = createOutbox({
    queue: config.outboxQueue,
    db: database.db,
    clock,
    logger,
    mailer,
    sms,
    rateLimits,
    metrics,
    box: createSecretBox(appSecret, 'outbox'),
  });
  const deps: AppDeps = {
    config,
    db: database.db,
    clock,
    logger,
    hasher,
    mailer,
    sms,
    rateLimits,
    codes: createOneTimeCodes(appSecret),
    totpSecrets: createSecretBox(appSecret, 'totp'),
    metrics,
    outbox,
  };
  const services = createServices(deps);

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    // tRPC batches can carry many inputs; the bodies themselves are small JSON.
    bodyLimit: 1024 * 1024,
    ...fastifyTimeoutOptions(config.requestTimeoutMs),
    routerOptions: {
      // A batch names every procedure in the `/trpc/:path` segment (`profile.me,social.stats,…`), so
      // the router's default of 100 characters refused batches of 8 and more with 414. Node already
      // bounds the whole request line at 16 KiB, so the segment is given that same bound.
      maxParamLength: 16 * 1024,
    },
    ...requestIdServerOptions,
    ...(options.serverFactory === undefined ? {} : { serverFactory: options.serverFactory }),
  });
  registerRequestId(app);
  await registerSecurityHeaders(app);
  registerMetrics(app, deps.metrics, config, Object.keys(appRouter._def.procedures));

  // Bearer tokens, not cookies, so no credentials mode: an allowed origin may send the header.
  await app.register(cors, {
    origin: config.corsOrigins.length === 0 ? false : [...config.corsOrigins],
    // Every method a tRPC or REST route answers to (account deactivation is a DELETE with a body).
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'trpc-accept', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });

  await registerTrpcRoute(app, {
    prefix: '/trpc',
    router: appRouter,
    createContext: async (req) => {
      try {
        return await createContextFor(deps, services, req.headers.authorization, clientMeta(req));
      } catch (error) {
        // Reading the session is the first query of a request: an outage is a 503 here too.
        if (!isDatabaseUnavailable(error)) throw error;
        throw trpcErrorOf(databaseUnavailable());
      }
    },
    // Rate limits and outages say when to come back, over tRPC as over REST.
    errorHeaders: (errors): Record<string, string> => {
      const waits = errors
        .map((error) => (error.cause instanceof DomainError ? error.cause.retryAfterSeconds : undefined))
        .filter((seconds): seconds is number => seconds !== undefined);
      return waits.length === 0 ? {} : { 'retry-after': String(Math.max(...waits)) };
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        logger.error({ err: error.cause ?? error, path }, 'procedure failed');
    },
  });

  await registerRest(app, { deps, services, clientMeta }, SERVER_VERSION);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(database.db);
      return { status: 'ready', database: database.kind };
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', database: database.kind });
    }
  });

  await registerWebApp(app);
  outbox.start();
  const purgeJob = startPurgeJob(services.accountDeletion, logger);

  return {
    app,
    deps,
    services,
    close: async () => {
      await purgeJob.stop();
      await app.close();
      await outbox.stop();
      await deps.mailer.close();
      await database.close();
    },
  };
}
