import { describe, expect, it } from 'vitest';
import { DAY_MS, SECOND_MS, type SignedUpUser, useTestServer } from './harness.js';
import type { CaughtMail } from './mail-catcher.js';

/**
 * "This wasn't me" (SPEC §9): every security notice carries a one-time link; following it
 * ends every session, undoes the email change it announced, shuts sign-in until a password
 * reset and mails the reset link. Driven through real SMTP: the links are read from the mails.
 */

const PUBLIC_URL = 'http://localhost:5173';
const security = useTestServer({ clock: true, mail: true, ownAddress: true, env: { PUBLIC_URL } });
const { clock, client, expectError, expectSignedOut, secrets } = security;
const { signUp, signIn } = security.users;
const NEW_PASSWORD = 'Owner-Takes-It-Back-77';
secrets.add(NEW_PASSWORD);

function linkIn(message: CaughtMail, path: '/not-me' | '/reset-password'): string {
  const match = new RegExp(`${PUBLIC_URL}${path}\\?token=([A-Za-z0-9_-]+)`).exec(message.text);
  if (match === null) throw new Error(`no ${path} link in "${message.subject}"`);
  secrets.add(match[1]!);
  return match[1]!;
}

/** The newest mail to `address` once `count` have arrived. */
async function mailNumber(address: string, count: number): Promise<CaughtMail> {
  await security.mail.waitForMessageTo(address, count);
  return security.mail.messagesTo(address)[count - 1]!;
}

async function changeEmail(api: SignedUpUser['client'], password: string, newEmail: string) {
  const { tempToken } = await api.account.requestEmailChange.mutate({ newEmail, password });
  secrets.add(tempToken);
  await security.mail.waitForMessageTo(newEmail, 1);
  return api.account.confirmEmailChange.mutate({ tempToken, code: security.mail.latestCodeTo(newEmail) });
}

