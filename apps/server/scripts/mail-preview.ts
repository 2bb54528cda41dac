/**
 * `pnpm mail:preview`: renders every mail and SMS template with sample values into
 * `.mail-preview/` (HTML, plain text, and an index page), for a look in a browser or a
 * mail client. PRODUCT_NAME and PUBLIC_URL apply as they would on the server.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import {
  escapeHtml,
  type MailedCodePurpose,
  type MessageContent,
  phoneCodeSms,
  type SecurityEvent,
  securityNoticeMessage,
  verificationCodeMessage,
} from '../src/messaging/index.js';

const OUTPUT_DIR = fileURLToPath(new URL('../.mail-preview/', import.meta.url));
const SAMPLE_CODE = '482916';
const SAMPLE_TIME = new Date('2026-12-01T10:30:45.866Z');

const CODE_PURPOSES: MailedCodePurpose[] = ['email_verification', 'email_change', 'two_factor', 'sign_in'];
const SECURITY_EVENTS: SecurityEvent[] = [
  'password_changed',
  'username_changed',
  'email_changed',
  'two_factor_enabled',
  'two_factor_disabled',
  'account_deactivated',
];

const config = loadConfig();
const brand = { productName: config.productName, publicUrl: config.publicUrl };

const mails: [string, MessageContent][] = [
  ...CODE_PURPOSES.map((purpose): [string, MessageContent] => [
    `code-${purpose}`,
    verificationCodeMessage({ code: SAMPLE_CODE, purpose, minutesValid: 10, brand }),
  ]),
  ...SECURITY_EVENTS.map((event): [string, MessageContent] => [
    `notice-${event}`,
    securityNoticeMessage({ event, at: SAMPLE_TIME, brand }),
  ]),
];

await rm(OUTPUT_DIR, { recursive: true, force: true });
await mkdir(OUTPUT_DIR, { recursive: true });
for (const [name, mail] of mails) {
  await writeFile(path.join(OUTPUT_DIR, `${name}.html`), mail.html);
  await writeFile(path.join(OUTPUT_DIR, `${name}.txt`), `Subject: ${mail.subject}\n\n${mail.text}`);
}
await writeFile(
  path.join(OUTPUT_DIR, 'sms-phone-verification.txt'),
  `${phoneCodeSms({ code: SAMPLE_CODE, minutesValid: 10, brand })}\n`,
);
const rows = mails
  .map(
    ([name, mail]) =>
      `<li><a href="${name}.html">${escapeHtml(mail.subject)}</a> · <a href="${name}.txt">text</a></li>`,
  )
  .join('\n');
await writeFile(
  path.join(OUTPUT_DIR, 'index.html'),
  `<!doctype html><meta charset="utf-8"><title>Mail preview</title><h1>Mail preview</h1><ul>\n${rows}\n<li><a href="sms-phone-verification.txt">SMS: phone verification</a></li></ul>\n`,
);
process.stdout.write(`${mails.length} mails and 1 SMS written to ${OUTPUT_DIR}\n`);
