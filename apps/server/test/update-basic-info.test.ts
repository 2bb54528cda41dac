import { describe, expect, it } from 'vitest';
import { newPhoneNumber, type RestUser, useTestServer } from './harness.js';
import { uniqueMarker } from './helpers.js';
import { expectEnvelope, expectFailure } from './rest-http.js';

/**
 * v1 `PUT /api/v1/profile/update-basic-info` is one operation: display fields, a new
 * username and a new phone number apply together or not at all, and a refused request
 * sends no code and ends no session.
 */

const server = useTestServer({ sms: true, eraseRestUsersAfterEach: true });

const PATH = '/api/v1/profile/update-basic-info';

function signUp(fields: { username?: string } = {}): Promise<RestUser> {
  return server.users.signUpOverRest('profile', fields);
}

/** The refused request left everything as it was: same name, session alive, no code texted. */
async function expectNothingChanged(user: RestUser, phoneNumber: string): Promise<void> {
  const me = await server.http.rest('GET', '/api/v1/profile/me', { token: user.token });
  expectEnvelope('profile', me, 200);
  expect(me.body.data.userName).toBe(user.userName);
  expect(me.body.data.firstName).not.toBe('Changed');
  expect(me.body.data.phoneNumber).toBeNull();
  expect(server.sms.messagesTo(phoneNumber)).toHaveLength(0);
}

describe('PUT /api/v1/profile/update-basic-info', () => {
  it('applies a new username, display fields and a phone number together', async () => {
    const user = await signUp();
    const phoneNumber = newPhoneNumber();
    const userName = uniqueMarker('ren');
    const answer = await server.http.rest('PUT', PATH, {
      token: user.token,
      json: { userName, firstName: 'Changed', phoneNumber },
    });
    expectEnvelope('profile', answer, 200);
    expect(answer.body.message).toMatch(/^Username changed successfully/);
    expect(answer.body.data).toMatchObject({ userName, firstName: 'Changed' });
    expect(server.sms.messagesTo(phoneNumber)).toHaveLength(1);
    // A new username ends every session.
    const me = await server.http.rest('GET', '/api/v1/profile/me', { token: user.token });
    expect(me.status).toBe(401);
  });

  it('422: a valid new username and phone beside an email it may not change apply nothing', async () => {
    const user = await signUp();
    const phoneNumber = newPhoneNumber();
    const answer = await server.http.rest('PUT', PATH, {
      token: user.token,
      json: {
        userName: uniqueMarker('ren'),
        firstName: 'Changed',
        phoneNumber,
        email: `${uniqueMarker('other')}@example.com`,
      },
    });
    expect(Object.keys(expectFailure('profile', answer, 422))).toEqual(['email']);
    await expectNothingChanged(user, phoneNumber);
  });

  it('409: a taken username beside a valid new phone applies nothing and texts no code', async () => {
    const owner = await signUp({ username: uniqueMarker('own') });
    const user = await signUp();
    const phoneNumber = newPhoneNumber();
    const answer = await server.http.rest('PUT', PATH, {
      token: user.token,
      json: { userName: owner.userName.toUpperCase(), firstName: 'Changed', phoneNumber },
    });
    expect(Object.keys(expectFailure('profile', answer, 409))).toEqual(['userName']);
    await expectNothingChanged(user, phoneNumber);
  });
});
