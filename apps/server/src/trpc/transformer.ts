import type { CombinedDataTransformer } from '@trpc/server';
import superjson, { type SuperJSONResult } from 'superjson';

/** Raised inside the fast walk when a value needs superjson's general path. */
const GENERAL = Symbol('general');

/** superjson's path segment escaping (`pathstringifier.ts`): `\` → `\\`, `.` → `\.`. */
const escapeKey = (key: string) =>
  key.includes('\\') || key.includes('.') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key;

/** Keys superjson refuses (it throws; the general path keeps that answer). */
const REFUSED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `superjson.serialize`, byte for byte, for what the service answers with: plain objects and
 * arrays of strings, finite numbers, booleans, null and Dates, each object met once. Anything
 * else (undefined, a Map, a BigInt, a shared reference, -0, …) goes through superjson itself.
 * superjson's general walk copies a path array per value and tracks every identity; on a
 * profile answer that was a tenth of a request's CPU. `transformer.test.ts` holds the two
 * equal over generated values.
 */
export function serializeAnswer(value: unknown): SuperJSONResult {
  if (value === null || typeof value !== 'object' || value instanceof Date) return superjson.serialize(value);
  const values: Record<string, ['Date']> = {};
  let annotated = false;
  const seen = new Set<object>();
  // `path` is null at the root only: an empty key is a path of its own.
  const walk = (node: unknown, path: string | null): unknown => {
    switch (typeof node) {
      case 'string':
      case 'boolean':
        return node;
      case 'number':
        if (!Number.isFinite(node) || Object.is(node, -0)) throw GENERAL;
        return node;
      case 'object': {
        if (node === null) return null;
        if (seen.has(node)) throw GENERAL;
        seen.add(node);
        if (node instanceof Date) {
          if (Number.isNaN(node.getTime())) throw GENERAL;
          values[path ?? ''] = ['Date'];
          annotated = true;
          return node.toISOString();
        }
        const prefix = path === null ? '' : `${path}.`;
        if (Array.isArray(node)) {
          const out = new Array<unknown>(node.length);
          for (let index = 0; index < node.length; index++) {
            if (!(index in node)) throw GENERAL;
            out[index] = walk(node[index], prefix + index);
          }
          return out;
        }
        const prototype = Object.getPrototypeOf(node);
        if ((prototype !== Object.prototype && prototype !== null) || node === Object.prototype)
          throw GENERAL;
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(node)) {
          if (REFUSED.has(key)) throw GENERAL;
          out[key] = walk((node as Record<string, unknown>)[key], prefix + escapeKey(key));
        }
        return out;
      }
      default:
        throw GENERAL;
    }
  };
  try {
    const json = walk(value, null) as SuperJSONResult['json'];
    return annotated ? { json, meta: { values, v: 1 } } : { json };
  } catch (error) {
    if (error !== GENERAL) throw error;
    return superjson.serialize(value);
  }
}

/** The wire format stays superjson's: inputs are read by superjson, answers written as it would. */
export const transformer: CombinedDataTransformer = {
  input: superjson,
  output: {
    serialize: serializeAnswer,
    deserialize: (payload: SuperJSONResult) => superjson.deserialize(payload),
  },
};
