import type { AnyRouter, TRPCError } from '@trpc/server';
import { getHTTPStatusCode, resolveResponse } from '@trpc/server/http';
import {
  type AnyProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
} from '@trpc/server/unstable-core-do-not-import';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface TrpcRouteOptions<TRouter extends AnyRouter> {
  readonly router: TRouter;
  readonly prefix: string;
  /** The context of one HTTP request (every call of a batch shares it). */
  readonly createContext: (request: FastifyRequest) => Promise<TRouter['_def']['_config']['$types']['ctx']>;
  /** Headers an answer with these errors carries (`retry-after`). */
  readonly errorHeaders: (errors: readonly TRPCError[]) => Record<string, string>;
  readonly onError: (failure: { error: TRPCError; path: string | undefined }) => void;
}

/**
 * Only the origin of the Fetch request tRPC reads is fixed: tRPC takes nothing from it but
 * the path and the query string, so a Host header cannot make a request fail to parse.
 */
const ORIGIN = 'http://trpc.internal';

/** Answers that stream (tRPC's JSON-lines batches, server-sent events) are passed on as streams. */
const STREAMED = /^(application\/jsonl|text\/event-stream)/;

/**
 * Serves tRPC on `<prefix>/:path`, the role of tRPC's Fastify adapter, with less work per call.
 * The adapter turns each request into a Fetch `Request` with a streamed body and an
 * `AbortController`, then pipes the Fetch `Response` back through a web stream in chunked
 * writes. Here GET queries and JSON POST mutations (one or a batch) are run and answered
 * directly (`answerCalls`); every other request goes to tRPC's `resolveResponse` with the body
 * Fastify already read
 * (within its bodyLimit), and a JSON answer is sent in one piece with its length (as bytes,
 * so its content type stays tRPC's). Either way the wire protocol is tRPC's own.
 */
export async function registerTrpcRoute<TRouter extends AnyRouter>(
  app: FastifyInstance,
  options: TrpcRouteOptions<TRouter>,
): Promise<void> {
  await app.register(async (scope) => {
    // tRPC parses its own bodies (JSON with the transformer's envelope): keep them as text.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      done(null, body);
    });
    scope.all<{ Params: { path: string } }>(`${options.prefix}/:path`, (request, reply) =>
      answer(options, request, reply),
    );
  });
}

type Request_ = FastifyRequest<{ Params: { path: string } }>;

async function answer<TRouter extends AnyRouter>(
  options: TrpcRouteOptions<TRouter>,
  request: Request_,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const calls = plainCalls(options.router, request);
  if (calls !== null) return answerCalls(options, request, reply, calls);
  return answerThroughTrpc(options, request, reply);
}

/** GET calls of queries or JSON POST calls of mutations, read and ready to run. */
interface PlainCalls {
  readonly type: 'query' | 'mutation';
  readonly isBatch: boolean;
  readonly calls: ReadonlyArray<{
    readonly path: string;
    readonly procedure: AnyProcedure;
    readonly input: unknown;
  }>;
}

/**
 * The requests the SDK sends, GET of queries and POST of mutations (one or a batch), read as
 * tRPC reads them (`jsonContentTypeHandler`: a GET's input in `?input=`, a POST's in its JSON
 * body). null hands the request to `resolveResponse`: an unknown path, a procedure of the
 * other kind, a body that is not JSON, a streaming or SSE request, an input that does not
 * parse, anything unusual. Nothing has run yet at that point, so tRPC then answers it from
 * the start.
 */
