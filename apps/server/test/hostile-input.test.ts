import { describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';

/**
 * One test per cause the fuzz suite (fuzz.test.ts) found, each a 500 before its fix: the
 * answer is a 4xx that names the field and the rule.
 */

const server = useTestServer();

/** The tRPC error of a raw POST, as it travels. */
async function trpcPost(procedure: string, body: string, token?: string) {
  const response = await fetch(`${server.url}/trpc/${procedure}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, error: JSON.parse(text).error?.json };
}

describe('NUL and lone surrogates in free text', () => {
  it('a sign-in login with NUL is 400 naming login, not a database fault', async () => {
    const answer = await trpcPost('auth.signIn', '{"json":{"login":"\\u0000ada","password":"x"}}');
    expect(answer.status, answer.text).toBe(400);
    expect(answer.error.data.reason).toBe('VALIDATION_FAILED');
    expect(answer.error.data.fieldErrors.login[0]).toMatch(/NUL/);
  });

  it('a tag with a lone surrogate is 400 naming the tag', async () => {
    const user = await server.users.signUp();
    const answer = await trpcPost('profile.update', '{"json":{"tags":["ok","type\\ud800"]}}', user.token);
    expect(answer.status, answer.text).toBe(400);
    expect(Object.keys(answer.error.data.fieldErrors)).toEqual(['tags.1']);
    expect(answer.error.data.fieldErrors['tags.1'][0]).toMatch(/surrogate/);
  });

  it('a REST list search with NUL is 422 naming search', async () => {
    const answer = await server.http.rest('GET', '/v1/account/user', { query: { search: 'a\u0000' } });
    expect(answer.status, answer.text).toBe(422);
    expect(Object.keys(answer.body.data)).toContain('search');
  });
});

describe('an unknown login or address of the longest allowed length', () => {
  it('asking for a sign-in code for a 250-character address answers as for any address', async () => {
    const email = `${'a'.repeat(240)}@example.com`;
    const answer = await trpcPost('auth.requestSignInCode', JSON.stringify({ json: { email } }));
    expect(answer.status, answer.text).toBe(200);
  });

  it('signing in as an unknown 254-character login is 401, not a fault', async () => {
    const login = `${'b'.repeat(242)}@example.com`;
    const answer = await trpcPost(
      'auth.signIn',
      JSON.stringify({ json: { login, password: 'Wrong-1234-x' } }),
    );
    expect(answer.status, answer.text).toBe(401);
  });
});

describe('sign-up bodies of the wrong shape', () => {
  for (const path of ['/v1/auth/signup', '/api/v1/auth/signup']) {
    it(`${path}: an array body is 422`, async () => {
      const answer = await server.http.rest('POST', path, {
        raw: '[{"email":"a@example.com","password":"Analytical-Engine-1843"}]',
        contentType: 'application/json',
      });
      expect(answer.status, answer.text).toBe(422);
    });

    it(`${path}: a non-string email is 422 naming email`, async () => {
      const answer = await server.http.rest('POST', path, {
        json: { email: 42, password: 'Analytical-Engine-1843', firstName: 'Ada', lastName: 'Lovelace' },
      });
      expect(answer.status, answer.text).toBe(422);
      expect(Object.keys(answer.body.data)).toContain('email');
    });
  }

  it('tRPC: a non-string email is 400 with a field map, not a raw TypeError', async () => {
    const answer = await trpcPost(
      'auth.signUp',
      '{"json":{"email":[1],"password":"Analytical-Engine-1843","firstName":"Ada","lastName":"Lovelace"}}',
    );
    expect(answer.status, answer.text).toBe(400);
    expect(answer.error.message).not.toMatch(/is not a function|TypeError/);
    expect(Object.keys(answer.error.data.fieldErrors)).toContain('email');
  });
});
