import { MINUTE_MS, NOT_ME_TOKEN_TTL_MS } from '@userhub/core';
import type { Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import {
  type MailedCodePurpose,
  phoneCodeSms,
  type SecurityEvent,
  securityNoticeMessage,
  verificationCodeMessage,
} from '../messaging/index.js';
import { insertNotMeToken } from '../repositories/not-me-tokens.js';
import { OTP_TTL_MS } from '../security/one-time-codes.js';
import { generateToken, hashToken } from '../security/tokens.js';

const MINUTES_VALID = OTP_TTL_MS / MINUTE_MS;

/** Where the "this wasn't me" link of a security notice points (SPEC §9). */
export const NOT_ME_PATH = '/not-me';

/** A deactivation notice has nothing a report could undo: the account is already shut. */
const WITHOUT_NOT_ME_LINK: ReadonlySet<SecurityEvent> = new Set(['account_deactivated']);

/** Whose account a security notice is about, and what a "this wasn't me" report would undo. */
export interface NoticeSubject {
  readonly userId: string;
  /** For an email change: `{previousEmail, previousEmailVerified}`. */
  readonly undo?: Record<string, unknown>;
}

/**
 * Codes and security notices, queued in the outbox (never awaited on SMTP or the SMS webhook).
 * A code carries the budget its request spent, given back if it can finally not be delivered.
 */
export function createNotifications(deps: Pick<AppDeps, 'outbox' | 'db' | 'logger' | 'config' | 'clock'>) {
  const brand = { productName: deps.config.productName, publicUrl: deps.config.publicUrl };
  const { outbox } = deps;

  /** A fresh one-time token for the notice: 160 random bits, only the hash stored, 7 days. */
  async function issueNotMeLink(trx: Db, subject: NoticeSubject, event: SecurityEvent): Promise<string> {
    const token = generateToken();
    const now = deps.clock.now();
    await insertNotMeToken(trx, {
      userId: subject.userId,
      tokenHash: hashToken(token),
      event,
      details: subject.undo ?? {},
      createdAt: now,
      expiresAt: new Date(now.getTime() + NOT_ME_TOKEN_TTL_MS),
    });
    return `${deps.config.publicUrl}${NOT_ME_PATH}?token=${encodeURIComponent(token)}`;
  }

  return {
    async mailCode(to: string, code: string, purpose: MailedCodePurpose, userId: string, trx: Db = deps.db) {
      await outbox.enqueue(trx, {
        channel: 'mail',
        to,
        kind: `code:${purpose}`,
        content: verificationCodeMessage({ code, purpose, minutesValid: MINUTES_VALID, brand }),
        budget: { name: 'otp_send', key: userId },
      });
    },
    async textCode(to: string, code: string, userId: string, trx: Db = deps.db): Promise<void> {
      await outbox.enqueue(trx, {
        channel: 'sms',
        to,
        kind: 'code:phone_verification',
        body: phoneCodeSms({ code, minutesValid: MINUTES_VALID, brand }),
        budget: { name: 'otp_send', key: userId },
      });
    },
    /**
     * SPEC §3: a change of password, username, email or 2FA is announced to the account's
     * (old) address, with a one-time "this wasn't me" link (SPEC §9). A notice that cannot be
     * queued must not undo the change, so it is logged, not thrown.
     */
    async securityNotice(
      to: string,
      event: SecurityEvent,
      at: Date,
      subject: NoticeSubject,
      trx: Db = deps.db,
    ): Promise<void> {
      try {
        const notMeUrl = WITHOUT_NOT_ME_LINK.has(event)
          ? undefined
          : await issueNotMeLink(trx, subject, event);
        await outbox.enqueue(trx, {
          channel: 'mail',
          to,
          kind: `notice:${event}`,
          content: securityNoticeMessage({ event, at, notMeUrl, brand }),
        });
      } catch (error) {
        deps.logger.warn({ event, reason: (error as Error).name }, 'security notice could not be queued');
      }
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
