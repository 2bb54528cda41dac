import { describe, expect, it } from 'vitest';
import {
  formatDateForPeople,
  MINUTE_MS,
  newPhoneNumber,
  OTP_TTL_MS,
  type SignedUpUser as User,
  uniqueUser,
  useTestServer,
} from './harness.js';

/**
 * The credential flows of SPEC §3 through the SDK: messaging over real SMTP and an SMS
 * webhook, password change, email verification, email change, phone linking, security info.
 */

const MAIL_FROM = 'userhub <no-reply@userhub.test>';
const security = useTestServer({ clock: true, mail: true, sms: true, ownAddress: true, env: { MAIL_FROM } });
const { clock, secrets, client, expectError, expectSignedOut, expectNoSecretsLeaked } = security;
const { signUp, signIn, verifyEmail } = security.users;

const maskedEmail = (email: string) => `${email.slice(0, 3)}***${email.slice(email.indexOf('@'))}`;

async function verifyPhone(user: User, phoneNumber = newPhoneNumber()) {
  const { tempToken } = await user.client.account.requestPhoneVerification.mutate({ phoneNumber });
  secrets.add(tempToken);
  return user.client.account.verifyPhone.mutate({ tempToken, code: security.sms.latestCodeTo(phoneNumber) });
}

describe('messaging', () => {
  it('mails through the SMTP server from MAIL_FROM, and texts by POSTing {to, body} to the webhook', async () => {
    const user = await signUp();
    await user.client.account.requestEmailVerification.mutate();
    const [mail] = security.mail.messagesTo(user.email);
    expect(mail).toBeDefined();
    expect(mail!.to).toEqual([user.email.toLowerCase()]);
    expect(mail!.raw).toMatch(new RegExp(`^From: ${MAIL_FROM}\\r$`, 'm'));
    expect(mail!.raw).toMatch(new RegExp(`^To: ${user.email}\\r$`, 'm'));
    expect(mail!.subject).toBe('Your userhub verification code');
    expect(mail!.html).toContain(security.mail.latestCodeTo(user.email));

    const phoneNumber = newPhoneNumber();
    await user.client.account.requestPhoneVerification.mutate({ phoneNumber });
    const [sms] = security.sms.messagesTo(phoneNumber);
    expect(sms).toBeDefined();
    const code = security.sms.latestCodeTo(phoneNumber);
    expect(code).toMatch(/^\d{6}$/);
    expect(sms!.body).toBe(
      `${code} is your userhub code. It expires in 10 minutes. Do not share it. If you did not ask for it, ignore this message.`,
    );
  });
});

