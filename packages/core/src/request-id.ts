/**
 * SPEC §9: an incoming `x-request-id` is kept when it matches this pattern and replaced by a
 * generated one otherwise. Short and free of spaces and quotes, so it is safe in a header,
 * a log line and a metrics exemplar without escaping.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

export function isAcceptableRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}
