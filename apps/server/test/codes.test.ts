import { describe, expect, it } from 'vitest';
import { SECOND_MS } from '../src/clock.js';
import { MAX_CODE_ATTEMPTS, OTP_TTL_MS } from '../src/security/one-time-codes.js';
import {
  OTP_SEND_WINDOW_SECONDS,
  OTP_SENDS_PER_WINDOW,
  SIGN_IN_FAILURES_PER_ADDRESS,
  SIGN_IN_FAILURES_PER_LOGIN,
  SIGN_IN_WINDOW_SECONDS,
} from '../src/security/rate-limits.js';
import { uniqueUser } from './harness.js';
import {
  randomIp,
  randomOctet,
  type SecurityTestUser as User,
  useSecurityContext,
} from './security-context.js';

/**
 * One-time code rules (SPEC §3): 6 digits, stored hashed, bound to user + purpose + target,
 * 10 minutes, single use, dead after 5 wrong tries; send and sign-in rate limits in the
 * database; and many parallel submissions of one code.
 */

const security = useSecurityContext();
const { clock, secrets, server, sinks } = security;
const { client, refused, newUser, expectNoSecretsLeaked } = security;

/** Asks for an email verification code and reads it from the catcher: `{tempToken, code}` to submit. */
async function requestVerification(user: User) {
  const answer = await user.api.account.requestEmailVerification.mutate();
  secrets.add(answer.tempToken);
  return { tempToken: answer.tempToken, code: sinks().mail.latestCodeTo(user.email), answer };
}

const submission = ({ tempToken, code }: { tempToken: string; code: string }) => ({ tempToken, code });

/** A 6-digit code that is not `code`. */
const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

async function isEmailVerified(user: User): Promise<boolean> {
  return (await user.api.profile.me.query()).emailVerified;
}

