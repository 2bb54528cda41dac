import { normalizeTagKey } from '@userhub/core';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Db } from '../db/types.js';

export interface UserListFilter {
  readonly role?: string | undefined;
  readonly completenessMin?: number | undefined;
  readonly completenessMax?: number | undefined;
  /** Tag ids (see `findTagIdsByKeys`): with ids the planner can use the tag's own statistics. */
  readonly tagIds?: readonly string[] | undefined;
  readonly search?: string | undefined;
  readonly bookmarkedOnly?: boolean | undefined;
}

/** Escapes LIKE's wildcards so a search for `50%` finds that text, not everything. */
function likeContains(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The users a list may show the viewer, filtered. Visible means not deactivated, not private
 * and not blocking the viewer. Each condition has an index behind it (initial migration):
 * the partial `users_listable_*` indexes, the trigram index on `search_text`, `user_tags`
 * by tag, and the primary keys of `blocks` and `bookmarks`.
 */
export function filterListableUsers<O>(
  query: SelectQueryBuilder<Database, 'users', O>,
  viewerId: string | null,
  filter: UserListFilter,
): SelectQueryBuilder<Database, 'users', O> {
  let q = query.where('users.lockedAt', 'is', null).where('users.isPrivate', '=', false);
  if (filter.role !== undefined) q = q.where('users.role', '=', filter.role);
  if (filter.completenessMin !== undefined)
    q = q.where('users.profileCompleteness', '>=', filter.completenessMin);
  if (filter.completenessMax !== undefined)
    q = q.where('users.profileCompleteness', '<=', filter.completenessMax);
  const search = filter.search?.trim();
  if (search !== undefined && search !== '')
    q = q.where(sql`users.search_text`, 'like', likeContains(search));
  if (filter.tagIds !== undefined) {
    const tagIds = filter.tagIds;
    q =
      tagIds.length === 0
        ? q.where(sql<boolean>`false`)
        : q.where('users.id', 'in', (eb) =>
            eb.selectFrom('userTags').select('userTags.userId').where('userTags.tagId', 'in', tagIds),
          );
  }
  if (viewerId !== null) {
    q = q.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('blocks')
            .select(sql`1`.as('one'))
            .whereRef('blocks.blockerId', '=', 'users.id')
            .where('blocks.blockedId', '=', viewerId),
        ),
      ),
    );
    if (filter.bookmarkedOnly === true) {
      q = q.where('users.id', 'in', (eb) =>
        eb.selectFrom('bookmarks').select('bookmarks.targetId').where('bookmarks.ownerId', '=', viewerId),
      );
    }
  }
  return q;
}

/** The ids of the tags with these names (normalised to keys); unknown names match nothing. */
export async function findTagIdsByKeys(db: Db, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('tags')
    .select('id')
    .where('key', 'in', names.map(normalizeTagKey))
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The queries of one list page, newest first.
 * - `boundedCount` counts the matches up to `countBound` + 1 (so the caller learns whether
 *   there are more than the bound without counting them all);
 * - `page` fetches the page by a deferred join: the ordered, offset ids come from the
 *   listable indexes alone (an index-only scan for the unfiltered list), and only the page's
 *   own rows are read from the table, so a deep page skips index entries, not table rows.
 */
export function userListQueries<Columns extends keyof Database['users']>(
  db: Db,
  viewerId: string | null,
  filter: UserListFilter,
  page: { readonly page: number; readonly limit: number },
  columns: readonly Columns[],
  countBound = 1_000,
) {
  const pageIds = filterListableUsers(db.selectFrom('users').select('users.id'), viewerId, filter)
    .orderBy('users.createdAt', 'desc')
    .orderBy('users.id', 'desc')
    .limit(page.limit)
    .offset((page.page - 1) * page.limit);
  return {
    boundedCount: db
      .selectFrom(
        filterListableUsers(db.selectFrom('users').select(sql`1`.as('one')), viewerId, filter)
          .limit(countBound + 1)
          .as('matched'),
      )
      .select((eb) => eb.fn.countAll<string>().as('total')),
    /** The whole filter, to ask the planner how many rows it expects (`estimateRows`). */
    all: filterListableUsers(db.selectFrom('users').select('users.id'), viewerId, filter),
    page: db
      .selectFrom('users')
      .select(columns)
      .where('users.id', 'in', pageIds)
      .orderBy('users.createdAt', 'desc')
      .orderBy('users.id', 'desc'),
  };
}

/** The planner's estimate of how many rows a query returns (EXPLAIN, nothing executed). */
export async function estimateRows(query: { explain(format: 'json'): Promise<unknown[]> }): Promise<number> {
  const [row] = await query.explain('json');
  // One column (`QUERY PLAN`), parsed by pg and left as text by some drivers.
  const value = row === undefined ? undefined : Object.values(row as Record<string, unknown>)[0];
  const plans = (typeof value === 'string' ? JSON.parse(value) : value) as Array<{
    Plan: { 'Plan Rows': number };
  }>;
  return Math.round(plans[0]?.Plan['Plan Rows'] ?? 0);
}
