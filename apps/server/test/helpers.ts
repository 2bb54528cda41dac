import type { ProfileUpdateInput } from '@userhub/core';
import { expect } from 'vitest';

/** A random lower-case token that no other test's data contains: a search marker, a tag or name part. */
export function uniqueMarker(prefix = 'mk'): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36).slice(-4)}`;
}

/**
 * The classic seed's Alice (`seeds/000_…`, PATCH /v1/account/update) in the typed API's
 * shape: `profile.bio.title` → headline, `profile.bio.description` → bio,
 * `profile.talent.*` → about, availability, tags.
 *
 * The seed's phone `+4412345678987` is kept exactly: it is one digit too long for today's
 * UK plan, and a contact phone is accepted in strict E.164 shape (docs/decisions.md).
 */
export const ALICE_SEED_UPDATE = {
  firstName: 'Alice',
  lastName: 'Bob',
  contact: {
    country: 'England',
    state: 'Manchester',
    city: 'Manchester',
    address: '30, alice bob blvd.',
    phone: '+4412345678987',
  },
  headline: 'Software Engineer',
  bio: 'Builds software Products',
  about: 'About this user?. User is the best developer in the solar system',
  availability: 'available',
  tags: ['product', 'writing', 'custom', 'engineering', 'devops', 'web3', 'crypto'],
  socials: {
    github: 'https://github.com/tester',
    twitter: 'https://twitter.com/tester',
    linkedin: 'https://linkedin.com/tester',
    website: 'https://mywebsite.com',
  },
} satisfies ProfileUpdateInput;

/** The ids of a page's items, for order and membership checks. */
export function idsOf(items: ReadonlyArray<{ id: string }>): string[] {
  return items.map((item) => item.id);
}

/** Narrows a public view to the full one, failing the test when it is the limited card. */
export function expectFull<T extends { visibility: string }>(view: T): Extract<T, { visibility: 'full' }> {
  expect(view.visibility).toBe('full');
  return view as Extract<T, { visibility: 'full' }>;
}
