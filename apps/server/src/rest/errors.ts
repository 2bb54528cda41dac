import { TRPCError } from '@trpc/server';
import { describeFieldErrors, type ErrorCode, type FieldErrors } from '@userhub/core';
import { DomainError, ERROR_TABLE } from '../errors.js';
import { errorDataFor } from '../trpc/init.js';

/** What a REST dialect needs to know about a failure to render it in its own envelope. */
export interface RestFailure {
  readonly status: number;
  readonly reason: ErrorCode;
  readonly message: string;
  readonly fieldErrors: FieldErrors | null;
  readonly retryAfter: number | null;
}

/** tRPC codes a procedure may raise on its own (not via a DomainError), as HTTP statuses. */
const TRPC_HTTP: Partial<Record<TRPCError['code'], number>> = {
  PARSE_ERROR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
};

/** Field messages keyed by the dialect's own field names (the procedure's names by default). */
export function renameFields(
  fieldErrors: FieldErrors | null,
  names: Record<string, string>,
): FieldErrors | null {
  if (fieldErrors === null) return null;
  const renamed: FieldErrors = {};
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const prefix = Object.keys(names)
      .filter((name) => path === name || path.startsWith(`${name}.`))
      .sort((a, b) => b.length - a.length)[0];
    const target = prefix === undefined ? path : `${names[prefix]}${path.slice(prefix.length)}`;
    renamed[target] = [...(renamed[target] ?? []), ...messages];
  }
  return renamed;
}

/**
 * One translation for every failure a REST route can meet: the ERROR_TABLE decides the
 * status of domain errors, validation failures are 422 with their field map (SPEC §5).
 */
export function toRestFailure(error: unknown): RestFailure {
  if (error instanceof DomainError) {
    return toRestFailure(
      new TRPCError({ code: ERROR_TABLE[error.code].trpc, message: error.message, cause: error }),
    );
  }
  if (error instanceof TRPCError) {
    const data = errorDataFor(error);
    const status =
      data.reason === 'INTERNAL' ? (TRPC_HTTP[error.code] ?? 500) : ERROR_TABLE[data.reason].http;
    return {
      status,
      reason: data.reason,
      message:
        status === 500
          ? 'Internal server error'
          : data.reason === 'VALIDATION_FAILED' && data.fieldErrors !== null
            ? `Validation failed: ${describeFieldErrors(data.fieldErrors)}`
            : error.message,
      fieldErrors: data.fieldErrors,
      retryAfter: data.retryAfter,
    };
  }
  return {
    status: 500,
    reason: 'INTERNAL',
    message: 'Internal server error',
    fieldErrors: null,
    retryAfter: null,
  };
}
