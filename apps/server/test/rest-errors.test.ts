import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Answer,
  type Json,
  OTP_SEND_WINDOW_SECONDS,
  OTP_SENDS_PER_WINDOW,
  type RestUser,
  useTestServer,
} from './harness.js';
import { uniqueMarker } from './helpers.js';
import { type Dialect, expectEnvelope, expectFailure } from './rest-http.js';

/**
 * Error shapes of both REST dialects (SPEC §5): each failure answers its HTTP status in the
 * dialect's envelope, validation failures map each field to its message, a rate limit says
 * how long to wait, and bad input is never a 500. Also the classic update and list routes.
 */

/** The users each test creates are erased after it, so fixed usernames are free again. */
const server = useTestServer({ mail: true, eraseRestUsersAfterEach: true });

const DIALECTS: readonly Dialect[] = ['classic', 'profile'];
const ME: Record<Dialect, string> = { classic: '/v1/account', profile: '/api/v1/profile/me' };
const USER_BY_ID: Record<Dialect, (id: string) => string> = {
  classic: (id) => `/v1/account/user/${encodeURIComponent(id)}`,
  profile: (id) => `/api/v1/profile/id/${encodeURIComponent(id)}`,
};
/** The update route of each dialect and how it nests the fields these tests send. */
const UPDATE = {
  classic: {
    method: 'PATCH',
    path: '/v1/account/update',
    status: 202,
    body: (fields: { firstName?: string; pictures?: string[]; bio?: string }) => ({
      ...(fields.firstName === undefined ? {} : { firstName: fields.firstName }),
      ...(fields.pictures === undefined && fields.bio === undefined
        ? {}
        : {
            profile: {
              ...(fields.pictures === undefined ? {} : { profilePictureUrls: fields.pictures }),
              ...(fields.bio === undefined ? {} : { bio: { description: fields.bio } }),
            },
          }),
    }),
    pictureField: 'profile.profilePictureUrls.0',
    bioOf: (data: Json) => data.profile.bio.description,
  },
  profile: {
    method: 'PUT',
    path: '/api/v1/profile/update',
    status: 200,
    body: (fields: { firstName?: string; pictures?: string[]; bio?: string }) => ({
      ...(fields.firstName === undefined ? {} : { firstName: fields.firstName }),
      ...(fields.pictures === undefined ? {} : { profilePictureUrls: fields.pictures }),
      ...(fields.bio === undefined ? {} : { bio: fields.bio }),
    }),
    pictureField: 'profilePictureUrls.0',
    bioOf: (data: Json) => data.bio,
  },
} as const;
const SIGN_IN: Record<Dialect, string> = { classic: '/v1/auth/login', profile: '/api/v1/auth/signin' };
const LOGOUT: Record<Dialect, string> = { classic: '/v1/account/logout', profile: '/api/v1/auth/signout' };
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const TOO_LONG_NAME = 'J'.repeat(31);

/** The seed's Alice update (`PATCH /v1/account/update`), straight from the classic fixture. */
const ALICE_BODY = (
  JSON.parse(readFileSync(new URL('./fixtures/classic-dialect.json', import.meta.url), 'utf8')) as Array<{
    method: string;
    path: string;
    requestBody: Json;
  }>
).find((entry) => entry.method === 'PATCH' && entry.path === '/v1/account/update')!.requestBody;

