import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './2026-11-21T00-00-initial.js';
import * as rateLimits from './2026-11-21T01-00-rate-limits.js';
import * as tagStatistics from './2026-11-21T02-00-tag-statistics.js';
import * as recovery from './2026-12-01T21-35-recovery.js';
import * as rateLimitKeys from './2026-12-02T10-00-rate-limit-keys.js';
import * as outbox from './2026-12-02T11-00-outbox-and-challenge-order.js';
import * as tagEntryCounts from './2026-12-02T12-00-tag-entry-counts.js';
import * as usernameHistory from './2026-12-02T13-00-username-history.js';
import * as deletionAndNotMe from './2026-12-02T14-00-deletion-and-not-me.js';
import * as sessionActivityIndex from './2026-12-02T15-00-session-activity-index.js';

/**
 * Migrations are listed here rather than read from the folder, so the same list
 * works from TypeScript sources (tests) and from the compiled build.
 * Names sort by timestamp; Kysely applies them in that order.
 */
const migrations: Record<string, Migration> = {
  '2026-11-21T00-00-initial': initial,
  '2026-11-21T01-00-rate-limits': rateLimits,
  '2026-11-21T02-00-tag-statistics': tagStatistics,
  '2026-12-01T21-35-recovery': recovery,
  '2026-12-02T10-00-rate-limit-keys': rateLimitKeys,
  '2026-12-02T11-00-outbox-and-challenge-order': outbox,
  '2026-12-02T12-00-tag-entry-counts': tagEntryCounts,
  '2026-12-02T13-00-username-history': usernameHistory,
  '2026-12-02T14-00-deletion-and-not-me': deletionAndNotMe,
  '2026-12-02T15-00-session-activity-index': sessionActivityIndex,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
