import { PROFILE_LIST_EXACT_TOTAL_MAX, PROFILE_LIST_WINDOW } from '@userhub/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, useTestServer } from './harness.js';
import { uniqueMarker } from './helpers.js';
import { expectEnvelope } from './rest-http.js';

/**
 * Issue #10: the list's total stays cheap at any size (exact up to a bound, then the
 * planner's estimate, flagged), and paging stops at a window with a 400 naming the field.
 */
const server = useTestServer();
const marker = uniqueMarker('total');
const SEEDED = 1_500;

beforeAll(async () => {
  await server.db.seedListUsers(marker, SEEDED, { rareTag: `${marker}-rare`, commonTag: `${marker}-common` });
}, 120_000);

describe('profile.list total', () => {
  it('is exact, and says so, up to the bound', async () => {
    // Every 500th seeded user's headline carries the needle: 3 of 1,500.
    const answer = await server.client().profile.list.query({ search: `needle ${marker}`, limit: 2 });
    expect(answer).toMatchObject({ total: 3, totalIsEstimate: false, pages: 2, page: 1, limit: 2 });
    expect(answer.items).toHaveLength(2);
  });

  it('is an estimate past the bound, flagged, never below what was counted', async () => {
    const answer = await server.client().profile.list.query({ search: marker, limit: 50 });
    expect(answer.totalIsEstimate).toBe(true);
    expect(answer.total).toBeGreaterThan(PROFILE_LIST_EXACT_TOTAL_MAX);
    expect(answer.pages).toBe(Math.ceil(answer.total / 50));
    expect(answer.items).toHaveLength(50);
  });

  it('keeps the classic pages/page/total/limit/position over an estimate', async () => {
    const answer = await server.http.rest('GET', '/v1/account/user', {
      query: { search: marker, limit: '10', page: '3' },
    });
    expectEnvelope('classic', answer, 200);
    const data: Json = answer.body.data;
    expect(data.total).toBeGreaterThan(PROFILE_LIST_EXACT_TOTAL_MAX);
    expect(data).toMatchObject({ page: 3, limit: 10, position: 21, pages: Math.ceil(data.total / 10) });
    expect(data.data).toHaveLength(10);
  });
});

describe('profile.list depth', () => {
  it('serves the deepest page of the window, in order after the one before it', async () => {
    const limit = 100;
    const last = PROFILE_LIST_WINDOW / limit;
    const client = server.client();
    // The seeded users are the oldest, so a search on their marker pages through them alone.
    const pageFifteen = await client.profile.list.query({ search: marker, limit, page: 15 });
    const pageFourteen = await client.profile.list.query({ search: marker, limit, page: 14 });
    expect(pageFifteen.items).toHaveLength(SEEDED - 14 * limit);
    expect(pageFourteen.items.at(-1)!.userName).toBe(`${marker}-${14 * limit}`);
    expect(pageFifteen.items[0]!.userName).toBe(`${marker}-${14 * limit + 1}`);
    const deepest = await client.profile.list.query({ limit, page: last });
    expect(deepest.page).toBe(last);
  });

  it('answers 400 past the window, naming the page and the rule', async () => {
    const past = PROFILE_LIST_WINDOW / 100 + 1;
    const error = await server.expectError(server.client().profile.list.query({ limit: 100, page: past }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors?.page?.join(' ')).toMatch(/first 10,000 results/);
    // The classic dialect answers every validation failure with its own 422, the same message.
    const rest = await server.http.rest('GET', '/v1/account/user', { query: { limit: '12', page: '834' } });
    expectEnvelope('classic', rest, 422);
    expect(JSON.stringify(rest.body)).toMatch(/10,000/);
  });
});
