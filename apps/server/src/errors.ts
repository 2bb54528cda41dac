import { type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describeFieldErrors, type ErrorCode, type FieldErrors, issuesToFieldErrors } from '@userhub/core';

/**
 * The one home of failures: the domain error class, the table that maps each code to its
 * tRPC code, HTTP status and documentation, the named factories every layer throws, and
 * the single translation of any thrown value into what a transport answers.
 */

/** A failure the caller can act on. Services throw these, built by the factories below. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** When a pending deletion will erase the account (ACCOUNT_PENDING_DELETION). */
  readonly scheduledFor: Date | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fieldErrors?: FieldErrors; retryAfterSeconds?: number; scheduledFor?: Date } = {},
  ) {
    super(message);
    this.code = code;
    this.fieldErrors = extra.fieldErrors;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.scheduledFor = extra.scheduledFor;
  }
}

export interface ErrorMapping {
  readonly trpc: TRPC_ERROR_CODE_KEY;
  /** The HTTP status both REST dialects answer (SPEC §5: the seeds use the same statuses). */
  readonly http: number;
  /** What the code means to a client, for the OpenAPI document. */
  readonly description: string;
}

export const ERROR_TABLE: Record<ErrorCode, ErrorMapping> = {
  VALIDATION_FAILED: {
    trpc: 'BAD_REQUEST',
    http: 422,
    description: 'Validation failed; `data` maps each field to its message',
  },
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', http: 401, description: 'No or invalid session token' },
  INVALID_CREDENTIALS: { trpc: 'UNAUTHORIZED', http: 401, description: 'Wrong login or password' },
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403, description: 'Forbidden' },
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404, description: 'Not found' },
  USERNAME_TAKEN: { trpc: 'CONFLICT', http: 409, description: 'Username taken' },
  EMAIL_TAKEN: { trpc: 'CONFLICT', http: 409, description: 'Email address taken' },
  ACCOUNT_LOCKED: { trpc: 'FORBIDDEN', http: 423, description: 'Account locked (deactivated)' },
  RATE_LIMITED: {
    trpc: 'TOO_MANY_REQUESTS',
    http: 429,
    description: 'Rate limited; see the Retry-After header',
  },
  INVALID_CODE: { trpc: 'BAD_REQUEST', http: 400, description: 'Invalid or used code' },
  ALREADY_VERIFIED: { trpc: 'BAD_REQUEST', http: 400, description: 'Already verified' },
  CODE_EXPIRED: { trpc: 'BAD_REQUEST', http: 400, description: 'Expired code' },
  TWO_FACTOR_ALREADY_ENABLED: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'Two-factor authentication already enabled',
  },
  TWO_FACTOR_NOT_ENABLED: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'Two-factor authentication not enabled',
  },
  TWO_FACTOR_NOT_INITIATED: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'Two-factor setup not started',
  },
  SERVICE_DISABLED: { trpc: 'FORBIDDEN', http: 403, description: 'Service calls are disabled' },
  SERVICE_UNAVAILABLE: {
    trpc: 'SERVICE_UNAVAILABLE',
    http: 503,
    description: 'A service this request needs (the database) is unavailable; try again later',
  },
  INTERNAL: { trpc: 'INTERNAL_SERVER_ERROR', http: 500, description: 'Internal server error' },
  TWO_FACTOR_REQUIRED: {
    trpc: 'FORBIDDEN',
    http: 403,
    description: 'Two-factor authentication is on: send the second-factor code too',
  },
  INVALID_TOKEN: { trpc: 'BAD_REQUEST', http: 400, description: 'Invalid, used or expired link token' },
  PASSKEY_REJECTED: { trpc: 'BAD_REQUEST', http: 400, description: 'The passkey response was not accepted' },
  LAST_SIGN_IN_METHOD: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'Refused: it would remove the last way to sign in',
  },
  ACCOUNT_PENDING_DELETION: {
    trpc: 'FORBIDDEN',
    http: 423,
    description:
      'The account is scheduled for deletion on `data.scheduledFor`; cancel the deletion to use it',
  },
  PASSWORD_RESET_REQUIRED: {
    trpc: 'FORBIDDEN',
    http: 423,
    description: 'Sign-in is disabled until the password is reset through a mailed link',
  },
};

/* ------------------------------------------------------------------ factories */

export const invalidCredentials = () =>
  new DomainError('INVALID_CREDENTIALS', 'The login or password is incorrect');

/** A password re-entered to confirm a sensitive step did not match; `field` names the input. */
export const wrongPassword = (field = 'password') =>
  new DomainError('INVALID_CREDENTIALS', 'The password is incorrect', {
    fieldErrors: { [field]: ['is incorrect'] },
  });

export const unauthenticated = (message = 'Sign in to continue: no valid session token was sent') =>
  new DomainError('UNAUTHENTICATED', message);

