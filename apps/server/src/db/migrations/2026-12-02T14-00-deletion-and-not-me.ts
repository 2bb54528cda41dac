import { type Kysely, sql } from 'kysely';

/**
 * Deletion with a grace period and "this wasn't me" (SPEC §9): when a pending deletion erases
 * the account, whether sign-in waits for a password reset, and the one-time tokens of the links
 * in security notices (only their SHA-256 is stored).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('deletion_scheduled_for', 'timestamptz')
    .addColumn('password_reset_required_at', 'timestamptz')
    .execute();
  // The purge job asks for due accounts only; a partial index keeps that cheap.
  await db.schema
    .createIndex('users_deletion_scheduled_for')
    .on('users')
    .column('deletion_scheduled_for')
    .where(sql.ref('deletion_scheduled_for'), 'is not', null)
    .execute();

  await db.schema
    .createTable('not_me_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('not_me_tokens_user_id').on('not_me_tokens').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('not_me_tokens').execute();
  await db.schema.dropIndex('users_deletion_scheduled_for').execute();
  await db.schema
    .alterTable('users')
    .dropColumn('deletion_scheduled_for')
    .dropColumn('password_reset_required_at')
    .execute();
}