describe('account.changePassword', () => {
  it('refuses a wrong current password with UNAUTHORIZED and changes nothing', async () => {
    const user = await signUp();
    const error = await expectError(
      user.client.account.changePassword.mutate({
        currentPassword: 'Not-The-Password-1',
        newPassword: 'Fresh-Harbor-42-Lantern',
        confirmPassword: 'Fresh-Harbor-42-Lantern',
      }),
    );
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.reason).toBe('INVALID_CREDENTIALS');
    expect(error.fieldErrors.currentPassword).toEqual(['is incorrect']);
    expect((await user.client.profile.me.query()).id).toBe(user.id);
    expect(security.mail.messagesTo(user.email)).toHaveLength(0);
    expect((await signIn(user.email, user.password)).token).toBeTruthy();
  });

  it('refuses a confirmation that does not match with BAD_REQUEST on confirmPassword', async () => {
    const user = await signUp();
    const error = await expectError(
      user.client.account.changePassword.mutate({
        currentPassword: user.password,
        newPassword: 'Fresh-Harbor-42-Lantern',
        confirmPassword: 'Fresh-Harbor-42-Lanterns',
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors).toEqual({ confirmPassword: ['Passwords do not match'] });
  });

  it('refuses a new password that breaks the policy with BAD_REQUEST naming each broken rule', async () => {
    const user = await signUp();
    const weak = await expectError(
      user.client.account.changePassword.mutate({
        currentPassword: user.password,
        newPassword: 'password1',
        confirmPassword: 'password1',
      }),
    );
    expect(weak.code).toBe('BAD_REQUEST');
    expect(weak.fieldErrors.newPassword).toEqual(
      expect.arrayContaining([
        'Password must contain an upper-case letter',
        'Password is too common: choose one that is harder to guess',
      ]),
    );

    // The personal-info rules need the account: the server adds them.
    const personal = `${user.userName.toUpperCase()}-9x`;
    const withUsername = await expectError(
      user.client.account.changePassword.mutate({
        currentPassword: user.password,
        newPassword: personal,
        confirmPassword: personal,
      }),
    );
    expect(withUsername.code).toBe('BAD_REQUEST');
    expect(withUsername.fieldErrors.newPassword).toContain('Password must not contain your username');

    const same = await expectError(
      user.client.account.changePassword.mutate({
        currentPassword: user.password,
        newPassword: user.password,
        confirmPassword: user.password,
      }),
    );
    expect(same.fieldErrors.newPassword).toEqual([
      'New password must be different from the current password',
    ]);
    expect((await signIn(user.email, user.password)).token).toBeTruthy();
  });

  it('on success ends every session, mails a notice to the account and takes the new password', async () => {
    const user = await signUp();
    const second = await signIn(user.userName, user.password);
    clock.advance(MINUTE_MS);
    const newPassword = 'Fresh-Harbor-42-Lantern';
    secrets.add(newPassword);

    expect(
      await user.client.account.changePassword.mutate({
        currentPassword: user.password,
        newPassword,
        confirmPassword: newPassword,
      }),
    ).toEqual({ success: true });
    const changedAt = clock.now();

    await expectSignedOut(user.token);
    await expectSignedOut(second.token);

    const notices = security.mail.messagesTo(user.email);
    expect(notices.map((m) => m.subject)).toEqual(['Your userhub password was changed']);
    expect(notices[0]!.text).toContain(formatDateForPeople(changedAt));

    const wrong = await expectError(
      client().auth.signIn.mutate({ login: user.email, password: user.password }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    const fresh = await signIn(user.email, newPassword);
    expect(await fresh.client.auth.sessions.query()).toHaveLength(1);
    expect((await fresh.client.account.securityInfo.query()).lastPasswordChange).toEqual(changedAt);
  });
});

describe('email verification', () => {
  it('requestEmailVerification answers {tempToken, expiresAt, masked email}; verifyEmail marks the address verified', async () => {
    const user = await signUp();
    const answer = await user.client.account.requestEmailVerification.mutate();
    secrets.add(answer.tempToken);
    expect(answer).toEqual({
      tempToken: expect.stringMatching(/^[a-z2-7]{32}$/),
      expiresAt: new Date(clock.now().getTime() + OTP_TTL_MS),
      email: maskedEmail(user.email),
    });

    const me = await user.client.account.verifyEmail.mutate({
      tempToken: answer.tempToken,
      code: security.mail.latestCodeTo(user.email),
    });
    expect(me.emailVerified).toBe(true);
    expect(me.emailVerifiedAt).toEqual(clock.now());
    expect((await user.client.account.securityInfo.query()).isEmailVerified).toBe(true);

    const again = await expectError(user.client.account.requestEmailVerification.mutate());
    expect(again.code).toBe('BAD_REQUEST');
    expect(again.reason).toBe('ALREADY_VERIFIED');
  });
});

describe('email change', () => {
  it('needs the password', async () => {
    const user = await signUp();
    const newEmail = uniqueUser().email;
    const error = await expectError(
      user.client.account.requestEmailChange.mutate({ newEmail, password: 'Not-The-Password-1' }),
    );
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.fieldErrors.password).toEqual(['is incorrect']);
    expect(security.mail.messagesTo(newEmail)).toHaveLength(0);
  });

  it('mails the code to the new address and changes nothing until it is confirmed', async () => {
    const user = await signUp();
    const newEmail = uniqueUser().email;
    const answer = await user.client.account.requestEmailChange.mutate({ newEmail, password: user.password });
    secrets.add(answer.tempToken);
    expect(answer.email).toBe(maskedEmail(newEmail));
    expect(answer.expiresAt).toEqual(new Date(clock.now().getTime() + OTP_TTL_MS));

    const toNew = security.mail.messagesTo(newEmail);
    expect(toNew.map((m) => m.subject)).toEqual(['Confirm your new userhub email address']);
    const code = security.mail.latestCodeTo(newEmail);
    expect(security.mail.messagesTo(user.email)).toHaveLength(0);

    // Nothing has changed yet.
    expect((await user.client.profile.me.query()).email).toBe(user.email);
    expect(
      (await expectError(client().auth.signIn.mutate({ login: newEmail, password: user.password }))).code,
    ).toBe('UNAUTHORIZED');

    clock.advance(MINUTE_MS);
    const me = await user.client.account.confirmEmailChange.mutate({ tempToken: answer.tempToken, code });
    expect(me.email).toBe(newEmail);
    expect(me.emailVerified).toBe(true);
    expect(me.emailVerifiedAt).toEqual(clock.now());

    const notices = security.mail.messagesTo(user.email);
    expect(notices.map((m) => m.subject)).toEqual(['Your userhub email address was changed']);
    expect(notices[0]!.text).toContain(formatDateForPeople(clock.now()));

    expect((await signIn(newEmail, user.password)).token).toBeTruthy();
    expect(
      (await expectError(client().auth.signIn.mutate({ login: user.email, password: user.password }))).code,
    ).toBe('UNAUTHORIZED');
    // The code was single-use.
    expect(
      (
        await expectError(
          user.client.account.confirmEmailChange.mutate({ tempToken: answer.tempToken, code }),
        )
      ).reason,
    ).toBe('INVALID_CODE');
  });

  it('answers alike for an address another account uses, but never mails it a code', async () => {
    const user = await signUp();
    const owner = await signUp();
    const answer = await user.client.account.requestEmailChange.mutate({
      newEmail: owner.email,
      password: user.password,
    });
    secrets.add(answer.tempToken);
    expect(answer).toEqual({
      tempToken: expect.stringMatching(/^[a-z2-7]{32}$/),
      expiresAt: new Date(clock.now().getTime() + OTP_TTL_MS),
      email: maskedEmail(owner.email),
    });
    expect(security.mail.messagesTo(owner.email)).toHaveLength(0);
    const guessed = await expectError(
      user.client.account.confirmEmailChange.mutate({ tempToken: answer.tempToken, code: '123456' }),
    );
    expect(guessed.code).toBe('BAD_REQUEST');
    expect((await user.client.profile.me.query()).email).toBe(user.email);
  });

  it("refuses the account's own address", async () => {
    const user = await signUp();
    const error = await expectError(
      user.client.account.requestEmailChange.mutate({
        newEmail: user.email.toUpperCase(),
        password: user.password,
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors.newEmail).toEqual(['is already the address of this account']);
  });
});

describe('phone linking', () => {
  it('texts a code to the number; verifyPhone links it as verified', async () => {
    const user = await signUp();
    const phoneNumber = newPhoneNumber();
    // Typed the way people write it; stored and texted in E.164.
    const typed = `+44 20 7946 ${phoneNumber.slice(-4)}`;
    const answer = await user.client.account.requestPhoneVerification.mutate({ phoneNumber: typed });
    secrets.add(answer.tempToken);
    expect(answer.phone).toBe(`+44*******${phoneNumber.slice(-3)}`);
    expect(answer.expiresAt).toEqual(new Date(clock.now().getTime() + OTP_TTL_MS));
    const code = security.sms.latestCodeTo(phoneNumber);
    expect(security.mail.messagesTo(user.email)).toHaveLength(0);

    const before = await user.client.profile.me.query();
    expect(before.phoneNumber).toBeNull();
    expect(before.phoneVerified).toBe(false);

    const wrong = await expectError(
      user.client.account.verifyPhone.mutate({
        tempToken: answer.tempToken,
        code: code === '000000' ? '111111' : '000000',
      }),
    );
    expect(wrong.reason).toBe('INVALID_CODE');
    expect((await user.client.profile.me.query()).phoneVerified).toBe(false);

    const me = await user.client.account.verifyPhone.mutate({ tempToken: answer.tempToken, code });
    expect(me.phoneNumber).toBe(phoneNumber);
    expect(me.phoneVerified).toBe(true);
    expect((await user.client.account.securityInfo.query()).isPhoneVerified).toBe(true);
  });

  it('refuses a number that cannot receive a text', async () => {
    const user = await signUp();
    const error = await expectError(
      user.client.account.requestPhoneVerification.mutate({ phoneNumber: '+44 12' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors.phoneNumber).toBeDefined();
    expect(security.sms.messagesTo('+4412')).toHaveLength(0);
  });
});

describe('account.securityInfo', () => {
  it('starts at 15 VERY_WEAK: only the password set at sign-up counts', async () => {
    const user = await signUp();
    const info = await user.client.account.securityInfo.query();
    expect(info).toMatchObject({
      isEmailVerified: false,
      isPhoneVerified: false,
      isTwoFactorEnabled: false,
      isAccountLocked: false,
      roles: ['user'],
    });
    expect(info.accountCreatedAt).toEqual(clock.now());
    expect(info.securityStrength).toMatchObject({
      score: 15,
      level: 'VERY_WEAK',
      recommendations: [
        'Verify your email address',
        'Verify your phone number',
        'Enable two-factor authentication',
      ],
    });
  });

  it('email + phone verified + recent password = 65 MEDIUM recommending 2FA; all four = 100 STRONG', async () => {
    const user = await signUp();
    await verifyEmail(user);
    await verifyPhone(user);
    const medium = await user.client.account.securityInfo.query();
    expect(medium.isEmailVerified && medium.isPhoneVerified).toBe(true);
    expect(medium.securityStrength).toMatchObject({
      score: 65,
      level: 'MEDIUM',
      recommendations: ['Enable two-factor authentication'],
    });

    await user.client.twoFactor.enableWithPassword.mutate({ password: user.password });
    const strong = await user.client.account.securityInfo.query();
    expect(strong.isTwoFactorEnabled).toBe(true);
    expect(strong.securityStrength).toMatchObject({ score: 100, level: 'STRONG', recommendations: [] });
    expect((await user.client.profile.me.query()).securityStrength).toEqual(strong.securityStrength);
  });
});

describe('log hygiene', () => {
  it('no log line or error message of this file carries a code, token or password', () => {
    expectNoSecretsLeaked({ codesSentMoreThan: 5 });
  });
});
