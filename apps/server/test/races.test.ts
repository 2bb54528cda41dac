import { describe, expect, it } from 'vitest';
import { randomIp, type SignedUpUser, uniqueUser, useTestServer } from './harness.js';

/**
 * Atomic steps against the user row (SPEC §3): a session is written only while the password
 * and lock state it was checked against are current; of concurrent password changes made with
 * one current password exactly one applies; sign-up writes everything or nothing.
 */

const t = useTestServer();
const WAVE = 4;
const MAX_WAVES = 12;

/**
 * Sign-ins with the current password in waves of four, from before `change` starts until
 * after it has answered (so some read the account before it and finish after); answers the
 * tokens they got.
 */
async function signInsRacing(user: SignedUpUser, change: () => Promise<unknown>): Promise<string[]> {
  const signIn = () =>
    t
      .client(undefined, randomIp())
      .auth.signIn.mutate({ login: user.email, password: user.password })
      .then(
        (answer) => (answer.status === 'signed_in' ? answer.token : null),
        () => null,
      );
  let changed = false;
  const tokens: (string | null)[] = [];
  const first = Array.from({ length: WAVE }, signIn);
  const changing = change().finally(() => {
    changed = true;
  });
  tokens.push(...(await Promise.all(first)));
  for (let wave = 1; wave < MAX_WAVES && !changed; wave++) {
    tokens.push(...(await Promise.all(Array.from({ length: WAVE }, signIn))));
  }
  await changing;
  return tokens.filter((token): token is string => token !== null);
}

async function live(token: string): Promise<boolean> {
  return t
    .client(token)
    .profile.me.query()
    .then(
      () => true,
      () => false,
    );
}

describe('sessions against credential changes', () => {
  it('a password change racing many sign-ins with the old password leaves no live session', async () => {
    const user = await t.users.signUp();
    const issued = await signInsRacing(user, () =>
      user.client.account.changePassword.mutate({
        currentPassword: user.password,
        newPassword: 'Brand-New-Password-77',
        confirmPassword: 'Brand-New-Password-77',
      }),
    );
    expect((await Promise.all(issued.map(live))).filter(Boolean)).toEqual([]);
    expect(await t.db.sessionCount(user.id)).toBe(0);
  });

  it('a deactivation racing many sign-ins leaves no live session', async () => {
    const user = await t.users.signUp();
    const issued = await signInsRacing(user, () =>
      user.client.account.deactivate.mutate({ password: user.password }),
    );
    expect((await Promise.all(issued.map(live))).filter(Boolean)).toEqual([]);
    expect(await t.db.sessionCount(user.id)).toBe(0);
  });
});

describe('concurrent password changes', () => {
  it('ten changes with the same current password: exactly one wins, the rest are a wrong current password', async () => {
    const user = await t.users.signUp();
    const candidates = Array.from({ length: 10 }, (_, i) => `Candidate-Password-${i}-x`);
    const outcomes = await Promise.allSettled(
      candidates.map((newPassword) =>
        user.client.account.changePassword.mutate({
          currentPassword: user.password,
          newPassword,
          confirmPassword: newPassword,
        }),
      ),
    );
    const won = candidates.filter((_, i) => outcomes[i]!.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      const error = await t.expectError(Promise.reject(outcome.reason));
      expect(error.reason).toBe('INVALID_CREDENTIALS');
      expect(error.fieldErrors).toEqual({ currentPassword: ['is incorrect'] });
    }
    expect(await t.db.auditEventCount(user.id, 'password_changed')).toBe(1);
    const signedIn = await t.client().auth.signIn.mutate({ login: user.email, password: won[0]! });
    expect(signedIn.status).toBe('signed_in');
  });
});

describe('sign-up', () => {
  it('is one transaction: a failure at its last step leaves no account, session, audit event or referral credit', async () => {
    const referrer = await t.users.signUp();
    const { referralCode } = await referrer.client.profile.me.query();
    const creditBefore = await t.db.achievementValue(referrer.id, 'referral');
    const prefix = `fail-sign-up-${Date.now().toString(36)}`;
    const email = `${prefix}@example.com`;
    const removeFault = await t.db.failSignUpAuditFor(prefix);
    try {
      const error = await t.expectError(
        t.client().auth.signUp.mutate({ ...uniqueUser(), email, referralCode }),
      );
      expect(error.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await removeFault();
    }
    expect(await t.db.usersWithEmail(email)).toBe(0);
    expect(await t.db.achievementValue(referrer.id, 'referral')).toBe(creditBefore);
    // Nothing half-made holds the address: it signs up at once.
    const again = await t.client().auth.signUp.mutate({ ...uniqueUser(), email, referralCode });
    expect(await t.db.sessionCount(again.user.id)).toBe(1);
    expect(await t.db.auditEventCount(again.user.id, 'sign_up')).toBe(1);
    expect(await t.db.achievementValue(referrer.id, 'referral')).toBe(creditBefore + 1);
  });
});
