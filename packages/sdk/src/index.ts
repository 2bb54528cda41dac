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
}

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
  /** tRPC's code, e.g. `BAD_REQUEST`, `UNAUTHORIZED`, `CONFLICT`. */
  readonly code: string;
  /** userhub's domain code, e.g. `EMAIL_TAKEN`, `VALIDATION_FAILED`, `RATE_LIMITED`. */
  readonly reason: UserhubErrorData['reason'];
  readonly httpStatus: number | null;
  readonly message: string;
  /** Field path → messages, when the input failed validation. */
  readonly fieldErrors: Record<string, string[]>;
  /** Seconds to wait before retrying, for rate limits. */
  readonly retryAfter: number | null;
}

/** Reads a failed call's code and field errors; null when `error` did not come from the userhub API. */
export function readUserhubError(error: unknown): UserhubError | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = (error as TRPCClientError<AppRouter>).data as
    | (Partial<UserhubErrorData> & { code?: string; httpStatus?: number })
    | undefined;
  return {
    code: data?.code ?? 'INTERNAL_SERVER_ERROR',
    reason: data?.reason ?? 'INTERNAL',
    httpStatus: data?.httpStatus ?? null,
    message: error.message,
    fieldErrors: data?.fieldErrors ?? {},
    retryAfter: data?.retryAfter ?? null,
  };
}

export { TRPCClientError };
