import { PROFILE_LIST_WINDOW } from '@userhub/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from './harness.js';
import type { UserListFilter } from './harness-db.js';
import { uniqueMarker } from './helpers.js';

/**
 * SPEC §4: the user list must stay fast at a million users, which means every filter is
 * answered from an index, never by reading the whole users table. These tests load enough
 * users for the planner to tell the difference and check the plan of each list shape.
 */
const SEEDED_USERS = 20_000;

const server = useTestServer();
const marker = uniqueMarker('plan');
const rareTag = `${marker}-rare`;
const commonTag = `${marker}-common`;

beforeAll(async () => {
  await server.db.seedListUsers(marker, SEEDED_USERS, { rareTag, commonTag });
}, 120_000);

const plansFor = (filter: UserListFilter, viewerId: string | null = null, page = 1) =>
  server.db.userListPlans(filter, viewerId, page);

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

  it('skips to the deepest allowed page on the index alone, reading only the page rows', async () => {
    const [page] = await plansFor({}, null, PROFILE_LIST_WINDOW / 12);
    expect(page).toMatch(/Index Only Scan using users_listable_created/);
    expect(page).not.toMatch(/Seq Scan on users/);
  });

  it('resolves tag names on the unique key index, then filters from the tag index', async () => {
    expect(await server.db.tagLookupPlan([rareTag, commonTag])).toContain('tags_key_key');
    const tagIds = await server.db.tagIdsByKeys([rareTag.toUpperCase()]);
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
    const viewerId = await server.db.userIdByUserName(`${marker}-1`);
    for (const plan of await plansFor({ bookmarkedOnly: true }, viewerId)) {
      expect(plan).not.toMatch(/Seq Scan on (users|bookmarks|blocks)\b/);
    }
  });
});

describe('owner profile query plan', () => {
  // Each sign-in leaves a session; the last activity must not be read by visiting them all.
  it('reads the last activity of a user with thousands of sessions from one index entry', async () => {
    const userId = await server.db.userIdByUserName(`${marker}-2`);
    await server.db.seedSessions(userId, 5_000);
    const plan = await server.db.ownProfilePlan(userId);
    expect(plan).toMatch(/Index Only Scan using sessions_user_last_used on sessions/);
    expect(plan).not.toMatch(/Bitmap Heap Scan on sessions|Seq Scan on sessions/);
  });
});

describe('public view parts query plan', () => {
  // A list page's twelve views read their tags, achievements, follow counts, last activity and
  // the viewer's standing in one statement: each part on its own index, never a table scan.
  it('reads every part of a page of views from its index', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `${marker}-${index + 3}`);
    const userIds = await Promise.all(names.map((name) => server.db.userIdByUserName(name)));
    const viewerId = await server.db.userIdByUserName(`${marker}-1`);
    for (const viewer of [viewerId, null]) {
      const plan = await server.db.viewPartsPlan(userIds, viewer);
      expect(plan).toMatch(/users_pkey/);
      expect(plan).not.toMatch(
        /Seq Scan on (users|user_tags|tags|achievements|follows|sessions|blocks|bookmarks)\b/,
      );
    }
  });
});
