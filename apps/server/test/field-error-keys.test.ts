import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';
import { type Dialect, expectFailure } from './rest-http.js';

/**
 * Field maps are keyed by what the client sent, so a key named like a member of
 * `Object.prototype` must be one more unknown field (400/422 naming it), never a 500.
 */

const server = useTestServer();

/** Written by hand: `JSON.stringify` of an object literal would drop `__proto__`. */
const PROTOTYPE_NAMED_BODY =
  '{"firstName":"Valid","constructor":"x","toString":"y","valueOf":"z","__proto__":"w"}';
const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', '__proto__'];

describe('an update with keys named like Object.prototype members', () => {
  // The tRPC transport drops `__proto__` while reading the input, so it never reaches the schema.
  it('tRPC: answers 400 VALIDATION_FAILED naming every such key that arrives', async () => {
    const user = await server.users.signUp();
    const response = await fetch(`${server.url}/trpc/profile.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: `{"json":${PROTOTYPE_NAMED_BODY}}`,
    });
    const text = await response.text();
    expect(response.status, text).toBe(400);
    const error = JSON.parse(text).error.json;
    expect(error.data.reason).toBe('VALIDATION_FAILED');
    const fieldErrors: Record<string, string[]> = error.data.fieldErrors;
    const named = Object.entries(fieldErrors).map(([field, messages]) => `${field}: ${messages.join(', ')}`);
    for (const name of PROTOTYPE_NAMES.filter((key) => key !== '__proto__')) {
      expect(
        named.some((line) => line.includes(name)),
        `${name} in ${named.join(' | ')}`,
      ).toBe(true);
    }
    const me = await user.client.profile.me.query();
    expect(me.firstName).not.toBe('Valid');
  });

  const UPDATE: Record<Dialect, { method: 'PATCH' | 'PUT'; path: string }> = {
    classic: { method: 'PATCH', path: '/v1/account/update' },
    profile: { method: 'PUT', path: '/api/v1/profile/update' },
  };

  for (const dialect of ['classic', 'profile'] as const) {
    it(`REST ${dialect}: answers 422 with each such key in the field map`, async () => {
      const user = await server.users.signUp();
      const answer = await server.http.rest(UPDATE[dialect].method, UPDATE[dialect].path, {
        token: user.token,
        raw: PROTOTYPE_NAMED_BODY,
        contentType: 'application/json',
      });
      const data = expectFailure(dialect, answer, 422);
      expect(Object.keys(data).sort()).toEqual([...PROTOTYPE_NAMES].sort());
      for (const name of PROTOTYPE_NAMES) expect(data[name]).toBeTypeOf('string');
    });
  }
});
