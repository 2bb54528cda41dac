import { initTRPC, TRPCError } from '@trpc/server';
import {
  addFieldErrors,
  type ErrorCode,
  emptyFieldErrors,
  type FieldErrors,
  unstorableTextFields,
} from '@userhub/core';
import {
  DomainError,
  databaseUnavailable,
  describeFailure,
  ERROR_TABLE,
  isDatabaseUnavailable,
  serviceCallsDisabled,
  serviceTokenRequired,
  unauthenticated,
  validationFailed,
  validationMessage,
} from '../errors.js';
import type { Context } from './context.js';
import { transformer } from './transformer.js';

/** What every error carries in `error.data`, beside tRPC's own `code` and `httpStatus`. */
export interface UserhubErrorData {
  /** The domain code (UPPER_SNAKE), stable across releases. */
  readonly reason: ErrorCode;
  /** Field path → messages, for validation failures. */
  readonly fieldErrors: FieldErrors | null;
  /** Seconds to wait, for rate limits. */
  readonly retryAfter: number | null;
  /** When a pending deletion will erase the account (ACCOUNT_PENDING_DELETION). */
  readonly scheduledFor: Date | null;
}

/** Keys superjson refuses to serialise anywhere in an answer (its prototype-pollution guard). */
const UNSERIALISABLE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The field map as superjson can carry it: a field whose whole path is one of the refused
 * keys is reported under the root key `_`, its name leading the message.
 */
function serialisableFieldErrors(fieldErrors: FieldErrors | null): FieldErrors | null {
  if (fieldErrors === null) return null;
  const safe = emptyFieldErrors();
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (UNSERIALISABLE_KEYS.has(field)) {
      addFieldErrors(
        safe,
        '_',
        messages.map((message) => `${field}: ${message}`),
      );
    } else {
      addFieldErrors(safe, field, messages);
    }
  }
  return safe;
}

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    // describeFailure keeps an internal fault's details out of the answer (they stay in the
    // server log) and turns a schema failure's raw issue dump into one readable line.
    const failure = describeFailure(error);
    const extra: UserhubErrorData = {
      reason: failure.reason,
      fieldErrors: serialisableFieldErrors(failure.fieldErrors),
      retryAfter: failure.retryAfter,
      scheduledFor: failure.scheduledFor,
    };
    return { ...shape, message: failure.message, data: { ...data, ...extra } };
  },
});

/** The TRPCError a domain error maps to in the one error table. */
export function trpcErrorOf(cause: DomainError): TRPCError {
  return new TRPCError({ code: ERROR_TABLE[cause.code].trpc, message: cause.message, cause });
}

/** Turns a DomainError thrown anywhere below into the TRPCError its code maps to. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  if (result.error.cause instanceof DomainError) throw trpcErrorOf(result.error.cause);
  if (isDatabaseUnavailable(result.error)) throw trpcErrorOf(databaseUnavailable());
  return result;
});

/**
 * NUL and lone surrogates are refused in every string of every input, before its schema runs:
 * PostgreSQL cannot store the first and silently rewrites the second, so one rule here covers
 * every free-text field, including those a schema bounds only by length.
 */
const storableText = t.middleware(async ({ getRawInput, next }) => {
  const fieldErrors = unstorableTextFields(await getRawInput());
  if (Object.keys(fieldErrors).length > 0)
    throw validationFailed(fieldErrors, validationMessage(fieldErrors));
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(domainErrors).use(storableText);

/** Narrows `ctx.auth` to a signed-in user; anything else is UNAUTHORIZED before the handler runs. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.auth === null) throw unauthenticated();
  return next({ ctx: { ...ctx, auth: ctx.auth } });
});

/** For other services of the platform, authenticated by SERVICE_TOKEN (SPEC §8). */
export const serviceProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.isServiceCall) {
    throw ctx.deps.config.serviceToken === undefined ? serviceCallsDisabled() : serviceTokenRequired();
  }
  return next();
});
