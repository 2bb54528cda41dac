import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * How long a connection may take at each step, so a slow or idle client cannot hold a socket
 * (and a shutdown) open: the headers within 10 s, the whole request within REQUEST_TIMEOUT_MS
 * (default 30 s; then 408), and an idle keep-alive socket is closed after 5 s (the Fastify
 * default of 72 s kept SIGTERM waiting that long). Node checks the first two every second.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A socket with no traffic at all for this long is destroyed. */
export const SOCKET_IDLE_TIMEOUT_MS = 60_000;
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** How long a shutdown waits for requests in flight before it closes their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Options for `http.createServer` (main.ts binds the port before Fastify exists). */
export function httpServerOptions(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  };
}

/** The same bounds as Fastify options, for a server Fastify creates itself (tests). */
export function fastifyTimeoutOptions(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: SOCKET_IDLE_TIMEOUT_MS,
    // Idle keep-alive sockets are closed at once on close(); busy ones finish their request.
    forceCloseConnections: 'idle' as const,
  };
}

/** Paths whose answers are API data: never stored by a browser or a shared cache. */
const API_PREFIXES = ['/trpc/', '/v1/', '/api/v1/'];

/**
 * Security headers on every answer (@fastify/helmet): no MIME sniffing, no framing by other
 * sites, no referrer leaks, and a Content Security Policy the account center and /docs run
 * under (scripts and styles from this origin only; images also over https, since profile
 * pictures are on other hosts). API answers carry `Cache-Control: no-store`: they hold
 * session tokens and private profile data, and a shared cache must never keep them.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // swagger-ui and React set inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    frameguard: { action: 'deny' },
    // Served over plain HTTP in development; HSTS belongs to the TLS-terminating proxy.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (API_PREFIXES.some((prefix) => request.url.startsWith(prefix))) {
      void reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
