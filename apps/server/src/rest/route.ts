import {
  addFieldErrors,
  type ErrorCode,
  emptyFieldErrors,
  type FieldErrors,
  issuesToFieldErrors,
} from '@userhub/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { validationFailed } from '../errors.js';
import { appRouter } from '../routers/_app.js';
import type { Services } from '../services/index.js';
import { createContextFor } from '../trpc/context.js';
import { createCallerFactory } from '../trpc/init.js';
import type { Dialect } from './dialect.js';
import { type FieldNames, toRestFailure } from './errors.js';

/** Built once: every REST request calls the same procedures the tRPC API serves, in-process. */
const createCaller = createCallerFactory(appRouter);

export type Caller = ReturnType<typeof createCaller>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** What a route reads when it declares no schema for a part: nothing (extra keys are dropped). */
const nothing = z.object({});

/** Spread into a route to declare no params, query or body; a route then overrides what it reads. */
export const NO_INPUT = { params: nothing, query: nothing, body: nothing } as const;

export interface RouteArgs<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  /** The same procedures the tRPC API serves, called in-process with the request's session. */
  readonly call: Caller;
  readonly params: z.output<P>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
  /** The request headers as Fastify parsed them (lower-case names), for the few routes that read one. */
  readonly headers: RequestHeaders;
  readonly now: Date;
}

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Everything about a route but its input schemas and handler: what OpenAPI documents. */
export interface RouteInfo {
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
  readonly response: z.ZodType;
  /** Procedure field names → the dialect's names, so field errors point at what the client sent. */
  readonly fieldNames?: FieldNames;
  /**
   * The domain codes the route's procedures throw, beyond those its shape implies (a bearer
   * route's UNAUTHENTICATED, an input's VALIDATION_FAILED): the OpenAPI document lists the
   * statuses of both, and only those.
   */
  readonly errors?: readonly ErrorCode[];
  /**
   * The success is a file download (an `AttachmentAnswer`): `response` is the file's own JSON,
   * sent without the dialect's envelope, with `Content-Disposition: attachment`.
   */
  readonly answersFile?: boolean;
}

/**
 * One legacy route as written: the dialect's request shape, the procedure(s) it maps onto
 * and the answer's shape. Nothing here decides a rule; the procedures do.
 */
export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> extends RouteInfo {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  handle(args: RouteArgs<P, Q, B>): Promise<unknown>;
}

/** The parts of a request a route validates, as Fastify parsed them. */
export interface RawRequest {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly headers?: RequestHeaders;
}

export type RouteOutcome =
  | { readonly ok: true; readonly answer: unknown }
  /** The request broke the route's own schemas; the fields already carry the dialect's names. */
  | { readonly ok: false; readonly fieldErrors: FieldErrors };

/** A route as mounted and documented: its schemas (undefined where it reads nothing) and a runner. */
export interface RestRoute extends RouteInfo {
  readonly params: AnyObject | undefined;
  readonly query: AnyObject | undefined;
  readonly body: z.ZodType | undefined;
  /** Validates the request, then opens the caller (resolving the session) and runs the handler. */
  run(request: RawRequest, openCaller: () => Promise<Caller>, now: Date): Promise<RouteOutcome>;
}

/** The field map of every part that failed, each under its own root (`params`, `query`, `body`). */
function partErrors(parts: Record<string, z.ZodSafeParseResult<unknown>>): FieldErrors {
  const fieldErrors = emptyFieldErrors();
  for (const [where, result] of Object.entries(parts)) {
    if (result.success) continue;
    for (const [field, messages] of Object.entries(issuesToFieldErrors(result.error.issues, where))) {
      addFieldErrors(fieldErrors, field, messages);
    }
  }
  return fieldErrors;
}

/** The schema a route declared, or undefined where it spread NO_INPUT's (documented as none). */
function declared<S extends z.ZodType>(schema: S): S | undefined {
  return Object.is(schema, nothing) ? undefined : schema;
}

export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): RestRoute {
  const { handle, params: paramsSchema, query: querySchema, body: bodySchema, ...info } = spec;
  return {
    ...info,
    params: declared(paramsSchema),
    query: declared(querySchema),
    body: declared(bodySchema),
    async run(request, openCaller, now) {
      const params = paramsSchema.safeParse(request.params ?? {});
      const query = querySchema.safeParse(request.query ?? {});
      const body = bodySchema.safeParse(request.body ?? {});
      if (!params.success || !query.success || !body.success) {
        return { ok: false, fieldErrors: partErrors({ params, query, body }) };
      }
      const call = await openCaller();
      return {
        ok: true,
        answer: await handle({
          call,
          params: params.data,
          query: query.data,
          body: body.data,
          headers: request.headers ?? {},
          now,
        }),
      };
    },
  };
}

/** A v2 route also served, for old clients, at the v1 path it replaced. */
export function alsoAtSupersededPath(route: RestRoute, v1Path: string, tag: string): RestRoute[] {
  return [
    route,
    { ...route, path: v1Path, tag, deprecated: true, description: `Superseded by ${route.path}.` },
  ];
}

/** An answer whose message depends on what the route did (e.g. a username change within an update). */
export class MessageAnswer {
  constructor(
    readonly data: unknown,
    readonly message: string,
  ) {}
}

/** An answer sent as a file download (`Content-Disposition: attachment`), JSON without an envelope. */
export class AttachmentAnswer {
  constructor(
    readonly fileName: string,
    readonly document: unknown,
  ) {}
}

export interface RestRuntime {
  readonly deps: AppDeps;
  readonly services: Services;
  clientMeta(request: FastifyRequest): ClientMeta;
}

function sendFailure(dialect: Dialect, reply: FastifyReply, error: unknown, now: Date, names?: FieldNames) {
  const failure = toRestFailure(error, names);
  if (failure.retryAfter !== null) void reply.header('retry-after', String(failure.retryAfter));
  return reply.code(failure.status).send(dialect.failure(failure, now));
}

/** RFC 6266: a plain ASCII name, and the exact one as RFC 5987 `filename*`. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
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
        const openCaller = async () =>
          createCaller(
            await createContextFor(
              runtime.deps,
              runtime.services,
              request.headers.authorization,
              runtime.clientMeta(request),
            ),
          );
        try {
          const outcome = await route.run(request, openCaller, now);
          if (!outcome.ok) return sendFailure(dialect, reply, validationFailed(outcome.fieldErrors), now);
          if (outcome.answer instanceof AttachmentAnswer) {
            return reply
              .code(route.status)
              .header('content-type', 'application/json; charset=utf-8')
              .header('content-disposition', contentDisposition(outcome.answer.fileName))
              .header('cache-control', 'no-store')
              .send(JSON.stringify(outcome.answer.document, null, 2));
          }
          const { data, message } =
            outcome.answer instanceof MessageAnswer
              ? outcome.answer
              : { data: outcome.answer, message: route.message };
          return reply
            .code(route.status)
            .send(dialect.success(message, data === undefined ? {} : data, route.status, now));
        } catch (error) {
          if (toRestFailure(error).status >= 500) {
            request.log.error({ err: error, route: route.path }, 'REST route failed');
          }
          return sendFailure(dialect, reply, error, now, route.fieldNames);
        }
      },
    });
  }
}
