import { type Kysely, sql } from 'kysely';

/**
 * Username history (SPEC §9): every name a user gave up, with until when it stays held for
 * them. A row whose `held_until` is in the future keeps others from claiming the name and lets
 * `profile.byUsername` resolve the old name to the current profile. Rows go with the account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('username_history')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // As the user had spelled it; compared case-insensitively, like users.user_name.
    // Insertion order, which is the order of the changes even when two share a timestamp.
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('held_until', 'timestamptz', (c) => c.notNull())
    .execute();
  // Serves "is this name held, and for whom" (claims, availability, redirects).
  await sql`create index username_history_name_held on username_history (lower(user_name), held_until)`.execute(
    db,
  );
  await db.schema
    .createIndex('username_history_user_seq')
    .on('username_history')
    .columns(['user_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('username_history').ifExists().execute();
}
