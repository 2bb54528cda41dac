import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFieldErrors, issuesToFieldErrors } from './errors.js';

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
