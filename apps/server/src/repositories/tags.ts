import type { Db } from '../db/types.js';

/**
 * Locks these tags' rows in id order. Every write that changes tag links (and so, through the
 * `user_tags` triggers, the tags' stored counts) takes its locks in this one order first, so
 * two such writes can wait on each other but never deadlock.
 */
export async function lockTagsInOrder(db: Db, tagIds: readonly string[]): Promise<void> {
  if (tagIds.length === 0) return;
  await db
    .selectFrom('tags')
    .select('id')
    .where('id', 'in', [...tagIds])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export interface TagInput {
  readonly name: string;
  readonly key: string;
  readonly color: string;
}

/**
 * Replaces a user's tags with these (in order). Tags are shared records keyed by their
 * normalised key: a new key creates the tag, an existing one is reused; the unique index
 * on `key` settles two users creating the same tag at once. Only the links that change are
 * deleted or inserted, so a kept tag's stored count (and its row) is not touched.
 */
export async function replaceUserTags(
  db: Db,
  userId: string,
  tags: readonly TagInput[],
  now: Date,
): Promise<void> {
  const current = await db.selectFrom('userTags').select('tagId').where('userId', '=', userId).execute();
  const currentIds = new Set(current.map((row) => row.tagId));
  let wantedIds: string[] = [];
  if (tags.length > 0) {
    // Insert in key order: two users adding the same new tags in different orders would
    // otherwise each wait on the other's uncommitted key and deadlock (PostgreSQL aborts one).
    const byKey = [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    await db
      .insertInto('tags')
      .values(
        byKey.map((t) => ({ name: t.name, key: t.key, color: t.color, createdAt: now, updatedAt: now })),
      )
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const rows = await db
      .selectFrom('tags')
      .select(['id', 'key'])
      .where(
        'key',
        'in',
        tags.map((t) => t.key),
      )
      .execute();
    const idByKey = new Map(rows.map((r) => [r.key, r.id]));
    wantedIds = tags.map((t) => idByKey.get(t.key)!);
  }
  const wanted = new Set(wantedIds);
  const removed = [...currentIds].filter((id) => !wanted.has(id));
  const added = wantedIds.filter((id) => !currentIds.has(id));
  await lockTagsInOrder(db, [...removed, ...added]);
  if (removed.length > 0) {
    await db.deleteFrom('userTags').where('userId', '=', userId).where('tagId', 'in', removed).execute();
  }
  if (wantedIds.length === 0) return;
  // Kept links only move (their position); the insert trigger counts the rows really inserted.
  await db
    .insertInto('userTags')
    .values(wantedIds.map((tagId, position) => ({ userId, tagId, position })))
    .onConflict((oc) =>
      oc.columns(['userId', 'tagId']).doUpdateSet((eb) => ({ position: eb.ref('excluded.position') })),
    )
    .execute();
}

export async function countUserTags(db: Db, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('userTags')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(count);
}
