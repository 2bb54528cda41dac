import { MINUTE_MS } from '@userhub/core';
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

/** Sends codes (which must arrive, so failures propagate) and security notices (best effort). */
export function createNotifications(deps: Pick<AppDeps, 'mailer' | 'sms' | 'logger' | 'metrics' | 'config'>) {
  const brand = { productName: deps.config.productName, publicUrl: deps.config.publicUrl };
  return {
    async mailCode(to: string, code: string, purpose: MailedCodePurpose): Promise<void> {
      await deps.mailer.send({
        to,
        ...verificationCodeMessage({ code, purpose, minutesValid: MINUTES_VALID, brand }),
      });
      deps.metrics.codesSent.inc({ channel: 'email', purpose });
    },

    async textCode(to: string, code: string): Promise<void> {
      await deps.sms.send({ to, body: phoneCodeSms({ code, minutesValid: MINUTES_VALID, brand }) });
      deps.metrics.codesSent.inc({ channel: 'sms', purpose: 'phone_verification' });
    },

    /**
     * SPEC §3: a change of password, username, email or 2FA is announced to the account's
     * (old) address. A failed notice must not undo the change, so it is logged, not thrown.
     */
    async securityNotice(to: string, event: SecurityEvent, at: Date): Promise<void> {
      try {
        await deps.mailer.send({ to, ...securityNoticeMessage({ event, at, brand }) });
      } catch (error) {
        deps.logger.warn({ event, reason: (error as Error).name }, 'security notice could not be delivered');
      }
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
