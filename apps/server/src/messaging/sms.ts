import type { Logger } from 'pino';
import type { Config } from '../config.js';

export interface SmsMessage {
  /** E.164, e.g. +14155550123. */
  to: string;
  body: string;
}

export interface SmsSender {
  /** Resolves once the gateway accepted the message; rejects with an `SmsDeliveryError` otherwise. */
  send(message: SmsMessage): Promise<void>;
}

/** Names the HTTP status or the failure, never the message or the webhook URL (it may hold a token). */
export class SmsDeliveryError extends Error {
  override readonly name = 'SmsDeliveryError';
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/** A request that is sending a code should not hang on a slow gateway. */
export const SMS_WEBHOOK_TIMEOUT_MS = 5_000;

export function createWebhookSmsSender(
  url: string,
  { timeoutMs = SMS_WEBHOOK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): SmsSender {
  return {
    async send({ to, body }) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to, body }),
          signal: AbortSignal.timeout(timeoutMs),
          // A redirected POST may silently turn into a GET; the webhook URL should be exact.
          redirect: 'error',
        });
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? `timed out after ${timeoutMs} ms`
            : 'request failed';
        throw new SmsDeliveryError(`SMS webhook ${reason}`, undefined, { cause: error });
      }
      // The body is not read: it is not needed and a gateway may echo the message in it.
      await response.body?.cancel();
      if (!response.ok) {
        throw new SmsDeliveryError(`SMS webhook answered HTTP ${response.status}`, response.status);
      }
    },
  };
}

/**
 * Stand-in for the webhook when no SMS_WEBHOOK_URL is configured: logs the text in
 * development; with `revealContent` off (production) only the recipient.
 */
export function createLogSmsSender(logger: Logger, { revealContent = true } = {}): SmsSender {
  return {
    async send({ to, body }) {
      if (revealContent) logger.info({ to, body }, 'sms (no SMS_WEBHOOK_URL configured)');
      else logger.warn({ to }, 'sms not sent: no SMS_WEBHOOK_URL configured');
    },
  };
}

export function createSmsSender(config: Pick<Config, 'smsWebhookUrl' | 'env'>, logger: Logger): SmsSender {
  return config.smsWebhookUrl === undefined
    ? createLogSmsSender(logger, { revealContent: config.env !== 'production' })
    : createWebhookSmsSender(config.smsWebhookUrl);
}
