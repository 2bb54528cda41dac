import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { ErrorCode, FieldErrors } from '@userhub/core';

/**
 * A failure the caller can act on. Services throw these; the tRPC layer and the REST
 * dialects translate them through ERROR_TABLE, the one place codes meet statuses.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fieldErrors?: FieldErrors; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.code = code;
    this.fieldErrors = extra.fieldErrors;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export interface ErrorMapping {
  readonly trpc: TRPC_ERROR_CODE_KEY;
  /** HTTP status used by the REST dialects (SPEC §5). */
  readonly http: number;
}

export const ERROR_TABLE: Record<ErrorCode, ErrorMapping> = {
  VALIDATION_FAILED: { trpc: 'BAD_REQUEST', http: 422 },
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', http: 401 },
  INVALID_CREDENTIALS: { trpc: 'UNAUTHORIZED', http: 401 },
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403 },
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  USERNAME_TAKEN: { trpc: 'CONFLICT', http: 409 },
  EMAIL_TAKEN: { trpc: 'CONFLICT', http: 409 },
  ACCOUNT_LOCKED: { trpc: 'FORBIDDEN', http: 423 },
  RATE_LIMITED: { trpc: 'TOO_MANY_REQUESTS', http: 429 },
  INVALID_CODE: { trpc: 'BAD_REQUEST', http: 400 },
  ALREADY_VERIFIED: { trpc: 'BAD_REQUEST', http: 400 },
  CODE_EXPIRED: { trpc: 'BAD_REQUEST', http: 400 },
  TWO_FACTOR_ALREADY_ENABLED: { trpc: 'BAD_REQUEST', http: 400 },
  TWO_FACTOR_NOT_ENABLED: { trpc: 'BAD_REQUEST', http: 400 },
  TWO_FACTOR_NOT_INITIATED: { trpc: 'BAD_REQUEST', http: 400 },
  SERVICE_DISABLED: { trpc: 'FORBIDDEN', http: 403 },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', http: 500 },
  TWO_FACTOR_REQUIRED: { trpc: 'FORBIDDEN', http: 403 },
  INVALID_TOKEN: { trpc: 'BAD_REQUEST', http: 400 },
  PASSKEY_REJECTED: { trpc: 'BAD_REQUEST', http: 400 },
  LAST_SIGN_IN_METHOD: { trpc: 'BAD_REQUEST', http: 400 },
};

export const invalidCredentials = () =>
  new DomainError('INVALID_CREDENTIALS', 'The login or password is incorrect');

export const notFound = (what = 'User') => new DomainError('NOT_FOUND', `${what} not found`);

export const validationFailed = (fieldErrors: FieldErrors, message = 'Invalid input') =>
  new DomainError('VALIDATION_FAILED', message, { fieldErrors });

/** PostgreSQL's unique_violation; the constraint name says which uniqueness was hit. */
export function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== '23505') return null;
  if (typeof e.constraint === 'string') return e.constraint;
  // PGlite reports the constraint only inside the message.
  const match = typeof e.message === 'string' ? /constraint "([^"]+)"/.exec(e.message) : null;
  return match?.[1] ?? '';
}
