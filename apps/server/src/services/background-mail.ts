import type { AppDeps } from '../deps.js';
import type { MessageContent } from '../messaging/templates.js';

/**
 * Hands a message to the mailer without waiting for it (SPEC §9): a flow that must answer the
 * same way, in the same time, whether or not the account exists cannot wait for SMTP on one
 * branch only. A failure is logged with its kind and transport code, never the message.
 */
export function createBackgroundMail(deps: Pick<AppDeps, 'mailer' | 'logger'>) {
  return function mailInBackground(to: string, content: MessageContent, what: string): void {
    deps.mailer.send({ to, ...content }).catch((error: unknown) => {
      const failure = error as { name?: unknown; code?: unknown };
      deps.logger.warn(
        { mail: what, reason: failure.name, code: failure.code },
        'mail could not be delivered',
      );
    });
  };
}

export type MailInBackground = ReturnType<typeof createBackgroundMail>;
