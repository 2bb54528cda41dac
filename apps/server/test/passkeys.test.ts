import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { UserhubClient } from '@userhub/sdk';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import {
  expectError,
  freePort,
  SECOND_MS,
  startTestServer,
  type TestServer,
  uniqueUser,
  WEBAUTHN_CHALLENGE_TTL_MS,
} from './harness.js';
import { type MailCatcher, startMailCatcher } from './mail-catcher.js';

/**
 * Passkeys end to end (SPEC §9): Chromium's virtual authenticator (CDP WebAuthn domain) answers
 * the real `navigator.credentials.create/get` on a page the server itself serves at
 * http://localhost:<port>, and the server verifies with @simplewebauthn/server. Nothing is mocked.
 */

const require = createRequire(import.meta.url);
const BROWSER_BUNDLE = path.join(
  path.dirname(require.resolve('@simplewebauthn/browser')),
  '..',
  'dist',
  'bundle',
  'index.umd.min.js',
);
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>passkeys</title>
<script src="/test-assets/simplewebauthn-browser.js"></script></head><body>passkeys</body></html>`;

type Json = Record<string, unknown>;

/** A page and the browser library on another origin (another port of localhost): same RP id, wrong origin. */
async function startForeignOrigin(bundle: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/test-assets/simplewebauthn-browser.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://localhost:${port}` };
}

const clock = new ManualClock();
let server: TestServer;
let mail: MailCatcher;
let browser: Browser;
let page: Page;
let foreignPage: Page;
let cdp: CDPSession;
let foreignCdp: CDPSession;
let authenticatorId: string;
let foreignAuthenticatorId: string;
let foreign: { server: Server; origin: string };
let origin: string;

async function addAuthenticator(session: CDPSession): Promise<string> {
  await session.send('WebAuthn.enable');
  const { authenticatorId: id } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return id;
}

beforeAll(async () => {
  const bundle = await readFile(BROWSER_BUNDLE, 'utf8');
  mail = await startMailCatcher();
  const port = await freePort();
  origin = `http://localhost:${port}`;
  server = await startTestServer({
    clock,
    port,
    env: { PUBLIC_URL: origin, SMTP_URL: mail.smtpUrl },
    beforeListen: ({ app }) => {
      app.get('/test-assets/passkeys', async (_request, reply) => reply.type('text/html').send(PAGE));
      app.get('/test-assets/simplewebauthn-browser.js', async (_request, reply) =>
        reply.type('text/javascript').send(bundle),
      );
    },
  });
  foreign = await startForeignOrigin(bundle);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext();
  page = await context.newPage();
  await page.goto(`${origin}/test-assets/passkeys`);
  cdp = await context.newCDPSession(page);
  authenticatorId = await addAuthenticator(cdp);
  // Its own context (window), so that moving focus between the two pages is explicit.
  const foreignContext = await browser.newContext();
  foreignPage = await foreignContext.newPage();
  await foreignPage.goto(`${foreign.origin}/`);
  foreignCdp = await foreignContext.newCDPSession(foreignPage);
  foreignAuthenticatorId = await addAuthenticator(foreignCdp);
}, 120_000);

// A discoverable request lets the authenticator pick any credential it holds for the RP: each
// test starts with empty authenticators, so the one it picks is the test's own.
beforeEach(async () => {
  await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
  await foreignCdp.send('WebAuthn.clearCredentials', { authenticatorId: foreignAuthenticatorId });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (foreign?.server ? foreign.server.close(() => resolve()) : resolve()));
  await server?.close();
  await mail?.close();
});

/** `navigator.credentials.create` in the browser, through @simplewebauthn/browser. */
async function create(options: unknown, on: Page = page): Promise<Json> {
  // WebAuthn ceremonies run only in the focused page.
  await on.bringToFront();
  return on.evaluate(
    (optionsJSON) =>
      (
        globalThis as unknown as { SimpleWebAuthnBrowser: { startRegistration(o: unknown): Promise<Json> } }
      ).SimpleWebAuthnBrowser.startRegistration({ optionsJSON }),
    options,
  );
}

/** `navigator.credentials.get` in the browser. */
async function get(options: unknown, on: Page = page): Promise<Json> {
  await on.bringToFront();
  return on.evaluate(
    (optionsJSON) =>
      (
        globalThis as unknown as { SimpleWebAuthnBrowser: { startAuthentication(o: unknown): Promise<Json> } }
      ).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON }),
    options,
  );
}

