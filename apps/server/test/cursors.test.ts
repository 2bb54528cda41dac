import type { UserhubClient } from '@userhub/sdk';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestServer, type TestServer, uniqueUser } from './harness.js';
import { uniqueMarker } from './helpers.js';

let server: TestServer;
let owner: { id: string; client: UserhubClient };

beforeAll(async () => {
  server = await startTestServer();
  const { token, user } = await server.client().auth.signUp.mutate(uniqueUser());
  owner = { id: user.id, client: server.client(token) };
});
afterAll(async () => {
  await server?.close();
});

const SOME_ID = '0b6f1c8e-5d1a-4c55-9d1e-2f6b1f0e9a11';
const cursorOf = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Positions a client could forge: each would reach the database as a bad date or a bad uuid. */
const FORGED_CURSORS = {
  'a year before the database’s range': cursorOf(`-100000-01-01T00:00:00.000Z|${SOME_ID}`),
  'the last date JavaScript can hold': cursorOf(`+275760-09-13T00:00:00.000Z|${SOME_ID}`),
  'an id that is no UUID': cursorOf('2026-11-21T10:00:00.000Z|not-a-uuid'),
  'an id that is quoted SQL': cursorOf("2026-11-21T10:00:00.000Z|' or '1'='1"),
};

describe('a crafted cursor is a validation error on `cursor`, never a database error', () => {
  const lists = {
    'social.followers': (cursor: string) => owner.client.social.followers.query({ userId: owner.id, cursor }),
    'social.following': (cursor: string) => owner.client.social.following.query({ userId: owner.id, cursor }),
    'bookmarks.list': (cursor: string) => owner.client.bookmarks.list.query({ cursor }),
    'account.securityEvents': (cursor: string) =>
      owner.client.account.securityEvents.query({ cursor, limit: 5 }),
  };
  for (const [list, query] of Object.entries(lists)) {
    for (const [forgery, cursor] of Object.entries(FORGED_CURSORS)) {
      it(`${list} refuses ${forgery}`, async () => {
        const error = await expectError(query(cursor));
        expect(error.code).toBe('BAD_REQUEST');
        expect(error.fieldErrors.cursor).toEqual(['is not a cursor this API returned']);
      });
    }
  }
});

describe('sign-up is one transaction', () => {
  it('leaves no user behind when its last write fails, and the email can sign up afterwards', async () => {
    const { db } = server.built.deps;
    const input = { ...uniqueUser(), email: `${uniqueMarker('atomic')}@example.com` };
    // Fails the `sign_up` audit event of this one address only, so other tests on the same
    // database are untouched; the names are unique so parallel runs do not share them.
    const name = uniqueMarker('fail_sign_up_');
    await sql`
      create function ${sql.id(name)}() returns trigger language plpgsql as $$
      begin
        if new.type = 'sign_up' and exists (
          select 1 from users where id = new.user_id and email = ${sql.lit(input.email)}
        ) then
          raise exception 'sign-up audit refused for the atomicity test';
        end if;
        return new;
      end $$
    `.execute(db);
    await sql`create trigger ${sql.id(name)} before insert on audit_events for each row execute function ${sql.id(name)}()`.execute(
      db,
    );
    try {
      const failed = await expectError(server.client().auth.signUp.mutate(input));
      expect(failed.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await sql`drop trigger ${sql.id(name)} on audit_events`.execute(db);
      await sql`drop function ${sql.id(name)}()`.execute(db);
    }
    const left = await db.selectFrom('users').select('id').where('email', '=', input.email).execute();
    expect(left).toEqual([]);

    const { user } = await server.client().auth.signUp.mutate(input);
    expect(user.email).toBe(input.email);
    const signedIn = await server
      .client()
      .auth.signIn.mutate({ login: input.email, password: input.password });
    expect(signedIn.status).toBe('signed_in');
  });
});
