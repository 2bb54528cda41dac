import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, UserRow } from '../db/schema.js';

export type Db = Kysely<Database> | Transaction<Database>;

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
