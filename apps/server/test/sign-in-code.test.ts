import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import {
  MAX_CODE_ATTEMPTS,
  OTP_SENDS_PER_WINDOW,
  OTP_TTL_MS,
  SECOND_MS,
  totpCodeAt,
  type SignedUpUser as User,
  useTestServer,
} from './harness.js';

/**
 * Sign-in with an emailed code (SPEC §9): 6 digits, 10 minutes, single use, 5 wrong tries, the
 * OTP send limit, no way around two-factor and no account enumeration. Real SMTP, fake security.clock.
 */

const security = useTestServer({ clock: true, mail: true, sms: true, ownAddress: true });
const { secrets } = security;
const { client, expectError, users, remember, expectNoSecretsLeaked } = security;

const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

/** Asks for a code and reads it from the mailbox once it has arrived (the request does not wait for SMTP). */
async function requestCode(user: { email: string }) {
  const before = security.mail.messagesTo(user.email).length;
  const answer = await client().auth.requestSignInCode.mutate({ email: user.email });
  secrets.add(answer.tempToken);
  const mail = await security.mail.waitForMessageTo(user.email, before + 1);
  return { ...answer, code: security.mail.latestCodeTo(user.email), mail };
}

async function signInWith(tempToken: string, code: string) {
  const result = await client().auth.signInWithCode.mutate({ tempToken, code });
  if (result.status === 'signed_in') secrets.add(result.token);
  else secrets.add(result.challengeToken);
  return result;
}

async function eventsOf(user: User) {
  return (await user.client.account.securityEvents.query({ limit: 50 })).items;
}

describe('requesting a sign-in code', () => {
  it('mails a 6-digit code and answers an opaque tempToken valid for 10 minutes', async () => {
    const user = await users.signUp();
    const { code, tempToken, expiresAt, mail } = await requestCode(user);
    expect(code).toMatch(/^\d{6}$/);
    expect(tempToken).toMatch(/^[a-z2-7]{32}$/);
    expect(expiresAt).toEqual(new Date(security.clock.now().getTime() + OTP_TTL_MS));
    expect(mail.subject).toBe('Your userhub sign-in code');
    expect(mail.text).toContain('without your password');
    expect(mail.text).toContain('expires in 10 minutes');
  });

  it('answers an unknown address with the same shape, and neither answer waits for the SMTP server', async () => {
    const user = await users.signUp();
    const unknown = `nobody-${Date.now().toString(36)}@example.com`;
    const release = security.mail.hold();
    let known: { tempToken: string; expiresAt: Date };
    let stranger: { tempToken: string; expiresAt: Date };
    try {
      known = await client().auth.requestSignInCode.mutate({ email: user.email });
      stranger = await client().auth.requestSignInCode.mutate({ email: unknown });
      expect(security.mail.messagesTo(user.email)).toHaveLength(0);
    } finally {
      release();
    }
    secrets.add(known.tempToken);
    secrets.add(stranger.tempToken);
    expect(Object.keys(stranger).sort()).toEqual(Object.keys(known).sort());
    expect(stranger.tempToken).toMatch(/^[a-z2-7]{32}$/);
    expect(stranger.expiresAt).toEqual(known.expiresAt);
    await security.mail.waitForMessageTo(user.email, 1);
    expect(security.mail.messagesTo(unknown)).toHaveLength(0);

    // The stranger's tempToken names no code: no guess can ever succeed.
    const guess = await expectError(
      client().auth.signInWithCode.mutate({ tempToken: stranger.tempToken, code: '123456' }),
    );
    expect(guess.reason).toBe('INVALID_CODE');
  });

  it(`allows ${OTP_SENDS_PER_WINDOW} sends in 10 minutes, then 429 with retryAfter, for known and unknown addresses alike`, async () => {
    const user = await users.signUp();
    const unknown = `nobody-${Date.now().toString(36)}x@example.com`;
    for (const email of [user.email, unknown]) {
      for (let i = 0; i < OTP_SENDS_PER_WINDOW; i++) {
        secrets.add((await client().auth.requestSignInCode.mutate({ email })).tempToken);
      }
      const limited = await expectError(client().auth.requestSignInCode.mutate({ email }));
      expect(limited.code).toBe('TOO_MANY_REQUESTS');
      expect(limited.reason).toBe('RATE_LIMITED');
      expect(limited.retryAfter).toBeGreaterThan(0);
    }
    await security.mail.waitForMessageTo(user.email, OTP_SENDS_PER_WINDOW);
  });
});

