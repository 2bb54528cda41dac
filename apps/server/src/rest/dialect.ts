import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { Failure } from '../errors.js';

/** How one legacy API wraps its answers. Both dialects put the payload under `data`. */
export interface Dialect {
  readonly name: 'classic' | 'profile';
  readonly title: string;
  success(message: string, data: unknown, status: number, now: Date): unknown;
  failure(failure: Failure, now: Date): unknown;
  /** The success envelope around a payload schema, for the OpenAPI document. */
  successSchema(data: z.ZodType): z.ZodType;
  readonly errorSchema: z.ZodType;
}

/** A field map with one message per field, as both legacy dialects show validation errors. */
function fieldMessages(failure: Failure): Record<string, string> | null {
  if (failure.fieldErrors === null) return null;
  return Object.fromEntries(
    Object.entries(failure.fieldErrors).map(([field, messages]) => [field, messages.join('; ')]),
  );
}

/** What a failure carries besides its message: how long to wait, or when the account goes. */
function extraData(failure: Failure): Record<string, unknown> | null {
  if (failure.retryAfter !== null) return { retryAfter: failure.retryAfter };
  if (failure.scheduledFor !== null) return { scheduledFor: failure.scheduledFor.toISOString() };
  return null;
}

/** `{"status":"success","message":"OK","data":...}` (seeds/000). */
export const classicDialect: Dialect = {
  name: 'classic',
  title: 'Classic account API (/v1/account)',
  success: (message, data) => ({ status: 'success', message, data }),
  failure: (failure) => ({
    status: 'error',
    message: failure.message,
    data: fieldMessages(failure) ?? extraData(failure) ?? {},
  }),
  successSchema: (data) => z.object({ status: z.literal('success'), message: z.string(), data }),
  errorSchema: z.object({
    status: z.literal('error'),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).describe('Field → message for validation errors; else empty'),
  }),
};

/** `action_time` as the profile seed prints it: ISO 8601 to the second, UTC. */
export function actionTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The status's name as the profile dialect spells it: 404 → NOT_FOUND. */
export function httpStatusName(status: number): string {
  if (status === 422) return 'UNPROCESSABLE_ENTITY';
  return (STATUS_CODES[status] ?? 'UNKNOWN').toUpperCase().replace(/[^A-Z]+/g, '_');
}

/** `{"success":true,"httpStatus":"OK","message":...,"action_time":...,"data":...}` (seeds/002). */
export const profileDialect: Dialect = {
  name: 'profile',
  title: 'Profile and account API (/api/v1)',
  success: (message, data, status, now) => ({
    success: true,
    httpStatus: httpStatusName(status),
    message,
    action_time: actionTime(now),
    data,
  }),
  failure: (failure, now) => ({
    success: false,
    httpStatus: httpStatusName(failure.status),
    message: failure.message,
    action_time: actionTime(now),
    data: fieldMessages(failure) ?? extraData(failure) ?? failure.message,
  }),
  successSchema: (data) =>
    z.object({
      success: z.literal(true),
      httpStatus: z.string(),
      message: z.string(),
      action_time: z.iso.datetime().describe('When the server answered, ISO 8601 in UTC'),
      data,
    }),
  errorSchema: z.object({
    success: z.literal(false),
    httpStatus: z.string().describe('The status name: BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, CONFLICT, …'),
    message: z.string(),
    action_time: z.iso.datetime().describe('When the server answered, ISO 8601 in UTC'),
    data: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .describe('Field → message for validation errors'),
  }),
};
