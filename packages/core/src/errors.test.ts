import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addFieldErrors, describeFieldErrors, emptyFieldErrors, issuesToFieldErrors } from './errors.js';

describe('issuesToFieldErrors', () => {
  it('groups messages by dot-joined path, with array indexes', () => {
    const schema = z.object({
      contact: z.object({ city: z.string().max(2) }),
      tags: z.array(z.string().min(2)),
    });
    const result = schema.safeParse({ contact: { city: 'Manchester' }, tags: ['ok', 'x'] });
    const fieldErrors = issuesToFieldErrors(result.error!.issues);
    expect(Object.keys(fieldErrors).sort()).toEqual(['contact.city', 'tags.1']);
    expect(fieldErrors['tags.1']).toHaveLength(1);
  });

  it('reports each unknown key at its own path', () => {
    const schema = z.strictObject({ profile: z.strictObject({ bio: z.string() }) });
    const result = schema.safeParse({ role: 'admin', profile: { bio: 'x', id: 1 } });
    expect(issuesToFieldErrors(result.error!.issues)).toEqual({
      role: ['is not a field that can be set here'],
      'profile.id': ['is not a field that can be set here'],
    });
  });

  it('puts whole-input issues under the root key', () => {
    expect(issuesToFieldErrors([{ path: [], message: 'Expected an object' }])).toEqual({
      _: ['Expected an object'],
    });
    expect(issuesToFieldErrors([{ message: 'Expected an object' }], 'body')).toEqual({
      body: ['Expected an object'],
    });
  });
});

describe('describeFieldErrors', () => {
  it('summarises every field on one line', () => {
    expect(describeFieldErrors({ limit: ['must be at least 1'], 'contact.city': ['too long', 'bad'] })).toBe(
      'limit: must be at least 1; contact.city: too long, bad',
    );
  });
});

describe('field maps keyed like Object.prototype members', () => {
  const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

  it('reports each unknown key named like a prototype member as a field of its own', () => {
    const input = JSON.parse(`{${NAMES.map((name) => `"${name}":1`).join(',')}}`);
    const result = z.strictObject({ bio: z.string().optional() }).safeParse(input);
    const fieldErrors = issuesToFieldErrors(result.error!.issues);
    expect(Object.keys(fieldErrors).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(fieldErrors[name]).toEqual(['is not a field that can be set here']);
  });

  it('appends to such a field without reading the prototype', () => {
    const fieldErrors = emptyFieldErrors();
    addFieldErrors(fieldErrors, 'constructor', ['first']);
    addFieldErrors(fieldErrors, 'constructor', ['second']);
    addFieldErrors(fieldErrors, '__proto__', ['kept as a key']);
    expect(Object.entries(fieldErrors)).toEqual([
      ['constructor', ['first', 'second']],
      ['__proto__', ['kept as a key']],
    ]);
  });
});
