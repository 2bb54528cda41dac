import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import {
  MAX_CODE_ATTEMPTS,
  MAX_OPEN_CHALLENGES,
  normalizeRecoveryCode,
  OTP_TTL_MS,
  randomIp,
  SECOND_MS,
  SIGN_IN_FAILURES_PER_LOGIN,
  SIGN_IN_WINDOW_SECONDS,
  TOTP_PERIOD_SECONDS,
  totpCodeAt,
  type SignedUpUser as User,
  useTestServer,
  wrongCode,
} from './harness.js';

/**
 * Two-factor authentication (SPEC §3, §7): setup by email or TOTP, recovery codes, the
 * sign-in challenge, replay protection, lockout, and turning it off again.
 */

const STEP_MS = TOTP_PERIOD_SECONDS * SECOND_MS;
const security = useTestServer({ clock: true, mail: true, sms: true, ownAddress: true });
const { clock, fileIp, secrets, client, expectError, remember, expectNoSecretsLeaked } = security;
const { signUp } = security.users;

/** The authenticator app: the code for the fake clock's time, `steps` periods away. */
function totp(secret: string, steps = 0): string {
  const code = totpCodeAt(
    decodeBase32IgnorePadding(secret),
    new Date(clock.now().getTime() + steps * STEP_MS),
  );
  secrets.add(code);
  return code;
}

async function withTotp() {
  const user = await signUp();
  const setup = await user.client.twoFactor.initiate.mutate({ method: 'totp' });
  if (setup.secret === null || setup.otpauthUri === null) throw new Error('expected a TOTP secret');
  secrets.add(setup.secret);
  secrets.add(setup.otpauthUri);
  const activationCode = totp(setup.secret);
  const { recoveryCodes } = await user.client.twoFactor.activate.mutate({ code: activationCode });
  return { ...user, secret: setup.secret, activationCode, recoveryCodes: remember(recoveryCodes) };
}

async function withEmailTwoFactor() {
  const user = await signUp();
  const { recoveryCodes } = await user.client.twoFactor.enableWithPassword.mutate({
    password: user.password,
  });
  return { ...user, recoveryCodes: remember(recoveryCodes) };
}

/** Signs in with the password, expecting the challenge. */
async function challengeFor(user: User, ip = fileIp) {
  const result = await client(undefined, ip).auth.signIn.mutate({
    login: user.email,
    password: user.password,
  });
  if (result.status !== 'two_factor_required') throw new Error(`expected a challenge, got ${result.status}`);
  secrets.add(result.challengeToken);
  return result;
}

async function complete(challengeToken: string, code: string, ip = fileIp) {
  const result = await client(undefined, ip).auth.completeTwoFactor.mutate({ challengeToken, code });
  secrets.add(result.token);
  return result;
}

async function twoFactorOf(user: User) {
  return (await user.client.profile.me.query()).twoFactor;
}

