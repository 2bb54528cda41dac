import type { TagRecord } from '@userhub/core';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { groupByUser } from './group-by-user.js';

/** Each user's tags in the order they chose, with live entry counts, for many users in one query. */
export async function findTagsForUsers(
  db: Db,
  userIds: readonly string[],
): Promise<Map<string, TagRecord[]>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('userTags')
    .innerJoin('tags', 'tags.id', 'userTags.tagId')
    .select([
      'userTags.userId',
      'tags.id',
      'tags.name',
      'tags.key',
      'tags.color',
      'tags.categories',
      'tags.isParent',
      'tags.type',
      'tags.createdAt',
      'tags.updatedAt',
      sql<number>`(select count(*)::int from user_tags counted where counted.tag_id = tags.id)`.as(
        'entryCount',
      ),
    ])
    .where('userTags.userId', 'in', userIds)
    .orderBy('userTags.userId')
    .orderBy('userTags.position')
    .execute();
  return groupByUser(rows);
}

export interface TagInput {
  readonly name: string;
  readonly key: string;
  readonly color: string;
}

/**
 * Replaces a user's tags with these (in order). Tags are shared records keyed by their
 * normalised key: a new key creates the tag, an existing one is reused; the unique index
 * on `key` settles two users creating the same tag at once.
 */
export async function replaceUserTags(
  db: Db,
  userId: string,
  tags: readonly TagInput[],
  now: Date,
): Promise<void> {
  await db.deleteFrom('userTags').where('userId', '=', userId).execute();
  if (tags.length === 0) return;
  // Insert in key order: two users adding the same new tags in different orders would
  // otherwise each wait on the other's uncommitted key and deadlock (PostgreSQL aborts one).
  const byKey = [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  await db
    .insertInto('tags')
    .values(byKey.map((t) => ({ name: t.name, key: t.key, color: t.color, createdAt: now, updatedAt: now })))
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
  await db
    .insertInto('userTags')
    .values(tags.map((t, position) => ({ userId, tagId: idByKey.get(t.key)!, position })))
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
