import { randomBytes } from 'node:crypto';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { type Json, normalizeRecoveryCode, totpCodeAt, useTestServer } from './harness.js';
import { ALICE_SEED_UPDATE, uniqueMarker } from './helpers.js';
import { expectEnvelope } from './rest-http.js';

/**
 * SPEC §9 data export: one JSON document of everything held about the user, nothing secret.
 * The test fills every table that points at a user (found in the catalog, so a table added
 * later fails here until the export covers it or says why not), then greps the document for
 * every secret value it knows.
 */
const server = useTestServer({ mail: true });

/** Which export section each table column that points at the user lands in. */
const SECTIONS: Record<string, (doc: ExportDoc) => unknown[]> = {
  'achievements.user_id': (doc) => doc.profile.achievements,
  'audit_events.user_id': (doc) => doc.securityEvents,
  'blocks.blocker_id': (doc) => doc.blocks,
  'bookmarks.owner_id': (doc) => doc.bookmarks,
  'follows.follower_id': (doc) => doc.following,
  'follows.followee_id': (doc) => doc.followers,
  'one_time_codes.user_id': (doc) => doc.verificationCodes,
  'not_me_tokens.user_id': (doc) => doc.notMeLinks,
  'passkeys.user_id': (doc) => doc.passkeys,
  'password_reset_tokens.user_id': (doc) => doc.passwordResets,
  'recovery_codes.user_id': (doc) => doc.recoveryCodes.codes,
  'sessions.user_id': (doc) => doc.sessions,
  'two_factor_challenges.user_id': (doc) => doc.twoFactorChallenges,
  'user_tags.user_id': (doc) => doc.profile.tags,
  'username_history.user_id': (doc) => doc.usernameHistory,
  'webauthn_challenges.user_id': (doc) => doc.passkeyChallenges,
};

/** Rows that point at the user but are other people's data (docs/decisions.md). */
const NOT_THEIRS = new Set([
  'blocks.blocked_id', // someone else's decision to block them
  'bookmarks.target_id', // someone else's private bookmark
  'users.referred_by', // the accounts of the people they referred (counted in achievements)
]);

type ExportDoc = Awaited<
  ReturnType<Awaited<ReturnType<typeof fillEveryTable>>['client']['account']['exportData']['mutate']>
>;

async function fillEveryTable() {
  const referrer = await server.users.signUp();
  const referralCode = (await referrer.client.profile.me.query()).referralCode;
  const first = await server.users.signUp({ username: `exp_${uniqueMarker('')}`, referralCode });
  const newName = `exp_${uniqueMarker('')}`;
  await first.client.account.changeUsername.mutate({ username: newName });
  const { token, client } = await server.users.signIn(first.email, first.password);
  const user = { ...first, token, client, userName: newName };

  await client.profile.update.mutate(ALICE_SEED_UPDATE);
  const friend = await server.users.signUp();
  const blocked = await server.users.signUp();
  await client.social.follow.mutate({ userId: friend.id });
  await friend.client.social.follow.mutate({ userId: user.id });
  await client.social.block.mutate({ userId: blocked.id });
  await blocked.client.social.block.mutate({ userId: user.id });
  await client.bookmarks.add.mutate({ userId: friend.id });
  await friend.client.bookmarks.add.mutate({ userId: user.id });
  const { tempToken } = await client.account.requestEmailVerification.mutate();

  const setup = await client.twoFactor.initiate.mutate({ method: 'totp' });
  const { recoveryCodes } = await client.twoFactor.activate.mutate({
    code: totpCodeAt(decodeBase32IgnorePadding(setup.secret!), new Date()),
  });
  server.remember(recoveryCodes);
  const challenge = await server.client().auth.signIn.mutate({ login: user.email, password: user.password });
  if (challenge.status !== 'two_factor_required') throw new Error('expected a second-factor challenge');

  const mailsBefore = server.mail.messagesTo(user.email).length;
  await server.client().auth.requestPasswordReset.mutate({ email: user.email });
  const resetMail = await server.mail.waitForMessageTo(user.email, mailsBefore + 1);
  const resetToken = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(resetMail.text)?.[1];
  if (resetToken === undefined) throw new Error('no reset link in the mail');

  const options = await client.passkeys.registrationOptions.mutate();
  const publicKey = new Uint8Array(randomBytes(77));
  await server.db.storePasskey(user.id, {
    credentialId: randomBytes(16).toString('base64url'),
    publicKey,
    name: 'Work laptop',
  });

  const storedCodes = await server.db.storedOneTimeCodes(user.id);
  const secrets = [
    user.password,
    await server.db.storedPasswordHash(user.id),
    first.token,
    token,
    ...(await server.db.storedSessionTokenHashes(user.id)).map((row) => row.tokenHash),
    setup.secret!,
    setup.otpauthUri!,
    (await server.db.storedTotpSecret(user.id))!,
    ...recoveryCodes,
    ...recoveryCodes.map(normalizeRecoveryCode),
    ...(await server.db.storedRecoveryCodes(user.id)).map((row) => row.codeHash),
    tempToken,
    ...storedCodes.flatMap((row) => [row.codeHash, row.tempTokenHash]),
    challenge.challengeToken,
    resetToken,
    ...(await server.db.storedChallengeHashes(user.id)),
    options.challenge,
    Buffer.from(publicKey).toString('base64url'),
    Buffer.from(publicKey).toString('base64'),
    Buffer.from(publicKey).toString('hex'),
  ];
  return { ...user, friend, blocked, referrer, secrets };
}

