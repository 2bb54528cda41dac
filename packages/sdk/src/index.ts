import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter, UserhubErrorData } from '@userhub/server';
import superjson from 'superjson';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type UserhubClient = TRPCClient<AppRouter>;

export interface UserhubClientOptions {
  /** The server's base URL, e.g. `http://localhost:3000`; `/trpc` is appended unless already there. */
  readonly url: string;
  /** The session token, or a function returning it (read on every request, so sign-in can swap it). */
  readonly token?: string | null | (() => string | null | undefined | Promise<string | null | undefined>);
  /** Extra headers for every request. */
  readonly headers?: Record<string, string>;
  /** A custom fetch (tests, React Native, edge runtimes). */
  readonly fetch?: typeof fetch;
  /**
   * The longest URL a batch may use (default {@link DEFAULT_MAX_URL_LENGTH}); a bigger batch is
   * split into several requests. Query inputs travel in the URL, and browsers, proxies and CDNs
   * refuse URLs past a few kilobytes.
   */
  readonly maxURLLength?: number;
}

/** Keeps every batch URL within what browsers, proxies and CDNs commonly accept. */
export const DEFAULT_MAX_URL_LENGTH = 2000;

export function trpcEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/trpc') ? trimmed : `${trimmed}/trpc`;
}

export function createUserhubClient(options: UserhubClientOptions): UserhubClient {
  const { token } = options;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: trpcEndpoint(options.url),
        transformer: superjson,
        maxURLLength: options.maxURLLength ?? DEFAULT_MAX_URL_LENGTH,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        async headers() {
          const value = typeof token === 'function' ? await token() : token;
          return {
            ...options.headers,
            ...(value ? { authorization: `Bearer ${value}` } : {}),
          };
        },
      }),
    ],
  });
}

export interface UserhubError {
  /**
   * tRPC's code, e.g. `BAD_REQUEST`, `UNAUTHORIZED`, `CONFLICT`; `NETWORK_ERROR` when no answer
   * arrived at all (server unreachable, connection dropped, or the browser refused the
   * response under CORS — browsers do not tell these apart).
   */
  readonly code: string;
  /** userhub's domain code, e.g. `EMAIL_TAKEN`, `VALIDATION_FAILED`, `RATE_LIMITED`; `NETWORK_ERROR` as above. */
  readonly reason: UserhubErrorData['reason'] | 'NETWORK_ERROR';
  /** The answer's HTTP status; null when there was no answer. */
  readonly httpStatus: number | null;
  readonly message: string;
  /** Field path → messages, when the input failed validation. */
  readonly fieldErrors: Record<string, string[]>;
  /** Seconds to wait before retrying, for rate limits. */
  readonly retryAfter: number | null;
  /** When the account will be erased, for `ACCOUNT_PENDING_DELETION`. */
  readonly scheduledFor: Date | null;
}

/** Reads a failed call's code and field errors; null when `error` did not come from the userhub API. */
export function readUserhubError(error: unknown): UserhubError | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = (error as TRPCClientError<AppRouter>).data as
    | (Partial<UserhubErrorData> & { code?: string; httpStatus?: number })
    | undefined;
  if (data === undefined && isFailedFetch(error.cause)) {
    return {
      code: 'NETWORK_ERROR',
      reason: 'NETWORK_ERROR',
      httpStatus: null,
      message: error.message,
      fieldErrors: {},
      retryAfter: null,
      scheduledFor: null,
    };
  }
  return {
    code: data?.code ?? 'INTERNAL_SERVER_ERROR',
    reason: data?.reason ?? 'INTERNAL',
    httpStatus: data?.httpStatus ?? null,
    message: error.message,
    fieldErrors: data?.fieldErrors ?? {},
    retryAfter: data?.retryAfter ?? null,
    scheduledFor: data?.scheduledFor ?? null,
  };
}

/**
 * `fetch` rejects with a TypeError exactly when no response arrived (Node: "fetch failed",
 * Chromium: "Failed to fetch", Firefox: "NetworkError…", Safari: "Load failed"). An unreadable
 * response is a SyntaxError and a cancelled call an AbortError, so neither reads as a network failure.
 * Compared by name, not `instanceof`, so errors from another realm (an iframe, a test runner) count.
 */
function isFailedFetch(cause: unknown): boolean {
  // happy-dom, which DOM tests run on, names the same failure NetworkError.
  return cause instanceof Error && (cause.name === 'TypeError' || cause.name === 'NetworkError');
}

export { TRPCClientError };
