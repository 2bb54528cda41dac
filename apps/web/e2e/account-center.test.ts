import { readFile } from 'node:fs/promises';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { readUserhubError } from '@userhub/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, SECOND_MS } from '../../server/src/clock.js';
import { startTestServer, type TestServer, uniqueUser } from '../../server/test/harness.js';
import { type MailCatcher, startMailCatcher } from '../../server/test/mail-catcher.js';
import { capturePage, launchBrowser, useToken } from './browser.js';

/** RFC 6238 defaults, as an authenticator app applies them to the setup key it is given. */
const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;

let mail: MailCatcher;
let clock: ManualClock;
let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mail = await startMailCatcher();
  clock = new ManualClock();
  server = await startTestServer({ clock, env: { SMTP_URL: mail.smtpUrl } });
  browser = await launchBrowser();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await mail?.close();
});

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

/** What an authenticator app shows for `secret` at the server's (fake) time. */
function authenticatorCode(secret: string): string {
  const counter = BigInt(Math.floor(clock.now().getTime() / (TOTP_PERIOD_SECONDS * SECOND_MS)));
  return generateHOTP(decodeBase32IgnorePadding(secret), counter, TOTP_DIGITS);
}

async function signUpThroughApi() {
  const input = uniqueUser({ firstName: 'Ada', lastName: 'Lovelace' });
  const { token, user } = await server.client().auth.signUp.mutate(input);
  return { ...input, token, userName: user.userName };
}

async function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => window.localStorage.getItem('userhub.token'));
}

async function rejectionOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => readUserhubError(error)?.code,
  );
}

