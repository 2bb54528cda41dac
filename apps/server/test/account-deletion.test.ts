import { describe, expect, it } from 'vitest';
import { DAY_MS, randomOctet, SECOND_MS, type SignedUpUser, useTestServer } from './harness.js';

/**
 * Deletion with a grace period (SPEC §9): the account is hidden at once and erased on its date
 * by the purge job, unless its owner cancels first. Time moves on the fake clock; the purge
 * job's round is run by hand once the clock is past the date.
 */

const PUBLIC_URL = 'http://localhost:5173';
const GRACE_DAYS = 14;
const security = useTestServer({ clock: true, mail: true, ownAddress: true, env: { PUBLIC_URL } });
const { clock, client, expectError, expectSignedOut, secrets } = security;
const { signUp, signIn } = security.users;
const WRONG_PASSWORD = 'Not-The-Password-1';
secrets.add(WRONG_PASSWORD);

/** One round of the server's purge job, run by hand on the fake clock. */
const purge = () => security.services.accountDeletion.purgeDueAccounts();

async function isVisibleTo(viewer: SignedUpUser, user: SignedUpUser): Promise<boolean> {
  const listed = await viewer.client.profile.list.query({ search: user.userName });
  const followers = await client().social.followers.query({ userId: viewer.id });
  const inFollowers = followers.items.some((item) => item.id === user.id);
  const inList = listed.items.some((item) => item.id === user.id);
  try {
    await viewer.client.profile.byId.query({ userId: user.id });
  } catch {
    expect(inList || inFollowers).toBe(false);
    return false;
  }
  expect(inList && inFollowers).toBe(true);
  return true;
}

/** A user with a follower relation both ways, so every public path has something to show. */
async function befriended() {
  const user = await signUp({ username: `leaver_${Date.now().toString(36)}${randomOctet()}` });
  const friend = await signUp();
  await user.client.social.follow.mutate({ userId: friend.id });
  await friend.client.social.follow.mutate({ userId: user.id });
  return { user, friend };
}

