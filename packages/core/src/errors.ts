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
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field path (dot-joined, e.g. `contact.phone` or `tags.3`) to the messages for that field. */
export type FieldErrors = Record<string, string[]>;

/** The shape of an issue as zod (and any Standard Schema library) reports it. */
export interface IssueLike {
  readonly path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
  readonly message: string;
}

/** Groups validation issues by their dot-joined path; issues about the whole input use the key `_`. */
export function issuesToFieldErrors(issues: ReadonlyArray<IssueLike>): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) {
    const path = (issue.path ?? [])
      .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
      .join('.');
    const key = path === '' ? '_' : path;
    const messages = fieldErrors[key] ?? [];
    messages.push(issue.message);
    fieldErrors[key] = messages;
  }
  return fieldErrors;
}
