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

/** The two queries of one list page: how many match, and the page itself, newest first. */
export function userListQueries<Columns extends keyof Database['users']>(
  db: Db,
  viewerId: string | null,
  filter: UserListFilter,
  page: { readonly page: number; readonly limit: number },
  columns: readonly Columns[],
) {
  return {
    count: filterListableUsers(
      db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('total')),
      viewerId,
      filter,
    ),
    page: filterListableUsers(db.selectFrom('users').select(columns), viewerId, filter)
      .orderBy('users.createdAt', 'desc')
      .orderBy('users.id', 'desc')
      .limit(page.limit)
      .offset((page.page - 1) * page.limit),
  };
}