describe('account.delete with a grace period', () => {
  it('answers the date, hides the account everywhere at once, ends its sessions and mails the date and how to cancel', async () => {
    const { user, friend } = await befriended();
    const second = await signIn(user.email, user.password);
    expect(await isVisibleTo(friend, user)).toBe(true);

    const before = security.mail.messagesTo(user.email).length;
    const { scheduledFor } = await user.client.account.delete.mutate({ password: user.password });
    expect(scheduledFor).toEqual(new Date(clock.now().getTime() + GRACE_DAYS * DAY_MS));

    await expectSignedOut(user.token);
    await expectSignedOut(second.token);
    expect(await isVisibleTo(friend, user)).toBe(false);
    for (const call of [
      () => client().profile.byUsername.query({ username: user.userName }),
      () => client().profile.byId.query({ userId: user.id }),
    ]) {
      expect((await expectError(call())).code).toBe('NOT_FOUND');
    }
    expect((await friend.client.profile.me.query()).stats).toMatchObject({ followers: 0, following: 0 });
    expect((await client().social.following.query({ userId: friend.id })).items).toEqual([]);

    const notice = await security.mail.waitForMessageTo(user.email, before + 1);
    const people = scheduledFor.toISOString().slice(0, 4);
    expect(notice.subject).toMatch(/will be deleted on \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC$/);
    expect(notice.subject).toContain(people);
    expect(notice.text).toMatch(/Cancel the deletion/);
    expect(notice.text).toContain(`${PUBLIC_URL}/`);

    // Data kept until the date: the row, its name and its address are still there.
    expect((await security.db.rowsReferencing(user.id)).users).toBe(1);
    const audit = await security.db.auditEventsOfType(user.id, 'account_deletion_scheduled');
    expect(audit).toHaveLength(1);
  });

  it('refuses a sign-in with the right password with ACCOUNT_PENDING_DELETION (423) and the date; a wrong one looks like a stranger', async () => {
    const user = await signUp();
    const { scheduledFor } = await user.client.account.delete.mutate({ password: user.password });

    const pending = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    // tRPC answers FORBIDDEN (403); the REST dialects answer the error table's 423, as for ACCOUNT_LOCKED.
    expect(pending).toMatchObject({ code: 'FORBIDDEN', reason: 'ACCOUNT_PENDING_DELETION' });
    expect(pending.scheduledFor).toEqual(scheduledFor);
    expect(pending.message).toContain(scheduledFor.toISOString());

    const wrong = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: WRONG_PASSWORD }),
    );
    const stranger = await expectError(
      client().auth.signIn.mutate({ login: `nobody-${user.email}`, password: WRONG_PASSWORD }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(wrong).toEqual(stranger);

    // Over REST the status and the date travel too.
    const rest = await security.users.signInOverRest('profile', user.userName, user.password);
    expect(rest.status).toBe(423);
    expect(rest.body.data).toEqual({ scheduledFor: scheduledFor.toISOString() });
  });

  it('account.cancelDeletion restores everything and signs in; the purge then leaves the account alone', async () => {
    const { user, friend } = await befriended();
    const { scheduledFor } = await user.client.account.delete.mutate({ password: user.password });

    const wrong = await expectError(
      client().account.cancelDeletion.mutate({ login: user.email, password: WRONG_PASSWORD }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');

    clock.advance(GRACE_DAYS * DAY_MS - SECOND_MS);
    const restored = await client().account.cancelDeletion.mutate({
      login: `@${user.userName}`,
      password: user.password,
    });
    expect(restored.user.id).toBe(user.id);
    expect(restored.user.isAccountLocked).toBe(false);
    expect((await client(restored.token).profile.me.query()).id).toBe(user.id);
    expect(await isVisibleTo(friend, user)).toBe(true);
    expect((await friend.client.profile.me.query()).stats).toMatchObject({ followers: 1, following: 1 });

    clock.advance(2 * SECOND_MS);
    expect(clock.now().getTime()).toBeGreaterThan(scheduledFor.getTime());
    await purge();
    expect((await security.db.rowsReferencing(user.id)).users).toBe(1);
    expect((await signIn(user.email, user.password)).token).toBeTruthy();

    const nothing = await expectError(
      client().account.cancelDeletion.mutate({ login: user.email, password: user.password }),
    );
    expect(nothing.reason).toBe('NOT_FOUND');
    expect(await security.db.auditEventsOfType(user.id, 'account_deletion_cancelled')).toHaveLength(1);
  });

  it('asks for the second factor before cancelling when two-factor is on', async () => {
    const user = await signUp();
    await security.users.verifyEmail(user);
    const { recoveryCodes } = await user.client.twoFactor.enableWithPassword.mutate({
      password: user.password,
    });
    security.remember(recoveryCodes);
    await user.client.account.delete.mutate({ password: user.password });

    const owed = await expectError(
      client().account.cancelDeletion.mutate({ login: user.email, password: user.password }),
    );
    expect(owed.reason).toBe('TWO_FACTOR_REQUIRED');
    const code = security.mail.latestCodeTo(user.email);
    const restored = await client().account.cancelDeletion.mutate({
      login: user.email,
      password: user.password,
      code,
    });
    expect(restored.user.id).toBe(user.id);
  });
});

describe('the purge job', () => {
  it('erases accounts past their date exactly like an immediate delete; name and address are free again; cancelling is too late', async () => {
    const { user, friend } = await befriended();
    const early = await signUp();
    await user.client.account.delete.mutate({ password: user.password });
    clock.advance(DAY_MS);
    const { scheduledFor: laterDate } = await early.client.account.delete.mutate({
      password: early.password,
    });

    clock.advance((GRACE_DAYS - 1) * DAY_MS + SECOND_MS);
    await purge();
    expect(await security.db.rowsReferencing(user.id)).toEqual({
      users: 0,
      sessions: 0,
      oneTimeCodes: 0,
      recoveryCodes: 0,
      auditEvents: 0,
      achievements: 0,
      follows: 0,
      bookmarks: 0,
    });
    // Not yet due: kept, and still restorable.
    expect(clock.now().getTime()).toBeLessThan(laterDate.getTime());
    expect((await security.db.rowsReferencing(early.id)).users).toBe(1);

    const tooLate = await expectError(
      client().account.cancelDeletion.mutate({ login: user.email, password: user.password }),
    );
    expect(tooLate.code).toBe('UNAUTHORIZED');
    expect((await friend.client.profile.me.query()).stats).toMatchObject({ followers: 0, following: 0 });

    const successor = await signUp({
      email: user.email.toUpperCase(),
      username: user.userName.toUpperCase(),
    });
    expect(successor.id).not.toBe(user.id);

    clock.advance(DAY_MS);
    await purge();
    expect((await security.db.rowsReferencing(early.id)).users).toBe(0);
  });

  it('is safe to run from several instances at once: every due account is erased once, none fails', async () => {
    const leavers = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
    for (const leaver of leavers) await leaver.client.account.delete.mutate({ password: leaver.password });
    clock.advance(GRACE_DAYS * DAY_MS + SECOND_MS);
    const rounds = await Promise.all([purge(), purge(), purge()]);
    expect(rounds.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(leavers.length);
    for (const leaver of leavers) expect((await security.db.rowsReferencing(leaver.id)).users).toBe(0);
  });
});

describe('classic POST /v1/account/delete-account', () => {
  it('answers the date in its envelope and schedules the same deletion', async () => {
    const user = await signUp();
    const answer = await security.http.rest('POST', '/v1/account/delete-account', {
      token: user.token,
      json: { password: user.password },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.scheduledFor).toBe(
      new Date(clock.now().getTime() + GRACE_DAYS * DAY_MS).toISOString(),
    );
    await expectSignedOut(user.token);
    const pending = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    expect(pending.reason).toBe('ACCOUNT_PENDING_DELETION');

    const cancelled = await security.http.rest('POST', '/api/v1/account/cancel-deletion', {
      json: { login: user.email, password: user.password },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.user.id).toBe(user.id);
  });
});
