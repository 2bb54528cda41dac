import fc from 'fast-check';
import superjson from 'superjson';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serializeAnswer } from '../src/trpc/transformer.js';

/** What both serialisers make of a value: the JSON text, or the error they refuse it with. */
function outcome(serialize: (value: unknown) => unknown, value: unknown): string {
  try {
    return `ok ${JSON.stringify(serialize(value))}`;
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

const keys = fc.oneof(
  fc.string(),
  fc.constantFrom('a.b', 'a\\b', 'x\\.y', '__proto__', 'constructor', 'prototype', '0', '10', ''),
);
const values = fc.anything({
  key: keys,
  withDate: true,
  withMap: true,
  withSet: true,
  withBigInt: true,
  withNullPrototype: true,
  withSparseArray: true,
  withObjectString: true,
  maxDepth: 4,
});
const dates = fc.date({ noInvalidDate: false });

describe('the answer serialiser writes what superjson writes', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('for generated values of every kind, including Dates, Maps, shared references and refused keys', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(outcome(serializeAnswer, value)).toBe(outcome((v) => superjson.serialize(v), value));
      }),
      { seed: 20261202, numRuns: 3000 },
    );
  });

  it('for plain data full of Dates, and round-trips through superjson.deserialize', () => {
    const plainKeys = fc.oneof(fc.string(), fc.constantFrom('a.b', 'a\\b', 'x\\.y', '0', ''));
    const record = fc.dictionary(plainKeys, fc.oneof(dates, fc.string(), fc.integer(), fc.constant(null)), {
      maxKeys: 6,
    });
    fc.assert(
      fc.property(
        fc.oneof(record, fc.array(record, { maxLength: 4 }), fc.record({ items: fc.array(record) })),
        (value) => {
          const written = outcome(serializeAnswer, value);
          expect(written).toBe(outcome((v) => superjson.serialize(v), value));
          if (written.startsWith('ok '))
            expect(superjson.deserialize(JSON.parse(written.slice(3)))).toEqual(value);
        },
      ),
      { seed: 20261203, numRuns: 2000 },
    );
  });

  it('a profile-shaped answer takes the fast path: superjson is not called', () => {
    const spy = vi.spyOn(superjson, 'serialize');
    const at = new Date('2026-12-02T10:30:45.866Z');
    const answer = {
      id: 'u1',
      createdAt: at,
      updatedAt: new Date(at.getTime()),
      'dotted.key': new Date(0),
      contact: { city: 'Oslo', phone: null },
      tags: [{ name: 'go', entryCount: 3, createdAt: new Date(1) }],
    };
    const result = serializeAnswer(answer);
    expect(spy).not.toHaveBeenCalled();
    expect(result.meta?.values).toEqual({
      createdAt: ['Date'],
      updatedAt: ['Date'],
      'dotted\\.key': ['Date'],
      'tags.0.createdAt': ['Date'],
    });
  });

  it('a shared reference goes through superjson, which records it', () => {
    const shared = new Date(5);
    const result = serializeAnswer({ createdAt: shared, updatedAt: shared });
    expect(result.meta?.referentialEqualities).toEqual({ createdAt: ['updatedAt'] });
  });
});
