import { sql } from 'kysely';
import type { OutboxBudget, OutboxChannel } from '../db/schema.js';
import type { Db } from '../db/types.js';

export async function insertOutboxMessage(
  db: Db,
  message: {
    queue: string;
    channel: OutboxChannel;
    kind: string;
    payload: string;
    budget: OutboxBudget | null;
    budgetKey: string | null;
    requestId: string | null;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      queue: message.queue,
      channel: message.channel,
      kind: message.kind,
      payload: message.payload,
      budget: message.budget,
      budgetKey: message.budgetKey,
      requestId: message.requestId,
      nextAttemptAt: message.now,
      createdAt: message.now,
    })
    .execute();
}

/**
 * Claims up to `limit` due messages for one attempt: each is pushed to `leaseUntil` and its
 * attempt counted in the same statement, and rows another worker is claiming are skipped
 * (`FOR UPDATE SKIP LOCKED`), so no two workers ever hold one message.
 */
export async function claimDueMessages(db: Db, queue: string, now: Date, leaseUntil: Date, limit: number) {
  return db
    .updateTable('outbox')
    .set({ nextAttemptAt: leaseUntil, attempts: sql`attempts + 1` })
    .where(
      'id',
      'in',
      db
        .selectFrom('outbox')
        .select('id')
        .where('queue', '=', queue)
        .where('status', '=', 'pending')
        .where('nextAttemptAt', '<=', now)
        .orderBy('nextAttemptAt')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .where('status', '=', 'pending')
    .returning(['id', 'channel', 'kind', 'payload', 'budget', 'budgetKey', 'attempts', 'requestId'])
    .execute();
}

/** Sent or given up: the message itself is erased, the row stays as a record. */
export async function finishOutboxMessage(
  db: Db,
  id: string,
  outcome: { status: 'sent' | 'failed'; at: Date; error: string | null },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: outcome.status, payload: null, finishedAt: outcome.at, lastError: outcome.error })
    .where('id', '=', id)
    .execute();
}

export async function rescheduleOutboxMessage(db: Db, id: string, at: Date, error: string): Promise<void> {
  await db.updateTable('outbox').set({ nextAttemptAt: at, lastError: error }).where('id', '=', id).execute();
}

/** Forgets this queue's finished messages (their content is already erased) older than `before`. */
export async function pruneFinishedMessages(db: Db, queue: string, before: Date): Promise<void> {
  await db
    .deleteFrom('outbox')
    .where('queue', '=', queue)
    .where('status', '!=', 'pending')
    .where('finishedAt', '<', before)
    .execute();
}