async function newUser() {
  const input = uniqueUser();
  const { token, user } = await server.client().auth.signUp.mutate(input);
  return { ...input, id: user.id, userName: user.userName, token, api: server.client(token) };
}

async function registerPasskey(api: UserhubClient, name?: string) {
  const options = await api.passkeys.registrationOptions.mutate();
  const response = await create(options);
  return api.passkeys.register.mutate({
    response: response as never,
    ...(name === undefined ? {} : { name }),
  });
}

async function assertion(login?: string) {
  const { challengeId, options } = await server
    .client()
    .auth.passkeyOptions.mutate(login === undefined ? {} : { login });
  return { challengeId, response: (await get(options)) as never, options };
}

/** What `auth.signInWithPasskey` takes: the challenge and the browser's answer, nothing else. */
function submission(made: { challengeId: string; response: never }) {
  return { challengeId: made.challengeId, response: made.response };
}

describe('registering a passkey', () => {
  it('asks for a discoverable, user-verified credential of this relying party', async () => {
    const user = await newUser();
    const options = await user.api.passkeys.registrationOptions.mutate();
    expect(options.rp).toEqual({ name: 'userhub', id: 'localhost' });
    expect(options.user.name).toBe(user.userName);
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    expect(options.timeout).toBe(WEBAUTHN_CHALLENGE_TTL_MS);
    const stored = await server.built.deps.db
      .selectFrom('webauthnChallenges')
      .selectAll()
      .where('challenge', '=', options.challenge)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ userId: user.id, purpose: 'registration', consumedAt: null });
    expect(stored.expiresAt).toEqual(new Date(clock.now().getTime() + WEBAUTHN_CHALLENGE_TTL_MS));
  });

  it('stores the verified credential; list, OwnProfile, security strength, audit and mail know about it', async () => {
    const user = await newUser();
    const before = (await user.api.profile.me.query()).securityStrength.score;
    const passkey = await registerPasskey(user.api, 'Work laptop');
    expect(passkey).toMatchObject({
      name: 'Work laptop',
      lastUsedAt: null,
      backedUp: false,
      deviceType: 'singleDevice',
    });
    expect(await user.api.passkeys.list.query()).toEqual([passkey]);

    const me = await user.api.profile.me.query();
    expect(me.passkeyCount).toBe(1);
    expect(me.securityStrength.score).toBe(before + 35);
    expect(me.securityStrength.recommendations).not.toContain('Enable two-factor authentication');
    const info = await user.api.account.securityInfo.query();
    expect(info.passkeyCount).toBe(1);
    const events = (await user.api.account.securityEvents.query({ limit: 10 })).items.map((e) => e.type);
    expect(events).toContain('passkey_added');
    const notice = await mail.waitForMessageTo(user.email, 1);
    expect(notice.subject).toBe('A passkey was added to your userhub account');
  });

  it('refuses a response whose options were already used, and one from another origin', async () => {
    const user = await newUser();
    const options = await user.api.passkeys.registrationOptions.mutate();
    const response = await create(options);
    await user.api.passkeys.register.mutate({ response: response as never });
    const replay = await expectError(user.api.passkeys.register.mutate({ response: response as never }));
    expect(replay.reason).toBe('INVALID_TOKEN');

    const fresh = await user.api.passkeys.registrationOptions.mutate();
    const elsewhere = await create(fresh, foreignPage);
    const wrongOrigin = await expectError(
      user.api.passkeys.register.mutate({ response: elsewhere as never }),
    );
    expect(wrongOrigin.reason).toBe('PASSKEY_REJECTED');
    expect(wrongOrigin.message).toMatch(/origin/i);
    expect(await user.api.passkeys.list.query()).toHaveLength(1);
  });

  it('rejects unknown keys and malformed responses as 400 with the field', async () => {
    const user = await newUser();
    const bad = await expectError(
      user.api.passkeys.register.mutate({ response: { id: 'x' }, userId: user.id } as never),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.fieldErrors.userId).toEqual(['is not a field that can be set here']);
    expect(Object.keys(bad.fieldErrors).some((field) => field.startsWith('response.'))).toBe(true);
  });
});