describe('account.exportData', () => {
  it('holds every table that points at the user, and none of their secrets', async () => {
    const user = await fillEveryTable();
    const doc = await user.client.account.exportData.mutate({ password: user.password });
    const rows = await server.db.rowsPointingAt(user.id);

    expect(Object.keys(rows).sort()).toEqual([...Object.keys(SECTIONS), ...NOT_THEIRS].sort());
    for (const [column, count] of Object.entries(rows)) {
      if (NOT_THEIRS.has(column)) continue;
      const section = SECTIONS[column];
      expect(section, `${column} holds user data the export leaves out`).toBeDefined();
      expect(count, `${column} was not filled for the user`).toBeGreaterThan(0);
      expect(section!(doc), column).toHaveLength(count);
    }

    expect(doc.profile).toMatchObject({
      id: user.id,
      userName: user.userName,
      email: user.email,
      contact: { country: 'England', city: 'Manchester', address: '30, alice bob blvd.' },
      socials: ALICE_SEED_UPDATE.socials,
      twoFactor: { enabled: true, method: 'totp' },
    });
    expect(doc.profile.tags.map((tag) => tag.name)).toEqual(ALICE_SEED_UPDATE.tags);
    expect(doc.referredBy).toEqual({ userId: user.referrer.id, userName: user.referrer.userName });
    expect(doc.usernameHistory).toEqual([
      expect.objectContaining({ userName: expect.stringMatching(/^exp_/) }),
    ]);
    expect(doc.following).toEqual([expect.objectContaining({ userId: user.friend.id })]);
    expect(doc.followers).toEqual([expect.objectContaining({ userId: user.friend.id })]);
    expect(doc.blocks).toEqual([expect.objectContaining({ userId: user.blocked.id })]);
    expect(doc.bookmarks).toEqual([expect.objectContaining({ userId: user.friend.id })]);
    expect(doc.passkeys).toEqual([
      {
        id: expect.any(String),
        name: 'Work laptop',
        deviceType: 'multiDevice',
        backedUp: true,
        transports: ['internal', 'hybrid'],
        createdAt: expect.any(Date),
        lastUsedAt: null,
      },
    ]);
    expect(doc.securityEvents.map((event) => event.type)).toEqual(
      expect.arrayContaining(['sign_up', 'username_changed', 'two_factor_enabled', 'data_exported']),
    );
    expect(doc.recoveryCodes).toMatchObject({ total: 10, unused: 10 });

    const json = JSON.stringify(doc);
    for (const secret of user.secrets) {
      expect(secret.length, 'a secret too short to search for').toBeGreaterThanOrEqual(10);
      expect(json.includes(secret), `the export carries a secret (${secret.slice(0, 6)}…)`).toBe(false);
    }
    expect(json).not.toMatch(
      /"(passwordHash|tokenHash|codeHash|tempTokenHash|totpSecret\w*|publicKey|challenge|counter)"/,
    );
  });

  it('is a userhub-export-<username>.json attachment over REST, the password in X-Password or the body', async () => {
    const user = await server.users.signUp({ username: `dl_${uniqueMarker('')}` });
    const viaHeader = await fetch(`${server.url}/api/v1/account/export`, {
      headers: { authorization: `Bearer ${user.token}`, 'x-password': user.password },
    });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers.get('content-type')).toMatch(/^application\/json/);
    expect(viaHeader.headers.get('content-disposition')).toBe(
      `attachment; filename="userhub-export-${user.userName}.json"; filename*=UTF-8''userhub-export-${user.userName}.json`,
    );
    expect(viaHeader.headers.get('cache-control')).toBe('no-store');
    const document: Json = await viaHeader.json();
    expect(document.format).toEqual({ name: 'userhub-export', version: 1 });
    expect(document.profile).toMatchObject({ id: user.id, userName: user.userName, email: user.email });
    expect(typeof document.exportedAt).toBe('string');
    expect(document).not.toHaveProperty('success');

    const viaBody = await server.http.rest('POST', '/api/v1/account/export', {
      token: user.token,
      json: { password: user.password },
    });
    expect(viaBody.status).toBe(200);
    expect(viaBody.headers.get('content-disposition')).toMatch(`userhub-export-${user.userName}.json`);
    expect(viaBody.body.profile.id).toBe(user.id);

    const noPassword = await server.http.rest('GET', '/api/v1/account/export', { token: user.token });
    expectEnvelope('profile', noPassword, 422);
    const noSession = await server.http.rest('GET', '/api/v1/account/export');
    expectEnvelope('profile', noSession, 401);
  });

  it('answers a wrong password with the usual error, and throttles wrong passwords', async () => {
    const user = await server.users.signUp();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const error = await server.expectError(
        user.client.account.exportData.mutate({ password: `Wrong-${attempt}-pass` }),
      );
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', reason: 'INVALID_CREDENTIALS' });
      expect(error.fieldErrors).toEqual({ password: ['is incorrect'] });
    }
    const throttled = await server.expectError(
      user.client.account.exportData.mutate({ password: user.password }),
    );
    expect(throttled).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'RATE_LIMITED' });
    expect(throttled.retryAfter).toBeGreaterThan(0);
    const overRest = await fetch(`${server.url}/api/v1/account/export`, {
      headers: { authorization: `Bearer ${user.token}`, 'x-password': user.password },
    });
    expect(overRest.status).toBe(429);
    expect(Number(overRest.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not throttled by this one's failures.
    const other = await server.users.signUp();
    expect((await other.client.account.exportData.mutate({ password: other.password })).profile.id).toBe(
      other.id,
    );
  });

  it('needs a session', async () => {
    const error = await server.expectError(
      server.client().account.exportData.mutate({ password: 'whatever-it-is' }),
    );
    expect(error.code).toBe('UNAUTHORIZED');
  });
});
