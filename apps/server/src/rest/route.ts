import { describeFieldErrors, issuesToFieldErrors } from '@userhub/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { appRouter } from '../routers/_app.js';
import type { Services } from '../services/index.js';
import { createContextFor } from '../trpc/context.js';
import type { Dialect } from './dialect.js';
import { renameFields, toRestFailure } from './errors.js';

export type Caller = ReturnType<typeof appRouter.createCaller>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteArgs<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  /** The same procedures the tRPC API serves, called in-process with the request's session. */
  readonly call: Caller;
  readonly params: z.output<P>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
  readonly now: Date;
}

/**
 * One legacy route: the dialect's request shape, the procedure(s) it maps onto and the
 * answer's shape. Nothing here decides a rule; the procedures do.
 */
export interface RestRoute<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** OpenAPI-style template, e.g. `/v1/account/user/{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly status: number;
  readonly message: string;
  readonly auth: 'bearer' | 'optional' | 'none';
  readonly deprecated?: boolean;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: z.ZodType;
  /** Procedure field names → the dialect's names, so field errors point at what the client sent. */
  readonly fieldNames?: Record<string, string>;
  handle(args: RouteArgs<P, Q, B>): Promise<unknown>;
}

export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  route: RestRoute<P, Q, B>,
): RestRoute {
  return route as unknown as RestRoute;
}

const emptyObject = z.object({});

/** An answer whose message depends on what the route did (e.g. a username change within an update). */
export class MessageAnswer {
  constructor(
    readonly data: unknown,
    readonly message: string,
  ) {}
}

export interface RestRuntime {
  readonly deps: AppDeps;
  readonly services: Services;
  clientMeta(request: FastifyRequest): ClientMeta;
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string) {
  const result = (schema ?? emptyObject).safeParse(value ?? {});
  if (result.success) return { ok: true as const, value: result.data };
  return { ok: false as const, fieldErrors: issuesToFieldErrors(result.error.issues, where) };
}

function sendFailure(dialect: Dialect, reply: FastifyReply, error: unknown, now: Date, names = {}) {
  const failure = toRestFailure(error);
  const renamed = { ...failure, fieldErrors: renameFields(failure.fieldErrors, names) };
  if (failure.retryAfter !== null) void reply.header('retry-after', String(failure.retryAfter));
  return reply.code(failure.status).send(dialect.failure(renamed, now));
}

/** Mounts each route on Fastify: validate the dialect's shape, call the procedures, wrap the answer. */
export function registerRoutes(
  app: FastifyInstance,
  dialect: Dialect,
  routes: readonly RestRoute[],
  runtime: RestRuntime,
): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path.replace(/\{(\w+)\}/g, ':$1'),
      handler: async (request, reply) => {
        const now = runtime.deps.clock.now();
        const parts = [
          parsePart(route.params, request.params, 'params'),
          parsePart(route.query, request.query, 'query'),
          parsePart(route.body, request.body, 'body'),
        ] as const;
        const invalid = parts.flatMap((p) => (p.ok ? [] : Object.entries(p.fieldErrors)));
        if (invalid.length > 0) {
          const fieldErrors = Object.fromEntries(invalid);
          const message = `Validation failed: ${describeFieldErrors(fieldErrors)}`;
          return reply
            .code(422)
            .send(
              dialect.failure(
                { status: 422, reason: 'VALIDATION_FAILED', message, fieldErrors, retryAfter: null },
                now,
              ),
            );
        }
        const [params, query, body] = parts.map((p) => (p.ok ? p.value : undefined));
        try {
          const ctx = await createContextFor(
            runtime.deps,
            runtime.services,
            request.headers.authorization,
            runtime.clientMeta(request),
          );
          const result = await route.handle({
            call: appRouter.createCaller(ctx),
            params,
            query,
            body,
            now,
          } as never);
          const { data, message } =
            result instanceof MessageAnswer ? result : { data: result, message: route.message };
          return reply
            .code(route.status)
            .send(dialect.success(message, data === undefined ? {} : data, route.status, now));
        } catch (error) {
          const failure = toRestFailure(error);
          if (failure.status >= 500)
            request.log.error({ err: error, route: route.path }, 'REST route failed');
          return sendFailure(dialect, reply, error, now, route.fieldNames);
        }
      },
    });
  }
}
