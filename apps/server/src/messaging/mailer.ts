import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /** Resolves once the transport accepted the message; rejects with a `MailDeliveryError` otherwise. */
  send(message: MailMessage): Promise<void>;
  /** Releases connections; messages already handed over still finish. */
  close(): Promise<void>;
}

/**
 * Carries the transport's error code and reply but never the message itself, so a caller
 * may log it without leaking a code. The original error stays available as `cause`.
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  readonly code: string | undefined;

  constructor(code: string | undefined, detail: string, options?: ErrorOptions) {
    super(`SMTP delivery failed${code === undefined ? '' : ` (${code})`}: ${detail}`, options);
    this.code = code;
  }
}

/**
 * Nodemailer's defaults wait up to 2 minutes to connect and 10 minutes on a silent socket;
 * a request that is sending a code should fail long before its client gives up.
 */
const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
const SMTP_GREETING_TIMEOUT_MS = 10_000;
const SMTP_SOCKET_TIMEOUT_MS = 30_000;

export function createSmtpMailer({ smtpUrl, from }: { smtpUrl: string; from: string }): Mailer {
  const transport = createTransport({
    url: smtpUrl,
    pool: true,
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
        });
      } catch (error) {
        throw toMailDeliveryError(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}

function toMailDeliveryError(error: unknown): MailDeliveryError {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return new MailDeliveryError(code, error.message, { cause: error });
  }
  return new MailDeliveryError(undefined, String(error), { cause: error });
}

/**
 * Stand-in for SMTP when no SMTP_URL is configured. In development it is the one
 * deliberate place a message body (and so a code) reaches the log, so a developer can
 * read codes; with `revealContent` off (production) only the recipient and subject are.
 */
export function createLogMailer(logger: Logger, { revealContent = true } = {}): Mailer {
  return {
    async send({ to, subject, text }) {
      if (revealContent) logger.info({ to, subject, text }, 'mail (no SMTP_URL configured)');
      else logger.warn({ to, subject }, 'mail not sent: no SMTP_URL configured');
    },
    async close() {},
  };
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'env'>, logger: Logger): Mailer {
  return config.smtpUrl === undefined
    ? createLogMailer(logger, { revealContent: config.env !== 'production' })
    : createSmtpMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom });
}
