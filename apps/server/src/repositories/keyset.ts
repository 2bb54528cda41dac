import type { KeysetPosition } from '@userhub/core';
import { type SelectQueryBuilder, type StringReference, sql } from 'kysely';

/** One page of a newest-first list: start after `after` (if any), `limit` rows. */
export interface KeysetPage {
  readonly after: KeysetPosition | undefined;
  readonly limit: number;
}

/**
 * Runs `query` as one keyset page ordered by (`at`, `id`) descending: rows strictly after
 * the position, and one row more than asked for, so the caller learns whether more follow
 * without a count. The `id` column breaks ties between rows of the same timestamp.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { readonly at: StringReference<DB, TB>; readonly id: StringReference<DB, TB> },
  page: KeysetPage,
): Promise<O[]> {
  const after = page.after;
  // A row-value comparison: (at, id) < (a, b) means at < a, or at = a and id < b, and
  // PostgreSQL answers it from the (at, id) index in one range scan.
  const q =
    after === undefined
      ? query
      : query.where(
          sql<boolean>`(${sql.ref(columns.at)}, ${sql.ref(columns.id)}) < (${after.at}, ${after.id})`,
        );
  return q
    .orderBy(columns.at, 'desc')
    .orderBy(columns.id, 'desc')
    .limit(page.limit + 1)
    .execute();
}