describe('signing in with a passkey', () => {
  it('with no login (discoverable credential) and with a login, each a fresh session and the counter moving on', async () => {
    const user = await newUser();
    const passkey = await registerPasskey(user.api);

    const discoverable = await assertion();
    expect(discoverable.options.allowCredentials ?? []).toEqual([]);
    expect(discoverable.options.userVerification).toBe('required');
    const first = await server.client().auth.signInWithPasskey.mutate(submission(discoverable));
    expect(first.status).toBe('signed_in');
    expect(first.user.id).toBe(user.id);
    expect(first.token).not.toBe(user.token);

    const named = await assertion(user.email);
    expect(named.options.allowCredentials?.map((c) => c.id)).toHaveLength(1);
    const second = await server.client().auth.signInWithPasskey.mutate(submission(named));
    expect(second.user.id).toBe(user.id);

    const [listed] = await user.api.passkeys.list.query();
    expect(listed!.id).toBe(passkey.id);
    expect(listed!.lastUsedAt).toEqual(clock.now());
    const signIns = (await user.api.account.securityEvents.query({ limit: 20 })).items.filter(
      (e) => e.type === 'sign_in',
    );
    // Sign-up's own sign-in shares the fake clock's instant: look for this one, not at a position.
    expect(signIns.map((e) => e.details)).toContainEqual({ method: 'passkey' });
  });

  it('satisfies two-factor: an account with TOTP on gets a session straight away', async () => {
    const user = await newUser();
    const setup = await user.api.twoFactor.initiate.mutate({ method: 'totp' });
    const { totpCodeAt } = await import('../src/security/totp.js');
    const { decodeBase32IgnorePadding } = await import('@oslojs/encoding');
    await user.api.twoFactor.activate.mutate({
      code: totpCodeAt(decodeBase32IgnorePadding(setup.secret!), clock.now()),
    });
    await registerPasskey(user.api);
    const result = await server.client().auth.signInWithPasskey.mutate(submission(await assertion()));
    expect(result.status).toBe('signed_in');
    expect(result.user.twoFactor.enabled).toBe(true);
  });

  it('a challenge works once: the same challenge and assertion are refused the second time', async () => {
    const user = await newUser();
    await registerPasskey(user.api);
    const used = await assertion();
    await server.client().auth.signInWithPasskey.mutate(submission(used));
    const again = await expectError(server.client().auth.signInWithPasskey.mutate(submission(used)));
    expect(again.reason).toBe('INVALID_TOKEN');
    expect(again.fieldErrors.challengeId).toEqual(['is invalid, expired or already used']);
  });

  it('a replayed assertion is refused against a new challenge', async () => {
    const user = await newUser();
    await registerPasskey(user.api);
    const captured = await assertion();
    await server.client().auth.signInWithPasskey.mutate(submission(captured));
    const { challengeId } = await server.client().auth.passkeyOptions.mutate({});
    const replay = await expectError(
      server.client().auth.signInWithPasskey.mutate({ challengeId, response: captured.response }),
    );
    expect(replay.code).toBe('UNAUTHORIZED');
    expect(replay.reason).toBe('INVALID_CREDENTIALS');
    // The replay spent the new challenge too.
    const reuse = await expectError(
      server.client().auth.signInWithPasskey.mutate({ challengeId, response: captured.response }),
    );
    expect(reuse.reason).toBe('INVALID_TOKEN');
  });

  it('an assertion made on another origin is refused', async () => {
    const user = await newUser();
    // The foreign page has its own virtual authenticator: give it a credential for this account.
    const options = await user.api.passkeys.registrationOptions.mutate();
    const registration = await create(options);
    await user.api.passkeys.register.mutate({ response: registration as never });
    const stored = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    const credential = stored.credentials.find((c) => c.credentialId === toBase64(String(registration.id)));
    expect(credential).toBeDefined();
    // A valid signature by the right key: only the origin the browser recorded is wrong.
    await foreignCdp.send('WebAuthn.addCredential', {
      authenticatorId: foreignAuthenticatorId,
      credential: credential!,
    });

    const { challengeId, options: requestOptions } = await server.client().auth.passkeyOptions.mutate({});
    const elsewhere = await get(requestOptions, foreignPage);
    const refused = await expectError(
      server.client().auth.signInWithPasskey.mutate({ challengeId, response: elsewhere as never }),
    );
    expect(refused.reason).toBe('INVALID_CREDENTIALS');
  });

  it('a signature counter that goes backwards (a cloned authenticator) is refused', async () => {
    const user = await newUser();
    const registration = await registerPasskey(user.api);
    await server.client().auth.signInWithPasskey.mutate(submission(await assertion()));
    await server.client().auth.signInWithPasskey.mutate(submission(await assertion()));
    const row = await server.built.deps.db
      .selectFrom('passkeys')
      .select(['credentialId', 'counter'])
      .where('id', '=', registration.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBeGreaterThanOrEqual(2);

    // The same private key with its count set back: what a copy of the key made earlier would show.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    const original = credentials.find((c) => c.credentialId === toBase64(row.credentialId))!;
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original.credentialId });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...original, signCount: 0 } });
    const cloned = await expectError(
      server.client().auth.signInWithPasskey.mutate(submission(await assertion(user.email))),
    );
    expect(cloned.reason).toBe('INVALID_CREDENTIALS');
    const after = await server.built.deps.db
      .selectFrom('passkeys')
      .select('counter')
      .where('id', '=', registration.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.counter)).toBe(Number(row.counter));
  });

  it('a challenge expires after 5 minutes on the clock', async () => {
    const user = await newUser();
    await registerPasskey(user.api);
    const late = await assertion();
    clock.advance(WEBAUTHN_CHALLENGE_TTL_MS);
    const expired = await expectError(server.client().auth.signInWithPasskey.mutate(submission(late)));
    expect(expired.reason).toBe('INVALID_TOKEN');
    clock.advance(SECOND_MS);
  });

  it('a login names only that account: another account’s passkey is refused for it', async () => {
    const owner = await newUser();
    const other = await newUser();
    await registerPasskey(owner.api);
    await registerPasskey(other.api);
    // Options for `other`, answered with whatever credential the authenticator picks for a discoverable request.
    const { challengeId } = await server.client().auth.passkeyOptions.mutate({ login: other.email });
    const ownerAssertion = await assertion(owner.email);
    const mismatch = await expectError(
      server.client().auth.signInWithPasskey.mutate({ challengeId, response: ownerAssertion.response }),
    );
    expect(mismatch.reason).toBe('INVALID_CREDENTIALS');
  });

  it('a deactivated account is refused after the passkey checked out', async () => {
    const user = await newUser();
    await registerPasskey(user.api);
    await user.api.account.deactivate.mutate({ password: user.password });
    const locked = await expectError(
      server.client().auth.signInWithPasskey.mutate(submission(await assertion(user.email))),
    );
    expect(locked.reason).toBe('ACCOUNT_LOCKED');
  });
});

