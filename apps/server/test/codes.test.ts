import { describe, expect, it } from 'vitest';
import {
  MAX_CODE_ATTEMPTS,
  OTP_SEND_WINDOW_SECONDS,
  OTP_SENDS_PER_WINDOW,
  OTP_TTL_MS,
  randomIp,
  randomOctet,
  SECOND_MS,
  SIGN_IN_FAILURES_PER_ADDRESS,
  SIGN_IN_FAILURES_PER_LOGIN,
  type SignedUpUser as User,
  uniqueUser,
  useTestServer,
  wrongCode,
} from './harness.js';

/**
 * One-time code rules (SPEC §3): 6 digits, stored hashed, bound to user + purpose + target,
 * 10 minutes, single use, dead after 5 wrong tries; send and sign-in rate limits in the
 * database; and many parallel submissions of one code.
 */

const security = useTestServer({ clock: true, mail: true, sms: true, ownAddress: true });
const { clock, secrets, client, expectError, expectNoSecretsLeaked } = security;
const { signUp } = security.users;

/** Asks for an email verification code and reads it from the catcher: `{tempToken, code}` to submit. */
async function requestVerification(user: User) {
  const answer = await user.client.account.requestEmailVerification.mutate();
  secrets.add(answer.tempToken);
  return { tempToken: answer.tempToken, code: security.mail.latestCodeTo(user.email), answer };
}

const submission = ({ tempToken, code }: { tempToken: string; code: string }) => ({ tempToken, code });

async function isEmailVerified(user: User): Promise<boolean> {
  return (await user.client.profile.me.query()).emailVerified;
}

