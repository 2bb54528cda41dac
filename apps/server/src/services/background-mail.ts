import type { OutboxBudget } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import type { MessageContent } from '../messaging/templates.js';

/**
 * Queues a message in the outbox instead of sending it (SPEC §9): a flow that must answer the
 * same way, in the same time, whether or not the account exists cannot wait for SMTP on one
 * branch only. `trx` puts the message in the transaction of the change it belongs to.
 */
export function createBackgroundMail(deps: Pick<AppDeps, 'outbox' | 'db'>) {
  return function mailInBackground(
    to: string,
    content: MessageContent,
    kind: string,
    budget?: { name: OutboxBudget; key: string },
    trx: Db = deps.db,
  ): Promise<void> {
    return deps.outbox.enqueue(trx, { channel: 'mail', to, content, kind, ...(budget ? { budget } : {}) });
  };
}

export type MailInBackground = ReturnType<typeof createBackgroundMail>;
