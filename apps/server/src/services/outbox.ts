import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { OutboxBudget } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { Mailer, MessageContent, SmsSender } from '../messaging/index.js';
import type { Metrics } from '../metrics.js';
import {
  claimDueMessages,
  finishOutboxMessage,
  insertOutboxMessage,
  pruneFinishedMessages,
  rescheduleOutboxMessage,
} from '../repositories/outbox.js';
import { currentRequestId, runInRequestScope, runOutsideRequestScope } from '../request-id.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { SecretBox } from '../security/secret-box.js';

/** Attempts per message before it is given up on (and its send budget given back). */
export const OUTBOX_MAX_ATTEMPTS = 6;
/** The wait after the first failed attempt; it doubles with every further one (5 s … 80 s). */
export const OUTBOX_FIRST_RETRY_MS = 5_000;
/** How long a claimed message belongs to its worker: longer than any SMTP or webhook timeout. */
export const OUTBOX_LEASE_MS = 2 * 60_000;
/** Each worker looks for due messages this often, besides right after a request queued one. */
export const OUTBOX_POLL_MS = 1_000;
const BATCH_SIZE = 10;
/** Finished rows are kept this long (a record of what went out and what failed), then deleted. */
export const OUTBOX_RETENTION_MS = 7 * 24 * 60 * 60_000;
const PRUNE_EVERY_POLLS = 600;

export type OutboxMessage = {
  readonly to: string;
  /** `code:<purpose>`, `notice:<event>` or `link:<purpose>`: logged, never the content. */
  readonly kind: string;
  /** The budget the request spent on this message (the user's code sends, their reset requests). */
  readonly budget?: { readonly name: OutboxBudget; readonly key: string };
} & (
  | { readonly channel: 'mail'; readonly content: MessageContent }
  | { readonly channel: 'sms'; readonly body: string }
);

type Sealed = { to: string; subject: string; text: string; html?: string } | { to: string; body: string };

/**
 * The durable outbox: requests queue messages and never wait for SMTP or the SMS webhook;
 * a worker in every instance sends what is due, retrying with exponential backoff. Rows are
 * claimed with `FOR UPDATE SKIP LOCKED` and a lease, so many instances share one queue and a
 * message goes out once; a restart loses nothing, since the queue is in the database.
 */
export function createOutbox(deps: {
  queue: string;
  db: Db;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  sms: SmsSender;
  rateLimits: RateLimits;
  metrics: Metrics;
  box: SecretBox;
}) {
  const { db, clock, logger, box } = deps;
  const running = new Set<Promise<number>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  function seal(message: OutboxMessage): string {
    const sealed: Sealed =
      message.channel === 'mail'
        ? { to: message.to, ...message.content }
        : { to: message.to, body: message.body };
    return box.seal(new TextEncoder().encode(JSON.stringify(sealed)));
  }

  async function deliver(channel: 'mail' | 'sms', payload: string, kind: string): Promise<void> {
    const message = JSON.parse(new TextDecoder().decode(box.open(payload))) as Sealed;
    if (channel === 'mail' && 'subject' in message) await deps.mailer.send(message);
    else if ('body' in message) await deps.sms.send(message);
    const [category, purpose] = kind.split(':');
    if (category === 'code' && purpose !== undefined) {
      deps.metrics.codesSent.inc({ channel: channel === 'mail' ? 'email' : 'sms', purpose });
    }
  }

  async function attempt(row: Awaited<ReturnType<typeof claimDueMessages>>[number]): Promise<void> {
    try {
      if (row.payload === null) throw new Error('outbox message without payload');
      await deliver(row.channel, row.payload, row.kind);
      await finishOutboxMessage(db, row.id, { status: 'sent', at: clock.now(), error: null });
    } catch (error) {
      const failure = error as { name?: string; code?: string };
      const reason = `${failure.name ?? 'Error'}${failure.code === undefined ? '' : ` ${failure.code}`}`;
      const now = clock.now();
      if (row.attempts >= OUTBOX_MAX_ATTEMPTS) {
        await finishOutboxMessage(db, row.id, { status: 'failed', at: now, error: reason });
        if (row.budget !== null && row.budgetKey !== null)
          await deps.rateLimits.refund(row.budget, row.budgetKey);
        logger.error({ outbox: row.kind, attempts: row.attempts, reason }, 'message given up on');
        return;
      }
      const wait = OUTBOX_FIRST_RETRY_MS * 2 ** (row.attempts - 1);
      await rescheduleOutboxMessage(db, row.id, new Date(now.getTime() + wait), reason);
      logger.warn({ outbox: row.kind, attempts: row.attempts, reason }, 'message not delivered; will retry');
    }
  }

  /** One pass: claims what is due and attempts it; answers how many messages it took. */
  async function pass(): Promise<number> {
    const now = clock.now();
    const claimed = await claimDueMessages(
      db,
      deps.queue,
      now,
      new Date(now.getTime() + OUTBOX_LEASE_MS),
      BATCH_SIZE,
    );
    // Each attempt logs as part of the request that queued its message.
    await Promise.all(
      claimed.map((row) =>
        row.requestId === null ? attempt(row) : runInRequestScope(row.requestId, () => attempt(row)),
      ),
    );
    return claimed.length;
  }

  function track(): Promise<number> {
    const run = pass().catch((error: unknown) => {
      if (!stopped) logger.warn({ reason: (error as Error).name }, 'outbox pass failed');
      return 0;
    });
    running.add(run);
    void run.finally(() => running.delete(run));
    return run;
  }

  /** Starts a pass soon (unless one is running): a message just queued goes out at once. */
  function kick(): void {
    if (stopped || running.size > 0) return;
    runOutsideRequestScope(() =>
      setImmediate(() => {
        if (!stopped && running.size === 0) void track();
      }),
    );
  }

  /** Deletes finished messages older than the retention. */
  const prune = () =>
    pruneFinishedMessages(db, deps.queue, new Date(clock.now().getTime() - OUTBOX_RETENTION_MS));

  return {
    prune,
    /**
     * Queues a message in `trx` (the transaction of the change it belongs to, or the database).
     * Outside a transaction the worker is woken at once; inside, the next poll finds it.
     */
    async enqueue(trx: Db, message: OutboxMessage): Promise<void> {
      await insertOutboxMessage(trx, {
        queue: deps.queue,
        channel: message.channel,
        kind: message.kind,
        payload: seal(message),
        budget: message.budget?.name ?? null,
        budgetKey: message.budget?.key ?? null,
        requestId: currentRequestId() ?? null,
        now: clock.now(),
      });
      if (!trx.isTransaction) kick();
    },
    kick,
    /** Sends everything due now, waiting for passes already running: the queue is then settled. */
    async drain(): Promise<void> {
      for (;;) {
        await Promise.all([...running]);
        if ((await pass()) === 0 && running.size === 0) return;
      }
    },
    start(): void {
      stopped = false;
      let polls = 0;
      timer = setInterval(() => {
        polls += 1;
        if (polls % PRUNE_EVERY_POLLS === 0) {
          prune().catch((error: unknown) => {
            logger.warn({ reason: (error as Error).name }, 'outbox prune failed');
          });
        }
        if (running.size === 0) void track();
      }, OUTBOX_POLL_MS);
      timer.unref();
    },
    /** Stops polling and waits for the attempts under way; what is left stays queued. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      await Promise.all(running);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
