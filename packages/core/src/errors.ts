/**
 * Domain error codes. Every failure the API reports carries one of these in its
 * error data, so clients (and the REST dialects) can branch on a stable value
 * rather than on message text. The server maps each code to a tRPC code and to
 * each REST dialect's HTTP status in one table.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'USERNAME_TAKEN',
  'EMAIL_TAKEN',
  'ACCOUNT_LOCKED',
  'RATE_LIMITED',
  'INVALID_CODE',
  'ALREADY_VERIFIED',
  'CODE_EXPIRED',
  'TWO_FACTOR_ALREADY_ENABLED',
  'TWO_FACTOR_NOT_ENABLED',
  'TWO_FACTOR_NOT_INITIATED',
  'SERVICE_DISABLED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
  'TWO_FACTOR_REQUIRED',
  'INVALID_TOKEN',
  'PASSKEY_REJECTED',
  'LAST_SIGN_IN_METHOD',
  'ACCOUNT_PENDING_DELETION',
  'PASSWORD_RESET_REQUIRED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field path (dot-joined, e.g. `contact.phone` or `tags.3`) to the messages for that field. */
export type FieldErrors = Record<string, string[]>;

/**
 * An empty field map without a prototype: field names come from what a client sent, and a
 * key such as `constructor` or `__proto__` must be one more field, not `Object.prototype`'s.
 */
export function emptyFieldErrors(): FieldErrors {
  return Object.create(null) as FieldErrors;
}

/** Appends `messages` to `field` of `fieldErrors` (created when absent). */
export function addFieldErrors(fieldErrors: FieldErrors, field: string, messages: readonly string[]): void {
  fieldErrors[field] = [
    ...(Object.hasOwn(fieldErrors, field) ? (fieldErrors[field] ?? []) : []),
    ...messages,
  ];
}

/** A path segment as a field map shows it: a key named `""` is shown as `""`, not as nothing. */
export function fieldPathSegment(segment: string): string {
  return segment === '' ? '""' : segment;
}

/** The shape of an issue as zod (and any Standard Schema library) reports it. */
export interface IssueLike {
  readonly path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
  readonly message: string;
  readonly code?: string;
  /** zod's `unrecognized_keys` issue names the offending keys here. */
  readonly keys?: readonly string[];
}

/**
 * Groups validation issues by their dot-joined path; issues about the whole input use the
 * key `_`. An unknown key is reported at its own path, so a client sees which field to drop.
 */
export function issuesToFieldErrors(issues: ReadonlyArray<IssueLike>, rootKey = '_'): FieldErrors {
  const fieldErrors = emptyFieldErrors();
  const add = (segments: readonly string[], message: string) =>
    addFieldErrors(fieldErrors, segments.length === 0 ? rootKey : segments.map(fieldPathSegment).join('.'), [
      message,
    ]);
  for (const issue of issues) {
    const path = (issue.path ?? []).map((segment) =>
      String(typeof segment === 'object' ? segment.key : segment),
    );
    if (issue.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0) {
      for (const key of issue.keys) add([...path, key], 'is not a field that can be set here');
    } else {
      add(path, issue.message);
    }
  }
  return fieldErrors;
}

/** A one-line summary of field errors for an error message: `limit: Limit must be at least 1`. */
export function describeFieldErrors(fieldErrors: FieldErrors): string {
  return Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
}
