import { expect } from 'vitest';
import type { TestServer } from './harness.js';
import { uniqueUser } from './harness.js';

/**
 * Plain-HTTP helpers for the REST dialect tests: every call here is a real `fetch` against
 * the running server, exactly as a legacy client sends it (no SDK, no in-process calls).
 */

export type Dialect = 'classic' | 'profile';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A parsed JSON answer, navigated by the tests without ceremony. */
// biome-ignore lint/suspicious/noExplicitAny: answers are checked key by key at run time.
export type Json = any;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  readonly body: Json;
}

export interface SendOptions {
  readonly token?: string;
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent as is; pair it with `contentType`. */
  readonly raw?: string;
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string>>;
}

export async function send(
  server: TestServer,
  method: HttpMethod,
  path: string,
  options: SendOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.raw !== undefined) body = options.raw;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const search = new URLSearchParams(options.query ?? {}).toString();
  const response = await fetch(`${server.url}${path}${search === '' ? '' : `?${search}`}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

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

export interface RestUser {
  readonly id: string;
  readonly token: string;
  readonly userName: string;
  readonly email: string;
  readonly password: string;
}

export interface SignUpFields {
  email?: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  middleName?: string;
  username?: string;
}

const SIGN_UP_PATH: Record<Dialect, string> = { classic: '/v1/auth/signup', profile: '/api/v1/auth/signup' };
const SIGN_IN_PATH: Record<Dialect, string> = { classic: '/v1/auth/login', profile: '/api/v1/auth/signin' };

/**
 * Creates an account through the dialect's own sign-up route. Every user is recorded in
 * `created`, so the test can erase its users afterwards (seed names such as `john_doe`
 * are unique and several tests sign them up).
 */
export async function signUpOverHttp(
  server: TestServer,
  dialect: Dialect,
  fields: SignUpFields,
  created: string[],
): Promise<RestUser> {
  const base = uniqueUser();
  const input = {
    email: fields.email ?? base.email,
    password: fields.password ?? base.password,
    firstName: fields.firstName ?? base.firstName,
    lastName: fields.lastName ?? base.lastName,
    ...(fields.middleName === undefined ? {} : { middleName: fields.middleName }),
    ...(fields.username === undefined ? {} : { username: fields.username }),
  };
  const answer = await send(server, 'POST', SIGN_UP_PATH[dialect], { json: input });
  expectEnvelope(dialect, answer, 201);
  const { token, user } = answer.body.data;
  const id: string = dialect === 'classic' ? user._id : user.id;
  created.push(id);
  return { id, token, userName: user.userName, email: user.email, password: input.password };
}

export function signInOverHttp(
  server: TestServer,
  dialect: Dialect,
  login: string,
  password: string,
): Promise<Answer> {
  return send(server, 'POST', SIGN_IN_PATH[dialect], { json: { login, password } });
}

/** Erases the users a test created (what `account.delete` does: one row delete, the rest cascades). */
export async function eraseUsers(server: TestServer, created: string[]): Promise<void> {
  const ids = created.splice(0);
  if (ids.length === 0) return;
  await server.built.deps.db.deleteFrom('users').where('id', 'in', ids).execute();
}
