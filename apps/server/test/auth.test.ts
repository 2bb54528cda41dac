import { describe, expect, it } from 'vitest';
import { expectError, makeTempDir, startTestServer, uniqueUser, useTestServer } from './harness.js';

const server = useTestServer();

describe('auth.signUp', () => {
  it('creates the account, returns a session token and the complete own profile', async () => {
    const input = uniqueUser({ firstName: 'Alice', lastName: 'Bob' });
    const { token, user } = await server.client().auth.signUp.mutate(input);
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(user.email).toBe(input.email);
    expect(user.userName).toMatch(/^alice-bob-[a-z]{4}$/);
    expect(user.isUserNameUpdated).toBe(false);
    expect(user.achievements.map((a) => [a.type, a.value, a.total])).toEqual([
      ['five-star', 0, 20],
      ['referral', 0, 10],
      ['review', 0, 60],
      ['squad', 0, 10],
    ]);
    expect(user.referralCode).toMatch(/^[0-9A-Z]{8}$/);
    expect(user.score).toBe(0);
    expect(user.presence).toBe('ONLINE');
    expect(user.passwordChangedAt).toBeInstanceOf(Date);
    expect(user.stats).toEqual({ followers: 0, following: 0, posts: 0, shops: 0, events: 0 });
    expect(user.securityStrength.level).toBe('VERY_WEAK');
    expect(user.securityStrength.score).toBe(15);

    const me = await server.client(token).profile.me.query();
    expect(me.id).toBe(user.id);
    expect(me.createdAt).toBeInstanceOf(Date);
  });

  it('keeps a chosen username with its case and marks it as chosen', async () => {
    const input = { ...uniqueUser(), username: `Chosen_${Date.now().toString(36)}` };
    const { user } = await server.client().auth.signUp.mutate(input);
    expect(user.userName).toBe(input.username);
    expect(user.isUserNameUpdated).toBe(true);
  });

  it('refuses an email that exists in another case with CONFLICT', async () => {
    const input = uniqueUser();
    await server.client().auth.signUp.mutate(input);
    const error = await expectError(
      server.client().auth.signUp.mutate({ ...input, email: input.email.toUpperCase() }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.reason).toBe('EMAIL_TAKEN');
  });

  it('refuses a taken username case-insensitively with CONFLICT', async () => {
    const username = `Taken_${Date.now().toString(36)}`;
    await server.client().auth.signUp.mutate({ ...uniqueUser(), username });
    const error = await expectError(
      server.client().auth.signUp.mutate({ ...uniqueUser(), username: username.toLowerCase() }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.reason).toBe('USERNAME_TAKEN');
  });

  it('refuses a weak password with BAD_REQUEST naming the field and every failed rule', async () => {
    const error = await expectError(
      server.client().auth.signUp.mutate({ ...uniqueUser(), password: 'password' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('VALIDATION_FAILED');
    const messages = error.fieldErrors.password ?? [];
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(messages.join(' ')).toMatch(/upper/i);
    expect(messages.join(' ')).toMatch(/digit|number/i);
    expect(messages.join(' ')).toMatch(/common/i);
  });

  it('refuses unknown keys instead of applying them', async () => {
    const error = await expectError(
      server.client().auth.signUp.mutate({ ...uniqueUser(), role: 'admin' } as never),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('credits the referrer when someone signs up with their referral code', async () => {
    const referrer = await server.client().auth.signUp.mutate(uniqueUser());
    await server.client().auth.signUp.mutate({ ...uniqueUser(), referralCode: referrer.user.referralCode });
    const me = await server.client(referrer.token).profile.me.query();
    expect(me.achievements.find((a) => a.type === 'referral')?.value).toBe(1);
  });
});

describe('auth.signIn', () => {
  it('signs in by email (any case) and by username, with a fresh token each time', async () => {
    const input = uniqueUser();
    const signedUp = await server.client().auth.signUp.mutate(input);
    const byEmail = await server.client().auth.signIn.mutate({
      login: input.email.toUpperCase(),
      password: input.password,
    });
    const byUsername = await server.client().auth.signIn.mutate({
      login: `@${signedUp.user.userName}`,
      password: input.password,
    });
    if (byEmail.status !== 'signed_in' || byUsername.status !== 'signed_in')
      throw new Error('expected sessions');
    expect(new Set([signedUp.token, byEmail.token, byUsername.token]).size).toBe(3);
    expect(byEmail.user.id).toBe(signedUp.user.id);
    expect(byUsername.user.lastLoginAt).toBeInstanceOf(Date);
    expect((await server.client(byUsername.token).profile.me.query()).id).toBe(signedUp.user.id);
  });

  it('answers a wrong password and an unknown login identically', async () => {
    const input = uniqueUser();
    await server.client().auth.signUp.mutate(input);
    const wrongPassword = await expectError(
      server.client().auth.signIn.mutate({ login: input.email, password: 'Wrong-Password-1' }),
    );
    const unknownLogin = await expectError(
      server.client().auth.signIn.mutate({ login: `nobody-${input.email}`, password: 'Wrong-Password-1' }),
    );
    expect(wrongPassword.code).toBe('UNAUTHORIZED');
    expect(unknownLogin).toEqual(wrongPassword);
  });
});

describe('sessions', () => {
  it('lists sessions with the calling one marked current, and revokes one', async () => {
    const input = uniqueUser();
    const first = await server.client().auth.signUp.mutate(input);
    const second = await server.client().auth.signIn.mutate({ login: input.email, password: input.password });
    if (second.status !== 'signed_in') throw new Error('expected a session');

    const sessions = await server.client(second.token).auth.sessions.query();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const other = sessions.find((s) => !s.current)!;

    await server.client(second.token).auth.revokeSession.mutate({ sessionId: other.id });
    const revoked = await expectError(server.client(first.token).profile.me.query());
    expect(revoked.code).toBe('UNAUTHORIZED');
    expect((await server.client(second.token).auth.sessions.query()).map((s) => s.id)).not.toContain(
      other.id,
    );
  });

  it("cannot revoke another user's session", async () => {
    const alice = await server.client().auth.signUp.mutate(uniqueUser());
    const bob = await server.client().auth.signUp.mutate(uniqueUser());
    const [bobSession] = await server.client(bob.token).auth.sessions.query();
    const error = await expectError(
      server.client(alice.token).auth.revokeSession.mutate({ sessionId: bobSession!.id }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect((await server.client(bob.token).profile.me.query()).id).toBe(bob.user.id);
  });

  it('signOut ends only the calling session', async () => {
    const input = uniqueUser();
    const first = await server.client().auth.signUp.mutate(input);
    const second = await server.client().auth.signIn.mutate({ login: input.email, password: input.password });
    if (second.status !== 'signed_in') throw new Error('expected a session');
    await server.client(first.token).auth.signOut.mutate();
    expect((await expectError(server.client(first.token).profile.me.query())).code).toBe('UNAUTHORIZED');
    expect((await server.client(second.token).profile.me.query()).email).toBe(input.email);
  });

  it('signOutEverywhere ends every session of the user', async () => {
    const input = uniqueUser();
    const first = await server.client().auth.signUp.mutate(input);
    const second = await server.client().auth.signIn.mutate({ login: input.email, password: input.password });
    if (second.status !== 'signed_in') throw new Error('expected a session');
    const { revoked } = await server.client(first.token).auth.signOutEverywhere.mutate();
    expect(revoked).toBe(2);
    for (const token of [first.token, second.token]) {
      expect((await expectError(server.client(token).profile.me.query())).code).toBe('UNAUTHORIZED');
    }
  });

  it('rejects a missing or malformed bearer token as UNAUTHORIZED', async () => {
    expect((await expectError(server.client().profile.me.query())).code).toBe('UNAUTHORIZED');
    expect((await expectError(server.client('not-a-real-token').profile.me.query())).code).toBe(
      'UNAUTHORIZED',
    );
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});

describe('persistence', () => {
  it('keeps accounts and sessions across a restart on the same data directory', async () => {
    const temp = await makeTempDir('userhub-restart-');
    try {
      const input = uniqueUser();
      const first = await startTestServer({ pgliteDataDir: temp.dir });
      const { token } = await first.client().auth.signUp.mutate(input);
      await first.close();

      const second = await startTestServer({ pgliteDataDir: temp.dir });
      try {
        expect((await second.client(token).profile.me.query()).email).toBe(input.email);
        const again = await second
          .client()
          .auth.signIn.mutate({ login: input.email, password: input.password });
        expect(again.status).toBe('signed_in');
      } finally {
        await second.close();
      }
    } finally {
      await temp.remove();
    }
  });
});
