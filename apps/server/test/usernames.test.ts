import { checkUsernameRules, USERNAME_FORMAT_REQUIREMENT } from '@userhub/core';
import { describe, expect, it } from 'vitest';
import { expectError, useTestServer } from './harness.js';
import { uniqueMarker } from './helpers.js';

const server = useTestServer();

/** A username no other test uses: starts with a letter, 3–30 characters. */
function freshName(prefix = 'Name') {
  return `${prefix}_${uniqueMarker('')}`;
}

/** Each suggestion must itself pass the rules and be free, by the server's own check. */
async function expectUsableSuggestions(suggestions: string[], wanted: string) {
  expect(suggestions.length).toBeGreaterThanOrEqual(3);
  expect(suggestions.length).toBeLessThanOrEqual(5);
  expect(new Set(suggestions.map((s) => s.toLowerCase())).size).toBe(suggestions.length);
  for (const suggestion of suggestions) {
    expect(suggestion.toLowerCase()).not.toBe(wanted.toLowerCase());
    expect(checkUsernameRules(suggestion).valid).toBe(true);
    const check = await server.client().account.checkUsername.query({ username: suggestion });
    expect(check, suggestion).toMatchObject({ valid: true, available: true });
  }
}

describe('account.checkUsername', () => {
  it('reports a free, valid name as available, without a session', async () => {
    const username = freshName();
    const check = await server.client().account.checkUsername.query({ username });
    expect(check).toEqual({
      available: true,
      valid: true,
      message: expect.stringMatching(/available/i),
      suggestions: [],
      details: {
        correctLength: true,
        validFormat: true,
        notReserved: true,
        notTaken: true,
        formatRequirement: USERNAME_FORMAT_REQUIREMENT,
      },
    });
  });

  it('reports a name taken in another case as unavailable, with 3–5 valid, free suggestions', async () => {
    const taken = freshName('Taken');
    await server.users.signUp({ username: taken });
    const check = await server.client().account.checkUsername.query({ username: `@${taken.toUpperCase()}` });
    expect(check).toMatchObject({
      available: false,
      valid: true,
      details: { correctLength: true, validFormat: true, notReserved: true, notTaken: false },
    });
    expect(check.message).toMatch(/taken/i);
    await expectUsableSuggestions(check.suggestions, taken);
  });

  it('never suggests a name that is already taken', async () => {
    const base = `n${uniqueMarker('')}`.slice(0, 14);
    await server.users.signUp({ username: base });
    // The word-based candidates are deterministic; take them all so they must be filtered out.
    const takenCandidates = [
      ...['dev', 'hq', 'io', 'pro', 'app', 'online'].map((word) => `${base}_${word}`),
      ...['the', 'real', 'its', 'hey'].map((word) => `${word}_${base}`),
    ];
    for (const username of takenCandidates) await server.users.signUp({ username: username.toUpperCase() });
    const check = await server.client().account.checkUsername.query({ username: base });
    expect(check.available).toBe(false);
    const lowered = check.suggestions.map((s) => s.toLowerCase());
    for (const candidate of takenCandidates) expect(lowered).not.toContain(candidate.toLowerCase());
    await expectUsableSuggestions(check.suggestions, base);
  });

  it('reports a reserved name as invalid, with suggestions', async () => {
    const check = await server.client().account.checkUsername.query({ username: 'Admin' });
    expect(check).toMatchObject({
      available: false,
      valid: false,
      details: { correctLength: true, validFormat: true, notReserved: false },
    });
    expect(check.message).toMatch(/reserved/i);
    await expectUsableSuggestions(check.suggestions, 'admin');
  });

  it.each([
    ['too short', 'ab', { correctLength: false, validFormat: true }, /at least 3/],
    ['too long', `a${'b'.repeat(30)}`, { correctLength: false, validFormat: true }, /at most 30/],
    ['starting with a digit', '1alice', { correctLength: true, validFormat: false }, /start with a letter/],
    ['with a space', 'alice smith', { correctLength: true, validFormat: false }, /only contain/],
    ['with a dot', 'alice.smith', { correctLength: true, validFormat: false }, /only contain/],
  ])('reports a name %s as invalid, naming the rule', async (_what, username, details, message) => {
    const check = await server.client().account.checkUsername.query({ username });
    expect(check).toMatchObject({ valid: false, available: false, details });
    expect(check.message).toMatch(message);
    await expectUsableSuggestions(check.suggestions, username);
  });

  it('reports the caller’s own name as available to them', async () => {
    const username = freshName('Own');
    const user = await server.users.signUp({ username });
    const mine = await user.client.account.checkUsername.query({ username: username.toLowerCase() });
    expect(mine).toMatchObject({ available: true, valid: true, details: { notTaken: true } });
    const theirs = await server.client().account.checkUsername.query({ username });
    expect(theirs.available).toBe(false);
  });

  it('refuses an empty or absurdly long input with BAD_REQUEST', async () => {
    for (const username of ['', 'x'.repeat(101)]) {
      const error = await expectError(server.client().account.checkUsername.query({ username }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors.username).toBeDefined();
    }
  });
});

describe('account.changeUsername', () => {
  it('sets the name with its case, marks it chosen, holds the old name for its owner and ends every session', async () => {
    const user = await server.users.signUp();
    const second = await server.client().auth.signIn.mutate({ login: user.email, password: user.password });
    if (second.status !== 'signed_in') throw new Error('expected a session');
    const oldName = user.userName;
    const newName = freshName('Chosen');

    const profile = await user.client.account.changeUsername.mutate({ username: newName });
    expect(profile.userName).toBe(newName);
    expect(profile.isUserNameUpdated).toBe(true);

    for (const token of [user.token, second.token]) {
      const error = await expectError(server.client(token).profile.me.query());
      expect(error.code).toBe('UNAUTHORIZED');
    }
    const again = await server
      .client()
      .auth.signIn.mutate({ login: newName.toLowerCase(), password: user.password });
    if (again.status !== 'signed_in') throw new Error('expected a session');
    expect(again.user).toMatchObject({ id: user.id, userName: newName, isUserNameUpdated: true });

    expect((await server.client().profile.byUsername.query({ username: `@${newName}` })).id).toBe(user.id);
    // SPEC §9: the old name stays held for its owner (username-history.test.ts covers the hold).
    const oldLookup = await server.client().profile.byUsername.query({ username: oldName });
    expect(oldLookup).toMatchObject({ id: user.id, userName: newName, redirectedFrom: oldName });
    const someoneElse = await server.users.signUp();
    const refused = await expectError(
      someoneElse.client.account.changeUsername.mutate({ username: oldName }),
    );
    expect(refused.reason).toBe('USERNAME_TAKEN');
  });

  it('lets the owner change only the case of their own name', async () => {
    const username = freshName('case');
    const user = await server.users.signUp({ username });
    const profile = await user.client.account.changeUsername.mutate({ username: username.toUpperCase() });
    expect(profile.userName).toBe(username.toUpperCase());
  });

  it('refuses a name taken in another case with CONFLICT and changes nothing, sessions included', async () => {
    const taken = freshName('Owned');
    await server.users.signUp({ username: taken });
    const user = await server.users.signUp();
    const error = await expectError(
      user.client.account.changeUsername.mutate({ username: taken.toLowerCase() }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.reason).toBe('USERNAME_TAKEN');
    expect(error.fieldErrors.username).toBeDefined();

    const me = await user.client.profile.me.query();
    expect(me.userName).toBe(user.userName);
    expect(me.isUserNameUpdated).toBe(false);
  });

  it.each([
    ['reserved', 'support', /reserved/],
    ['too short', 'ab', /at least 3/],
    ['badly formed', '_alice', /start with a letter/],
  ])('refuses a %s name with BAD_REQUEST and keeps the sessions', async (_what, username, rule) => {
    const user = await server.users.signUp();
    const error = await expectError(user.client.account.changeUsername.mutate({ username }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors.username?.join(' ')).toMatch(rule);
    expect((await user.client.profile.me.query()).userName).toBe(user.userName);
  });

  it('refuses unknown keys and a caller without a session', async () => {
    const user = await server.users.signUp();
    const extra = await expectError(
      user.client.account.changeUsername.mutate({ username: freshName(), userId: user.id } as never),
    );
    expect(extra.code).toBe('BAD_REQUEST');
    const anonymous = await expectError(
      server.client().account.changeUsername.mutate({ username: freshName() }),
    );
    expect(anonymous.code).toBe('UNAUTHORIZED');
    expect((await user.client.profile.me.query()).userName).toBe(user.userName);
  });

  it('gives exactly one of 20 concurrent claims of one name; the other 19 get CONFLICT', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => server.users.signUp()));
    const wanted = freshName('Race');

    const outcomes = await Promise.allSettled(
      users.map((user, i) =>
        // Different spellings of one name: uniqueness is case-insensitive.
        user.client.account.changeUsername.mutate({ username: i % 2 === 0 ? wanted : wanted.toLowerCase() }),
      ),
    );
    const winners = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [users[i]!] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      const error = await expectError(Promise.reject(outcome.reason));
      expect(error.code).toBe('CONFLICT');
      expect(error.reason).toBe('USERNAME_TAKEN');
    }

    expect((await server.client().profile.byUsername.query({ username: wanted })).id).toBe(winner.id);
    // The winner's sessions ended; every loser is untouched and still signed in.
    expect((await expectError(winner.client.profile.me.query())).code).toBe('UNAUTHORIZED');
    for (const loser of users.filter((user) => user !== winner)) {
      const me = await loser.client.profile.me.query();
      expect(me.userName).toBe(loser.userName);
      expect(me.isUserNameUpdated).toBe(false);
    }
  });
});
