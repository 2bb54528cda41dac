/**
 * Every text the service mails or texts, in one place. Pure functions: the caller supplies
 * the values (and the time), the template supplies the words and mail-layout.ts the look.
 * Values interpolated into HTML are escaped there; security notices take no secret at all,
 * so none can end up in one.
 */

import type { CodePurpose } from '@userhub/core';
import {
  DEFAULT_BRAND,
  formatDateForPeople,
  type MailBlock,
  type MailBrand,
  renderMail,
} from './mail-layout.js';

export interface MessageContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The purposes whose codes are mailed, each with its own wording (setting up 2FA reads as any 2FA
 * change); `password_reset` is the second-factor code a reset with emailed 2FA needs.
 */
export type MailedCodePurpose =
  | Extract<
      CodePurpose,
      'email_verification' | 'email_change' | 'two_factor' | 'sign_in' | 'passwordless_sign_in'
    >
  | 'password_reset';

export type SecurityEvent =
  | 'password_changed'
  | 'username_changed'
  | 'email_changed'
  | 'two_factor_enabled'
  | 'two_factor_disabled'
  | 'account_deactivated'
  | 'password_reset'
  | 'passkey_added'
  | 'passkey_removed';

interface CodeWording {
  subject: (product: string) => string;
  intro: (product: string) => string;
  ifNotYou: string;
}

const CODE_PURPOSES: Record<MailedCodePurpose, CodeWording> = {
  email_verification: {
    subject: (product) => `Your ${product} verification code`,
    intro: (product) => `Use this code to verify the email address of your ${product} account:`,
    ifNotYou: 'If you did not ask to verify this address, you can ignore this email.',
  },
  email_change: {
    subject: (product) => `Confirm your new ${product} email address`,
    intro: (product) =>
      `Use this code to confirm this address as the new email address of your ${product} account:`,
    ifNotYou: 'If you did not ask to change your email address, you can ignore this email; nothing changes.',
  },
  two_factor: {
    subject: (product) => `Your ${product} two-step verification code`,
    intro: (product) =>
      `Use this code to confirm the change to two-step verification on your ${product} account:`,
    ifNotYou:
      'If you did not ask for this code, you can ignore this email; nothing changes. ' +
      'Someone may be signed in to your account, so consider changing your password.',
  },
  sign_in: {
    subject: (product) => `Your ${product} sign-in code`,
    intro: (product) => `Use this code to finish signing in to your ${product} account:`,
    ifNotYou:
      'If you did not try to sign in, you can ignore this email, but someone knows your password: ' +
      'change it as soon as you can.',
  },
  passwordless_sign_in: {
    subject: (product) => `Your ${product} sign-in code`,
    intro: (product) => `Use this code to sign in to your ${product} account without your password:`,
    ifNotYou: 'If you did not ask to sign in, you can ignore this email: without the code nobody can use it.',
  },
  password_reset: {
    subject: (product) => `Your ${product} password reset code`,
    intro: (product) =>
      `Your account has two-step verification on. Use this code to finish resetting your ${product} password:`,
    ifNotYou:
      'If you did not ask to reset your password, someone can read this mailbox and is trying to: ' +
      'secure the mailbox and contact support.',
  },
};

const ADVICE_IF_NOT_YOU =
  'If this was not you, reset your password right away, sign out of all sessions and contact support.';

interface NoticeWording {
  subject: (product: string) => string;
  /** The sentence saying what happened, with the time in it. */
  what: (product: string, when: string) => string;
  ifNotYou: string;
}