describe('signing in with the code', () => {
  it('answers a fresh session, like auth.signIn, and audits the sign-in with its method', async () => {
    const user = await users.signUp();
    const { code, tempToken } = await requestCode(user);
    const result = await signInWith(tempToken, code);
    if (result.status !== 'signed_in') throw new Error('expected a session');
    expect(result.user.id).toBe(user.id);
    expect(result.token).not.toBe(user.token);
    const signIns = (await eventsOf(user)).filter((e) => e.type === 'sign_in');
    // Sign-up's own sign-in shares the fake clock's instant: look for this one, not at a position.
    expect(signIns.map((e) => e.details)).toContainEqual({ method: 'email_code' });
    expect((await client(result.token).profile.me.query()).id).toBe(user.id);
  });

  it('works once', async () => {
    const user = await users.signUp();
    const { code, tempToken } = await requestCode(user);
    await signInWith(tempToken, code);
    const reuse = await expectError(client().auth.signInWithCode.mutate({ tempToken, code }));
    expect(reuse.reason).toBe('INVALID_CODE');
  });

  it(`dies after ${MAX_CODE_ATTEMPTS} wrong tries, and each is audited`, async () => {
    const user = await users.signUp();
    const { code, tempToken } = await requestCode(user);
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      const wrong = await expectError(
        client().auth.signInWithCode.mutate({ tempToken, code: wrongCodeFor(code) }),
      );
      expect(wrong.reason).toBe('INVALID_CODE');
    }
    const exhausted = await expectError(client().auth.signInWithCode.mutate({ tempToken, code }));
    expect(exhausted.message).toMatch(/Too many wrong codes/);
    const failures = (await eventsOf(user)).filter((e) => e.type === 'sign_in_failed');
    // The five wrong codes and the refused right one.
    expect(failures).toHaveLength(MAX_CODE_ATTEMPTS + 1);
    expect(failures[0]!.details).toEqual({ method: 'email_code' });
  });

  it('expires after 10 minutes on the clock', async () => {
    const user = await users.signUp();
    const { code, tempToken } = await requestCode(user);
    security.clock.advance(OTP_TTL_MS);
    const expired = await expectError(client().auth.signInWithCode.mutate({ tempToken, code }));
    expect(expired.reason).toBe('CODE_EXPIRED');
  });

  it('a deactivated account is refused, and only once the code checked out', async () => {
    const user = await users.signUp();
    const { code, tempToken } = await requestCode(user);
    await user.client.account.deactivate.mutate({ password: user.password });
    const wrong = await expectError(
      client().auth.signInWithCode.mutate({ tempToken, code: wrongCodeFor(code) }),
    );
    expect(wrong.reason).toBe('INVALID_CODE');
    const locked = await expectError(client().auth.signInWithCode.mutate({ tempToken, code }));
    expect(locked.reason).toBe('ACCOUNT_LOCKED');
  });

  it('rejects malformed input with the field and the rule', async () => {
    const bad = await expectError(client().auth.signInWithCode.mutate({ tempToken: '', code: '12ab56' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.fieldErrors.code).toEqual(['Code must be exactly 6 digits']);
    expect(bad.fieldErrors.tempToken).toEqual(['Temp token is required']);
  });
});

describe('two-factor is never bypassed', () => {
  it('totp: the code answers the two_factor_required challenge, completed with the authenticator', async () => {
    const user = await users.signUp();
    const setup = await user.client.twoFactor.initiate.mutate({ method: 'totp' });
    secrets.add(setup.secret!);
    secrets.add(setup.otpauthUri!);
    const key = decodeBase32IgnorePadding(setup.secret!);
    const activation = totpCodeAt(key, security.clock.now());
    secrets.add(activation);
    remember((await user.client.twoFactor.activate.mutate({ code: activation })).recoveryCodes);
    security.clock.advance(30 * SECOND_MS);

    const { code, tempToken } = await requestCode(user);
    const result = await signInWith(tempToken, code);
    expect(result.status).toBe('two_factor_required');
    if (result.status !== 'two_factor_required') return;
    expect(result.method).toBe('totp');
    expect(result).not.toHaveProperty('token');
    const second = totpCodeAt(key, security.clock.now());
    secrets.add(second);
    const done = await client().auth.completeTwoFactor.mutate({
      challengeToken: result.challengeToken,
      code: second,
    });
    secrets.add(done.token);
    expect(done.user.id).toBe(user.id);
  });

  it('email method: a second, separate code is mailed, and the sign-in code does not count as it', async () => {
    const user = await users.signUp();
    remember(
      (await user.client.twoFactor.enableWithPassword.mutate({ password: user.password })).recoveryCodes,
    );
    const { code, tempToken } = await requestCode(user);
    const result = await signInWith(tempToken, code);
    if (result.status !== 'two_factor_required') throw new Error('expected a challenge');
    expect(result.method).toBe('email');
    const secondMail = security.mail.messagesTo(user.email).at(-1)!;
    expect(secondMail.subject).toBe('Your userhub sign-in code');
    expect(secondMail.text).toContain('finish signing in');
    const secondCode = security.mail.latestCodeTo(user.email);
    expect(secondCode).not.toBe(code);

    const reused = await expectError(
      client().auth.completeTwoFactor.mutate({ challengeToken: result.challengeToken, code }),
    );
    expect(reused.reason).toBe('INVALID_CODE');
    const done = await client().auth.completeTwoFactor.mutate({
      challengeToken: result.challengeToken,
      code: secondCode,
    });
    secrets.add(done.token);
    expect(done.user.id).toBe(user.id);
  });
});

describe('log hygiene', () => {
  it('no code, token or password of this file reached a log line or an error message', () => {
    expect(security.logLines.length).toBeGreaterThan(0);
    expectNoSecretsLeaked({ codesSentMoreThan: 3 });
  });
});