describe('managing passkeys', () => {
  it('renames and removes own passkeys only; a removed passkey no longer signs in', async () => {
    const user = await newUser();
    const stranger = await newUser();
    const passkey = await registerPasskey(user.api);
    expect((await user.api.passkeys.rename.mutate({ id: passkey.id, name: '  Phone  ' })).name).toBe('Phone');
    expect(
      (await expectError(stranger.api.passkeys.rename.mutate({ id: passkey.id, name: 'Mine' }))).reason,
    ).toBe('NOT_FOUND');
    expect((await expectError(stranger.api.passkeys.remove.mutate({ id: passkey.id }))).reason).toBe(
      'NOT_FOUND',
    );
    const badName = await expectError(
      user.api.passkeys.rename.mutate({ id: passkey.id, name: 'x'.repeat(65) }),
    );
    expect(badName.fieldErrors.name).toEqual(['Name must be at most 64 characters']);

    const captured = await assertion(user.email);
    // The password remains a way to sign in, so the account's only passkey may go.
    expect(await user.api.passkeys.remove.mutate({ id: passkey.id })).toEqual({ success: true });
    expect(await user.api.passkeys.list.query()).toEqual([]);
    expect((await user.api.profile.me.query()).passkeyCount).toBe(0);
    const gone = await expectError(server.client().auth.signInWithPasskey.mutate(submission(captured)));
    expect(gone.reason).toBe('INVALID_CREDENTIALS');
    const events = (await user.api.account.securityEvents.query({ limit: 20 })).items.map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['passkey_renamed', 'passkey_removed']));
  });

  it('needs a session', async () => {
    expect((await expectError(server.client().passkeys.list.query())).code).toBe('UNAUTHORIZED');
    expect((await expectError(server.client().passkeys.registrationOptions.mutate())).code).toBe(
      'UNAUTHORIZED',
    );
  });
});

/** CDP reports credential ids in standard base64; the browser and the server speak base64url. */
function toBase64(base64url: string): string {
  return Buffer.from(base64url, 'base64url').toString('base64');
}
