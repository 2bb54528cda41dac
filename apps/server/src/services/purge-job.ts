import type { Logger } from 'pino';
import { MINUTE_MS } from '../clock.js';
import type { AccountDeletionService } from './account-deletion.service.js';

/**
 * How often each server instance looks for accounts past their deletion date. Dates are
 * whole days away, so a few minutes late is nothing; the query is an index range scan.
 */
export const PURGE_INTERVAL_MS = 10 * MINUTE_MS;

/**
 * Runs the purge once shortly after start and then on an interval, in every instance: the
 * erasing query takes rows with SKIP LOCKED, so instances never wait on or repeat each other.
 * A failed round is logged and the next one tries again; `stop` waits for a round under way.
 */
export function startPurgeJob(deletion: AccountDeletionService, logger: Logger) {
  let running: Promise<void> | null = null;
  const round = () => {
    if (running !== null) return;
    running = deletion
      .purgeDueAccounts()
      .then((erased) => {
        if (erased > 0) logger.info({ erased }, 'erased accounts past their deletion date');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'purge of deleted accounts failed'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(round, 5_000);
  const timer = setInterval(round, PURGE_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    async stop(): Promise<void> {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
