import type { UserhubClient } from '@userhub/sdk';
import { describe, expect, it } from 'vitest';
import { newPhoneNumber, randomOctet, SECOND_MS, uniqueUser, useTestServer } from './harness.js';

/**
 * The end of an account and its record (SPEC §3): deactivation (locked, data kept, hidden),
 * deletion (erased, name and address free again), the audit log the user pages through,
 * and that none of it leaves a secret in the log.
 */

// With no grace period, as before SPEC §9: account-deletion.test.ts covers the scheduled deletion.
const security = useTestServer({
  clock: true,
  mail: true,
  sms: true,
  ownAddress: true,
  env: { DELETION_GRACE_DAYS: '0' },
});
const { clock, fileIp, secrets, client, expectError, expectSignedOut, expectNoSecretsLeaked } = security;
const { signUp, signIn, verifyEmail } = security.users;
const WRONG_PASSWORD = 'Not-The-Password-1';
secrets.add(WRONG_PASSWORD);

describe('account.deactivate', () => {
  it('refuses a reason over 500 characters and a wrong password, and then changes nothing', async () => {
    const user = await signUp();
    const long = await expectError(
      user.client.account.deactivate.mutate({ password: user.password, reason: 'x'.repeat(501) }),
    );
    expect(long.code).toBe('BAD_REQUEST');
    expect(long.fieldErrors.reason).toEqual(['Reason must be at most 500 characters']);

    const wrong = await expectError(user.client.account.deactivate.mutate({ password: WRONG_PASSWORD }));
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(wrong.fieldErrors.password).toEqual(['is incorrect']);

    expect((await user.client.profile.me.query()).isAccountLocked).toBe(false);
    expect((await signIn(user.email, user.password)).token).toBeTruthy();
  });

  it('locks the account: every session ends, sign-in is refused with ACCOUNT_LOCKED, the profile is hidden, the data kept', async () => {
    const user = await signUp();
    const viewer = await signUp();
    const second = await signIn(user.userName, user.password);
    expect((await viewer.client.profile.byId.query({ userId: user.id })).id).toBe(user.id);

    clock.advance(SECOND_MS);
    const reason = 'r'.repeat(500);
    expect(await user.client.account.deactivate.mutate({ password: user.password, reason })).toEqual({
      success: true,
    });
    const lockedAt = clock.now();

    await expectSignedOut(user.token);
    await expectSignedOut(second.token);

    // The clear error comes only after the password checked out.
    const locked = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    expect(locked.code).toBe('FORBIDDEN');
    expect(locked.reason).toBe('ACCOUNT_LOCKED');
    expect(locked.message).toMatch(/deactivated/i);
    const wrong = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: WRONG_PASSWORD }),
    );
    const stranger = await expectError(
      client().auth.signIn.mutate({ login: `nobody-${user.email}`, password: WRONG_PASSWORD }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(wrong).toEqual(stranger);

    // Each call starts only when awaited, so no rejection waits unobserved.
    for (const call of [
      () => viewer.client.profile.byId.query({ userId: user.id }),
      () => viewer.client.profile.byUsername.query({ username: user.userName }),
      () => client().profile.byId.query({ userId: user.id }),
    ]) {
      expect((await expectError(call())).code).toBe('NOT_FOUND');
    }

    // Data kept: the row, its names and its address are all still there and still taken.
    const row = await security.db.storedAccount(user.id);
    expect(row).toEqual({
      email: user.email,
      userName: user.userName,
      firstName: user.firstName,
      lockedAt,
      lockReason: reason,
    });
    expect((await security.db.rowsReferencing(user.id)).achievements).toBe(4);
    const again = await expectError(client().auth.signUp.mutate({ ...uniqueUser(), email: user.email }));
    expect(again.code).toBe('CONFLICT');

    expect(security.mail.messagesTo(user.email).map((m) => m.subject)).toEqual([
      'Your userhub account was deactivated',
    ]);
    const audit = await security.db.auditEventsOfType(user.id, 'account_deactivated');
    expect(audit).toHaveLength(1);
  });
});

