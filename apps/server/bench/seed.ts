/**
 * Bulk seed for `pnpm bench`: a million users with realistic tags in a few minutes, all in
 * SQL (`generate_series`), none through the API. Tags follow a long tail: three popular tags
 * each carried by about 12% of users, a middle band, and many rare ones; one user in ten has
 * no tag at all. Seeded users have no usable password (sign-in is measured on users signed up
 * through the API). Run again on a seeded database, it does nothing.
 */
import { sql } from 'kysely';
import type { Db } from '../src/db/types.js';

export const POPULAR_TAGS = ['bench popular 0', 'bench popular 1', 'bench popular 2'];

export async function seedUsers(db: Db, count: number, log: (line: string) => void): Promise<void> {
  const { n, linked } = await sql<{ n: number; linked: boolean }>`
    select (select count(*)::int from users where user_name like 'bench-%') as n,
           exists (select 1 from user_tags) as linked
  `
    .execute(db)
    .then((result) => result.rows[0]!);
  if (n >= count && linked) {
    log(`already seeded: ${n.toLocaleString('en')} users`);
    return;
  }
  const started = Date.now();
  await db.connection().execute(async (conn) => {
    // One connection, so the session setting below applies to every statement.
    await sql`set maintenance_work_mem = '256MB'`.execute(conn);
    // Resumable: each stage commits on its own, and a stage done is not done again.
    if (n < count) {
      await sql`
      insert into users (email, user_name, password_hash, password_changed_at, first_name, last_name,
                         headline, referral_code, profile_completeness, role, is_private, created_at, updated_at)
      select 'bench-' || n || '@example.com', 'bench-' || n, 'x', now(),
             (array['Ada','Grace','Alan','Linus','Barbara','Ken','Margaret','Dennis'])[1 + n % 8] || (n % 5000),
             (array['Lovelace','Hopper','Turing','Torvalds','Liskov','Thompson','Hamilton','Ritchie'])[1 + n % 7] || (n % 7919),
             case when n % 10000 = 1 then 'Rare Needle Engineer' else 'Software Engineer ' || (n % 97) end,
             'B' || n, (n % 11) * 10, case when n % 50 = 0 then 'partner' else 'user' end, n % 20 = 0,
             now() - interval '30 days' - n * interval '1 second', now()
      from generate_series(${n + 1}::int, ${count}::int) as n
    `.execute(conn);
      log(`users inserted in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await sql`
      insert into tags (name, key, color)
      select name, name, '#336699' from (
        select unnest(${sql.val(POPULAR_TAGS)}::text[]) as name
        union all select 'bench tag ' || t from generate_series(0, 999) as t
      ) names
      on conflict (key) do nothing
    `.execute(conn);
    // Per user k = 0..2: the k-th tag is popular k for 12% of users, otherwise drawn from the
    // tail (tag t carries about 1/(t+1) of the rest: a handful of mid-size tags, many rare).
    await sql`
      insert into user_tags (user_id, tag_id, position)
      select picked.user_id, tags.id, picked.position from (
        select u.id as user_id, k as position,
               case when (u.n * 7 + k * 13) % 100 < 12 then 'bench popular ' || k
                    else 'bench tag ' || least(999, floor(1000 ^ (((u.n * 2654435761::bigint + k * 40503) % 1000003)::float8 / 1000003)) - 1)::int
               end as name
        from (select id, cast(substr(user_name, 7) as int) as n from users where user_name like 'bench-%') u
        cross join generate_series(0, 2) as k
        where u.n % 10 <> 0 and (k = 0 or u.n % (k + 2) <> 0)
      ) picked
      join tags on tags.key = picked.name
      on conflict do nothing
    `.execute(conn);
    log(`tags linked at ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await sql`vacuum analyze users`.execute(conn);
    await sql`vacuum analyze user_tags`.execute(conn);
    await sql`vacuum analyze tags`.execute(conn);
  });
  log(`seeded ${count.toLocaleString('en')} users in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