/** A two-factor sign-in challenge that is unknown, used up, expired or no longer applies. */
export const invalidChallenge = () =>
  new DomainError('UNAUTHENTICATED', 'The sign-in challenge is invalid or has expired; sign in again');

export const serviceTokenRequired = () =>
  new DomainError('UNAUTHENTICATED', 'A valid service token is required');

export const serviceCallsDisabled = () =>
  new DomainError('SERVICE_DISABLED', 'Internal procedures are disabled: SERVICE_TOKEN is not configured');

export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);

export const notFound = (what = 'User') => new DomainError('NOT_FOUND', `${what} not found`);

export const validationFailed = (fieldErrors: FieldErrors, message = 'Invalid input') =>
  new DomainError('VALIDATION_FAILED', message, { fieldErrors });

export const usernameTaken = (field = 'username') =>
  new DomainError('USERNAME_TAKEN', 'This username is already taken', {
    fieldErrors: { [field]: ['is already taken'] },
  });

/** SPEC §9: the name belonged to someone who changed it recently; it stays theirs for a while. */
export const usernameRecentlyUsed = (field = 'username') =>
  new DomainError(
    'USERNAME_TAKEN',
    'This username was used recently by another account and is held for its previous owner',
    { fieldErrors: { [field]: ['was used recently and is held for its previous owner'] } },
  );

/** `field` names the input that carried the address, when the request had one. */
export const emailTaken = (field?: string) =>
  new DomainError(
    'EMAIL_TAKEN',
    'An account with this email address already exists',
    field === undefined ? {} : { fieldErrors: { [field]: ['is already registered'] } },
  );

export const accountLocked = () => new DomainError('ACCOUNT_LOCKED', 'This account has been deactivated');

/** Said only after the password checked out, so it reveals nothing to a stranger. */
export const accountPendingDeletion = (scheduledFor: Date) =>
  new DomainError(
    'ACCOUNT_PENDING_DELETION',
    `This account is scheduled for deletion on ${scheduledFor.toISOString()}; cancel the deletion to keep it`,
    { scheduledFor },
  );

/** Nothing to cancel: the account is not scheduled for deletion. */
export const noDeletionScheduled = () =>
  new DomainError('NOT_FOUND', 'This account is not scheduled for deletion');

/** After "this wasn't me": every way in stays shut until the password is reset. */
export const passwordResetRequired = () =>
  new DomainError(
    'PASSWORD_RESET_REQUIRED',
    'Sign-in is disabled after a report that a change was not made by the owner; reset your password with the link mailed to you (or ask for a new one) to sign in again.',
  );

/** `what` is plural: "Too many sign-in attempts; try again in 30 seconds". */
export const tooMany = (what: string, retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', `Too many ${what}; try again in ${retryAfterSeconds} seconds`, {
    retryAfterSeconds,
  });

/** A one-time code (mailed, texted or from an authenticator app) that does not match. */
export const invalidCode = (field = 'code') =>
  new DomainError('INVALID_CODE', 'The code is invalid or has already been used', {
    fieldErrors: { [field]: ['is invalid or has already been used'] },
  });

export const codeExpired = () =>
  new DomainError('CODE_EXPIRED', 'This code has expired; request a new one', {
    fieldErrors: { code: ['has expired'] },
  });

export const tooManyWrongCodes = () =>
  new DomainError('INVALID_CODE', 'Too many wrong codes; request a new code later', {
    fieldErrors: { code: ['too many wrong attempts'] },
  });

export const codeSentElsewhere = () =>
  new DomainError('INVALID_CODE', 'This code was sent to an address the account no longer uses');

export const alreadyVerified = () =>
  new DomainError('ALREADY_VERIFIED', 'This email address is already verified');

export const twoFactorAlreadyEnabled = () =>
  new DomainError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor authentication is already enabled');

export const twoFactorNotEnabled = () =>
  new DomainError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not enabled');

export const twoFactorNotInitiated = () =>
  new DomainError('TWO_FACTOR_NOT_INITIATED', 'Start two-factor setup (initiate) before activating it');

/** A dependency is down (the database, a gateway): worth retrying, unlike a fault. */
/** A single-use link or challenge token that is unknown, expired or already spent. */
export const invalidToken = (field: string, what: string, whatNext: string) =>
  new DomainError('INVALID_TOKEN', `${what} is invalid, has expired or was already used; ${whatNext}`, {
    fieldErrors: { [field]: ['is invalid, expired or already used'] },
  });

export const twoFactorRequired = (message: string) =>
  new DomainError('TWO_FACTOR_REQUIRED', message, {
    fieldErrors: { code: ['is required because two-factor authentication is on'] },
  });

export const passkeyRejected = (message: string) =>
  new DomainError('PASSKEY_REJECTED', message, { fieldErrors: { response: [message] } });