describe('account.delete', () => {
  it('refuses a wrong password with UNAUTHORIZED and keeps the account', async () => {
    const user = await signUp();
    const error = await expectError(user.client.account.delete.mutate({ password: WRONG_PASSWORD }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect((await user.client.profile.me.query()).id).toBe(user.id);
    expect((await security.db.rowsReferencing(user.id)).users).toBe(1);
  });

  it('erases the account and its personal data, ends its sessions and frees its username and email', async () => {
    const username = `Leaver_${Date.now().toString(36)}${randomOctet()}`;
    const user = await signUp({ username });
    const friend = await signUp();
    const second = await signIn(user.email, user.password);
    await verifyEmail(user);
    const { recoveryCodes } = await user.client.twoFactor.enableWithPassword.mutate({
      password: user.password,
    });
    for (const code of recoveryCodes) secrets.add(code);
    await user.client.social.follow.mutate({ userId: friend.id });
    await friend.client.social.follow.mutate({ userId: user.id });
    await friend.client.bookmarks.add.mutate({ userId: user.id });
    const before = await security.db.rowsReferencing(user.id);
    expect(before).toMatchObject({
      users: 1,
      sessions: 2,
      recoveryCodes: recoveryCodes.length,
      follows: 2,
      bookmarks: 1,
    });
    expect(before.oneTimeCodes).toBeGreaterThan(0);
    expect(before.auditEvents).toBeGreaterThan(0);

    expect(await user.client.account.delete.mutate({ password: user.password })).toEqual({
      scheduledFor: clock.now(),
    });

    await expectSignedOut(user.token);
    await expectSignedOut(second.token);
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
    const signInAgain = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    expect(signInAgain.code).toBe('UNAUTHORIZED');
    expect((await expectError(friend.client.profile.byId.query({ userId: user.id }))).code).toBe('NOT_FOUND');
    expect((await friend.client.profile.me.query()).stats).toMatchObject({ followers: 0, following: 0 });

    // The username and the address are free again, for anyone.
    const successor = await signUp({ email: user.email.toUpperCase(), username: username.toLowerCase() });
    expect(successor.id).not.toBe(user.id);
    const me = await successor.client.profile.me.query();
    expect(me.userName).toBe(username.toLowerCase());
    expect(me.emailVerified).toBe(false);
    expect(me.twoFactor.enabled).toBe(false);
  });
});

describe('account.securityEvents', () => {
  async function allEvents(api: UserhubClient, limit: number) {
    const items: Awaited<ReturnType<UserhubClient['account']['securityEvents']['query']>>['items'] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api.account.securityEvents.query({
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    return { items, pages };
  }

  // Five codes are sent below (email, phone, 2FA sign-in, sendCode, email change): the whole
  // 10-minute budget of one user, so this flow must not ask for another.
  it('records every security event and pages through them newest first', async () => {
    const user = await signUp();
    const other = await signUp();
    const step = () => clock.advance(SECOND_MS);
    let api = user.client;

    step();
    await expectError(client().auth.signIn.mutate({ login: user.email, password: WRONG_PASSWORD }));
    step();
    const second = await signIn(user.email, user.password);
    step();
    const [secondSession] = (await second.client.auth.sessions.query()).filter((s) => s.current);
    await api.auth.revokeSession.mutate({ sessionId: secondSession!.id });
    step();
    await verifyEmail(user);
    step();
    const phoneNumber = newPhoneNumber();
    const phone = await api.account.requestPhoneVerification.mutate({ phoneNumber });
    secrets.add(phone.tempToken);
    await api.account.verifyPhone.mutate({
      tempToken: phone.tempToken,
      code: security.sms.latestCodeTo(phoneNumber),
    });
    step();
    for (const code of (await api.twoFactor.enableWithPassword.mutate({ password: user.password }))
      .recoveryCodes) {
      secrets.add(code);
    }
    step();
    const challenge = await client().auth.signIn.mutate({ login: user.email, password: user.password });
    if (challenge.status !== 'two_factor_required') throw new Error('expected a challenge');
    secrets.add(challenge.challengeToken);
    const signInCode = security.mail.latestCodeTo(user.email);
    await expectError(
      client().auth.completeTwoFactor.mutate({
        challengeToken: challenge.challengeToken,
        code: signInCode === '000000' ? '111111' : '000000',
      }),
    );
    step();
    const completed = await client().auth.completeTwoFactor.mutate({
      challengeToken: challenge.challengeToken,
      code: signInCode,
    });
    secrets.add(completed.token);
    step();
    await api.twoFactor.sendCode.mutate({ password: user.password });
    const regenerated = await api.twoFactor.regenerateRecoveryCodes.mutate({
      code: security.mail.latestCodeTo(user.email),
    });
    for (const code of regenerated.recoveryCodes) secrets.add(code);
    step();
    await api.twoFactor.disableWithPassword.mutate({ password: user.password });
    step();
    const newUserName = `renamed_${Date.now().toString(36)}${randomOctet()}`;
    await api.account.changeUsername.mutate({ username: newUserName });
    step();
    api = (await signIn(newUserName, user.password)).client;
    step();
    const newEmail = uniqueUser().email;
    const change = await api.account.requestEmailChange.mutate({ newEmail, password: user.password });
    secrets.add(change.tempToken);
    await api.account.confirmEmailChange.mutate({
      tempToken: change.tempToken,
      code: security.mail.latestCodeTo(newEmail),
    });
    step();
    const newPassword = 'Fresh-Harbor-42-Lantern';
    secrets.add(newPassword);
    await api.account.changePassword.mutate({
      currentPassword: user.password,
      newPassword,
      confirmPassword: newPassword,
    });
    step();
    api = (await signIn(newEmail, newPassword)).client;
    step();
    const spare = await signIn(newEmail, newPassword);
    step();
    await spare.client.auth.signOut.mutate();
    step();
    await api.auth.signOutEverywhere.mutate();
    step();
    api = (await signIn(newEmail, newPassword)).client;

    const { items, pages } = await allEvents(api, 4);
    expect(pages).toBeGreaterThan(1);
    const types = items.map((e) => e.type);
    // Newest first; sign-up and its first sign-in share a timestamp, so their order is free.
    expect(types.slice(0, -2)).toEqual([
      'sign_in',
      'sessions_revoked_all',
      'sign_out',
      'sign_in',
      'sign_in',
      'password_changed',
      'email_changed',
      'sign_in',
      'username_changed',
      'two_factor_disabled',
      'recovery_codes_regenerated',
      'sign_in',
      'two_factor_challenge_failed',
      'two_factor_enabled',
      'phone_verified',
      'email_verified',
      'session_revoked',
      'sign_in',
      'sign_in_failed',
    ]);
    expect(types.slice(-2).sort()).toEqual(['sign_in', 'sign_up']);
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
    for (let i = 1; i < items.length; i++) {
      expect(items[i]!.createdAt.getTime()).toBeLessThanOrEqual(items[i - 1]!.createdAt.getTime());
    }
    expect(items.every((e) => e.ip === fileIp)).toBe(true);
    expect(items.find((e) => e.type === 'username_changed')!.details).toMatchObject({ to: newUserName });

    // Everyone reads only their own log.
    const ids = new Set(items.map((e) => e.id));
    const theirs = await allEvents(other.client, 50);
    expect(theirs.items.map((e) => e.type).sort()).toEqual(['sign_in', 'sign_up']);
    expect(theirs.items.some((e) => ids.has(e.id))).toBe(false);

    const badCursor = await expectError(
      api.account.securityEvents.query({ cursor: 'not-a-cursor', limit: 4 }),
    );
    expect(badCursor.code).toBe('BAD_REQUEST');
    expect((await expectError(client().account.securityEvents.query({ limit: 4 }))).code).toBe(
      'UNAUTHORIZED',
    );
  });
});

describe('log hygiene', () => {
  it('no log line or error message of this file carries a code, token or password', () => {
    expectNoSecretsLeaked({ codesSentMoreThan: 3 });
  });
});
