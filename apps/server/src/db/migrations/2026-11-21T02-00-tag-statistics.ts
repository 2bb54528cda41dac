import { type Kysely, sql } from 'kysely';

/**
 * Tag popularity is skewed: a few tags are everywhere, most are rare. With the default
 * statistics target the planner keeps only the 100 most common tags and guesses every other
 * tag's frequency as an average of the rest, which can make it scan all users for a tag a
 * handful of users carry. A larger sample keeps the rare tags' real counts in view.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table user_tags alter column tag_id set statistics 1000`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table user_tags alter column tag_id set statistics -1`.execute(db);
}
