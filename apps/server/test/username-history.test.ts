import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS, type SignedUpUser, useTestServer } from './harness.js';
import { uniqueMarker } from './helpers.js';
import { expectEnvelope } from './rest-http.js';

/**
 * SPEC §9 username history: a name given up stays held for its previous owner for
 * USERNAME_HOLD_DAYS (3 here, so the manual clock can pass it without ending the sessions,
 * which slide over 30 days). Others get USERNAME_TAKEN saying it was recently used.
 */
const HOLD_DAYS = 3;
const server = useTestServer({ clock: true, env: { USERNAME_HOLD_DAYS: String(HOLD_DAYS) } });

function freshName(prefix = 'held') {
  return `${prefix}_${uniqueMarker('')}`;
}

/** Renames the user through account.changeUsername and signs them in again (a rename ends every session). */
async function rename(user: SignedUpUser, to: string): Promise<SignedUpUser> {
  await user.client.account.changeUsername.mutate({ username: to });
  const { token, client } = await server.users.signIn(user.email, user.password);
  return { ...user, token, client, userName: to };
}

async function expectHeldRefusal(call: Promise<unknown>) {
  const error = await server.expectError(call);
  expect(error.code).toBe('CONFLICT');
  expect(error.httpStatus).toBe(409);
  expect(error.reason).toBe('USERNAME_TAKEN');
  expect(error.message).toMatch(/used recently/i);
  return error;
}

describe('a changed username is held for its previous owner', () => {
  it('refuses the old name to others, with a 409 that says it was recently used, on every path', async () => {
    const oldName = freshName();
    await rename(await server.users.signUp({ username: oldName }), freshName('new'));
    const other = await server.users.signUp();

    await expectHeldRefusal(other.client.account.changeUsername.mutate({ username: oldName.toUpperCase() }));
    await expectHeldRefusal(other.client.profile.updateBasicInfo.mutate({ username: oldName }));
    await expectHeldRefusal(server.client().auth.signUp.mutate({ ...signUpFields(), username: oldName }));

    const viaAccountRoute = await server.http.rest('POST', '/api/v1/account/username/change', {
      token: other.token,
      json: { username: oldName },
    });
    expectEnvelope('profile', viaAccountRoute, 409);
    expect(viaAccountRoute.body.message).toMatch(/used recently/i);
    const viaBasicInfo = await server.http.rest('PUT', '/api/v1/profile/update-basic-info', {
      token: other.token,
      json: { userName: oldName },
    });
    expectEnvelope('profile', viaBasicInfo, 409);
    expect(viaBasicInfo.body.data).toEqual({ userName: expect.stringMatching(/used recently/) });

    const check = await other.client.account.checkUsername.query({ username: oldName });
    expect(check).toMatchObject({ available: false, valid: true, details: { notTaken: false } });
    expect(check.message).toMatch(/used recently/i);
    expect(check.suggestions.map((s) => s.toLowerCase())).not.toContain(oldName.toLowerCase());
    // The other user's name is still theirs: nothing of theirs changed.
    expect((await other.client.profile.me.query()).userName).toBe(other.userName);
  });

  it('holds names given up through profile.updateBasicInfo and both REST dialect paths too', async () => {
    const other = await server.users.signUp();
    const viaTrpc = await server.users.signUp({ username: freshName('trpc') });
    await viaTrpc.client.profile.updateBasicInfo.mutate({ username: freshName('trpcnew') });
    const viaBasicInfo = await server.users.signUp({ username: freshName('basic') });
    expect(
      (
        await server.http.rest('PUT', '/api/v1/profile/update-basic-info', {
          token: viaBasicInfo.token,
          json: { userName: freshName('basicnew') },
        })
      ).status,
    ).toBe(200);
    const viaAccountRoute = await server.users.signUp({ username: freshName('route') });
    expect(
      (
        await server.http.rest('POST', '/api/v1/account/username/change', {
          token: viaAccountRoute.token,
          json: { username: freshName('routenew') },
        })
      ).status,
    ).toBe(200);
    for (const gaveUp of [viaTrpc, viaBasicInfo, viaAccountRoute]) {
      await expectHeldRefusal(other.client.account.changeUsername.mutate({ username: gaveUp.userName }));
    }
  });

  it('lets the owner take the old name back, which then holds the name they left', async () => {
    const first = freshName('first');
    const second = freshName('second');
    let owner = await rename(await server.users.signUp({ username: first }), second);
    const check = await owner.client.account.checkUsername.query({ username: first });
    expect(check).toMatchObject({ available: true, details: { notTaken: true } });

    owner = await rename(owner, first);
    expect((await owner.client.profile.me.query()).userName).toBe(first);
    const other = await server.users.signUp();
    await expectHeldRefusal(other.client.account.changeUsername.mutate({ username: second }));
    // Taking the name back ended its hold: the history says so.
    const history = await owner.client.account.usernameHistory.query();
    expect(history.map((entry) => entry.userName)).toEqual([second, first]);
    expect(history[1]!.heldUntil.getTime()).toBe(history[0]!.changedAt.getTime());
  });

  it('frees the name once the hold is over (fake clock)', async () => {
    const oldName = freshName();
    const owner = await rename(await server.users.signUp({ username: oldName }), freshName('new'));
    const other = await server.users.signUp();

    server.clock.advance(HOLD_DAYS * DAY_MS - MINUTE_MS);
    await expectHeldRefusal(other.client.account.changeUsername.mutate({ username: oldName }));
    expect((await server.client().profile.byUsername.query({ username: oldName })).id).toBe(owner.id);

    server.clock.advance(2 * MINUTE_MS);
    await other.client.account.changeUsername.mutate({ username: oldName });
    const resolved = await server.client().profile.byUsername.query({ username: oldName });
    expect(resolved).toMatchObject({ id: other.id, userName: oldName });
    expect(resolved.redirectedFrom).toBeUndefined();
    // The owner's history still lists the name, its hold in the past.
    const [entry] = await owner.client.account.usernameHistory.query();
    expect(entry!.userName).toBe(oldName);
    expect(entry!.heldUntil.getTime()).toBeLessThan(server.clock.now().getTime());
  });

  it('a change of letter case only holds nothing', async () => {
    const name = freshName('case');
    const owner = await rename(await server.users.signUp({ username: name }), name.toUpperCase());
    expect(await owner.client.account.usernameHistory.query()).toEqual([]);
  });
});

