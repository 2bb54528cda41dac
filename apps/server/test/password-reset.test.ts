import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import {
  hashToken,
  MINUTE_MS,
  PASSWORD_RESET_TTL_MS,
  PASSWORD_RESETS_PER_WINDOW,
  SECOND_MS,
  totpCodeAt,
  type SignedUpUser as User,
  useTestServer,
} from './harness.js';
import type { CaughtMail } from './mail-catcher.js';

/**
 * Password reset (SPEC §9): a mailed single-use link, the same answer for every address, the
 * second factor when two-factor is on, and every session ended. Mail goes through a real SMTP
 * server; expiry is moved on the fake security.clock.
 */

const PUBLIC_URL = 'http://localhost:5173';
const security = useTestServer({ clock: true, mail: true, sms: true, ownAddress: true, env: { PUBLIC_URL } });
const { secrets } = security;
const { client, expectError, users, expectSignedOut, remember, expectNoSecretsLeaked } = security;

const NEW_PASSWORD = 'Brand-New-Battery-42';
const LINK_PATTERN = /(\S+\/reset-password\?token=([A-Za-z0-9_-]+))/;

function linkIn(mail: CaughtMail): { url: string; token: string } {
  const match = LINK_PATTERN.exec(mail.text);
  if (match === null) throw new Error(`no reset link in: ${mail.subject}`);
  secrets.add(match[2]!);
  return { url: match[1]!, token: match[2]! };
}

/** Asks for a link and reads it from the mailbox once it has arrived (the request does not wait for SMTP). */
async function requestLink(user: { email: string }) {
  const before = security.mail.messagesTo(user.email).length;
  expect(await client().auth.requestPasswordReset.mutate({ email: user.email })).toEqual({ sent: true });
  return linkIn(await security.mail.waitForMessageTo(user.email, before + 1));
}

function resetWith(token: string, extra: { code?: string; password?: string } = {}) {
  const password = extra.password ?? NEW_PASSWORD;
  secrets.add(password);
  return client().auth.resetPassword.mutate({
    token,
    newPassword: password,
    confirmPassword: password,
    ...(extra.code === undefined ? {} : { code: extra.code }),
  });
}

async function eventTypes(user: User): Promise<string[]> {
  const page = await user.client.account.securityEvents.query({ limit: 50 });
  return page.items.map((item) => item.type);
}

