import { type Kysely, sql } from 'kysely';

/**
 * A tag's `entry_count` (how many users carry it) is stored, so reading a popular tag costs
 * the same as reading a rare one. Statement-level triggers over the transition tables keep it
 * in the same transaction as the links: one UPDATE per statement, whatever the row count, so
 * a bulk insert or an account deletion's cascade stays one write per tag touched. The
 * migration backfills the counts from the links as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tags add column entry_count integer not null default 0`.execute(db);
  await sql`
    update tags set entry_count = counted.n
    from (select tag_id, count(*)::int as n from user_tags group by tag_id) counted
    where counted.tag_id = tags.id
  `.execute(db);
  await sql`
    create function user_tags_count_inserted() returns trigger language plpgsql as $$
    begin
      update tags set entry_count = tags.entry_count + added.n
      from (select tag_id, count(*)::int as n from inserted group by tag_id) added
      where tags.id = added.tag_id;
      return null;
    end $$
  `.execute(db);
  await sql`
    create function user_tags_count_deleted() returns trigger language plpgsql as $$
    begin
      update tags set entry_count = greatest(0, tags.entry_count - removed.n)
      from (select tag_id, count(*)::int as n from deleted group by tag_id) removed
      where tags.id = removed.tag_id;
      return null;
    end $$
  `.execute(db);
  await sql`
    create trigger user_tags_count_insert after insert on user_tags
    referencing new table as inserted for each statement execute function user_tags_count_inserted()
  `.execute(db);
  await sql`
    create trigger user_tags_count_delete after delete on user_tags
    referencing old table as deleted for each statement execute function user_tags_count_deleted()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger user_tags_count_delete on user_tags`.execute(db);
  await sql`drop trigger user_tags_count_insert on user_tags`.execute(db);
  await sql`drop function user_tags_count_deleted()`.execute(db);
  await sql`drop function user_tags_count_inserted()`.execute(db);
  await sql`alter table tags drop column entry_count`.execute(db);
}
