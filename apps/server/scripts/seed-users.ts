import { base, en, Faker } from '@faker-js/faker';
import { profileUpdateInput, signUpInput } from '@userhub/core';
import type { BuiltApp } from '../src/app.js';
import { findUserByEmail } from '../src/repositories/users.js';

/**
 * Development data: a few hundred people with names, headlines, tags (a handful popular,
 * a long tail rare), follows and picture URLs, created through the same services the API
 * calls, so every rule (usernames, completeness, tag keys, counters) holds as in real use.
 *
 * Deterministic (a fixed faker seed) and idempotent: user N is always
 * `seed-N@userhub.example`; a user that exists is left as it is, follows that exist stay.
 * Running it again with a larger count adds only the new users.
 */
export const SEED_PASSWORD = 'Seeded-Password-2026';
export const SEED_EMAIL_DOMAIN = 'userhub.example';

/** Carried by many: what makes tag filters and the list's facets look real. */
const POPULAR_TAGS = ['typescript', 'react', 'design', 'product', 'devops'];
const TAIL_TAGS = [
  'rust',
  'go',
  'python',
  'kotlin',
  'swift',
  'postgresql',
  'kubernetes',
  'terraform',
  'graphql',
  'figma',
  'accessibility',
  'security',
  'data-science',
  'machine-learning',
  'writing',
  'marketing',
  'sales',
  'finance',
  'hiring',
  'open-source',
  'web3',
  'mobile',
  'testing',
  'performance',
  'embedded',
  'game-dev',
  'photography',
  'music',
  'teaching',
  'mentoring',
];

export interface SeedOptions {
  readonly users: number;
  /** Each user follows up to this many others. */
  readonly maxFollows?: number;
  readonly seed?: number;
}

export interface SeedReport {
  readonly created: number;
  readonly existing: number;
  /** Follows made by this run (following again is a no-op, so a rerun counts them again). */
  readonly follows: number;
}

const META = { ip: '127.0.0.1', userAgent: 'userhub seed' };

export function seedEmail(index: number): string {
  return `seed-${String(index).padStart(4, '0')}@${SEED_EMAIL_DOMAIN}`;
}

export async function seedUsers(built: BuiltApp, options: SeedOptions): Promise<SeedReport> {
  const { services, deps } = built;
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed ?? 2026);
  const maxFollows = options.maxFollows ?? 12;

  const ids: string[] = [];
  let created = 0;
  let existing = 0;
  for (let index = 1; index <= options.users; index++) {
    // Every value is drawn whether or not the user exists, so user N is the same on every run.
    const sex = faker.person.sexType();
    const firstName = faker.person.firstName(sex);
    const lastName = faker.person.lastName();
    const email = seedEmail(index);
    const headline = faker.person.jobTitle();
    const bio = faker.person.bio();
    const tags = [
      ...faker.helpers.arrayElements(POPULAR_TAGS, { min: 0, max: 2 }),
      ...faker.helpers.arrayElements(TAIL_TAGS, { min: 1, max: 4 }),
    ];
    const portrait = `https://randomuser.me/api/portraits/${sex === 'female' ? 'women' : 'men'}/${faker.number.int({ min: 0, max: 99 })}.jpg`;
    const hasPicture = faker.datatype.boolean(0.8);
    const isPrivate = faker.datatype.boolean(0.05);
    const availability = faker.helpers.arrayElement(['available', 'limited', 'unavailable'] as const);
    const city = faker.location.city();
    const country = faker.location.country();

    const known = await findUserByEmail(deps.db, email);
    if (known !== undefined) {
      ids.push(known.id);
      existing += 1;
      continue;
    }
    const signUp = signUpInput.parse({ email, password: SEED_PASSWORD, firstName, lastName });
    const { user } = await services.auth.signUp(signUp, META);
    const update = profileUpdateInput.parse({
      headline: headline.slice(0, 100),
      bio: bio.slice(0, 200),
      availability,
      isPrivate,
      tags,
      contact: { city, country },
      ...(hasPicture ? { profilePictureUrls: [portrait] } : {}),
    });
    await services.profile.update(user.id, update);
    ids.push(user.id);
    created += 1;
  }

  // A few well-followed people, as in any real network: the first tenth draw most follows.
  let follows = 0;
  const popular = ids.slice(0, Math.max(1, Math.ceil(ids.length / 10)));
  for (const followerId of ids) {
    const count = faker.number.int({ min: 0, max: maxFollows });
    const targets = new Set<string>();
    for (let i = 0; i < count; i++) {
      const pool = faker.datatype.boolean(0.6) ? popular : ids;
      const target = faker.helpers.arrayElement(pool);
      if (target !== followerId) targets.add(target);
    }
    for (const target of targets) {
      try {
        await services.social.follow(followerId, target);
        follows += 1;
      } catch (error) {
        // A private or blocked target refuses follows; the seed simply skips it.
        if ((error as { name?: string }).name !== 'DomainError') throw error;
      }
    }
  }
  return { created, existing, follows };
}
