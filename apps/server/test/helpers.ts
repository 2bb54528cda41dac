import type { ProfileUpdateInput } from '@userhub/core';
import { readUserhubError, type UserhubClient, type UserhubError } from '@userhub/sdk';
import { expect } from 'vitest';
import { type TestServer, uniqueUser } from './harness.js';

/** Awaits a call that must fail and returns the API error it failed with. */
export async function expectError(promise: Promise<unknown>): Promise<UserhubError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  const read = readUserhubError(error);
  expect(read, `not an API error: ${String(error)}`).not.toBeNull();
  return read!;
}

/** A random lower-case token that no other test's data contains: a search marker, a tag or name part. */
export function uniqueMarker(prefix = 'mk'): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36).slice(-4)}`;
}

export interface SignedUpUser {
  readonly token: string;
  readonly id: string;
  readonly userName: string;
  readonly email: string;
  readonly password: string;
  /** A client carrying this user's session token. */
  readonly client: UserhubClient;
}

type SignUpExtras = Partial<{
  firstName: string;
  lastName: string;
  username: string;
  referralCode: string;
}>;

/** Signs a fresh user up through the SDK. */
export async function signUp(server: TestServer, extras: SignUpExtras = {}): Promise<SignedUpUser> {
  const { username, referralCode, ...names } = extras;
  const input = {
    ...uniqueUser(names),
    ...(username === undefined ? {} : { username }),
    ...(referralCode === undefined ? {} : { referralCode }),
  };
  const { token, user } = await server.client().auth.signUp.mutate(input);
  return {
    token,
    id: user.id,
    userName: user.userName,
    email: user.email,
    password: input.password,
    client: server.client(token),
  };
}

/** Stands in for account.deactivate (built elsewhere): a deactivated account is one with `locked_at` set. */
export async function deactivateDirectly(server: TestServer, userId: string): Promise<void> {
  await server.built.deps.db
    .updateTable('users')
    .set({ lockedAt: new Date() })
    .where('id', '=', userId)
    .execute();
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

/** The raw JSON a tRPC query answers over HTTP, exactly as it travels (no SDK in between). */
export async function rawQuery(
  server: TestServer,
  path: string,
  input: unknown,
  token?: string,
): Promise<{ status: number; text: string }> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetch(`${server.url}/trpc/${path}?input=${query}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, text: await response.text() };
}
