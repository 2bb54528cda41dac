import type { parseLogin } from '@userhub/core';
import { type Insertable, sql } from 'kysely';
import type { Database, UserRow, UsersTable, UserUpdate } from '../db/schema.js';
import type { Db } from '../db/types.js';

export async function findUserById(db: Db, userId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

/** Case-insensitive, served by the unique index on lower(email). */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/** Case-insensitive, served by the unique index on lower(user_name). */
export async function findUserByUsername(db: Db, userName: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(user_name)`, '=', userName.toLowerCase())
    .executeTakeFirst();
}

/** The user a typed login names (core's `parseLogin`: an email or a username). */
export function findUserByLogin(db: Db, login: ReturnType<typeof parseLogin>): Promise<UserRow | undefined> {
  return login.kind === 'email' ? findUserByEmail(db, login.text) : findUserByUsername(db, login.text);
}

export async function findUserByReferralCode(db: Db, referralCode: string) {
  return db
    .selectFrom('users')
    .select(['id'])
    .where('referralCode', '=', referralCode.toUpperCase())
    .where('lockedAt', 'is', null)
    .executeTakeFirst();
}

/** Which of these usernames are taken, compared case-insensitively, in one query. */
export async function findTakenUsernames(db: Db, candidates: readonly string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select(sql<string>`lower(user_name)`.as('key'))
    .where(
      sql<string>`lower(user_name)`,
      'in',
      candidates.map((c) => c.toLowerCase()),
    )
    .execute();
  return new Set(rows.map((r) => r.key));
}

/** Inserts a user; the unique indexes on email, username and referral code decide races. */
export async function insertUser(db: Db, user: Insertable<UsersTable>) {
  return db.insertInto('users').values(user).returning(['id', 'userName']).executeTakeFirstOrThrow();
}

export async function updateUser(db: Db, userId: string, changes: UserUpdate): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', userId).execute();
}

/** Locks the user's row for the rest of the transaction; undefined when there is no such user. */
export async function lockUser(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'userName', 'email'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Deletes the user in one statement. The cascade removes their tag links, and the triggers then
 * update those tags' counts, so the statement first locks the tags in id order (see
 * `lockTagsInOrder` in tags.ts): a deletion and a tag edit never deadlock.
 */
export async function deleteUser(db: Db, userId: string): Promise<void> {
  await sql`
    with locked as (
      select id from tags where id in (select tag_id from user_tags where user_id = ${userId})
      order by id for update
    )
    delete from users where id = ${userId} and (select count(*) from locked) >= 0
  `.execute(db);
}

/** Marks the email verified only while it is still `email`; false when the address changed since. */
export async function markEmailVerified(db: Db, userId: string, email: string, now: Date): Promise<boolean> {
  const updated = await db
    .updateTable('users')
    .set({ emailVerified: true, emailVerifiedAt: now, updatedAt: now })
    .where('id', '=', userId)
    .where('email', '=', email)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** Records a used TOTP step only if no later or equal step was: a code is accepted once. */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const claimed = await db
    .updateTable('users')
    .set({ totpLastUsedStep: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totpLastUsedStep', 'is', null), eb('totpLastUsedStep', '<', step)]))
    .executeTakeFirst();
  return claimed.numUpdatedRows > 0n;
}

export interface StatsDelta {
  posts?: number | undefined;
  shops?: number | undefined;
  events?: number | undefined;
}

/** Applies the deltas in the database, so concurrent adjustments add up; a counter never drops below zero. */
export async function adjustUserStats(db: Db, userId: string, delta: StatsDelta, now: Date) {
  return db
    .updateTable('users')
    .set({
      postsCount: sql`greatest(0, posts_count + ${delta.posts ?? 0})`,
      shopsCount: sql`greatest(0, shops_count + ${delta.shops ?? 0})`,
      eventsCount: sql`greatest(0, events_count + ${delta.events ?? 0})`,
      updatedAt: now,
    })
    .where('id', '=', userId)
    .returning(['postsCount', 'shopsCount', 'eventsCount'])
    .executeTakeFirst();
}

/** A user others may reach (not deactivated), with whether their profile is private. */
export async function findActiveUser(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'isPrivate'])
    .where('id', '=', userId)
    .where('lockedAt', 'is', null)
    .executeTakeFirst();
}

export async function userExists(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** These columns of an active (not deactivated) user, found by id or case-insensitive username. */
export async function findActiveUserColumns<Column extends keyof Database['users']>(
  db: Db,
  by: { readonly id: string } | { readonly userName: string },
  columns: readonly Column[],
) {
  const query = db.selectFrom('users').select(columns).where('lockedAt', 'is', null);
  return (
    'id' in by
      ? query.where('id', '=', by.id)
      : query.where(sql<string>`lower(user_name)`, '=', by.userName.toLowerCase())
  ).executeTakeFirst();
}

/** These columns of the active (not deactivated) users among these ids, in one query. */
export async function findActiveUsersColumns<Column extends keyof Database['users']>(
  db: Db,
  userIds: readonly string[],
  columns: readonly Column[],
) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('users')
    .select(columns)
    .where('lockedAt', 'is', null)
    .where('id', 'in', [...userIds])
    .execute();
}

/**
 * Applies `changes` only while the stored password hash is still `expectedHash` (compare and
 * set); false when another change replaced it first.
 */
export async function updateUserIfPasswordIs(
  db: Db,
  userId: string,
  expectedHash: string,
  changes: UserUpdate,
): Promise<boolean> {
  const updated = await db
    .updateTable('users')
    .set(changes)
    .where('id', '=', userId)
    .where('passwordHash', '=', expectedHash)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}