describe('requesting a reset', () => {
  it('mails a single link to <PUBLIC_URL>/reset-password with a 160-bit token that is stored only as its SHA-256', async () => {
    const user = await users.signUp();
    const { url, token } = await requestLink(user);
    expect(url).toBe(`${PUBLIC_URL}/reset-password?token=${token}`);
    // 32 base32 characters = 160 bits, above the 128 SPEC §9 asks for.
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const mail = security.mail.messagesTo(user.email).at(-1)!;
    expect(mail.subject).toBe('Reset your userhub password');
    expect(mail.text).toContain('expires in 30 minutes');
    expect(mail.html).toContain(`href="${url}"`);

    const rows = await security.db.storedPasswordResetTokens(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expiresAt).toEqual(new Date(security.clock.now().getTime() + PASSWORD_RESET_TTL_MS));
    expect(await eventTypes(user)).toContain('password_reset_requested');
  });

  it('answers an unknown address exactly like a known one, and neither answer waits for the SMTP server', async () => {
    const user = await users.signUp();
    const unknown = `nobody-${Date.now().toString(36)}@example.com`;
    const release = security.mail.hold();
    try {
      // The SMTP server is holding every message unanswered: an answer that waited for it would hang here.
      const known = await client().auth.requestPasswordReset.mutate({ email: user.email });
      const stranger = await client().auth.requestPasswordReset.mutate({ email: unknown });
      expect(known).toEqual({ sent: true });
      expect(stranger).toEqual(known);
      expect(security.mail.messagesTo(user.email)).toHaveLength(0);
    } finally {
      release();
    }
    linkIn(await security.mail.waitForMessageTo(user.email, 1));
    expect(security.mail.messagesTo(unknown)).toHaveLength(0);
  });

  it('answers the same over REST, in the profile envelope, for known and unknown addresses', async () => {
    const user = await users.signUp();
    const answers = [];
    for (const email of [user.email, `nobody-${Date.now().toString(36)}@example.com`]) {
      const response = await fetch(`${security.url}/api/v1/account/password/forgot`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      answers.push({ ...body, action_time: undefined });
    }
    expect(answers[0]).toMatchObject({ success: true, httpStatus: 'OK', data: { sent: true } });
    expect(answers[1]).toEqual(answers[0]);
    linkIn(await security.mail.waitForMessageTo(user.email, 1));
  });

  it(`mails at most ${PASSWORD_RESETS_PER_WINDOW} links an hour per account, still answering {sent: true}`, async () => {
    const user = await users.signUp();
    const links = [];
    for (let i = 0; i < PASSWORD_RESETS_PER_WINDOW; i++) links.push(await requestLink(user));
    expect(await client().auth.requestPasswordReset.mutate({ email: user.email })).toEqual({ sent: true });
    // The request over the limit issued nothing: no audit entry, and the last mailed link is still the live one.
    const requested = (await eventTypes(user)).filter((type) => type === 'password_reset_requested');
    expect(requested).toHaveLength(PASSWORD_RESETS_PER_WINDOW);
    expect((await resetWith(links.at(-1)!.token)).user.id).toBe(user.id);
  });

  it('mails nothing for a deactivated account', async () => {
    const user = await users.signUp();
    await user.client.account.deactivate.mutate({ password: user.password });
    expect(await client().auth.requestPasswordReset.mutate({ email: user.email })).toEqual({ sent: true });
    const rows = await security.db.storedPasswordResetTokens(user.id);
    expect(rows).toEqual([]);
  });
});

describe('resetting the password', () => {
  it('sets the new password, ends every session, answers a fresh one, mails a notice and is audited', async () => {
    const user = await users.signUp();
    const other = await users.signIn(user.email, user.password);
    const { token } = await requestLink(user);

    const answer = await resetWith(token);
    secrets.add(answer.token);
    expect(answer.user.id).toBe(user.id);
    expect(answer.user.passwordChangedAt).toEqual(security.clock.now());
    expect(answer.token).not.toBe(user.token);
    await expectSignedOut(user.token);
    await expectSignedOut(other.token);
    const fresh = client(answer.token);
    expect((await fresh.auth.sessions.query()).map((s) => s.current)).toEqual([true]);

    const wrongOld = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    expect(wrongOld.reason).toBe('INVALID_CREDENTIALS');
    expect((await users.signIn(user.email, NEW_PASSWORD)).token).toBeTruthy();

    const notice = security.mail.messagesTo(user.email).at(-1)!;
    expect(notice.subject).toBe('Your userhub password was reset');
    expect(notice.text).not.toContain(token);
    const events = (await fresh.account.securityEvents.query({ limit: 50 })).items.map((e) => e.type);
    expect(events).toContain('password_reset');
    const info = await fresh.account.securityInfo.query();
    expect(info.lastPasswordResetAt).toEqual(security.clock.now());
  });

  it('works once: the same token is refused the second time', async () => {
    const user = await users.signUp();
    const { token } = await requestLink(user);
    await resetWith(token);
    const reuse = await expectError(resetWith(token, { password: 'Another-Battery-77' }));
    expect(reuse.code).toBe('BAD_REQUEST');
    expect(reuse.reason).toBe('INVALID_TOKEN');
    expect(reuse.fieldErrors.token).toEqual(['is invalid, expired or already used']);
    expect((await users.signIn(user.email, NEW_PASSWORD)).token).toBeTruthy();
  });

  it('only the newest token works: asking again kills the earlier link', async () => {
    const user = await users.signUp();
    const first = await requestLink(user);
    const second = await requestLink(user);
    expect(second.token).not.toBe(first.token);
    expect((await expectError(resetWith(first.token))).reason).toBe('INVALID_TOKEN');
    expect((await resetWith(second.token)).user.id).toBe(user.id);
  });

  it('expires after 30 minutes on the clock', async () => {
    const early = await users.signUp();
    const late = await users.signUp();
    const earlyLink = await requestLink(early);
    const lateLink = await requestLink(late);
    security.clock.advance(PASSWORD_RESET_TTL_MS - SECOND_MS);
    expect((await resetWith(earlyLink.token)).user.id).toBe(early.id);
    security.clock.advance(SECOND_MS);
    const expired = await expectError(resetWith(lateLink.token));
    expect(expired.reason).toBe('INVALID_TOKEN');
  });

  it('dies when the password is changed after the link was mailed', async () => {
    const user = await users.signUp();
    const { token } = await requestLink(user);
    security.clock.advance(MINUTE_MS);
    await user.client.account.changePassword.mutate({
      currentPassword: user.password,
      newPassword: 'Changed-Meanwhile-55',
      confirmPassword: 'Changed-Meanwhile-55',
    });
    secrets.add('Changed-Meanwhile-55');
    expect((await expectError(resetWith(token))).reason).toBe('INVALID_TOKEN');
  });

  it('applies the password policy, with the personal-info rule, and keeps the token usable', async () => {
    const user = await users.signUp();
    const { token } = await requestLink(user);
    const weak = await expectError(resetWith(token, { password: 'short' }));
    expect(weak.code).toBe('BAD_REQUEST');
    expect(weak.fieldErrors.newPassword?.length).toBeGreaterThan(0);

    const localPart = user.email.split('@')[0]!;
    const personal = await expectError(resetWith(token, { password: `X-${localPart}-9a` }));
    expect(personal.reason).toBe('VALIDATION_FAILED');
    expect(personal.fieldErrors.newPassword?.join(' ')).toMatch(/email/i);

    const mismatch = await expectError(
      client().auth.resetPassword.mutate({
        token,
        newPassword: NEW_PASSWORD,
        confirmPassword: 'Other-Battery-1',
      }),
    );
    expect(mismatch.fieldErrors.confirmPassword).toEqual(['Passwords do not match']);
    const extraKey = await expectError(
      client().auth.resetPassword.mutate({
        token,
        newPassword: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
        userId: user.id,
      } as never),
    );
    expect(extraKey.fieldErrors.userId).toEqual(['is not a field that can be set here']);
    expect((await resetWith(token)).user.id).toBe(user.id);
  });

  it('over REST: 200 with a fresh session, and a used token is 400 in the profile envelope', async () => {
    const user = await users.signUp();
    const { token } = await requestLink(user);
    const post = (body: unknown) =>
      fetch(`${security.url}/api/v1/account/password/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const body = { token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD };
    const ok = await post(body);
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as { data: { token: string; user: { email: string } } };
    secrets.add(answer.data.token);
    expect(answer.data.user.email).toBe(user.email);
    const again = await post(body);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ success: false, httpStatus: 'BAD_REQUEST' });
  });
});

describe('resetting with two-factor on', () => {
  function totpNow(secret: string): string {
    const code = totpCodeAt(decodeBase32IgnorePadding(secret), security.clock.now());
    secrets.add(code);
    return code;
  }

  async function withTotp() {
    const user = await users.signUp();
    const setup = await user.client.twoFactor.initiate.mutate({ method: 'totp' });
    secrets.add(setup.secret!);
    secrets.add(setup.otpauthUri!);
    const { recoveryCodes } = await user.client.twoFactor.activate.mutate({ code: totpNow(setup.secret!) });
    // The activation code's step is spent; the next code is a period later.
    security.clock.advance(30 * SECOND_MS);
    return { ...user, secret: setup.secret!, recoveryCodes: remember(recoveryCodes) };
  }

  it('totp: without a code the answer is TWO_FACTOR_REQUIRED and the token stays usable; with one it resets', async () => {
    const user = await withTotp();
    const { token } = await requestLink(user);
    const missing = await expectError(resetWith(token));
    expect(missing.code).toBe('FORBIDDEN');
    expect(missing.reason).toBe('TWO_FACTOR_REQUIRED');
    expect(missing.fieldErrors.code).toEqual(['is required because two-factor authentication is on']);

    const wrong = await expectError(
      resetWith(token, { code: totpNow(user.secret) === '000000' ? '111111' : '000000' }),
    );
    expect(wrong.reason).toBe('INVALID_CODE');
    // The password did not change on either refusal.
    const stillOld = await client().auth.signIn.mutate({ login: user.email, password: user.password });
    expect(stillOld.status).toBe('two_factor_required');

    const answer = await resetWith(token, { code: totpNow(user.secret) });
    expect(answer.user.twoFactor).toEqual({ enabled: true, method: 'totp' });
  });

  it('a recovery code works instead, once', async () => {
    const user = await withTotp();
    const first = await requestLink(user);
    await resetWith(first.token, { code: user.recoveryCodes[0]! });
    const second = await requestLink(user);
    const reused = await expectError(
      resetWith(second.token, { code: user.recoveryCodes[0]!, password: 'Third-Battery-33' }),
    );
    expect(reused.reason).toBe('INVALID_CODE');
  });

  it('email method: a refusal without a code mails a separate reset code, which then completes the reset', async () => {
    const user = await users.signUp();
    remember(
      (await user.client.twoFactor.enableWithPassword.mutate({ password: user.password })).recoveryCodes,
    );
    const { token } = await requestLink(user);
    const missing = await expectError(resetWith(token));
    expect(missing.reason).toBe('TWO_FACTOR_REQUIRED');
    const codeMail = security.mail.messagesTo(user.email).at(-1)!;
    expect(codeMail.subject).toBe('Your userhub password reset code');
    const answer = await resetWith(token, { code: security.mail.latestCodeTo(user.email) });
    expect(answer.user.id).toBe(user.id);
  });
});

describe('log hygiene', () => {
  it('no token, code or password of this file reached a log line or an error message', () => {
    expectNoSecretsLeaked({ codesSentMoreThan: 0 });
  });
});
