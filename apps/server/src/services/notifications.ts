import { MINUTE_MS } from '@userhub/core';
import type { Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import {
  type MailedCodePurpose,
  phoneCodeSms,
  type SecurityEvent,
  securityNoticeMessage,
  verificationCodeMessage,
} from '../messaging/index.js';
import { OTP_TTL_MS } from '../security/one-time-codes.js';

const MINUTES_VALID = OTP_TTL_MS / MINUTE_MS;

/**
 * Codes and security notices, queued in the outbox (never awaited on SMTP or the SMS webhook).
 * A code carries the budget its request spent, given back if it can finally not be delivered.
 */
export function createNotifications(deps: Pick<AppDeps, 'outbox' | 'db' | 'logger' | 'config'>) {
  const brand = { productName: deps.config.productName, publicUrl: deps.config.publicUrl };
  const { outbox } = deps;
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
     * (old) address. A notice that cannot be queued must not undo the change, so it is logged.
     */
    async securityNotice(to: string, event: SecurityEvent, at: Date, trx: Db = deps.db): Promise<void> {
      try {
        await outbox.enqueue(trx, {
          channel: 'mail',
          to,
          kind: `notice:${event}`,
          content: securityNoticeMessage({ event, at, brand }),
        });
      } catch (error) {
        deps.logger.warn({ event, reason: (error as Error).name }, 'security notice could not be queued');
      }
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