/** The error text a control points at with aria-describedby, i.e. the message shown with that field. */
async function errorShownWith(page: Page, label: string): Promise<string> {
  const control = page.getByLabel(label, { exact: true });
  await page.waitForFunction(
    (element) => element?.getAttribute('aria-invalid') === 'true',
    await control.elementHandle(),
  );
  const describedBy = (await control.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  expect(errorId, `${label} points at no error`).toBeDefined();
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? '';
}

async function meterValue(page: Page, name: string | RegExp): Promise<number> {
  return Number(await page.getByRole('meter', { name }).getAttribute('value'));
}

describe('the web account center in a real browser', () => {
  it('serves the app at / and for client routes, beside the API', async () => {
    const page = await openPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await capturePage(page, 'sign-in');

    await page.goto(`${server.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await capturePage(page, 'not-found');

    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('signs up, shows a field error next to its field, saves the profile and its public page', async () => {
    const page = await openPage();
    const user = uniqueUser({ firstName: 'Grace', lastName: 'Hopper' });
    await page.goto(`${server.url}/sign-up`);
    await capturePage(page, 'sign-up');

    await page.getByLabel('First name').fill(user.firstName);
    await page.getByLabel('Last name').fill(user.lastName);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await errorShownWith(page, 'Password')).toMatch(/at least/i);
    await capturePage(page, 'sign-up-field-error');

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${server.url}/profile`);
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    const token = await storedToken(page);
    expect(token).not.toBeNull();
    const api = server.client(token!);
    const before = await api.profile.me.query();
    expect(before.email).toBe(user.email);
    expect(await meterValue(page, 'Profile complete')).toBe(before.profileCompleteness);
    await capturePage(page, 'profile');

    await page.getByLabel('Headline', { exact: true }).fill('x'.repeat(150));
    await page.getByLabel('City').fill('Arlington');
    await page.getByRole('button', { name: 'Save profile' }).click();
    expect(await errorShownWith(page, 'Headline')).toBe('Headline must be at most 100 characters');
    await page.getByRole('alert').filter({ hasText: 'Please correct the fields marked below.' }).waitFor();
    await capturePage(page, 'profile-field-error');
    // Nothing of the refused update was written, not even the valid city.
    const unchanged = await api.profile.me.query();
    expect(unchanged.headline).toBeNull();
    expect(unchanged.contact.city).toBeNull();

    await page.getByLabel('Headline', { exact: true }).fill('Computer scientist');
    await page.getByLabel('Bio').fill('Wrote the first compiler.');
    await page.getByLabel('Location').fill('Arlington, Virginia');
    await page.getByLabel('Tags').fill('compilers, navy');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    const saved = await api.profile.me.query();
    expect(saved.headline).toBe('Computer scientist');
    expect(saved.contact.city).toBe('Arlington');
    expect(saved.tags.map((tag) => tag.name).sort()).toEqual(['compilers', 'navy']);
    expect(saved.profileCompleteness).toBeGreaterThan(before.profileCompleteness);
    await page.waitForFunction(
      (expected) => document.querySelector('meter')?.getAttribute('value') === String(expected),
      saved.profileCompleteness,
    );

    await page.getByRole('link', { name: `/u/${saved.userName}` }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    await page.getByText('Wrote the first compiler.').waitFor();
    await page.getByText('This is you').waitFor();
    // A full page load of a client route comes through the server's fallback to the app.
    await page.reload();
    await page.getByText('Computer scientist').first().waitFor();
    await capturePage(page, 'public-profile');

    const stranger = await openPage();
    await stranger.goto(`${server.url}/u/${saved.userName}`);
    await stranger.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    expect(await stranger.getByText('This is you').count()).toBe(0);
    expect(await stranger.content()).not.toContain(user.email);
  });

  it('verifies the email with the mailed code, turns on TOTP from the page, then signs in with the second factor', async () => {
    const user = await signUpThroughApi();
    const page = await openPage();
    await useToken(page, server.url, user.token);
    await page.goto(`${server.url}/security`);
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    const startScore = await meterValue(page, /^Security score/);
    await capturePage(page, 'security');

    await page.getByRole('button', { name: 'Send verification code' }).click();
    // The form for the code appears once the server has answered; the mail follows through the outbox.
    const codeField = page.getByLabel('Email verification code');
    await codeField.waitFor();
    await server.built.deps.outbox.drain();
    await codeField.fill(mail.latestCodeTo(user.email));
    await page.getByRole('button', { name: 'Verify email' }).click();
    await page.locator('#email').getByText('Verified').waitFor();
    await page.waitForFunction(
      (expected) => document.querySelector('#strength meter')?.getAttribute('value') === String(expected),
      startScore + 25,
    );

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await capturePage(page, 'two-factor-setup');
    await page.getByLabel('Code from the app').fill(authenticatorCode(secret));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    const recoveryCodes = await page
      .getByRole('list', { name: 'Recovery codes' })
      .locator('li')
      .allTextContents();
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
    await capturePage(page, 'recovery-codes');
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await page.locator('#two-factor').getByText('Signing in asks for an authenticator app.').waitFor();
    expect((await server.client(user.token).profile.me.query()).twoFactor).toEqual({
      enabled: true,
      method: 'totp',
    });
    expect(await page.locator('#strength').textContent()).not.toContain('Enable two-factor authentication');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.getByText('You are signed out.').waitFor();
    expect(await storedToken(page)).toBeNull();
    expect(await rejectionOf(server.client(user.token).profile.me.query())).toBe('UNAUTHORIZED');

    await page.getByLabel('Email or username').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-factor check' }).waitFor();
    expect(await storedToken(page)).toBeNull();
    await capturePage(page, 'sign-in-two-factor');
    // The activation code is spent; the app shows the next one a period later.
    clock.advance(TOTP_PERIOD_SECONDS * SECOND_MS);
    await page.getByLabel('Code', { exact: true }).fill(authenticatorCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${server.url}/profile`);
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    const secondFactorToken = await storedToken(page);
    expect((await server.client(secondFactorToken!).profile.me.query()).email).toBe(user.email);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.getByLabel('Email or username').fill(user.userName);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code', { exact: true }).fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${server.url}/profile`);
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
  });

  it('lists the sessions, revokes another one (its token dies) and signs out everywhere', async () => {
    const user = await signUpThroughApi();
    const other = await server.client().auth.signIn.mutate({ login: user.email, password: user.password });
    if (other.status !== 'signed_in') throw new Error('expected a session without two-factor');
    const page = await openPage();
    await useToken(page, server.url, user.token);
    await page.goto(`${server.url}/security`);
    const sessions = page.locator('#sessions li.session');
    await page.waitForFunction(() => document.querySelectorAll('#sessions li.session').length === 2);
    expect(await sessions.filter({ hasText: 'This device' }).count()).toBe(1);
    await capturePage(page, 'sessions');

    await page.getByRole('button', { name: /^Revoke session/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('#sessions li.session').length === 1);
    expect(await sessions.first().textContent()).toContain('This device');
    expect(await rejectionOf(server.client(other.token).profile.me.query())).toBe('UNAUTHORIZED');
    expect((await server.client(user.token).auth.sessions.query()).map((s) => s.current)).toEqual([true]);
    await page.locator('#events').getByText('Session revoked').waitFor();

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.getByText('Every session is signed out, this one too.').waitFor();
    expect(await rejectionOf(server.client(user.token).profile.me.query())).toBe('UNAUTHORIZED');
  });

  it('schedules the deletion only after the confirmation and the password, then cancels it from the sign-in screen', async () => {
    const user = await signUpThroughApi();
    const page = await openPage();
    await useToken(page, server.url, user.token);
    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await capturePage(page, 'account');

    await page.getByRole('button', { name: 'Delete account…' }).click();
    const confirm = page.getByRole('button', { name: 'Delete my account' });
    expect(await confirm.isDisabled()).toBe(true);
    await page
      .getByLabel('I understand that once the grace period ends, the deletion cannot be undone')
      .check();
    await page.locator('#delete').getByLabel('Password to confirm').fill('Not-The-Password-42');
    await confirm.click();
    expect(await errorShownWith(page, 'Password to confirm')).toBe('Password to confirm is incorrect');
    await capturePage(page, 'account-delete-confirm');
    expect((await server.client(user.token).profile.me.query()).email).toBe(user.email);

    await page.locator('#delete').getByLabel('Password to confirm').fill(user.password);
    await confirm.click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.getByText('Your account is scheduled for deletion on').waitFor();
    await capturePage(page, 'account-deletion-scheduled');
    expect(
      await rejectionOf(server.client().auth.signIn.mutate({ login: user.email, password: user.password })),
    ).toBe('FORBIDDEN');
    expect(await rejectionOf(server.client(user.token).profile.me.query())).toBe('UNAUTHORIZED');

    // Signing in during the grace period shows the date and the way back.
    await page.getByLabel('Email or username').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your account is scheduled for deletion' }).waitFor();
    await page.getByText('This account will be erased on').waitFor();
    await capturePage(page, 'sign-in-pending-deletion');
    await page.getByRole('button', { name: 'Cancel the deletion' }).click();
    await page.waitForURL(`${server.url}/profile`);
    const token = await storedToken(page);
    expect((await server.client(token!).profile.me.query()).isAccountLocked).toBe(false);
  });

  it('secures the account from the link in a security notice and asks for a password reset at sign-in', async () => {
    const user = await signUpThroughApi();
    const newPassword = 'Someone-Else-Chose-This-9';
    await server.client(user.token).account.changePassword.mutate({
      currentPassword: user.password,
      newPassword,
      confirmPassword: newPassword,
    });
    await expect.poll(() => mail.messagesTo(user.email).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const link = /\/not-me\?token=([A-Za-z0-9_-]+)/.exec(mail.messagesTo(user.email).at(-1)!.text);
    expect(link).not.toBeNull();

    const page = await openPage();
    await page.goto(`${server.url}/not-me?token=${link![1]}`);
    await page.getByRole('heading', { name: "This wasn't me", level: 1 }).waitFor();
    await capturePage(page, 'not-me');
    await page.getByRole('button', { name: 'Secure my account' }).click();
    await page.getByText('Your account is secured').waitFor();
    await page.getByText('we emailed a link to choose a new password').waitFor();
    await capturePage(page, 'not-me-secured');

    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email or username').fill(user.email);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Reset your password' }).waitFor();
    await capturePage(page, 'sign-in-reset-required');
    await expect
      .poll(() => mail.messagesTo(user.email).some((m) => m.text.includes('/reset-password?token=')), {
        timeout: 10_000,
      })
      .toBe(true);
  });

  it('shows the username history and downloads the data export after the password', async () => {
    const user = await signUpThroughApi();
    const oldName = user.userName;
    const newName = `renamed_${Date.now().toString(36)}`;
    await server.client(user.token).account.changeUsername.mutate({ username: newName });
    const signedIn = await server.client().auth.signIn.mutate({ login: newName, password: user.password });
    if (signedIn.status !== 'signed_in') throw new Error('expected a session');

    const page = await openPage();
    await useToken(page, server.url, signedIn.token);
    await page.goto(`${server.url}/account`);
    const history = page.getByRole('list', { name: 'Usernames you used, newest first' });
    await history.getByText(`@${oldName}`).waitFor();
    expect(await history.getByRole('listitem').count()).toBe(1);
    expect(await history.textContent()).toMatch(/reserved for you until/);

    const exportCard = page.locator('#export');
    await exportCard.getByLabel('Password to export').fill('Not-The-Password-42');
    await exportCard.getByRole('button', { name: 'Export my data' }).click();
    expect(await errorShownWith(page, 'Password to export')).toBe('Password to export is incorrect');

    await exportCard.getByLabel('Password to export').fill(user.password);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportCard.getByRole('button', { name: 'Export my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`userhub-export-${newName}.json`);
    const file = await download.path();
    const document = JSON.parse(await readFile(file, 'utf8'));
    expect(document.profile).toMatchObject({ userName: newName, email: user.email });
    expect(document.usernameHistory).toEqual([expect.objectContaining({ userName: oldName })]);
    expect(JSON.stringify(document)).not.toContain(user.password);
    await page.getByText('Your data export is downloaded.').waitFor();
    await page.locator('#username-history').scrollIntoViewIfNeeded();
    await capturePage(page, 'account-your-data');
  });

  it('deactivates the account after the password', async () => {
    const user = await signUpThroughApi();
    const page = await openPage();
    await useToken(page, server.url, user.token);
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'Deactivate account…' }).click();
    await page.getByLabel('Why are you leaving? (optional)').fill('Taking a break');
    await page.locator('#deactivate').getByLabel('Password to confirm').fill(user.password);
    await page.getByRole('button', { name: 'Deactivate my account' }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await page.getByText('Your account is deactivated.').waitFor();
    expect(await rejectionOf(server.client(user.token).profile.me.query())).toBe('UNAUTHORIZED');
  });

  it('resets a forgotten password through the mailed link and signs in with the new one', async () => {
    const user = await signUpThroughApi();
    const page = await openPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(`${server.url}/forgot-password`);
    await page.getByLabel('Email').fill(user.email);
    await capturePage(page, 'forgot-password');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a reset link is on its way').waitFor();

    await expect.poll(() => mail.messagesTo(user.email).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const link = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.messagesTo(user.email).at(-1)!.text);
    expect(link).not.toBeNull();
    await page.goto(`${server.url}/reset-password?token=${link![1]}`);
    const newPassword = 'Brand-New-Battery-42';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await capturePage(page, 'reset-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL(`${server.url}/profile`);

    expect(await rejectionOf(server.client(user.token).profile.me.query())).toBe('UNAUTHORIZED');
    const signedIn = await server.client().auth.signIn.mutate({ login: user.email, password: newPassword });
    expect(signedIn.status).toBe('signed_in');
  });
});

describe('under the Content Security Policy', () => {
  /** Chromium reports each blocked load or inline script on the console. */
  async function cspViolations(page: Page, url: string, rendered: string): Promise<string[]> {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(url);
    await page.waitForSelector(rendered);
    return violations;
  }

  it('/docs renders the operations with no CSP violation', async () => {
    const page = await openPage();
    expect(await cspViolations(page, `${server.url}/docs`, '.opblock')).toEqual([]);
  });

  it('the account center renders its sign-in page with no CSP violation', async () => {
    const page = await openPage();
    expect(await cspViolations(page, `${server.url}/sign-in`, 'input[type="password"]')).toEqual([]);
  });
});