/** One answer for every failed passkey sign-in, so none tells a stranger which check failed. */
export const passkeyUnverified = () =>
  new DomainError('INVALID_CREDENTIALS', 'The passkey could not be verified');

export const lastSignInMethod = () =>
  new DomainError(
    'LAST_SIGN_IN_METHOD',
    'This passkey is the last way to sign in to the account; add another first',
  );

/** How long a client is asked to wait while the database is unreachable (it reconnects within seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

export const serviceUnavailable = (
  message = 'The service is unavailable; try again shortly',
  retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS,
) => new DomainError('SERVICE_UNAVAILABLE', message, { retryAfterSeconds });

export const databaseUnavailable = () =>
  serviceUnavailable('The database is unavailable; try again in a few seconds');

/** Socket errors that mean the database cannot be reached now, not that a query is wrong. */
const UNREACHABLE_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of an outage rather than of the query: class 08 (connection exception),
 * 57P01–57P03 (administrator shutdown, crash shutdown, cannot connect now: a restart),
 * 53300 (too many connections) and 57014 (statement_timeout cancelled the query).
 */
function isOutageSqlState(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '57014'].includes(code);
}

/** What node-postgres says when its socket closed or a connection or query timed out. */
const DRIVER_OUTAGE_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Query read timeout|Connection ended|server closed the connection/i;

/** Whether `error` (or any error behind it) says the database is unreachable or restarting. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (UNREACHABLE_ERRNOS.has(code) || isOutageSqlState(code))) return true;
    if (typeof message === 'string' && DRIVER_OUTAGE_MESSAGE.test(message)) return true;
    current = cause;
  }
  return false;
}

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

/* ------------------------------------------------------------------ translation */

/** What every transport needs to know about a failure to answer it. */
export interface Failure {
  /** The HTTP status a REST dialect answers (tRPC derives its own from the tRPC code). */
  readonly status: number;
  readonly reason: ErrorCode;
  readonly message: string;
  /** Field path → messages, for validation failures. */
  readonly fieldErrors: FieldErrors | null;
  /** Seconds to wait, for rate limits. */
  readonly retryAfter: number | null;
  /** When the account will be erased, for ACCOUNT_PENDING_DELETION. */
  readonly scheduledFor: Date | null;
}

/** The one wording of a field-validation failure. */
export function validationMessage(fieldErrors: FieldErrors): string {
  return `Validation failed: ${describeFieldErrors(fieldErrors)}`;
}

export const INTERNAL_MESSAGE = 'Internal server error';

/** Domain codes of the errors tRPC raises itself, with no DomainError behind them. */
const FRAMEWORK_REASONS: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  PARSE_ERROR: 'VALIDATION_FAILED',
  BAD_REQUEST: 'VALIDATION_FAILED',
  PAYLOAD_TOO_LARGE: 'VALIDATION_FAILED',
  UNSUPPORTED_MEDIA_TYPE: 'VALIDATION_FAILED',
};

function hasIssues(cause: unknown): cause is { issues: Parameters<typeof issuesToFieldErrors>[0] } {
  return typeof cause === 'object' && cause !== null && Array.isArray((cause as { issues?: unknown }).issues);
}

function domainFailure(error: DomainError): Failure {
  const { http } = ERROR_TABLE[error.code];
  return {
    status: http,
    reason: error.code,
    message: http === 500 ? INTERNAL_MESSAGE : error.message,
    fieldErrors: error.fieldErrors ?? null,
    retryAfter: error.retryAfterSeconds ?? null,
    scheduledFor: error.scheduledFor ?? null,
  };
}

const INTERNAL_FAILURE: Failure = {
  status: 500,
  reason: 'INTERNAL',
  message: INTERNAL_MESSAGE,
  fieldErrors: null,
  retryAfter: null,
  scheduledFor: null,
};

/**
 * Any thrown value as a Failure: a DomainError (bare, or behind the TRPCError a procedure
 * raised), a schema failure with its field map, an error of tRPC's own, or a fault, whose
 * details stay in the server log.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof DomainError) return domainFailure(error);
  if (isDatabaseUnavailable(error)) return domainFailure(databaseUnavailable());
  if (!(error instanceof TRPCError)) return INTERNAL_FAILURE;
  if (error.cause instanceof DomainError) return domainFailure(error.cause);
  if (hasIssues(error.cause)) {
    const fieldErrors = issuesToFieldErrors(error.cause.issues);
    return { ...domainFailure(validationFailed(fieldErrors)), message: validationMessage(fieldErrors) };
  }
  const reason = FRAMEWORK_REASONS[error.code];
  const status = reason === undefined ? getHTTPStatusCodeFromError(error) : ERROR_TABLE[reason].http;
  if (status >= 500) return INTERNAL_FAILURE;
  return {
    status,
    reason: reason ?? 'INTERNAL',
    message: error.message,
    fieldErrors: null,
    retryAfter: null,
    scheduledFor: null,
  };
}
