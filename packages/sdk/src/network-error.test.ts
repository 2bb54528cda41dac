import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { initTRPC } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserhubClient, readUserhubError } from './index.js';

/** A real tRPC server over real HTTP whose one procedure fails the way a server bug does. */
const t = initTRPC.create({ transformer: superjson });
const faultyRouter = t.router({
  broken: t.procedure.query((): string => {
    throw new Error('database connection lost');
  }),
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

function clientFor(url: string) {
  return createTRPCClient<typeof faultyRouter>({
    links: [httpBatchLink({ url, transformer: superjson })],
  });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

let faulty: Server;
let faultyUrl: string;
let proxy: Server;
let proxyUrl: string;
let closedUrl: string;

beforeAll(async () => {
  faulty = createServer(createHTTPHandler({ router: faultyRouter }));
  faultyUrl = await listen(faulty);
  // What a reverse proxy answers when the API behind it is down: a status and an HTML page.
  proxy = createServer((_request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
  });
  proxyUrl = await listen(proxy);
  // A port that was just free and is closed again: nothing listens there.
  const released = createServer();
  closedUrl = await listen(released);
  await close(released);
});

afterAll(async () => {
  await close(faulty);
  await close(proxy);
});

describe('readUserhubError tells a network failure from a server fault', () => {
  it('reads an unreachable server as NETWORK_ERROR with no status', async () => {
    const error = await failureOf(createUserhubClient({ url: closedUrl }).profile.me.query());
    expect(readUserhubError(error)).toMatchObject({
      code: 'NETWORK_ERROR',
      reason: 'NETWORK_ERROR',
      httpStatus: null,
    });
  });

  it('reads a server fault as INTERNAL_SERVER_ERROR with its status', async () => {
    const error = await failureOf(clientFor(faultyUrl).broken.query());
    expect(readUserhubError(error)).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      reason: 'INTERNAL',
      httpStatus: 500,
    });
  });

  it('does not read an answer it cannot parse (a proxy error page) as a network failure', async () => {
    const error = await failureOf(clientFor(proxyUrl).broken.query());
    expect(readUserhubError(error)?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('does not read a cancelled call as a network failure', async () => {
    const controller = new AbortController();
    const call = clientFor(faultyUrl).broken.query(undefined, { signal: controller.signal });
    controller.abort();
    expect(readUserhubError(await failureOf(call))?.code).not.toBe('NETWORK_ERROR');
  });
});
