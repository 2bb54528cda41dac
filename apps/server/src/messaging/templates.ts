/**
 * Every text the service mails or texts, in one place. Pure functions: the caller supplies
 * the values (and the time), the template supplies the words. Values interpolated into
 * HTML are escaped; security notices take no secret at all, so none can end up in one.
 */

export interface MessageContent {
  subject: string;
  text: string;
  html: string;
}

export type CodePurpose =
  | 'email_verification'
  | 'email_change'
  | 'two_factor'
  | 'sign_in'
  | 'passwordless_sign_in'
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

const PRODUCT_NAME = 'userhub';

const CODE_PURPOSES: Record<CodePurpose, { subject: string; intro: string; ifNotYou: string }> = {
  email_verification: {
    subject: `Your ${PRODUCT_NAME} verification code`,
    intro: `Use this code to verify the email address of your ${PRODUCT_NAME} account:`,
    ifNotYou: 'If you did not ask to verify this address, you can ignore this email.',
  },
  email_change: {
    subject: `Confirm your new ${PRODUCT_NAME} email address`,
    intro: `Use this code to confirm this address as the new email address of your ${PRODUCT_NAME} account:`,
    ifNotYou: 'If you did not ask to change your email address, you can ignore this email; nothing changes.',
  },
  two_factor: {
    subject: `Your ${PRODUCT_NAME} two-step verification code`,
    intro: `Use this code to confirm the change to two-step verification on your ${PRODUCT_NAME} account:`,
    ifNotYou:
      'If you did not ask for this code, you can ignore this email; nothing changes. ' +
      'Someone may be signed in to your account, so consider changing your password.',
  },
  sign_in: {
    subject: `Your ${PRODUCT_NAME} sign-in code`,
    intro: `Use this code to finish signing in to your ${PRODUCT_NAME} account:`,
    ifNotYou:
      'If you did not try to sign in, you can ignore this email, but someone knows your password: ' +
      'change it as soon as you can.',
  },
  passwordless_sign_in: {
    subject: `Your ${PRODUCT_NAME} sign-in code`,
    intro: `Use this code to sign in to your ${PRODUCT_NAME} account without your password:`,
    ifNotYou: 'If you did not ask to sign in, you can ignore this email: without the code nobody can use it.',
  },
  password_reset: {
    subject: `Your ${PRODUCT_NAME} password reset code`,
    intro: `Your account has two-step verification on. Use this code to finish resetting your ${PRODUCT_NAME} password:`,
    ifNotYou:
      'If you did not ask to reset your password, someone can read this mailbox and is trying to: ' +
      'secure the mailbox and contact support.',
  },
};

const ADVICE_IF_NOT_YOU =
  'If this was not you, reset your password right away, sign out of all sessions and contact support.';

