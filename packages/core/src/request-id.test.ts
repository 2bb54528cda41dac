import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAcceptableRequestId } from './request-id.js';

describe('isAcceptableRequestId', () => {
  it('accepts the usual shapes of trace and request ids', () => {
    for (const id of [
      'abc',
      'req-1',
      '01J9Z8X.trace_42',
      'a'.repeat(128),
      '3f2b8c1e-9d4a-4e7b-8a6f-0c5d2e1b7a93',
    ]) {
      expect(isAcceptableRequestId(id), id).toBe(true);
    }
  });

  it('rejects empty, over-long and header- or log-breaking values', () => {
    for (const id of [
      '',
      'a'.repeat(129),
      'has space',
      'new\nline',
      'quote"',
      'semi;colon',
      'ü',
      undefined,
      42,
    ]) {
      expect(isAcceptableRequestId(id), String(id)).toBe(false);
    }
  });

  it('never accepts a value holding a character outside the allowed set', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 128 }), (value) => {
        expect(isAcceptableRequestId(value)).toBe(/^[A-Za-z0-9._-]+$/.test(value));
      }),
    );
  });
});