const SECURITY_EVENTS: Record<SecurityEvent, NoticeWording> = {
  password_changed: {
    subject: (product) => `Your ${product} password was changed`,
    what: (product, when) => `The password of your ${product} account was changed on ${when}.`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
  username_changed: {
    subject: (product) => `Your ${product} username was changed`,
    what: (product, when) => `The username of your ${product} account was changed on ${when}.`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
  email_changed: {
    subject: (product) => `Your ${product} email address was changed`,
    what: (product, when) =>
      `The email address of your ${product} account was changed on ${when}, so this address will no longer receive its messages.`,
    ifNotYou:
      'If this was not you, contact support right away: whoever made the change may be able to ' +
      'take over the account.',
  },
  two_factor_enabled: {
    subject: (product) => `Two-step verification was turned on for your ${product} account`,
    what: (product, when) => `Two-step verification was turned on for your ${product} account on ${when}.`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
  two_factor_disabled: {
    subject: (product) => `Two-step verification was turned off for your ${product} account`,
    what: (product, when) => `Two-step verification was turned off for your ${product} account on ${when}.`,
    ifNotYou: `${ADVICE_IF_NOT_YOU} Then turn two-step verification back on.`,
  },
  account_deactivated: {
    subject: (product) => `Your ${product} account was deactivated`,
    what: (product, when) =>
      `Your ${product} account was deactivated on ${when}. Your data is kept, but your profile is hidden from everyone until the account is restored.`,
    ifNotYou: 'If this was not you, contact support to restore the account, then change your password.',
  },
  password_reset: {
    subject: (product) => `Your ${product} password was reset`,
    what: (product, when) =>
      `The password of your ${product} account was reset on ${when} with a link sent to this address, and every session was signed out.`,
    ifNotYou:
      'If this was not you, someone can read this mailbox: secure it, reset your password again and contact support.',
  },
  passkey_added: {
    subject: (product) => `A passkey was added to your ${product} account`,
    what: (product, when) =>
      `A new passkey was added to your ${product} account on ${when}; it can sign in without a password.`,
    ifNotYou: `${ADVICE_IF_NOT_YOU} Then remove the passkey you do not recognise.`,
  },
  passkey_removed: {
    subject: (product) => `A passkey was removed from your ${product} account`,
    what: (product, when) => `A passkey was removed from your ${product} account on ${when}.`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
};

export function verificationCodeMessage({
  code,
  purpose,
  minutesValid,
  brand = DEFAULT_BRAND,
}: {
  code: string;
  purpose: MailedCodePurpose;
  minutesValid: number;
  brand?: MailBrand;
}): MessageContent {
  const wording = CODE_PURPOSES[purpose];
  const subject = wording.subject(brand.productName);
  const expiry = `The code expires in ${formatMinutes(minutesValid)}. Do not share it with anyone.`;
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: wording.intro(brand.productName) },
    { kind: 'code', code },
    { kind: 'paragraph', text: expiry },
    { kind: 'note', text: wording.ifNotYou },
  ];
  // The preheader names the purpose, never the code: inbox previews are seen over shoulders.
  return { subject, ...renderMail({ brand, title: subject, preheader: expiry, blocks }) };
}

export function phoneCodeSms({
  code,
  minutesValid,
  brand = DEFAULT_BRAND,
}: {
  code: string;
  minutesValid: number;
  brand?: MailBrand;
}): string {
  return `${code} is your ${brand.productName} code. It expires in ${formatMinutes(minutesValid)}. Do not share it. If you did not ask for it, ignore this message.`;
}

/**
 * `notMeUrl` is the one-time "this wasn't me" link (SPEC §9): following it locks the account
 * until a password reset and, for an email change, brings the old address back.
 */
export function securityNoticeMessage({
  event,
  at,
  notMeUrl,
  brand = DEFAULT_BRAND,
}: {
  event: SecurityEvent;
  at: Date;
  notMeUrl?: string | undefined;
  brand?: MailBrand;
}): MessageContent {
  const wording = SECURITY_EVENTS[event];
  const subject = wording.subject(brand.productName);
  const what = wording.what(brand.productName, formatDateForPeople(at));
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: what },
    { kind: 'paragraph', text: 'If this was you, there is nothing more to do.' },
    { kind: 'button', label: `Open your ${brand.productName} account`, href: `${brand.publicUrl}/` },
    ...(notMeUrl === undefined
      ? [{ kind: 'note', text: wording.ifNotYou } as const]
      : ([
          {
            kind: 'paragraph',
            text:
              'If this was not you, open this link: it signs everyone out, undoes an email change and ' +
              'mails you a link to choose a new password. It works once, for 7 days.',
          },
          { kind: 'button', label: 'This was not me', href: notMeUrl },
          { kind: 'paragraph', text: notMeUrl },
        ] as const)),
  ];
  return { subject, ...renderMail({ brand, title: subject, preheader: what, blocks }) };
}

/** SPEC §9: the notice that a deletion is scheduled, with its date and how to undo it. */
export function deletionScheduledMessage({
  scheduledFor,
  cancelUrl,
  brand = DEFAULT_BRAND,
}: {
  scheduledFor: Date;
  cancelUrl: string;
  brand?: MailBrand;
}): MessageContent {
  const product = brand.productName;
  const subject = `Your ${product} account will be deleted on ${formatDateForPeople(scheduledFor)}`;
  const what = `Your ${product} account is scheduled for deletion on ${formatDateForPeople(scheduledFor)}. Until then it is hidden from everyone and every session is signed out; after that date it and its data are erased for good.`;
  const blocks: MailBlock[] = [
    { kind: 'paragraph', text: what },
    {
      kind: 'paragraph',
      text: 'Changed your mind? Sign in with your username or email and password before that date and choose "Cancel the deletion": everything comes back as it was.',
    },
    { kind: 'button', label: 'Keep my account', href: cancelUrl },
    {
      kind: 'note',
      text: 'If you did not ask for this, someone knows your password: cancel the deletion, then change your password.',
    },
  ];
  return { subject, ...renderMail({ brand, title: subject, preheader: what, blocks }) };
}

function formatMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * The reset link mail. The link carries the token, so the message is one more secret that
 * never reaches a log (the log mailer prints bodies only in development).
 */
export function passwordResetMessage({
  resetUrl,
  minutesValid,
  brand = DEFAULT_BRAND,
}: {
  resetUrl: string;
  minutesValid: number;
  brand?: MailBrand;
}): MessageContent {
  const product = brand.productName;
  const subject = `Reset your ${product} password`;
  const expiry = `The link works once and expires in ${formatMinutes(minutesValid)}. Resetting signs out every session.`;
  const blocks: MailBlock[] = [
    {
      kind: 'paragraph',
      text: `Someone asked to reset the password of the ${product} account of this address. To choose a new password, open this link:`,
    },
    { kind: 'button', label: 'Choose a new password', href: resetUrl },
    { kind: 'paragraph', text: resetUrl },
    { kind: 'paragraph', text: expiry },
    { kind: 'note', text: 'If you did not ask for this, ignore this email; your password stays as it is.' },
  ];
  return { subject, ...renderMail({ brand, title: subject, preheader: expiry, blocks }) };
}
