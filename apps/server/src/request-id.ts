import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isAcceptableRequestId, REQUEST_ID_HEADER } from '@userhub/core';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';

/**
 * SPEC §9: every answer carries `x-request-id` and every log line of the request carries
 * it as `reqId`, including lines written far below the route by code that only holds the
 * application logger (the mailer, the SMS sender, a service). Fastify's per-request child
 * logger covers its own lines; an AsyncLocalStorage scope covers the rest, read by the
 * logger's mixin (logger.ts).
 */
interface RequestScope {
  readonly requestId: string;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/** The id of the request whose work is running now, if any. */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/** Runs `work` as part of the request `requestId` (its log lines carry the id). */
export function runInRequestScope<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId }, work);
}

/** Runs `work` outside any request (background work a request merely woke up). */
export function runOutsideRequestScope<T>(work: () => T): T {
  return requestScope.exit(work);
}

/** Marks Fastify's per-request loggers, whose bindings already hold `reqId`. */
const CARRIES_REQUEST_ID = Symbol('userhub.carriesRequestId');

export function loggerCarriesRequestId(logger: Logger): boolean {
  return (logger as Logger & { [CARRIES_REQUEST_ID]?: true })[CARRIES_REQUEST_ID] === true;
}

function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return isAcceptableRequestId(incoming) ? incoming : randomUUID();
}

const childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => {
  const child = logger.child(bindings, options);
  Object.defineProperty(child, CARRIES_REQUEST_ID, { value: true });
  return child;
};

/** Spread into Fastify's options: the id is taken from the header only when it is acceptable. */
export const requestIdServerOptions = {
  requestIdHeader: false,
  genReqId: requestIdFor,
  childLoggerFactory,
} satisfies Partial<FastifyServerOptions>;

const scopeResource = Symbol('userhub.requestScopeResource');

/** Echoes the id on every answer (404s and errors included) and opens the request's log scope. */
export function registerRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    runInRequestScope(request.id, () => {
      (request as unknown as Record<symbol, AsyncResource>)[scopeResource] = new AsyncResource(
        'userhub-request',
      );
      done();
    });
  });
  // The body arrives on the socket's own async context, so the scope is lost by the time
  // validation and the handler run; re-enter it from the resource created inside it.
  app.addHook('preValidation', (request, _reply, done) => {
    const resource = (request as unknown as Record<symbol, AsyncResource | undefined>)[scopeResource];
    if (resource === undefined) done();
    else resource.runInAsyncScope(done);
  });
}
