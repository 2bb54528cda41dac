import { type Kysely, sql } from 'kysely';

/**
 * The owner's profile and every sign-in answer the user's last activity, the latest
 * `last_used_at` of their sessions. On the index by user alone that read visits every session
 * the user has, so it grew with each sign-in; with `last_used_at` in the key it is one index
 * entry. The new index serves the lookups by user as the old one did, which it replaces.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index sessions_user_last_used on sessions (user_id, last_used_at desc)`.execute(db);
  await sql`drop index sessions_user_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index sessions_user_id on sessions (user_id)`.execute(db);
  await sql`drop index sessions_user_last_used`.execute(db);
}