function plainCalls(router: AnyRouter, request: Request_): PlainCalls | null {
  const { headers } = request;
  const type = request.method === 'GET' ? 'query' : request.method === 'POST' ? 'mutation' : null;
  if (type === null) return null;
  if (headers['trpc-accept'] !== undefined || headers.accept?.includes('application/jsonl')) return null;
  const query = request.query as Record<string, string | string[] | undefined>;
  if (query.connectionParams !== undefined || Array.isArray(query.input)) return null;
  const isBatch = query.batch === '1';
  let text: string | undefined;
  if (type === 'query') text = query.input;
  else if (isJson(headers['content-type']) && typeof request.body === 'string') text = request.body;
  else return null;
  let paths: string[];
  let raw: unknown;
  try {
    const path = decodeURIComponent(request.params.path);
    paths = isBatch ? path.split(',') : [path];
    raw = text === undefined || text === '' ? undefined : JSON.parse(text);
  } catch {
    return null;
  }
  if (isBatch && raw !== undefined && (typeof raw !== 'object' || raw === null)) return null;
  const deserialize = router._def._config.transformer.input.deserialize;
  const calls = [];
  for (const [index, path] of paths.entries()) {
    const procedure = Object.hasOwn(router._def.procedures, path)
      ? (router._def.procedures[path] as AnyProcedure)
      : undefined;
    if (procedure === undefined || procedure._def.type !== type) return null;
    const rawInput = raw === undefined ? undefined : isBatch ? (raw as Record<string, unknown>)[index] : raw;
    try {
      calls.push({ path, procedure, input: rawInput === undefined ? undefined : deserialize(rawInput) });
    } catch {
      return null;
    }
  }
  return { type, isBatch, calls };
}

/** tRPC's test for its JSON handler: the media type, without parameters, in any case. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * Runs the calls and writes the answer exactly as `resolveResponse` does for them (the same
 * error shapes, status, 207 for a mixed batch, `vary`), without its Fetch `Request`,
 * `Response`, `Headers` and per-call `AbortController`s: on the request path those cost a
 * fifth of the CPU of a signed-in read. `trpc-http.test.ts` holds the two answers equal.
 */
async function answerCalls<TRouter extends AnyRouter>(
  options: TrpcRouteOptions<TRouter>,
  request: Request_,
  reply: FastifyReply,
  { type, isBatch, calls }: PlainCalls,
): Promise<FastifyReply> {
  const config = options.router._def._config;
  let ctx: unknown;
  let contextError: TRPCError | undefined;
  try {
    ctx = await options.createContext(request);
  } catch (cause) {
    contextError = getTRPCErrorFromUnknown(cause);
  }
  const outcomes = await Promise.all(
    calls.map(async ({ path, procedure, input }, batchIndex) => {
      try {
        if (contextError !== undefined) throw contextError;
        const data: unknown = await procedure({
          path,
          getRawInput: async () => input,
          ctx,
          type,
          signal: undefined,
          batchIndex,
        });
        return { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        options.onError({ error, path });
        return { error, shape: getErrorShape({ config, ctx, error, input, path, type }) };
      }
    }),
  );
  const json = outcomes.map((outcome) => ('error' in outcome ? { error: outcome.shape } : outcome));
  const errors = outcomes.map((outcome) => ('error' in outcome ? outcome.error : undefined));
  const body = isBatch ? json : json[0]!;
  reply.code(getHTTPStatusCode(body, errors));
  reply.header('vary', 'trpc-accept, accept');
  reply.header('content-type', 'application/json');
  const failed = errors.filter((error): error is TRPCError => error !== undefined);
  if (failed.length > 0)
    for (const [name, value] of Object.entries(options.errorHeaders(failed))) reply.header(name, value);
  return reply.send(Buffer.from(JSON.stringify(transformTRPCResponse(config, body))));
}

async function answerThroughTrpc<TRouter extends AnyRouter>(
  options: TrpcRouteOptions<TRouter>,
  request: Request_,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (value !== undefined) for (const each of value) headers.append(name, each);
  }
  const body = request.body;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const response = await resolveResponse({
    router: options.router,
    req: new Request(ORIGIN + request.url, {
      method: request.method,
      headers,
      ...(hasBody
        ? { body: typeof body === 'string' ? body : body === undefined ? null : JSON.stringify(body) }
        : {}),
    }),
    path: request.params.path,
    error: null,
    createContext: () => options.createContext(request),
    responseMeta: ({ errors }) => ({ headers: options.errorHeaders(errors) }),
    onError: ({ error, path }) => options.onError({ error, path }),
  });
  reply.code(response.status);
  for (const [name, value] of response.headers) reply.header(name, value);
  if (STREAMED.test(response.headers.get('content-type') ?? '')) return reply.send(response.body);
  return reply.send(response.body === null ? undefined : Buffer.from(await response.arrayBuffer()));
}