describe.each(DIALECTS)('%s dialect errors', (dialect) => {
  it('401: no token, an unknown token, a malformed Authorization header', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const none = await server.http.rest('GET', ME[dialect]);
    const data = expectFailure(dialect, none, 401);
    if (dialect === 'profile') expect(data).toBe(none.body.message);
    expectFailure(
      dialect,
      await server.http.rest('GET', ME[dialect], { token: 'no-such-session-token' }),
      401,
    );
    expectFailure(dialect, await server.http.rest('GET', ME[dialect], { token: `${user.token}x` }), 401);
    const notBearer = await fetch(`${server.url}${ME[dialect]}`, { headers: { authorization: user.token } });
    expect(notBearer.status).toBe(401);
    expect(((await notBearer.json()) as Json).message).toBeTypeOf('string');
    // The same token, properly sent, works: the 401s above are about the token.
    expectEnvelope(dialect, await server.http.rest('GET', ME[dialect], { token: user.token }), 200);
  });

  it('401: a wrong current password', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const answer =
      dialect === 'classic'
        ? await server.http.rest('PUT', '/v1/account/password/change', {
            token: user.token,
            json: { oldPassword: 'Wrong-Password-1!', newPassword: 'Another-Good-Pass-2!' },
          })
        : await server.http.rest('POST', '/api/v1/account/password/change', {
            token: user.token,
            json: {
              currentPassword: 'Wrong-Password-1!',
              newPassword: 'Another-Good-Pass-2!',
              confirmPassword: 'Another-Good-Pass-2!',
            },
          });
    expectFailure(dialect, answer, 401);
    // Nothing changed: the session lives and the old password still signs in.
    expectEnvelope(dialect, await server.http.rest('GET', ME[dialect], { token: user.token }), 200);
    expectEnvelope(dialect, await server.users.signInOverRest(dialect, user.email, user.password), 200);
  });

  it('404: an unknown user id, a non-UUID id, a deactivated user', async () => {
    const viewer = await server.users.signUpOverRest(dialect);
    for (const id of [UNKNOWN_UUID, 'not-a-uuid', '67f8eb57c6cfbd0c2349f2f8']) {
      const anonymous = await server.http.rest('GET', USER_BY_ID[dialect](id));
      expectFailure(dialect, anonymous, 404);
      expect(anonymous.body.message).toBe('User not found');
      expectFailure(
        dialect,
        await server.http.rest('GET', USER_BY_ID[dialect](id), { token: viewer.token }),
        404,
      );
    }
    if (dialect === 'profile') {
      const data = expectFailure(
        dialect,
        await server.http.rest('GET', '/api/v1/profile/u/no_such_user'),
        404,
      );
      expect(data).toBe('User not found');
    }
    // A real user is found; once deactivated, not any more.
    const other = await server.users.signUpOverRest(dialect);
    expectEnvelope(dialect, await server.http.rest('GET', USER_BY_ID[dialect](other.id)), 200);
    const deactivated = await server.http.rest('DELETE', '/api/v1/account/deactivate', {
      token: other.token,
      json: { password: other.password },
    });
    expectEnvelope('profile', deactivated, 200);
    expectFailure(dialect, await server.http.rest('GET', USER_BY_ID[dialect](other.id)), 404);
  });

  it('409: an email already registered at sign-up (in any case)', async () => {
    const first = await server.users.signUpOverRest(dialect);
    const path = dialect === 'classic' ? '/v1/auth/signup' : '/api/v1/auth/signup';
    const again = await server.http.rest('POST', path, {
      json: {
        email: first.email.toUpperCase(),
        password: 'Another-Good-Pass-2!',
        firstName: 'Eve',
        lastName: 'Copy',
      },
    });
    expectFailure(dialect, again, 409);
    if (dialect === 'profile') expect(again.body.httpStatus).toBe('CONFLICT');
  });

  it('409: a username already taken (case-insensitively)', async () => {
    const name = `Taken_${uniqueMarker()}`.slice(0, 30);
    const holder = await server.users.signUpOverRest(dialect, { username: name });
    expect(holder.userName).toBe(name);
    if (dialect === 'classic') {
      const again = await server.http.rest('POST', '/v1/auth/signup', {
        json: {
          email: `other-${uniqueMarker()}@example.com`,
          password: 'Another-Good-Pass-2!',
          firstName: 'Eve',
          lastName: 'Copy',
          username: name.toLowerCase(),
        },
      });
      expectFailure(dialect, again, 409);
      return;
    }
    const claimant = await server.users.signUpOverRest('profile');
    const change = await server.http.rest('POST', '/api/v1/account/username/change', {
      token: claimant.token,
      json: { username: name.toUpperCase() },
    });
    const data = expectFailure('profile', change, 409);
    expect(Object.keys(data)).toEqual(['username']);
    // v1's all-in-one update refuses the same name, and then applies none of its other fields.
    const basicInfo = await server.http.rest('PUT', '/api/v1/profile/update-basic-info', {
      token: claimant.token,
      json: { firstName: 'Changed', userName: name.toLowerCase() },
    });
    expect(Object.keys(expectFailure('profile', basicInfo, 409))).toEqual(['userName']);
    // A refused change ends no session and changes nothing.
    const me = await server.http.rest('GET', '/api/v1/profile/me', { token: claimant.token });
    expectEnvelope('profile', me, 200);
    expect(me.body.data.userName).toBe(claimant.userName);
    expect(me.body.data.firstName).not.toBe('Changed');
  });

  it('422: a field map with every invalid field, and an unknown key such as role', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const update = UPDATE[dialect];
    const invalid = await server.http.rest(update.method, update.path, {
      token: user.token,
      json: update.body({ firstName: TOO_LONG_NAME, pictures: ['http://cdn.example.com/profiles/a.jpg'] }),
    });
    const fields = expectFailure(dialect, invalid, 422);
    expect(Object.keys(fields).sort()).toEqual(['firstName', update.pictureField].sort());
    expect(fields.firstName).toMatch(/30/);
    expect(fields[update.pictureField]).toMatch(/https/);
    expect(invalid.body.message).toMatch(/^Validation failed/);
    if (dialect === 'profile') expect(invalid.body.httpStatus).toBe('UNPROCESSABLE_ENTITY');

    const role = await server.http.rest(update.method, update.path, {
      token: user.token,
      json: { ...update.body({ firstName: 'Valid' }), role: 'admin' },
    });
    const roleFields = expectFailure(dialect, role, 422);
    expect(Object.keys(roleFields)).toEqual(['role']);
    expect(roleFields.role).toBeTypeOf('string');
    const me = await server.http.rest('GET', ME[dialect], { token: user.token });
    expect(me.body.data.firstName).not.toBe('Valid');
    if (dialect === 'classic') expect(me.body.data.role).toBe('user');
    else expect(me.body.data.roles).toEqual(['ROLE_USER']);
  });

  it('422 changes nothing: the valid part of a rejected update is not applied', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const update = UPDATE[dialect];
    const before = await server.http.rest('GET', ME[dialect], { token: user.token });
    const rejected = await server.http.rest(update.method, update.path, {
      token: user.token,
      json: update.body({ bio: 'A perfectly valid new bio', firstName: TOO_LONG_NAME }),
    });
    expect(Object.keys(expectFailure(dialect, rejected, 422))).toEqual(['firstName']);
    const after = await server.http.rest('GET', ME[dialect], { token: user.token });
    expect(update.bioOf(after.body.data)).toEqual(update.bioOf(before.body.data));
    expect(after.body.data.firstName).toBe(before.body.data.firstName);
    const accepted = await server.http.rest(update.method, update.path, {
      token: user.token,
      json: update.body({ bio: 'A perfectly valid new bio' }),
    });
    expectEnvelope(dialect, accepted, update.status);
    expect(update.bioOf(accepted.body.data)).toBe('A perfectly valid new bio');
  });

  it('423: signing in to a deactivated account, said only after the correct password', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const deactivated = await server.http.rest('DELETE', '/api/v1/account/deactivate', {
      token: user.token,
      json: { password: user.password, reason: 'Taking a break' },
    });
    expectEnvelope('profile', deactivated, 200);
    const wrong = await server.users.signInOverRest(dialect, user.email, 'Wrong-Password-1!');
    expectFailure(dialect, wrong, 401);
    const locked = await server.users.signInOverRest(dialect, user.email, user.password);
    expectFailure(dialect, locked, 423);
    if (dialect === 'profile') expect(locked.body.httpStatus).toBe('LOCKED');
  });

  it('429: the sixth code within ten minutes, with Retry-After equal to data.retryAfter', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const requestCode = () =>
      dialect === 'classic'
        ? server.http.rest('POST', '/v1/account/2fa/email', {
            token: user.token,
            query: { emailType: 'two_fa' },
            json: { password: user.password },
          })
        : server.http.rest('POST', '/api/v1/account/email/request-verification', { token: user.token });
    for (let i = 0; i < OTP_SENDS_PER_WINDOW; i++) expectEnvelope(dialect, await requestCode(), 200);
    expect(server.mail.messagesTo(user.email)).toHaveLength(OTP_SENDS_PER_WINDOW);
    const limited = await requestCode();
    const data = expectFailure(dialect, limited, 429);
    if (dialect === 'profile') expect(limited.body.httpStatus).toBe('TOO_MANY_REQUESTS');
    expect(data.retryAfter).toBeTypeOf('number');
    expect(Number.isInteger(data.retryAfter)).toBe(true);
    expect(data.retryAfter).toBeGreaterThan(0);
    expect(data.retryAfter).toBeLessThanOrEqual(OTP_SEND_WINDOW_SECONDS);
    expect(limited.headers.get('retry-after')).toBe(String(data.retryAfter));
    // No sixth code went out.
    expect(server.mail.messagesTo(user.email)).toHaveLength(OTP_SENDS_PER_WINDOW);
  });

  it('400: malformed JSON is a bad request in the envelope, never a 500', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const update = UPDATE[dialect];
    for (const raw of ['{"firstName":', '{firstName: "x"}', '[1,2', 'nul']) {
      const answer = await server.http.rest(update.method, update.path, {
        token: user.token,
        raw,
        contentType: 'application/json',
      });
      expectFailure(dialect, answer, 400);
      expect(answer.body.message).toBe('The request body is not valid JSON');
    }
    // Also before any authentication is looked at.
    const anonymous = await server.http.rest('POST', SIGN_IN[dialect], {
      raw: '{"login":',
      contentType: 'application/json',
    });
    expectFailure(dialect, anonymous, 400);
  });

  it('415: a text/plain body', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const update = UPDATE[dialect];
    const answer = await server.http.rest(update.method, update.path, {
      token: user.token,
      raw: 'firstName=Mallory',
      contentType: 'text/plain',
    });
    expectFailure(dialect, answer, 415);
    const me = await server.http.rest('GET', ME[dialect], { token: user.token });
    expect(me.body.data.firstName).not.toBe('Mallory');
  });

  it('200: an empty body with content-type application/json on a body-less route (logout)', async () => {
    const user = await server.users.signUpOverRest(dialect);
    const answer = await server.http.rest('POST', LOGOUT[dialect], {
      token: user.token,
      raw: '',
      contentType: 'application/json',
    });
    expectEnvelope(dialect, answer, 200);
    expectFailure(dialect, await server.http.rest('GET', ME[dialect], { token: user.token }), 401);
  });
});

