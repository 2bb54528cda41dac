import { type Kysely, sql } from 'kysely';

/**
 * A rate-limit key is a prefix and what the client sent (a login of up to 254 characters,
 * an unknown email address): `varchar(255)` refused the longest ones with a fault. `text`
 * holds any key the schemas let through; the B-tree still indexes it (keys stay far under
 * PostgreSQL's ~2.7 kB per index row, since every input that reaches a key is bounded).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rate_limits alter column key type text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rate_limits alter column key type varchar(255)`.execute(db);
}
