import { expect } from 'vitest';
import type { Answer, Json } from './harness.js';

/**
 * What the REST dialect tests expect of every answer: the two envelopes and their statuses.
 * The requests themselves go through the harness (`t.http.rest`), as real `fetch` calls.
 */

export type Dialect = 'classic' | 'profile';

/** The dialect a legacy path belongs to. */
export function dialectOf(path: string): Dialect {
  if (path.startsWith('/api/v1/')) return 'profile';
  if (path.startsWith('/v1/')) return 'classic';
  throw new Error(`not a legacy REST path: ${path}`);
}

/** The profile dialect's `httpStatus`: the status's name. */
export const STATUS_NAMES: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'CREATED',
  202: 'ACCEPTED',
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  423: 'LOCKED',
  429: 'TOO_MANY_REQUESTS',
};

/** ISO 8601 in UTC to the second (`2026-05-19T10:30:45Z`), as the profile dialect emits `action_time`. */
const ACTION_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Status and envelope of one answer. classic: exactly `{status, message, data}`; profile:
 * exactly `{success, httpStatus, message, action_time, data}` (SPEC §5).
 */
export function expectEnvelope(
  dialect: Dialect,
  answer: Answer,
  status: number,
  httpStatus = STATUS_NAMES[status],
): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  const ok = status < 400;
  const body = answer.body;
  expect(body, answer.text).toBeTypeOf('object');
  if (dialect === 'classic') {
    expect(Object.keys(body).sort()).toEqual(['data', 'message', 'status']);
    expect(body.status).toBe(ok ? 'success' : 'error');
  } else {
    expect(Object.keys(body).sort()).toEqual(['action_time', 'data', 'httpStatus', 'message', 'success']);
    expect(body.success).toBe(ok);
    expect(body.httpStatus).toBe(httpStatus);
    expect(body.action_time).toMatch(ACTION_TIME);
  }
  expect(body.message).toBeTypeOf('string');
  expect(body.message.length).toBeGreaterThan(0);
}

/** The error envelope of a failure: its `data` is the field map, a message or `{retryAfter}`. */
export function expectFailure(dialect: Dialect, answer: Answer, status: number): Json {
  expectEnvelope(dialect, answer, status);
  return answer.body.data;
}