describe('auth.reportNotMe', () => {
  it('undoes a hijack by email change: the attacker is signed out, the old address is back, the owner resets and signs in', async () => {
    const owner = await signUp();
    await security.users.verifyEmail(owner);
    const ownerMails = security.mail.messagesTo(owner.email).length;

    // Someone with the password signs in elsewhere and moves the account to their own address.
    const attacker = await signIn(owner.email, owner.password);
    const attackerEmail = `thief-${owner.email}`;
    await changeEmail(attacker.client, owner.password, attackerEmail);
    expect((await attacker.client.profile.me.query()).email).toBe(attackerEmail);

    // The notice went to the old address, with the link.
    const notice = await mailNumber(owner.email, ownerMails + 1);
    expect(notice.subject).toBe('Your userhub email address was changed');
    const token = linkIn(notice, '/not-me');
    expect(token.length).toBeGreaterThanOrEqual(32); // base32: 160 bits
    expect(notice.html).toContain(`${PUBLIC_URL}/not-me?token=${token}`);

    clock.advance(SECOND_MS);
    expect(await client().auth.reportNotMe.mutate({ token })).toEqual({ locked: true });

    await expectSignedOut(attacker.token);
    await expectSignedOut(owner.token);
    // The old address is the account's again; the attacker's address signs nobody in.
    const viaAttacker = await expectError(
      client().auth.signIn.mutate({ login: attackerEmail, password: owner.password }),
    );
    expect(viaAttacker.code).toBe('UNAUTHORIZED');
    // Even the right password is refused until a reset, with an answer saying what to do.
    const shut = await expectError(
      client().auth.signIn.mutate({ login: owner.email, password: owner.password }),
    );
    expect(shut.reason).toBe('PASSWORD_RESET_REQUIRED');
    expect(shut.message).toMatch(/reset your password/);
    const overRest = await security.users.signInOverRest('classic', owner.email, owner.password);
    expect(overRest.status).toBe(423);

    // The reset link arrives at the restored address.
    const resetMail = await mailNumber(owner.email, ownerMails + 2);
    expect(resetMail.subject).toBe('Reset your userhub password');
    expect(security.mail.messagesTo(attackerEmail).some((m) => m.text.includes('/reset-password'))).toBe(
      false,
    );
    const reset = await client().auth.resetPassword.mutate({
      token: linkIn(resetMail, '/reset-password'),
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(reset.user.email).toBe(owner.email);
    expect(reset.user.emailVerified).toBe(true);

    const back = await signIn(owner.email, NEW_PASSWORD);
    expect((await back.client.profile.me.query()).id).toBe(owner.id);
    await expectSignedOut(attacker.token);
    expect(await security.db.auditEventsOfType(owner.id, 'reported_not_me')).toHaveLength(1);

    // The link worked once.
    const again = await expectError(client().auth.reportNotMe.mutate({ token }));
    expect(again.reason).toBe('INVALID_TOKEN');
  });

  it('puts the link in every security notice; a link lives 7 days', async () => {
    const user = await signUp();
    let count = security.mail.messagesTo(user.email).length;
    const tokens: string[] = [];
    const next = async (subject: RegExp) => {
      count += 1;
      const message = await mailNumber(user.email, count);
      expect(message.subject).toMatch(subject);
      tokens.push(linkIn(message, '/not-me'));
    };

    await user.client.account.changeUsername.mutate({ username: `renamed_${user.userName}`.slice(0, 30) });
    await next(/username was changed/);
    const session = await signIn(user.email, user.password);
    await session.client.twoFactor.enableWithPassword
      .mutate({ password: user.password })
      .then((answer) => security.remember(answer.recoveryCodes));
    await next(/Two-step verification was turned on/);
    await session.client.twoFactor.disableWithPassword.mutate({ password: user.password });
    await next(/Two-step verification was turned off/);
    await session.client.account.changePassword.mutate({
      currentPassword: user.password,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    await next(/password was changed/);
    expect(new Set(tokens).size).toBe(tokens.length);

    clock.advance(7 * DAY_MS);
    const expired = await expectError(client().auth.reportNotMe.mutate({ token: tokens[0]! }));
    expect(expired.reason).toBe('INVALID_TOKEN');
    expect(expired.fieldErrors.token).toBeDefined();
  });

  it('keeps every other way in shut too until the reset: an emailed sign-in code, a pending two-factor challenge', async () => {
    const user = await signUp();
    const session = await signIn(user.email, user.password);
    await session.client.twoFactor.enableWithPassword
      .mutate({ password: user.password })
      .then((answer) => security.remember(answer.recoveryCodes));
    const notice = await mailNumber(user.email, security.mail.messagesTo(user.email).length);
    const token = linkIn(notice, '/not-me');
    // A challenge issued before the report must not turn into a session after it.
    const challenge = await client().auth.signIn.mutate({ login: user.email, password: user.password });
    expect(challenge.status).toBe('two_factor_required');
    const challengeCode = security.mail.latestCodeTo(user.email);

    const beforeReport = security.mail.messagesTo(user.email).length;
    await client().auth.reportNotMe.mutate({ token });
    // The reset link is mailed in the background; let it land before the next code is read.
    expect((await mailNumber(user.email, beforeReport + 1)).subject).toBe('Reset your userhub password');

    if (challenge.status !== 'two_factor_required') throw new Error('expected a challenge');
    const completed = await expectError(
      client().auth.completeTwoFactor.mutate({
        challengeToken: challenge.challengeToken,
        code: challengeCode,
      }),
    );
    expect(completed.reason).toBe('PASSWORD_RESET_REQUIRED');

    clock.advance(SECOND_MS);
    const mailed = security.mail.messagesTo(user.email).length;
    const { tempToken } = await client().auth.requestSignInCode.mutate({ email: user.email });
    secrets.add(tempToken);
    await security.mail.waitForMessageTo(user.email, mailed + 1);
    const byCode = await expectError(
      client().auth.signInWithCode.mutate({ tempToken, code: security.mail.latestCodeTo(user.email) }),
    );
    expect(byCode.reason).toBe('PASSWORD_RESET_REQUIRED');
  });

  it('is reachable over REST: POST /api/v1/account/not-me', async () => {
    const user = await signUp();
    const before = security.mail.messagesTo(user.email).length;
    await user.client.account.changePassword.mutate({
      currentPassword: user.password,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    const token = linkIn(await mailNumber(user.email, before + 1), '/not-me');

    const answer = await security.http.rest('POST', '/api/v1/account/not-me', { json: { token } });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ locked: true });
    await expectSignedOut(user.token);
    const shut = await security.users.signInOverRest('profile', user.email, NEW_PASSWORD);
    expect(shut.status).toBe(423);
    expect(shut.body.message).toMatch(/reset your password/);

    const unknown = await security.http.rest('POST', '/api/v1/account/not-me', {
      json: { token: 'x'.repeat(32) },
    });
    expect(unknown.status).toBe(400);
  });
});