describe('setting up two-factor', () => {
  it('email: initiate mails a code; activate with it turns 2FA on and returns single-use recovery codes', async () => {
    const user = await signUp();
    expect(await user.client.twoFactor.initiate.mutate({ method: 'email' })).toEqual({
      method: 'email',
      secret: null,
      otpauthUri: null,
    });
    const mails = security.mail.messagesTo(user.email);
    expect(mails.map((m) => m.subject)).toEqual(['Your userhub two-step verification code']);
    expect(await twoFactorOf(user)).toEqual({ enabled: false, method: null });

    const { recoveryCodes } = await user.client.twoFactor.activate.mutate({
      code: security.mail.latestCodeTo(user.email),
    });
    remember(recoveryCodes);
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
    expect(new Set(recoveryCodes.map(normalizeRecoveryCode)).size).toBe(recoveryCodes.length);
    expect(await twoFactorOf(user)).toEqual({ enabled: true, method: 'email' });
    expect(security.mail.messagesTo(user.email).at(-1)!.subject).toBe(
      'Two-step verification was turned on for your userhub account',
    );

    // Stored hashed only.
    const stored = JSON.stringify(await security.db.storedRecoveryCodes(user.id));
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(normalizeRecoveryCode(code));
    }
  });

  it('totp: initiate answers the secret and an otpauth:// URI; activate takes the current code', async () => {
    const user = await signUp();
    const setup = await user.client.twoFactor.initiate.mutate({ method: 'totp' });
    expect(setup.method).toBe('totp');
    const secret = setup.secret!;
    secrets.add(secret);
    secrets.add(setup.otpauthUri!);
    expect(secret).toMatch(/^[A-Z2-7]+$/);
    expect(decodeBase32IgnorePadding(secret)).toHaveLength(20);
    const uri = new URL(setup.otpauthUri!);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/userhub:${user.email}`);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('userhub');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');

    // Pending until activated: sign-in still needs no second factor.
    expect(await twoFactorOf(user)).toEqual({ enabled: false, method: null });
    expect((await client().auth.signIn.mutate({ login: user.email, password: user.password })).status).toBe(
      'signed_in',
    );

    const { recoveryCodes } = await user.client.twoFactor.activate.mutate({ code: totp(secret) });
    remember(recoveryCodes);
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
    expect(await twoFactorOf(user)).toEqual({ enabled: true, method: 'totp' });

    // The key is encrypted at rest.
    const storedKey = await security.db.storedTotpSecret(user.id);
    expect(storedKey).toBeTruthy();
    expect(storedKey).not.toContain(secret);
    expect(storedKey).not.toContain(secret.toLowerCase());
  });

  it('refuses a wrong activation code, activation before initiate, and a second setup', async () => {
    const user = await signUp();
    const early = await expectError(user.client.twoFactor.activate.mutate({ code: '123456' }));
    expect(early.code).toBe('BAD_REQUEST');
    expect(early.reason).toBe('TWO_FACTOR_NOT_INITIATED');

    const { secret } = await user.client.twoFactor.initiate.mutate({ method: 'totp' });
    secrets.add(secret!);
    const wrong = await expectError(
      user.client.twoFactor.activate.mutate({
        code: wrongCode(totp(secret!, -1), totp(secret!), totp(secret!, 1)),
      }),
    );
    expect(wrong.code).toBe('BAD_REQUEST');
    expect(wrong.reason).toBe('INVALID_CODE');
    expect(await twoFactorOf(user)).toEqual({ enabled: false, method: null });

    remember((await user.client.twoFactor.activate.mutate({ code: totp(secret!) })).recoveryCodes);
    const again = await expectError(user.client.twoFactor.initiate.mutate({ method: 'email' }));
    expect(again.code).toBe('BAD_REQUEST');
    expect(again.reason).toBe('TWO_FACTOR_ALREADY_ENABLED');
  });
});

describe('signing in with two-factor', () => {
  it('answers a challenge and no session; the challenge grants nothing but completeTwoFactor, which issues a new token', async () => {
    const user = await withTotp();
    const challenge = await challengeFor(user);
    expect(Object.keys(challenge).sort()).toEqual(['challengeToken', 'method', 'status']);
    expect(challenge.method).toBe('totp');
    expect(await user.client.auth.sessions.query()).toHaveLength(1);

    const asSession = client(challenge.challengeToken);
    // Each call starts only when awaited, so no rejection waits unobserved.
    for (const call of [
      () => asSession.profile.me.query(),
      () => asSession.auth.sessions.query(),
      () => asSession.account.securityInfo.query(),
      () => asSession.twoFactor.disableWithPassword.mutate({ password: user.password }),
    ]) {
      expect((await expectError(call())).code).toBe('UNAUTHORIZED');
    }

    clock.advance(STEP_MS);
    const { token, user: profile } = await complete(challenge.challengeToken, totp(user.secret));
    expect(profile.id).toBe(user.id);
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(new Set([token, challenge.challengeToken, user.token]).size).toBe(3);
    expect((await client(token).profile.me.query()).id).toBe(user.id);
    expect(await user.client.auth.sessions.query()).toHaveLength(2);

    // The challenge is spent.
    clock.advance(STEP_MS);
    const reuse = await expectError(complete(challenge.challengeToken, totp(user.secret)));
    expect(reuse.code).toBe('UNAUTHORIZED');
  });

  it('accepts a TOTP code once: the activation code and a code already used are refused', async () => {
    const user = await withTotp();
    const replayActivation = await expectError(
      complete((await challengeFor(user)).challengeToken, user.activationCode),
    );
    expect(replayActivation.code).toBe('BAD_REQUEST');
    expect(replayActivation.reason).toBe('INVALID_CODE');

    clock.advance(STEP_MS);
    const code = totp(user.secret);
    await complete((await challengeFor(user)).challengeToken, code);
    const replay = await expectError(complete((await challengeFor(user)).challengeToken, code));
    expect(replay.reason).toBe('INVALID_CODE');

    clock.advance(STEP_MS);
    expect((await complete((await challengeFor(user)).challengeToken, totp(user.secret))).user.id).toBe(
      user.id,
    );
  });

  it('accepts a code one step either side of now (RFC 6238 drift), not two', async () => {
    const user = await withTotp();
    clock.advance(3 * STEP_MS);
    const { challengeToken } = await challengeFor(user);
    for (const steps of [-2, 2]) {
      const error = await expectError(complete(challengeToken, totp(user.secret, steps)));
      expect(error.reason).toBe('INVALID_CODE');
    }
    expect((await complete(challengeToken, totp(user.secret, -1))).user.id).toBe(user.id);
    expect((await complete((await challengeFor(user)).challengeToken, totp(user.secret, 1))).user.id).toBe(
      user.id,
    );
  });

  it('accepts each recovery code once, however it is typed', async () => {
    const user = await withTotp();
    const [first, second] = user.recoveryCodes;
    expect((await complete((await challengeFor(user)).challengeToken, first!)).user.id).toBe(user.id);
    const reuse = await expectError(complete((await challengeFor(user)).challengeToken, first!));
    expect(reuse.code).toBe('BAD_REQUEST');
    expect(reuse.reason).toBe('INVALID_CODE');

    const typed = normalizeRecoveryCode(second!).toUpperCase();
    expect((await complete((await challengeFor(user)).challengeToken, typed)).user.id).toBe(user.id);
    expect((await expectError(complete((await challengeFor(user)).challengeToken, second!))).reason).toBe(
      'INVALID_CODE',
    );
  });

  it('ends a challenge after five wrong codes: the right code is then refused', async () => {
    const user = await withTotp();
    clock.advance(STEP_MS);
    const { challengeToken } = await challengeFor(user);
    const right = totp(user.secret);
    const wrong = wrongCode(totp(user.secret, -1), right, totp(user.secret, 1));
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      expect((await expectError(complete(challengeToken, wrong))).reason).toBe('INVALID_CODE');
    }
    const error = await expectError(complete(challengeToken, right));
    expect(error.code).toBe('UNAUTHORIZED');
    // Nothing was used up: the same code still works on a fresh challenge.
    expect((await complete((await challengeFor(user)).challengeToken, right)).user.id).toBe(user.id);
  });

  it('counts wrong codes toward the account lockout, across challenges', async () => {
    const user = await withTotp();
    const ip = randomIp();
    clock.advance(STEP_MS);
    const wrong = wrongCode(totp(user.secret, -1), totp(user.secret), totp(user.secret, 1));
    for (let round = 0; round < SIGN_IN_FAILURES_PER_LOGIN / MAX_CODE_ATTEMPTS; round++) {
      const { challengeToken } = await challengeFor(user, ip);
      for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) await expectError(complete(challengeToken, wrong, ip));
    }
    // The right password no longer opens a new challenge: the account waits.
    const locked = await expectError(
      client(undefined, randomIp()).auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    expect(locked.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.retryAfter).toBeGreaterThan(0);
    expect(locked.retryAfter).toBeLessThanOrEqual(SIGN_IN_WINDOW_SECONDS);
  });

  it('email method: sign-in mails a code that completes it', async () => {
    const user = await withEmailTwoFactor();
    const challenge = await challengeFor(user);
    expect(challenge.method).toBe('email');
    const mail = security.mail.messagesTo(user.email).at(-1)!;
    expect(mail.subject).toBe('Your userhub sign-in code');
    const code = security.mail.latestCodeTo(user.email);
    const { token } = await complete(challenge.challengeToken, code);
    expect((await client(token).profile.me.query()).id).toBe(user.id);
    expect((await expectError(complete((await challengeFor(user)).challengeToken, code))).reason).toBe(
      'INVALID_CODE',
    );
  });

  it('lets a challenge expire after 10 minutes (fake clock)', async () => {
    const user = await withTotp();
    const { challengeToken } = await challengeFor(user);
    clock.advance(OTP_TTL_MS);
    const error = await expectError(complete(challengeToken, totp(user.secret)));
    expect(error.code).toBe('UNAUTHORIZED');
  });
});

describe('second-factor guesses stay within the throttles', () => {
  it('keeps at most five challenges open per account: a sixth retires the oldest', async () => {
    const user = await withTotp();
    clock.advance(STEP_MS);
    const ip = randomIp();
    const opened = [];
    for (let i = 0; i <= MAX_OPEN_CHALLENGES; i++) opened.push((await challengeFor(user, ip)).challengeToken);
    const oldest = await expectError(complete(opened[0]!, totp(user.secret), ip));
    expect(oldest.code).toBe('UNAUTHORIZED');
    expect((await complete(opened.at(-1)!, totp(user.secret), ip)).user.id).toBe(user.id);
  });

  it('counts every wrong code against the account: past the limit even the right code is 429, and so is sign-in', async () => {
    const user = await withTotp();
    clock.advance(STEP_MS);
    const right = totp(user.secret);
    const wrong = wrongCode(totp(user.secret, -1), right, totp(user.secret, 1));
    const challenges = [];
    for (let i = 0; i < 3; i++) challenges.push((await challengeFor(user, randomIp())).challengeToken);
    let checked = 0;
    for (const challengeToken of challenges.slice(0, 2)) {
      for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
        const error = await expectError(complete(challengeToken, wrong, randomIp()));
        if (error.reason === 'INVALID_CODE') checked += 1;
      }
    }
    expect(checked).toBe(SIGN_IN_FAILURES_PER_LOGIN);
    // The third challenge is untouched, yet the account has had its guesses.
    const limited = await expectError(complete(challenges[2]!, right, randomIp()));
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.retryAfter).toBeGreaterThan(0);
    const signIn = await expectError(
      client(undefined, randomIp()).auth.signIn.mutate({ login: user.userName, password: user.password }),
    );
    expect(signIn.code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('turning two-factor off and managing recovery codes', () => {
  it('deactivate takes a current code, turns 2FA off and mails a notice; sign-in is then direct', async () => {
    const user = await withTotp();
    clock.advance(STEP_MS);
    const right = totp(user.secret);
    const wrong = await expectError(
      user.client.twoFactor.deactivate.mutate({
        code: wrongCode(totp(user.secret, -1), right, totp(user.secret, 1)),
      }),
    );
    expect(wrong.code).toBe('BAD_REQUEST');
    expect((await twoFactorOf(user)).enabled).toBe(true);

    expect(await user.client.twoFactor.deactivate.mutate({ code: right })).toEqual({ success: true });
    expect(await twoFactorOf(user)).toEqual({ enabled: false, method: null });
    expect(security.mail.messagesTo(user.email).at(-1)!.subject).toBe(
      'Two-step verification was turned off for your userhub account',
    );
    expect((await client().auth.signIn.mutate({ login: user.email, password: user.password })).status).toBe(
      'signed_in',
    );
    const notEnabled = await expectError(
      user.client.twoFactor.deactivate.mutate({ code: totp(user.secret) }),
    );
    expect(notEnabled.reason).toBe('TWO_FACTOR_NOT_ENABLED');
  });

  it('sendCode needs the password and mails a code that deactivates email 2FA', async () => {
    const user = await withEmailTwoFactor();
    const mailsBefore = security.mail.messagesTo(user.email).length;
    const wrong = await expectError(
      user.client.twoFactor.sendCode.mutate({ password: 'Not-The-Password-1' }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(security.mail.messagesTo(user.email)).toHaveLength(mailsBefore);

    const { expiresAt } = await user.client.twoFactor.sendCode.mutate({ password: user.password });
    expect(expiresAt).toEqual(new Date(clock.now().getTime() + OTP_TTL_MS));
    expect(security.mail.messagesTo(user.email).at(-1)!.subject).toBe(
      'Your userhub two-step verification code',
    );
    await user.client.twoFactor.deactivate.mutate({ code: security.mail.latestCodeTo(user.email) });
    expect(await twoFactorOf(user)).toEqual({ enabled: false, method: null });
  });

  it('enableWithPassword / disableWithPassword use the email method; enabling twice is BAD_REQUEST', async () => {
    const user = await signUp();
    const wrong = await expectError(
      user.client.twoFactor.enableWithPassword.mutate({ password: 'Not-The-Password-1' }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect((await twoFactorOf(user)).enabled).toBe(false);

    const { recoveryCodes } = await user.client.twoFactor.enableWithPassword.mutate({
      password: user.password,
    });
    remember(recoveryCodes);
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
    expect(await twoFactorOf(user)).toEqual({ enabled: true, method: 'email' });
    const twice = await expectError(
      user.client.twoFactor.enableWithPassword.mutate({ password: user.password }),
    );
    expect(twice.code).toBe('BAD_REQUEST');
    expect(twice.reason).toBe('TWO_FACTOR_ALREADY_ENABLED');

    const wrongOff = await expectError(
      user.client.twoFactor.disableWithPassword.mutate({ password: 'Not-The-Password-1' }),
    );
    expect(wrongOff.code).toBe('UNAUTHORIZED');
    expect((await twoFactorOf(user)).enabled).toBe(true);
    expect(await user.client.twoFactor.disableWithPassword.mutate({ password: user.password })).toEqual({
      success: true,
    });
    expect(await twoFactorOf(user)).toEqual({ enabled: false, method: null });
    const off = await expectError(
      user.client.twoFactor.disableWithPassword.mutate({ password: user.password }),
    );
    expect(off.code).toBe('BAD_REQUEST');
    expect(off.reason).toBe('TWO_FACTOR_NOT_ENABLED');
  });

  it('regenerateRecoveryCodes replaces every code: the old ones stop working, the new ones work', async () => {
    const user = await withTotp();
    clock.advance(STEP_MS);
    const { recoveryCodes } = await user.client.twoFactor.regenerateRecoveryCodes.mutate({
      code: totp(user.secret),
    });
    remember(recoveryCodes);
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
    expect(recoveryCodes.filter((c) => user.recoveryCodes.includes(c))).toEqual([]);

    const old = await expectError(
      complete((await challengeFor(user)).challengeToken, user.recoveryCodes[0]!),
    );
    expect(old.reason).toBe('INVALID_CODE');
    expect((await complete((await challengeFor(user)).challengeToken, recoveryCodes[0]!)).user.id).toBe(
      user.id,
    );

    const wrong = await expectError(user.client.twoFactor.regenerateRecoveryCodes.mutate({ code: '000000' }));
    expect(wrong.code).toBe('BAD_REQUEST');
  });

  it('a new authenticator can be set up right after two-factor was turned off', async () => {
    const user = await withTotp();
    clock.advance(STEP_MS);
    await user.client.twoFactor.deactivate.mutate({ code: totp(user.secret) });

    const { secret } = await user.client.twoFactor.initiate.mutate({ method: 'totp' });
    secrets.add(secret!);
    // Same 30-second step as the old key's last code: the new key's code must still work.
    remember((await user.client.twoFactor.activate.mutate({ code: totp(secret!) })).recoveryCodes);
    expect(await twoFactorOf(user)).toEqual({ enabled: true, method: 'totp' });
  });
});

describe('log hygiene', () => {
  it('no log line or error message of this file carries a code, token, key or password', () => {
    expectNoSecretsLeaked({ codesSentMoreThan: 3 });
  });
});
