import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from './config.js';
import { DomainError } from './errors.js';
import type { PasswordHasher } from './security/password-hasher.js';
import { constantTimeEqual } from './security/tokens.js';
import type { AuthService } from './services/auth.service.js';
import { bearerToken } from './trpc/context.js';

/** What the database connection pool is doing now; `null` where the driver does not say. */
export interface PoolUse {
  readonly max: number;
  readonly total: number;
  readonly idle: number | null;
  readonly waiting: number | null;
}

export interface MetricSources {
  readonly hasher: Pick<PasswordHasher, 'load'>;
  readonly poolUse: () => PoolUse;
}

/**
 * SPEC §9's series, on a registry of this app's own (several apps share one process in
 * tests). The request histogram is fed by one onResponse hook; sign-in outcomes and codes
 * sent are counted at one place each (services/index.ts, services/notifications.ts).
 */
export function createMetrics(sources: MetricSources) {
  const registry = new Registry();
  const requestDuration = new Histogram({
    name: 'userhub_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by route (or tRPC procedure) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const signIns = new Counter({
    name: 'userhub_sign_ins_total',
    help: 'Sign-in attempts by step (password, second_factor) and outcome (signed_in, two_factor_required or the error code)',
    labelNames: ['step', 'outcome'] as const,
    registers: [registry],
  });
  const codesSent = new Counter({
    name: 'userhub_codes_sent_total',
    help: 'One-time codes handed to the mail or SMS transport, by channel and purpose',
    labelNames: ['channel', 'purpose'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'userhub_password_hash_jobs',
    help: 'argon2 hashes running now and waiting for a slot (PASSWORD_HASH_CONCURRENCY)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const { running, queued } = sources.hasher.load();
      this.set({ state: 'running' }, running);
      this.set({ state: 'queued' }, queued);
    },
  });
  new Gauge({
    name: 'userhub_db_pool_connections',
    help: 'Database connections by state: max (pool size), total (open), idle, waiting (queued clients)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const use = sources.poolUse();
      this.set({ state: 'max' }, use.max);
      this.set({ state: 'total' }, use.total);
      if (use.idle !== null) this.set({ state: 'idle' }, use.idle);
      if (use.waiting !== null) this.set({ state: 'waiting' }, use.waiting);
    },
  });
  return { registry, requestDuration, signIns, codesSent };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * A bounded label: the tRPC procedure(s) a call names (a batch lists them), the route
 * pattern for everything else, never the raw URL (ids and query strings would explode it).
 */
function routeLabel(request: FastifyRequest, procedures: ReadonlySet<string>): string {
  const pattern = request.routeOptions.url;
  if (pattern === undefined) return 'unmatched';
  if (pattern === '/trpc/:path') {
    const names = String((request.params as { path?: string }).path ?? '').split(',');
    return names.every((name) => procedures.has(name)) ? `trpc:${names.join(',')}` : 'trpc:unknown';
  }
  return pattern;
}

/** The request histogram, and `/metrics` when METRICS_TOKEN is set (no route at all otherwise). */
export function registerMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  config: Pick<Config, 'metricsToken'>,
  trpcProcedures: readonly string[],
): void {
  const procedures = new Set(trpcProcedures);
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      { method: request.method, route: routeLabel(request, procedures), status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const token = config.metricsToken;
  if (token === undefined) return;
  collectDefaultMetrics({ register: metrics.registry, prefix: 'userhub_' });
  app.get('/metrics', async (request, reply) => {
    const presented = bearerToken(request.headers.authorization);
    if (presented === null || !constantTimeEqual(presented, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: 'UNAUTHENTICATED', message: 'Send Authorization: Bearer <METRICS_TOKEN>' });
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

function outcomeOf(error: unknown): string {
  return error instanceof DomainError ? error.code.toLowerCase() : 'error';
}

/** Counts every sign-in step's outcome around the service, leaving the sign-in code itself alone. */
export function countSignInOutcomes(auth: AuthService, metrics: Pick<Metrics, 'signIns'>): AuthService {
  return {
    ...auth,
    async signIn(...args) {
      try {
        const result = await auth.signIn(...args);
        metrics.signIns.inc({ step: 'password', outcome: result.status });
        return result;
      } catch (error) {
        metrics.signIns.inc({ step: 'password', outcome: outcomeOf(error) });
        throw error;
      }
    },
    async completeTwoFactor(...args) {
      try {
        const result = await auth.completeTwoFactor(...args);
        metrics.signIns.inc({ step: 'second_factor', outcome: 'signed_in' });
        return result;
      } catch (error) {
        metrics.signIns.inc({ step: 'second_factor', outcome: outcomeOf(error) });
        throw error;
      }
    },
  };
}
