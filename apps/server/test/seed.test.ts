import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_PASSWORD, seedEmail, seedUsers } from '../scripts/seed-users.js';
import { startTestServer, type TestServer } from './harness.js';

describe('pnpm seed', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Its own in-memory PGlite: the seed's fixed emails must not meet another run's.
    server = await startTestServer({ database: { kind: 'pglite', dataDir: null } });
  });
  afterAll(() => server.close());

  it('creates what it reports: users with profiles, tags with popular ones, follows and pictures', async () => {
    const report = await seedUsers(server.built, { users: 30, maxFollows: 5 });
    expect(report).toMatchObject({ created: 30, existing: 0 });
    expect(report.follows).toBeGreaterThan(0);

    const { db } = server.built.deps;
    const seeded = await db
      .selectFrom('users')
      .select(['id', 'headline', 'profilePictureUrls'])
      .where('email', 'like', 'seed-%@userhub.example')
      .execute();
    expect(seeded).toHaveLength(30);
    expect(seeded.every((user) => (user.headline ?? '').length > 0)).toBe(true);
    expect(seeded.filter((user) => (user.profilePictureUrls as string[]).length > 0).length).toBeGreaterThan(
      15,
    );

    const follows = await db
      .selectFrom('follows')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(follows.n)).toBeGreaterThan(0);
    expect(Number(follows.n)).toBe(report.follows);

    // A few tags are carried by many, as the list's tag filter expects in real data.
    const page = await server.client().profile.list.query({ tags: ['typescript'], limit: 50 });
    expect(page.total).toBeGreaterThan(1);

    // The seeded accounts are real accounts: one signs in with the printed password.
    const signedIn = await server
      .client()
      .auth.signIn.mutate({ login: seedEmail(1), password: SEED_PASSWORD });
    expect(signedIn.status).toBe('signed_in');
  });

  it('adds nothing on a second run and only the new users on a larger one', async () => {
    const again = await seedUsers(server.built, { users: 30, maxFollows: 5 });
    expect(again).toMatchObject({ created: 0, existing: 30 });
    const more = await seedUsers(server.built, { users: 33, maxFollows: 5 });
    expect(more).toMatchObject({ created: 3, existing: 30 });
  });
});