describe('one-time codes', () => {
  it('are 6 digits mailed to the account, answered by an opaque tempToken that expires in 10 minutes', async () => {
    const domain = `d${Date.now().toString(36)}${randomOctet()}.example.com`;
    const user = await signUp({ email: `john@${domain}` });
    const { code, tempToken, answer } = await requestVerification(user);

    expect(code).toMatch(/^\d{6}$/);
    expect(answer.email).toBe(`jo***@${domain}`);
    expect(answer.expiresAt).toEqual(new Date(clock.now().getTime() + OTP_TTL_MS));
    // Opaque: random base32, carrying neither the code nor anything about the user.
    expect(tempToken).toMatch(/^[a-z2-7]{32}$/);
    for (const part of [code, user.id, user.email, 'john']) expect(tempToken).not.toContain(part);
    const again = await requestVerification(user);
    expect(again.tempToken).not.toBe(tempToken);

    const mail = security.mail.messagesTo(user.email).at(-1)!;
    expect(mail.subject).toBe('Your userhub verification code');
    expect(mail.text).toContain(again.code);
    expect(mail.text).toContain('expires in 10 minutes');
  });

  it('are stored only as keyed hashes, never in clear', async () => {
    const user = await signUp();
    const { code, tempToken } = await requestVerification(user);
    const rows = await security.db.storedOneTimeCodes(user.id);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(tempToken);
    expect(rows[0]!.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('work once: the same code and tempToken are refused the second time', async () => {
    const user = await signUp();
    const { code, tempToken } = await requestVerification(user);
    const verified = await user.client.account.verifyEmail.mutate({ tempToken, code });
    expect(verified.emailVerified).toBe(true);
    expect(verified.emailVerifiedAt).toEqual(clock.now());

    const reuse = await expectError(user.client.account.verifyEmail.mutate({ tempToken, code }));
    expect(reuse.code).toBe('BAD_REQUEST');
    expect(reuse.reason).toBe('INVALID_CODE');
  });

  it('must be exactly 6 digits', async () => {
    const user = await signUp();
    const { tempToken } = await requestVerification(user);
    for (const code of ['12345', '1234567', '12a456']) {
      const error = await expectError(user.client.account.verifyEmail.mutate({ tempToken, code }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors.code).toEqual(['Code must be exactly 6 digits']);
    }
  });

  it('survive up to four wrong tries', async () => {
    const user = await signUp();
    const { code, tempToken } = await requestVerification(user);
    for (let i = 0; i < MAX_CODE_ATTEMPTS - 1; i++) {
      const error = await expectError(
        user.client.account.verifyEmail.mutate({ tempToken, code: wrongCode(code) }),
      );
      expect(error.reason).toBe('INVALID_CODE');
    }
    expect((await user.client.account.verifyEmail.mutate({ tempToken, code })).emailVerified).toBe(true);
  });

  it('die after five wrong tries: the right code is then refused', async () => {
    const user = await signUp();
    const { code, tempToken } = await requestVerification(user);
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      await expectError(user.client.account.verifyEmail.mutate({ tempToken, code: wrongCode(code) }));
    }
    const error = await expectError(user.client.account.verifyEmail.mutate({ tempToken, code }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('INVALID_CODE');
    expect(error.fieldErrors.code).toEqual(['too many wrong attempts']);
    expect(await isEmailVerified(user)).toBe(false);
  });

  it('a new request supersedes the old code and does not reset the wrong-try count', async () => {
    const user = await signUp();
    const first = await requestVerification(user);
    for (let i = 0; i < 3; i++) {
      await expectError(
        user.client.account.verifyEmail.mutate({ tempToken: first.tempToken, code: wrongCode(first.code) }),
      );
    }
    const second = await requestVerification(user);
    // The superseded code is dead.
    expect(
      (
        await expectError(
          user.client.account.verifyEmail.mutate({ tempToken: first.tempToken, code: first.code }),
        )
      ).reason,
    ).toBe('INVALID_CODE');
    // Three wrong tries carried over: two more exhaust the new code too.
    for (let i = 0; i < 2; i++) {
      await expectError(
        user.client.account.verifyEmail.mutate({ tempToken: second.tempToken, code: wrongCode(second.code) }),
      );
    }
    const exhausted = await expectError(
      user.client.account.verifyEmail.mutate({ tempToken: second.tempToken, code: second.code }),
    );
    expect(exhausted.fieldErrors.code).toEqual(['too many wrong attempts']);

    // Only once the old tries are out of their 10-minute window does a new code start afresh.
    clock.advance(OTP_TTL_MS + SECOND_MS);
    const third = await requestVerification(user);
    expect((await user.client.account.verifyEmail.mutate(submission(third))).emailVerified).toBe(true);
  });

  it('expire after 10 minutes (fake clock)', async () => {
    const early = await signUp();
    const late = await signUp();
    const earlyCode = await requestVerification(early);
    const lateCode = await requestVerification(late);

    clock.advance(OTP_TTL_MS - SECOND_MS);
    expect((await early.client.account.verifyEmail.mutate(submission(earlyCode))).emailVerified).toBe(true);

    clock.advance(SECOND_MS);
    const expired = await expectError(late.client.account.verifyEmail.mutate(submission(lateCode)));
    expect(expired.code).toBe('BAD_REQUEST');
    expect(expired.reason).toBe('CODE_EXPIRED');
    expect(await isEmailVerified(late)).toBe(false);
  });

  it("are bound to their user: another account cannot use someone's code and token", async () => {
    const owner = await signUp();
    const other = await signUp();
    const { code, tempToken } = await requestVerification(owner);

    const error = await expectError(other.client.account.verifyEmail.mutate({ tempToken, code }));
    expect(error.reason).toBe('INVALID_CODE');
    expect(await isEmailVerified(other)).toBe(false);
    // The stranger's try is not held against the owner's code.
    expect((await owner.client.account.verifyEmail.mutate({ tempToken, code })).emailVerified).toBe(true);
  });

  it('are bound to their purpose: an email verification code does not confirm a phone or an email change', async () => {
    const user = await signUp();
    const verification = await requestVerification(user);
    const asPhone = await expectError(user.client.account.verifyPhone.mutate(submission(verification)));
    expect(asPhone.reason).toBe('INVALID_CODE');
    const asEmailChange = await expectError(
      user.client.account.confirmEmailChange.mutate(submission(verification)),
    );
    expect(asEmailChange.reason).toBe('INVALID_CODE');
    const me = await user.client.profile.me.query();
    expect(me.phoneVerified).toBe(false);
    expect(me.email).toBe(user.email);
    expect((await user.client.account.verifyEmail.mutate(submission(verification))).emailVerified).toBe(true);
  });

  it('are bound to their target: a code sent to the old address does not verify after an email change', async () => {
    const user = await signUp();
    const verification = await requestVerification(user);

    const newEmail = uniqueUser().email;
    const change = await user.client.account.requestEmailChange.mutate({ newEmail, password: user.password });
    secrets.add(change.tempToken);
    await user.client.account.confirmEmailChange.mutate({
      tempToken: change.tempToken,
      code: security.mail.latestCodeTo(newEmail),
    });

    const error = await expectError(user.client.account.verifyEmail.mutate(submission(verification)));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('INVALID_CODE');
    expect((await user.client.profile.me.query()).email).toBe(newEmail);
  });

  it('50 parallel submissions of one correct code: exactly one succeeds', async () => {
    const user = await signUp();
    const { code, tempToken } = await requestVerification(user);
    // One client per call, so each submission is its own HTTP request, not one batch.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => client(user.token).account.verifyEmail.mutate({ tempToken, code })),
    );
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        const error = await expectError(Promise.reject(outcome.reason));
        expect(error.reason).toBe('INVALID_CODE');
      }
    }
    const events = await user.client.account.securityEvents.query({ limit: 50 });
    expect(events.items.filter((e) => e.type === 'email_verified')).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('allow 5 code sends per 10 minutes per user; the 6th is TOO_MANY_REQUESTS with retryAfter', async () => {
    const user = await signUp();
    for (let i = 0; i < OTP_SENDS_PER_WINDOW; i++) await requestVerification(user);
    expect(security.mail.messagesTo(user.email)).toHaveLength(OTP_SENDS_PER_WINDOW);

    const limited = await expectError(user.client.account.requestEmailVerification.mutate());
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.reason).toBe('RATE_LIMITED');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(OTP_SEND_WINDOW_SECONDS);
    expect(security.mail.messagesTo(user.email)).toHaveLength(OTP_SENDS_PER_WINDOW);

    // The budget is per user, across every kind of code.
    const phone = await expectError(
      user.client.account.requestPhoneVerification.mutate({ phoneNumber: '+442079460123' }),
    );
    expect(phone.code).toBe('TOO_MANY_REQUESTS');
    expect(security.sms.messagesTo('+442079460123')).toHaveLength(0);

    const other = await signUp();
    await requestVerification(other);
    expect(security.mail.messagesTo(other.email)).toHaveLength(1);
  });

  it('throttle sign-in failures per account, whichever login names it', async () => {
    const user = await signUp();
    const bystander = await signUp();
    for (let i = 0; i < SIGN_IN_FAILURES_PER_LOGIN; i++) {
      const login = i % 2 === 0 ? user.email : user.userName;
      const password = `Wrong-Password-${i}`;
      secrets.add(password);
      const error = await expectError(client().auth.signIn.mutate({ login, password }));
      expect(error.code).toBe('UNAUTHORIZED');
    }
    // Even the right password is refused now, through either login, as a wrong one would be
    // (a 429 here would tell that this email and this username are one account).
    for (const login of [user.email, user.userName]) {
      const refusedNow = await expectError(client().auth.signIn.mutate({ login, password: user.password }));
      expect(refusedNow.code).toBe('UNAUTHORIZED');
      expect(refusedNow.reason).toBe('INVALID_CREDENTIALS');
    }

    // Another account from the same address is not affected.
    const other = await client().auth.signIn.mutate({ login: bystander.email, password: bystander.password });
    expect(other.status).toBe('signed_in');
  });

  it('the throttle links no email to a username: a known email answers like an unknown one, at every count', async () => {
    const victim = await signUp();
    const unknownEmail = `nobody-${victim.email}`;
    const guess = (login: string, i: number) =>
      expectError(client(undefined, randomIp()).auth.signIn.mutate({ login, password: `Guess-${i}-Wrong` }));
    for (let i = 0; i < SIGN_IN_FAILURES_PER_LOGIN; i++) secrets.add(`Guess-${i}-Wrong`);
    // The attacker spends the username's whole budget...
    for (let i = 0; i < SIGN_IN_FAILURES_PER_LOGIN; i++) await guess(`@${victim.userName}`, i);
    expect((await guess(victim.userName.toUpperCase(), 0)).code).toBe('TOO_MANY_REQUESTS');
    // ...then the victim's email and an unknown one answer alike, attempt after attempt.
    const shape = (e: Awaited<ReturnType<typeof guess>>) => [e.code, e.reason, e.httpStatus];
    for (let i = 0; i <= SIGN_IN_FAILURES_PER_LOGIN; i++) {
      expect(shape(await guess(victim.email, i))).toEqual(shape(await guess(unknownEmail, i)));
    }
    expect((await guess(unknownEmail, 0)).code).toBe('TOO_MANY_REQUESTS');
  });

  it('counts an unknown login of any length without error', async () => {
    const login = `${'x'.repeat(240)}@example.com`;
    for (const _ of [1, 2]) {
      const error = await expectError(
        client(undefined, randomIp()).auth.signIn.mutate({ login, password: 'Guess-0-Wrong' }),
      );
      expect(error.code).toBe('UNAUTHORIZED');
    }
  });

  it('throttle sign-in failures per client address', async () => {
    const attackerIp = randomIp();
    const victim = await signUp();
    await Promise.all(
      Array.from({ length: SIGN_IN_FAILURES_PER_ADDRESS }, async (_, i) => {
        const error = await expectError(
          client(undefined, attackerIp).auth.signIn.mutate({
            login: `nobody-${i}-${victim.email}`,
            password: 'Guessed-Password-1',
          }),
        );
        expect(error.code).toBe('UNAUTHORIZED');
      }),
    );
    secrets.add('Guessed-Password-1');

    const fromAttacker = await expectError(
      client(undefined, attackerIp).auth.signIn.mutate({ login: victim.email, password: victim.password }),
    );
    expect(fromAttacker.code).toBe('TOO_MANY_REQUESTS');
    expect(fromAttacker.retryAfter).toBeGreaterThan(0);

    const fromElsewhere = await client(undefined, randomIp()).auth.signIn.mutate({
      login: victim.email,
      password: victim.password,
    });
    expect(fromElsewhere.status).toBe('signed_in');
  });
});

describe('log hygiene', () => {
  it('no log line or error message of this file carries a code, token or password', () => {
    expectNoSecretsLeaked({ codesSentMoreThan: 10 });
  });
});
