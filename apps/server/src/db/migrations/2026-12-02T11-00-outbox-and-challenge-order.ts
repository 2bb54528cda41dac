import { type Kysely, sql } from 'kysely';

/**
 * The mail and SMS outbox: a request writes the message here (in the transaction of the
 * change that causes it, when there is one) and a worker in every server instance sends it,
 * with retries. The message itself is sealed with a key derived from APP_SECRET (it may carry
 * a one-time code) and erased once sent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('mail', 'sms')`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text')
    .addColumn('budget', 'text', (c) => c.check(sql`budget in ('otp_send', 'password_reset')`))
    .addColumn('budget_key', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`create index outbox_due on outbox (queue, next_attempt_at) where status = 'pending'`.execute(db);
  // Orders a user's challenges by issue even when their clock times tie (the cap retires the oldest).
  await sql`alter table two_factor_challenges add column seq bigserial`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table two_factor_challenges drop column if exists seq`.execute(db);
  await db.schema.dropTable('outbox').ifExists().execute();
}
