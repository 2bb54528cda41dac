import type { Database } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { type KeysetPage, keysetPage } from './keyset.js';

/** Idempotent: bookmarking twice returns the same bookmark's id. */
export async function upsertBookmark(db: Db, ownerId: string, targetId: string, now: Date): Promise<string> {
  const row = await db
    .insertInto('bookmarks')
    .values({ ownerId, targetId, createdAt: now })
    .onConflict((oc) => oc.columns(['ownerId', 'targetId']).doUpdateSet({ ownerId }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteBookmark(db: Db, ownerId: string, targetId: string): Promise<void> {
  await db.deleteFrom('bookmarks').where('ownerId', '=', ownerId).where('targetId', '=', targetId).execute();
}

/** One keyset page of the owner's bookmarks of active users: these user columns plus the bookmark. */
export async function listBookmarks<Column extends keyof Database['users']>(
  db: Db,
  ownerId: string,
  columns: readonly Column[],
  page: KeysetPage,
) {
  return keysetPage(
    db
      .selectFrom('bookmarks')
      .innerJoin('users', 'users.id', 'bookmarks.targetId')
      .select([
        ...columns.map((c) => `users.${c}` as const),
        'bookmarks.id as bookmarkId',
        'bookmarks.createdAt as bookmarkedAt',
      ])
      .where('bookmarks.ownerId', '=', ownerId)
      .where('users.lockedAt', 'is', null),
    { at: 'bookmarks.createdAt', id: 'bookmarks.id' },
    page,
  );
}
