import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedUpUser, trpcReferenceAnswer, useTestServer } from './harness.js';

const server = useTestServer();
let reader: SignedUpUser;
let other: SignedUpUser;
beforeAll(async () => {
  reader = await server.users.signUp();
  other = await server.users.signUp();
  await reader.client.profile.update.mutate({ tags: ['typescript', 'postgres'], headline: 'Reads a lot' });
});

const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
const batchInput = (values: unknown[]) =>
  encodeURIComponent(
    JSON.stringify(Object.fromEntries(values.map((value, index) => [index, { json: value }]))),
  );

/** GETs the server's route answers itself, and the answers tRPC's resolveResponse gives to them. */
const cases: Array<[string, () => string, boolean]> = [
  ['profile.me signed in', () => '/trpc/profile.me', true],
  ['profile.me without a session (401)', () => '/trpc/profile.me', false],
  ['profile.byId of another user', () => `/trpc/profile.byId?input=${input({ userId: other.id })}`, false],
  [
    'profile.byId of nobody (404)',
    () => `/trpc/profile.byId?input=${input({ userId: '00000000-0000-4000-8000-000000000000' })}`,
    false,
  ],
  [
    'profile.byId with a bad id (400 with the field)',
    () => `/trpc/profile.byId?input=${input({ userId: 7 })}`,
    false,
  ],
  ['profile.byId without input (400)', () => '/trpc/profile.byId', false],
  ['profile.list with a NUL (400)', () => `/trpc/profile.list?input=${input({ search: 'a\u0000b' })}`, false],
  [
    'a batch of three',
    () =>
      `/trpc/profile.me,profile.byId,profile.me?batch=1&input=${batchInput([undefined, { userId: other.id }])}`,
    true,
  ],
  [
    'a mixed batch (207)',
    () => `/trpc/profile.me,profile.byId?batch=1&input=${batchInput([undefined, { userId: 'nope' }])}`,
    true,
  ],
  ['a batch without input', () => '/trpc/profile.me,profile.me?batch=1', true],
  // Handed to resolveResponse by the route: the answers must be tRPC's all the same.
  ['an unknown procedure (404)', () => '/trpc/profile.nothing', false],
  ['a mutation by GET (405)', () => `/trpc/auth.signIn?input=${input({ login: 'a', password: 'b' })}`, false],
  ['input that is not JSON (400)', () => '/trpc/profile.byId?input=%7Bnot', false],
  ['a batch whose input is not an object (400)', () => '/trpc/profile.me?batch=1&input=7', true],
];

describe('the tRPC query route answers as tRPC does', () => {
  it.each(cases)('%s', async (_label, pathOf, signedIn) => {
    const pathAndQuery = pathOf();
    const authorization = signedIn ? `Bearer ${reader.token}` : undefined;
    const served = await fetch(server.url + pathAndQuery, {
      headers: authorization === undefined ? {} : { authorization },
    });
    const reference = await trpcReferenceAnswer(server, pathAndQuery, authorization);
    expect({
      status: served.status,
      contentType: served.headers.get('content-type'),
      vary: served.headers.get('vary'),
      body: await served.text(),
    }).toEqual(reference);
  });
});