/* ------------------------------------------------------------------ classic update and list */

describe('classic PATCH /v1/account/update', () => {
  it("answers the seed's Alice body with 202, completeness 90 and shared tag records", async () => {
    const alice = await server.users.signUpOverRest('classic', { firstName: 'Alice', lastName: 'Bob' });
    const answer = await server.http.rest('PATCH', '/v1/account/update', {
      token: alice.token,
      json: ALICE_BODY,
    });
    expectEnvelope('classic', answer, 202);
    const data = answer.body.data;
    // SPEC §2: everything but a picture.
    expect(data.profileCompleteness).toBe(90);
    expect(data.profile.contact).toEqual({ ...ALICE_BODY.profile.contact });
    expect(data.profile.bio).toEqual(ALICE_BODY.profile.bio);
    expect(data.socials).toEqual(ALICE_BODY.socials);
    const tags: string[] = ALICE_BODY.profile.talent.tags;
    expect(data.profile.talent.tags).toEqual(tags);
    expect(data.profile.talent.tagsIds.map((tag: Json) => tag.key)).toEqual(tags);
    for (const tag of data.profile.talent.tagsIds) {
      expect(tag._id).toMatch(/^[0-9a-f-]{36}$/);
      expect(tag.color).toMatch(/^#[0-9A-F]{6}$/i);
      expect(tag.entryCount).toBeGreaterThanOrEqual(1);
      expect(tag).toMatchObject({ categories: [], isParent: false, __v: 0 });
    }
    // Shared records: a second user with one of the tags gets the same record, counted twice.
    const bob = await server.users.signUpOverRest('classic');
    const second = await server.http.rest('PATCH', '/v1/account/update', {
      token: bob.token,
      json: { profile: { talent: { tags: [tags[0]] } } },
    });
    expectEnvelope('classic', second, 202);
    const shared = second.body.data.profile.talent.tagsIds[0];
    const first = data.profile.talent.tagsIds[0];
    expect(shared._id).toBe(first._id);
    expect(shared.color).toBe(first.color);
    expect(shared.entryCount).toBe(first.entryCount + 1);
    // And the stored profile says the same.
    const me = await server.http.rest('GET', '/v1/account', { token: alice.token });
    expect(me.body.data.profileCompleteness).toBe(90);
  });
});

describe('classic GET /v1/account/user', () => {
  /** `count` public users whose usernames carry `marker`, oldest first. */
  async function markedUsers(marker: string, count: number): Promise<RestUser[]> {
    const users: RestUser[] = [];
    for (let i = 0; i < count; i++)
      users.push(await server.users.signUpOverRest('classic', { username: `u-${marker}-${i}` }));
    return users;
  }

  const list = (query: Record<string, string>, token?: string): Promise<Answer> =>
    server.http.rest('GET', '/v1/account/user', { query, ...(token === undefined ? {} : { token }) });

  it('paginates with pages and position', async () => {
    const marker = uniqueMarker();
    const users = await markedUsers(marker, 5);
    const newestFirst = users.map((u) => u.id).reverse();
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const answer = await list({ search: marker.toUpperCase(), limit: '2', page: String(page) });
      expectEnvelope('classic', answer, 200);
      const data = answer.body.data;
      expect(data).toMatchObject({ pages: 3, page, total: 5, limit: 2, position: (page - 1) * 2 + 1 });
      expect(data.data).toHaveLength(page === 3 ? 1 : 2);
      seen.push(...data.data.map((u: Json) => u._id));
    }
    expect(seen).toEqual(newestFirst);
    const pageTwo = await list({ search: marker, limit: '2', page: '2' });
    expect(pageTwo.body.data.data.map((u: Json) => u._id)).toEqual(newestFirst.slice(2, 4));
  });

  it('owner=true lists only the users the caller bookmarked', async () => {
    const marker = uniqueMarker();
    const users = await markedUsers(marker, 4);
    const caller = await server.users.signUpOverRest('classic');
    const bookmarks = new Map<string, string>();
    for (const target of [users[0]!, users[2]!]) {
      const { bookmarkId } = await server.client(caller.token).bookmarks.add.mutate({ userId: target.id });
      bookmarks.set(target.id, bookmarkId);
    }
    const owned = await list({ search: marker, owner: 'true' }, caller.token);
    expectEnvelope('classic', owned, 200);
    expect(owned.body.data.total).toBe(2);
    expect(owned.body.data.data).toHaveLength(2);
    for (const item of owned.body.data.data) {
      expect(item.isBookmarked).toBe(true);
      expect(item.bookmarkId).not.toBe('');
      expect(item.bookmarkId).toBe(bookmarks.get(item._id));
    }
    const all = await list({ search: marker }, caller.token);
    expect(all.body.data.total).toBe(4);
    for (const item of all.body.data.data) {
      expect(item.isBookmarked).toBe(bookmarks.has(item._id));
      expect(item.bookmarkId).toBe(bookmarks.get(item._id) ?? '');
    }
    // Without a session there is nobody whose bookmarks to list.
    expectFailure('classic', await list({ search: marker, owner: 'true' }), 401);
  });

  it("never contains another user's email, phone or street address", async () => {
    const marker = uniqueMarker();
    const [listed] = await markedUsers(marker, 1);
    const contact = {
      country: 'England',
      state: 'Manchester',
      city: 'Manchester',
      address: `30, ${marker} blvd.`,
      phone: '+441234567898',
    };
    const updated = await server.http.rest('PATCH', '/v1/account/update', {
      token: listed!.token,
      json: { profile: { contact } },
    });
    expectEnvelope('classic', updated, 202);
    const viewer = await server.users.signUpOverRest('classic');
    for (const token of [viewer.token, undefined]) {
      const answer = await list({ search: marker }, token);
      expectEnvelope('classic', answer, 200);
      expect(answer.body.data.data.map((u: Json) => u._id)).toEqual([listed!.id]);
      expect(answer.body.data.data[0].profile.contact).toEqual({
        country: 'England',
        state: 'Manchester',
        city: 'Manchester',
      });
      for (const secret of [listed!.email, contact.address, contact.phone, '1234567898', `${marker} blvd`]) {
        expect(answer.text).not.toContain(secret);
      }
      const one = await server.http.rest('GET', `/v1/account/user/${listed!.id}`, {
        ...(token === undefined ? {} : { token }),
      });
      expectEnvelope('classic', one, 200);
      for (const secret of [listed!.email, contact.address, contact.phone])
        expect(one.text).not.toContain(secret);
    }
  });
});
