import { describe, expect, it } from 'vitest';
import { signUpInput } from './auth/auth.schema.js';
import { issuesToFieldErrors } from './errors.js';
import { hasUnstorableCharacter, UNSTORABLE_TEXT_MESSAGE, unstorableTextFields } from './text.js';

describe('hasUnstorableCharacter', () => {
  it('finds NUL and lone surrogates, and lets paired surrogates and other text through', () => {
    expect(hasUnstorableCharacter('a\u0000b')).toBe(true);
    expect(hasUnstorableCharacter('tag\ud800')).toBe(true);
    expect(hasUnstorableCharacter('\udfffx')).toBe(true);
    expect(hasUnstorableCharacter('emoji 😀 and ü')).toBe(false);
    expect(hasUnstorableCharacter('line\nbreak\ttab')).toBe(false);
  });
});

describe('unstorableTextFields', () => {
  it('names every field whose text, at any depth, cannot be stored', () => {
    const errors = unstorableTextFields({
      login: '\u0000ada',
      socials: { github: 'https://github.com/a\ud800' },
      tags: ['fine', 'bad\udc00'],
      bio: 'fine',
    });
    expect(Object.keys(errors).sort()).toEqual(['login', 'socials.github', 'tags.1']);
    expect(errors.login).toEqual([UNSTORABLE_TEXT_MESSAGE]);
  });

  it('names the input itself for a bare string, and an object holding a bad key', () => {
    expect(Object.keys(unstorableTextFields('\u0000'))).toEqual(['_']);
    expect(Object.keys(unstorableTextFields({ nested: { 'k\u0000': 1 } }))).toEqual(['nested']);
  });

  it('is empty for storable input, keys named like prototype members included', () => {
    const input = JSON.parse('{"__proto__":"x","constructor":{"toString":"y"},"n":1}');
    expect(Object.keys(unstorableTextFields(input))).toEqual([]);
  });

  it('walks very deep input without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(5000)}"\\u0000"${']'.repeat(5000)}`);
    expect(() => unstorableTextFields(deep)).not.toThrow();
  });
});

describe('sign-up input of the wrong shape is a validation failure, never a fault', () => {
  it('an array body', () => {
    const result = signUpInput.safeParse([{ email: 'a@example.com', password: 'Analytical-Engine-1843' }]);
    expect(result.success).toBe(false);
  });

  it('a non-string email or username beside a valid password', () => {
    const result = signUpInput.safeParse({
      email: -2147483648,
      username: ['x'],
      password: 'Analytical-Engine-1843',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(result.success).toBe(false);
    const fields = Object.keys(issuesToFieldErrors(result.error?.issues ?? []));
    expect(fields).toEqual(expect.arrayContaining(['email', 'username']));
  });
});

describe('issuesToFieldErrors', () => {
  it('shows a key named "" as "" so every field has a name', () => {
    expect(Object.keys(issuesToFieldErrors([{ path: [''], message: 'bad' }]))).toEqual(['""']);
  });
});