describe('one-time codes', () => {
  it('are 6 digits mailed to the account, answered by an opaque tempToken that expires in 10 minutes', async () => {
    const domain = `d${Date.now().toString(36)}${randomOctet()}.example.com`;
    const user = await newUser({ email: `john@${domain}` });
    const { code, tempToken, answer } = await requestVerification(user);

    expect(code).toMatch(/^\d{6}$/);
    expect(answer.email).toBe(`jo***@${domain}`);
    expect(answer.expiresAt).toEqual(new Date(clock.now().getTime() + OTP_TTL_MS));
    // Opaque: random base32, carrying neither the code nor anything about the user.
    expect(tempToken).toMatch(/^[a-z2-7]{32}$/);
    for (const part of [code, user.id, user.email, 'john']) expect(tempToken).not.toContain(part);
    const again = await requestVerification(user);
    expect(again.tempToken).not.toBe(tempToken);

    const mail = sinks().mail.messagesTo(user.email).at(-1)!;
    expect(mail.subject).toBe('Your userhub verification code');
    expect(mail.text).toContain(again.code);
    expect(mail.text).toContain('expires in 10 minutes');
  });

  it('are stored only as keyed hashes, never in clear', async () => {
    const user = await newUser();
    const { code, tempToken } = await requestVerification(user);
    const rows = await server()
      .built.deps.db.selectFrom('oneTimeCodes')
      .selectAll()
      .where('userId', '=', user.id)
      .execute();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(tempToken);
    expect(rows[0]!.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('work once: the same code and tempToken are refused the second time', async () => {
    const user = await newUser();
    const { code, tempToken } = await requestVerification(user);
    const verified = await user.api.account.verifyEmail.mutate({ tempToken, code });
    expect(verified.emailVerified).toBe(true);
    expect(verified.emailVerifiedAt).toEqual(clock.now());

    const reuse = await refused(user.api.account.verifyEmail.mutate({ tempToken, code }));
    expect(reuse.code).toBe('BAD_REQUEST');
    expect(reuse.reason).toBe('INVALID_CODE');
  });

  it('must be exactly 6 digits', async () => {
    const user = await newUser();
    const { tempToken } = await requestVerification(user);
    for (const code of ['12345', '1234567', '12a456']) {
      const error = await refused(user.api.account.verifyEmail.mutate({ tempToken, code }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.fieldErrors.code).toEqual(['Code must be exactly 6 digits']);
    }
  });

  it('survive up to four wrong tries', async () => {
    const user = await newUser();
    const { code, tempToken } = await requestVerification(user);
    for (let i = 0; i < MAX_CODE_ATTEMPTS - 1; i++) {
      const error = await refused(
        user.api.account.verifyEmail.mutate({ tempToken, code: wrongCodeFor(code) }),
      );
      expect(error.reason).toBe('INVALID_CODE');
    }
    expect((await user.api.account.verifyEmail.mutate({ tempToken, code })).emailVerified).toBe(true);
  });

  it('die after five wrong tries: the right code is then refused', async () => {
    const user = await newUser();
    const { code, tempToken } = await requestVerification(user);
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      await refused(user.api.account.verifyEmail.mutate({ tempToken, code: wrongCodeFor(code) }));
    }
    const error = await refused(user.api.account.verifyEmail.mutate({ tempToken, code }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('INVALID_CODE');
    expect(error.fieldErrors.code).toEqual(['too many wrong attempts']);
    expect(await isEmailVerified(user)).toBe(false);
  });

  it('a new request supersedes the old code and does not reset the wrong-try count', async () => {
    const user = await newUser();
    const first = await requestVerification(user);
    for (let i = 0; i < 3; i++) {
      await refused(
        user.api.account.verifyEmail.mutate({ tempToken: first.tempToken, code: wrongCodeFor(first.code) }),
      );
    }
    const second = await requestVerification(user);
    // The superseded code is dead.
    expect(
      (await refused(user.api.account.verifyEmail.mutate({ tempToken: first.tempToken, code: first.code })))
        .reason,
    ).toBe('INVALID_CODE');
    // Three wrong tries carried over: two more exhaust the new code too.
    for (let i = 0; i < 2; i++) {
      await refused(
        user.api.account.verifyEmail.mutate({ tempToken: second.tempToken, code: wrongCodeFor(second.code) }),
      );
    }
    const exhausted = await refused(
      user.api.account.verifyEmail.mutate({ tempToken: second.tempToken, code: second.code }),
    );
    expect(exhausted.fieldErrors.code).toEqual(['too many wrong attempts']);

    // Only once the old tries are out of their 10-minute window does a new code start afresh.
    clock.advance(OTP_TTL_MS + SECOND_MS);
    const third = await requestVerification(user);
    expect((await user.api.account.verifyEmail.mutate(submission(third))).emailVerified).toBe(true);
  });

  it('expire after 10 minutes (fake clock)', async () => {
    const early = await newUser();
    const late = await newUser();
    const earlyCode = await requestVerification(early);
    const lateCode = await requestVerification(late);

    clock.advance(OTP_TTL_MS - SECOND_MS);
    expect((await early.api.account.verifyEmail.mutate(submission(earlyCode))).emailVerified).toBe(true);

    clock.advance(SECOND_MS);
    const expired = await refused(late.api.account.verifyEmail.mutate(submission(lateCode)));
    expect(expired.code).toBe('BAD_REQUEST');
    expect(expired.reason).toBe('CODE_EXPIRED');
    expect(await isEmailVerified(late)).toBe(false);
  });

  it("are bound to their user: another account cannot use someone's code and token", async () => {
    const owner = await newUser();
    const other = await newUser();
    const { code, tempToken } = await requestVerification(owner);

    const error = await refused(other.api.account.verifyEmail.mutate({ tempToken, code }));
    expect(error.reason).toBe('INVALID_CODE');
    expect(await isEmailVerified(other)).toBe(false);
    // The stranger's try is not held against the owner's code.
    expect((await owner.api.account.verifyEmail.mutate({ tempToken, code })).emailVerified).toBe(true);
  });

  it('are bound to their purpose: an email verification code does not confirm a phone or an email change', async () => {
    const user = await newUser();
    const verification = await requestVerification(user);
    const asPhone = await refused(user.api.account.verifyPhone.mutate(submission(verification)));
    expect(asPhone.reason).toBe('INVALID_CODE');
    const asEmailChange = await refused(user.api.account.confirmEmailChange.mutate(submission(verification)));
    expect(asEmailChange.reason).toBe('INVALID_CODE');
    const me = await user.api.profile.me.query();
    expect(me.phoneVerified).toBe(false);
    expect(me.email).toBe(user.email);
    expect((await user.api.account.verifyEmail.mutate(submission(verification))).emailVerified).toBe(true);
  });

  it('are bound to their target: a code sent to the old address does not verify after an email change', async () => {
    const user = await newUser();
    const verification = await requestVerification(user);

    const newEmail = uniqueUser().email;
    const change = await user.api.account.requestEmailChange.mutate({ newEmail, password: user.password });
    secrets.add(change.tempToken);
    await user.api.account.confirmEmailChange.mutate({
      tempToken: change.tempToken,
      code: sinks().mail.latestCodeTo(newEmail),
    });

    const error = await refused(user.api.account.verifyEmail.mutate(submission(verification)));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.reason).toBe('INVALID_CODE');
    expect((await user.api.profile.me.query()).email).toBe(newEmail);
  });

  it('50 parallel submissions of one correct code: exactly one succeeds', async () => {
    const user = await newUser();
    const { code, tempToken } = await requestVerification(user);
    // One client per call, so each submission is its own HTTP request, not one batch.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => client(user.token).account.verifyEmail.mutate({ tempToken, code })),
    );
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        const error = await refused(Promise.reject(outcome.reason));
        expect(error.reason).toBe('INVALID_CODE');
      }
    }
    const events = await user.api.account.securityEvents.query({ limit: 50 });
    expect(events.items.filter((e) => e.type === 'email_verified')).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('allow 5 code sends per 10 minutes per user; the 6th is TOO_MANY_REQUESTS with retryAfter', async () => {
    const user = await newUser();
    for (let i = 0; i < OTP_SENDS_PER_WINDOW; i++) await requestVerification(user);
    expect(sinks().mail.messagesTo(user.email)).toHaveLength(OTP_SENDS_PER_WINDOW);

    const limited = await refused(user.api.account.requestEmailVerification.mutate());
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.reason).toBe('RATE_LIMITED');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(OTP_SEND_WINDOW_SECONDS);
    expect(sinks().mail.messagesTo(user.email)).toHaveLength(OTP_SENDS_PER_WINDOW);

    // The budget is per user, across every kind of code.
    const phone = await refused(
      user.api.account.requestPhoneVerification.mutate({ phoneNumber: '+442079460123' }),
    );
    expect(phone.code).toBe('TOO_MANY_REQUESTS');
    expect(sinks().sms.messagesTo('+442079460123')).toHaveLength(0);

    const other = await newUser();
    await requestVerification(other);
    expect(sinks().mail.messagesTo(other.email)).toHaveLength(1);
  });

  it('throttle sign-in failures per account, whichever login names it', async () => {
    const user = await newUser();
    const bystander = await newUser();
    for (let i = 0; i < SIGN_IN_FAILURES_PER_LOGIN; i++) {
      const login = i % 2 === 0 ? user.email : user.userName;
      const password = `Wrong-Password-${i}`;
      secrets.add(password);
      const error = await refused(client().auth.signIn.mutate({ login, password }));
      expect(error.code).toBe('UNAUTHORIZED');
    }
    // Even the right password is refused now, with how long to wait.
    const limited = await refused(
      client().auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.reason).toBe('RATE_LIMITED');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(SIGN_IN_WINDOW_SECONDS);

    // Another account from the same address is not affected.
    const other = await client().auth.signIn.mutate({ login: bystander.email, password: bystander.password });
    expect(other.status).toBe('signed_in');
  });

  it('throttle sign-in failures per client address', async () => {
    const attackerIp = randomIp();
    const victim = await newUser();
    await Promise.all(
      Array.from({ length: SIGN_IN_FAILURES_PER_ADDRESS }, async (_, i) => {
        const error = await refused(
          client(undefined, attackerIp).auth.signIn.mutate({
            login: `nobody-${i}-${victim.email}`,
            password: 'Guessed-Password-1',
          }),
        );
        expect(error.code).toBe('UNAUTHORIZED');
      }),
    );
    secrets.add('Guessed-Password-1');

    const fromAttacker = await refused(
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
