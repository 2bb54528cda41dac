import { describe, expect, it } from 'vitest';
import { readUserhubError, TRPCClientError, trpcEndpoint } from './index.js';

describe('trpcEndpoint', () => {
  it('appends /trpc to a base URL', () => {
    expect(trpcEndpoint('http://localhost:3000')).toBe('http://localhost:3000/trpc');
    expect(trpcEndpoint('http://localhost:3000/')).toBe('http://localhost:3000/trpc');
  });

  it('keeps a URL that already ends with /trpc', () => {
    expect(trpcEndpoint('https://api.example.com/trpc')).toBe('https://api.example.com/trpc');
    expect(trpcEndpoint('https://api.example.com/trpc/')).toBe('https://api.example.com/trpc');
  });
});

describe('readUserhubError', () => {
  it('returns null for errors that did not come from the API', () => {
    expect(readUserhubError(new Error('network down'))).toBeNull();
    expect(readUserhubError('nope')).toBeNull();
  });

  it('reads the date of a pending deletion', () => {
    const scheduledFor = new Date('2026-12-16T10:00:00Z');
    const error = TRPCClientError.from({
      error: {
        code: -32603,
        message: 'This account is scheduled for deletion',
        data: { code: 'FORBIDDEN', httpStatus: 403, reason: 'ACCOUNT_PENDING_DELETION', scheduledFor },
      },
    });
    expect(readUserhubError(error)).toMatchObject({ reason: 'ACCOUNT_PENDING_DELETION', scheduledFor });
  });

  it('reads the code, reason and field errors of an API error', () => {
    const error = TRPCClientError.from({
      error: {
        code: -32600,
        message: 'Invalid input',
        data: {
          code: 'BAD_REQUEST',
          httpStatus: 400,
          reason: 'VALIDATION_FAILED',
          fieldErrors: { password: ['must contain a digit'] },
          retryAfter: null,
        },
      },
    });
    expect(readUserhubError(error)).toEqual({
      code: 'BAD_REQUEST',
      reason: 'VALIDATION_FAILED',
      httpStatus: 400,
      message: 'Invalid input',
      fieldErrors: { password: ['must contain a digit'] },
      retryAfter: null,
      scheduledFor: null,
    });
  });
});