const SECURITY_EVENTS: Record<SecurityEvent, { subject: string; what: string; ifNotYou: string }> = {
  password_changed: {
    subject: `Your ${PRODUCT_NAME} password was changed`,
    what: `The password of your ${PRODUCT_NAME} account was changed`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
  username_changed: {
    subject: `Your ${PRODUCT_NAME} username was changed`,
    what: `The username of your ${PRODUCT_NAME} account was changed`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
  email_changed: {
    subject: `Your ${PRODUCT_NAME} email address was changed`,
    what: `The email address of your ${PRODUCT_NAME} account was changed, so this address will no longer receive its messages`,
    ifNotYou:
      'If this was not you, contact support right away: whoever made the change may be able to ' +
      'take over the account.',
  },
  two_factor_enabled: {
    subject: `Two-step verification was turned on for your ${PRODUCT_NAME} account`,
    what: `Two-step verification was turned on for your ${PRODUCT_NAME} account`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
  two_factor_disabled: {
    subject: `Two-step verification was turned off for your ${PRODUCT_NAME} account`,
    what: `Two-step verification was turned off for your ${PRODUCT_NAME} account`,
    ifNotYou: `${ADVICE_IF_NOT_YOU} Then turn two-step verification back on.`,
  },
  account_deactivated: {
    subject: `Your ${PRODUCT_NAME} account was deactivated`,
    what: `Your ${PRODUCT_NAME} account was deactivated; your data is kept but your profile is hidden`,
    ifNotYou: 'If this was not you, contact support to restore the account, then change your password.',
  },
  password_reset: {
    subject: `Your ${PRODUCT_NAME} password was reset`,
    what: `The password of your ${PRODUCT_NAME} account was reset with a link sent to this address, and every session was signed out`,
    ifNotYou:
      'If this was not you, someone can read this mailbox: secure it, reset your password again and contact support.',
  },
  passkey_added: {
    subject: `A passkey was added to your ${PRODUCT_NAME} account`,
    what: `A new passkey was added to your ${PRODUCT_NAME} account; it can sign in without a password`,
    ifNotYou: `${ADVICE_IF_NOT_YOU} Then remove the passkey you do not recognise.`,
  },
  passkey_removed: {
    subject: `A passkey was removed from your ${PRODUCT_NAME} account`,
    what: `A passkey was removed from your ${PRODUCT_NAME} account`,
    ifNotYou: ADVICE_IF_NOT_YOU,
  },
};

export function verificationCodeMessage({
  code,
  purpose,
  minutesValid,
}: {
  code: string;
  purpose: CodePurpose;
  minutesValid: number;
}): MessageContent {
  const { subject, intro, ifNotYou } = CODE_PURPOSES[purpose];
  const expiry = `The code expires in ${formatMinutes(minutesValid)}. Do not share it with anyone.`;
  return {
    subject,
    text: `${intro}\n\n    ${code}\n\n${expiry}\n\n${ifNotYou}\n`,
    html: htmlDocument(
      subject,
      `<p>${escapeHtml(intro)}</p>\n` +
        `<p style="font-size:24px;font-weight:bold;letter-spacing:4px">${escapeHtml(code)}</p>\n` +
        `<p>${escapeHtml(expiry)}</p>\n` +
        `<p>${escapeHtml(ifNotYou)}</p>`,
    ),
  };
}

export function phoneCodeSms({ code, minutesValid }: { code: string; minutesValid: number }): string {
  return `${code} is your ${PRODUCT_NAME} code. It expires in ${formatMinutes(minutesValid)}. Do not share it. If you did not ask for it, ignore this message.`;
}

export function securityNoticeMessage({ event, at }: { event: SecurityEvent; at: Date }): MessageContent {
  const { subject, what, ifNotYou } = SECURITY_EVENTS[event];
  const when = at.toISOString();
  const whatAndWhen = `${what} at ${when} (UTC).`;
  const ifYou = 'If this was you, there is nothing more to do.';
  return {
    subject,
    text: `${whatAndWhen}\n\n${ifYou}\n\n${ifNotYou}\n`,
    html: htmlDocument(
      subject,
      `<p>${escapeHtml(whatAndWhen)}</p>\n<p>${escapeHtml(ifYou)}</p>\n<p>${escapeHtml(ifNotYou)}</p>`,
    ),
  };
}

function formatMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

function htmlDocument(title: string, body: string): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * The reset link mail. The link carries the token, so the message is one more secret that
 * never reaches a log (the log mailer prints bodies only in development).
 */
export function passwordResetMessage({
  resetUrl,
  minutesValid,
}: {
  resetUrl: string;
  minutesValid: number;
}): MessageContent {
  const subject = `Reset your ${PRODUCT_NAME} password`;
  const intro = `Someone asked to reset the password of the ${PRODUCT_NAME} account of this address. To choose a new password, open this link:`;
  const expiry = `The link works once and expires in ${formatMinutes(minutesValid)}. Resetting signs out every session.`;
  const ifNotYou = 'If you did not ask for this, ignore this email; your password stays as it is.';
  return {
    subject,
    text: `${intro}\n\n    ${resetUrl}\n\n${expiry}\n\n${ifNotYou}\n`,
    html: htmlDocument(
      subject,
      `<p>${escapeHtml(intro)}</p>\n` +
        `<p><a href="${escapeHtml(resetUrl)}">${escapeHtml(resetUrl)}</a></p>\n` +
        `<p>${escapeHtml(expiry)}</p>\n` +
        `<p>${escapeHtml(ifNotYou)}</p>`,
    ),
  };
}
