import { initTRPC, TRPCError } from '@trpc/server';
import {
  describeFieldErrors,
  type ErrorCode,
  type FieldErrors,
  type IssueLike,
  issuesToFieldErrors,
} from '@userhub/core';
import superjson from 'superjson';
import { DomainError, ERROR_TABLE } from '../errors.js';
import type { Context } from './context.js';

/** What every error carries in `error.data`, beside tRPC's own `code` and `httpStatus`. */
export interface UserhubErrorData {
  /** The domain code (UPPER_SNAKE), stable across releases. */
  readonly reason: ErrorCode;
  /** Field path → messages, for validation failures. */
  readonly fieldErrors: FieldErrors | null;
  /** Seconds to wait, for rate limits. */
  readonly retryAfter: number | null;
}

function hasIssues(cause: unknown): cause is { issues: IssueLike[] } {
  return typeof cause === 'object' && cause !== null && Array.isArray((cause as { issues?: unknown }).issues);
}

const TRPC_TO_REASON: Partial<Record<TRPCError['code'], ErrorCode>> = {
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  PARSE_ERROR: 'VALIDATION_FAILED',
  BAD_REQUEST: 'VALIDATION_FAILED',
  PAYLOAD_TOO_LARGE: 'VALIDATION_FAILED',
  UNSUPPORTED_MEDIA_TYPE: 'VALIDATION_FAILED',
};

export function errorDataFor(error: TRPCError): UserhubErrorData {
  const cause = error.cause;
  if (cause instanceof DomainError) {
    return {
      reason: cause.code,
      fieldErrors: cause.fieldErrors ?? null,
      retryAfter: cause.retryAfterSeconds ?? null,
    };
  }
  if (hasIssues(cause)) {
    return { reason: 'VALIDATION_FAILED', fieldErrors: issuesToFieldErrors(cause.issues), retryAfter: null };
  }
  return { reason: TRPC_TO_REASON[error.code] ?? 'INTERNAL', fieldErrors: null, retryAfter: null };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    const extra = errorDataFor(error);
    // Internal faults keep their details in the server log, not in the answer; a schema
    // failure's raw issue dump becomes a readable line (the field map carries the detail).
    const message =
      error.code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal server error'
        : hasIssues(error.cause) && extra.fieldErrors !== null
          ? `Validation failed: ${describeFieldErrors(extra.fieldErrors)}`
          : shape.message;
    return { ...shape, message, data: { ...data, ...extra } };
  },
});

/** Turns a DomainError thrown anywhere below into the TRPCError its code maps to. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: ERROR_TABLE[cause.code].trpc, message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(domainErrors);

/** Narrows `ctx.auth` to a signed-in user; anything else is UNAUTHORIZED before the handler runs. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.auth === null) {
    throw new DomainError('UNAUTHENTICATED', 'Sign in to continue: no valid session token was sent');
  }
  return next({ ctx: { ...ctx, auth: ctx.auth } });
});

/** For other services of the platform, authenticated by SERVICE_TOKEN (SPEC §8). */
export const serviceProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.isServiceCall) {
    throw new DomainError(
      ctx.deps.config.serviceToken === undefined ? 'SERVICE_DISABLED' : 'UNAUTHENTICATED',
      ctx.deps.config.serviceToken === undefined
        ? 'Internal procedures are disabled: SERVICE_TOKEN is not configured'
        : 'A valid service token is required',
    );
  }
  return next();
});
