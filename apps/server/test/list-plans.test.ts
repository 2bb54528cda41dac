import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTagIdsByKeys, type UserListFilter, userListQueries } from '../src/repositories/user-list.js';
import { PUBLIC_USER_COLUMNS } from '../src/services/profile-views.js';
import { startTestServer, type TestServer } from './harness.js';
import { uniqueMarker } from './helpers.js';

/**
 * SPEC §4: the user list must stay fast at a million users, which means every filter is
 * answered from an index, never by reading the whole users table. These tests load enough
 * users for the planner to tell the difference and check the plan of each list shape.
 */
const SEEDED_USERS = 20_000;

let server: TestServer;
const marker = uniqueMarker('plan');
const rareTag = `${marker}-rare`;
const commonTag = `${marker}-common`;

beforeAll(async () => {
  server = await startTestServer();
  const { db } = server.built.deps;
  // Older than any user another test creates, so they never crowd other tests' first pages.
  await sql`
    insert into users (email, user_name, password_hash, password_changed_at, first_name, last_name,
                       headline, referral_code, profile_completeness, created_at, updated_at)
    select ${marker} || '-' || n || '@example.com', ${marker} || '-' || n, 'x', now(), 'Seed', 'User ' || n,
           case when n % 500 = 0 then 'Needle ' || ${marker} else 'Engineer' end,
           upper(${marker}) || '-' || n, (n % 11) * 10, now() - interval '400 days' - n * interval '1 minute',
           now()
    from generate_series(1, ${SEEDED_USERS}) as n
  `.execute(db);
  // Every seeded user carries a common tag and a few also a rare one, so user_tags is big
  // enough that reading all of it would show in the plan.
  await sql`
    insert into tags (name, key, color)
    values (${rareTag}, ${rareTag}, '#000000'), (${commonTag}, ${commonTag}, '#FFFFFF')
  `.execute(db);
  await sql`
    insert into user_tags (user_id, tag_id, position)
    select u.id, t.id, case when t.key = ${rareTag} then 1 else 0 end from users u, tags t
    where u.user_name like ${`${marker}-%`}
      and (t.key = ${commonTag} or (t.key = ${rareTag} and u.user_name like '%000'))
  `.execute(db);
  await sql`analyze users`.execute(db);
  await sql`analyze user_tags`.execute(db);
  await sql`analyze tags`.execute(db);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function plansFor(filter: UserListFilter, viewerId: string | null = null): Promise<string[]> {
  const { db } = server.built.deps;
  // The service resolves tag names to ids first, exactly like this.
  const queries = userListQueries(db, viewerId, filter, { page: 1, limit: 12 }, PUBLIC_USER_COLUMNS);
  const render = (rows: Record<string, unknown>[]) =>
    rows.map((row) => Object.values(row).join(' ')).join('\n');
  return [render(await queries.page.explain()), render(await queries.count.explain())];
}

describe('user list query plans', () => {
  it('pages the unfiltered list from the listable index, not a table scan', async () => {
    const [page] = await plansFor({});
    expect(page).toContain('users_listable_created');
    expect(page).not.toMatch(/Seq Scan on users/);
  });

  it('answers a name search from the trigram index', async () => {
    for (const plan of await plansFor({ search: `needle ${marker}` })) {
      expect(plan).toContain('users_search_text_trgm');
      expect(plan).not.toMatch(/Seq Scan on users/);
    }
  });

  it('answers a tag filter from the tag index', async () => {
    const tagIds = await findTagIdsByKeys(server.built.deps.db, [rareTag.toUpperCase()]);
    expect(tagIds).toHaveLength(1);
    for (const plan of await plansFor({ tagIds })) {
      expect(plan).not.toMatch(/Seq Scan on (users|user_tags)\b/);
    }
  });

  it('pages a completeness band and a role without a table scan', async () => {
    const [band] = await plansFor({ completenessMin: 90, completenessMax: 100 });
    expect(band).not.toMatch(/Seq Scan on users/);
    const [role] = await plansFor({ role: 'partner' });
    expect(role).not.toMatch(/Seq Scan on users/);
  });

  it('keeps the viewer-dependent filters (blocks, bookmarks) on their keys', async () => {
    const viewer = await server.built.deps.db
      .selectFrom('users')
      .select('id')
      .where('userName', '=', `${marker}-1`)
      .executeTakeFirstOrThrow();
    for (const plan of await plansFor({ bookmarkedOnly: true }, viewer.id)) {
      expect(plan).not.toMatch(/Seq Scan on (users|bookmarks|blocks)\b/);
    }
  });
});