describe('profile.byUsername with a held old name', () => {
  it('answers the current profile with redirectedFrom, over tRPC and REST', async () => {
    const oldName = freshName();
    const newName = freshName('new');
    const owner = await rename(await server.users.signUp({ username: oldName }), newName);

    const viaOld = await server.client().profile.byUsername.query({ username: `@${oldName.toUpperCase()}` });
    expect(viaOld).toMatchObject({ id: owner.id, userName: newName, redirectedFrom: oldName });
    const viaNew = await server.client().profile.byUsername.query({ username: newName });
    expect(viaNew.id).toBe(owner.id);
    expect('redirectedFrom' in viaNew).toBe(false);

    const rest = await server.http.rest('GET', `/api/v1/profile/u/@${oldName}`);
    expectEnvelope('profile', rest, 200);
    expect(rest.body.data).toMatchObject({ userId: owner.id, userName: newName, redirectedFrom: oldName });
    const restNew = await server.http.rest('GET', `/api/v1/profile/u/${newName}`);
    expect(restNew.body.data.redirectedFrom).toBeUndefined();
  });

  it('does not redirect to a deactivated account', async () => {
    const oldName = freshName();
    const owner = await rename(await server.users.signUp({ username: oldName }), freshName('new'));
    await server.users.deactivate(owner);
    const error = await server.expectError(server.client().profile.byUsername.query({ username: oldName }));
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('account.usernameHistory', () => {
  it("lists the user's own changes, newest first, each held for the configured days", async () => {
    const names = [freshName('a'), freshName('b'), freshName('c')];
    let user = await server.users.signUp({ username: names[0]! });
    const stranger = await server.users.signUp();
    user = await rename(user, names[1]!);
    server.clock.advance(MINUTE_MS);
    user = await rename(user, names[2]!);

    const history = await user.client.account.usernameHistory.query();
    expect(history.map((entry) => entry.userName)).toEqual([names[1], names[0]]);
    for (const entry of history) {
      expect(Object.keys(entry).sort()).toEqual(['changedAt', 'heldUntil', 'userName']);
      expect(entry.heldUntil.getTime() - entry.changedAt.getTime()).toBe(HOLD_DAYS * DAY_MS);
    }
    expect(await stranger.client.account.usernameHistory.query()).toEqual([]);
    const error = await server.expectError(server.client().account.usernameHistory.query());
    expect(error.code).toBe('UNAUTHORIZED');

    const rest = await server.http.rest('GET', '/api/v1/account/username/history', { token: user.token });
    expectEnvelope('profile', rest, 200);
    expect(rest.body.data).toEqual(
      history.map((entry) => ({
        userName: entry.userName,
        changedAt: entry.changedAt.toISOString(),
        heldUntil: entry.heldUntil.toISOString(),
      })),
    );
  });
});

describe('races on a held name', () => {
  it('gives the owner the name back and everyone else a 409, all at once', async () => {
    const oldName = freshName();
    const owner = await rename(await server.users.signUp({ username: oldName }), freshName('new'));
    const others = await Promise.all([1, 2, 3, 4].map(() => server.users.signUp()));
    const claims = [owner, ...others].map((user) =>
      user.client.account.changeUsername.mutate({ username: oldName }),
    );
    const outcomes = await Promise.allSettled(claims);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect((await server.client().profile.byUsername.query({ username: oldName })).id).toBe(owner.id);
  });

  it('never lets a claim slip in while the owner renames away from the name', async () => {
    for (let round = 0; round < 4; round++) {
      const name = freshName(`race${round}`);
      const owner = await server.users.signUp({ username: name });
      const claimant = await server.users.signUp();
      const [renamed, claimed] = await Promise.allSettled([
        owner.client.account.changeUsername.mutate({ username: freshName('away') }),
        claimant.client.account.changeUsername.mutate({ username: name }),
      ]);
      expect(renamed.status).toBe('fulfilled');
      expect(claimed.status).toBe('rejected');
      expect((await server.client().profile.byUsername.query({ username: name })).id).toBe(owner.id);
    }
  });

  it('gives exactly one of several claimants a name whose hold has ended', async () => {
    const oldName = freshName();
    await rename(await server.users.signUp({ username: oldName }), freshName('new'));
    server.clock.advance(HOLD_DAYS * DAY_MS + MINUTE_MS);
    const claimants = await Promise.all([1, 2, 3, 4].map(() => server.users.signUp()));
    const outcomes = await Promise.allSettled(
      claimants.map((user) => user.client.account.changeUsername.mutate({ username: oldName })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const winner = claimants[outcomes.findIndex((o) => o.status === 'fulfilled')]!;
    expect((await server.client().profile.byUsername.query({ username: oldName })).id).toBe(winner.id);
  });
});

function signUpFields() {
  return {
    email: `held-${uniqueMarker('')}@example.com`,
    password: 'Correct-Horse-9-Battery',
    firstName: 'Held',
    lastName: 'Name',
  };
}
