import { beforeAll, describe, expect, it } from 'vitest';
import {
  type SignedUpUser,
  sendTrpcRequest,
  type TrpcRequest,
  trpcReferenceAnswer,
  useTestServer,
} from './harness.js';

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

const json = 'application/json';
const body = (value: unknown) => JSON.stringify({ json: value });
const batchBody = (values: unknown[]) =>
  JSON.stringify(Object.fromEntries(values.map((value, index) => [index, { json: value }])));

/** POSTs the route answers itself, and what it hands to tRPC: the same answers as tRPC's. */
const mutations: Array<[string, () => Omit<TrpcRequest, 'authorization'>, boolean]> = [
  [
    'profile.update signed in',
    () => ({
      pathAndQuery: '/trpc/profile.update',
      body: body({ headline: 'Reads more' }),
      contentType: json,
    }),
    true,
  ],
  [
    'profile.update without a session (401)',
    () => ({ pathAndQuery: '/trpc/profile.update', body: body({ headline: 'x' }), contentType: json }),
    false,
  ],
  [
    'profile.update with a bad field (400 with the field)',
    () => ({ pathAndQuery: '/trpc/profile.update', body: body({ headline: 7 }), contentType: json }),
    true,
  ],
  [
    'auth.signIn with a wrong password (401)',
    () => ({
      pathAndQuery: '/trpc/auth.signIn',
      body: body({ login: other.email, password: 'not-the-password' }),
      contentType: 'application/json; charset=utf-8',
    }),
    false,
  ],
  [
    'auth.signIn with a NUL (400)',
    () => ({
      pathAndQuery: '/trpc/auth.signIn',
      body: body({ login: 'a\u0000', password: 'b' }),
      contentType: json,
    }),
    false,
  ],
  [
    'a mixed batch of mutations (207)',
    () => ({
      pathAndQuery: '/trpc/profile.update,profile.update?batch=1',
      body: batchBody([{ headline: 'Batched' }, { headline: 7 }]),
      contentType: json,
    }),
    true,
  ],
  [
    'a mutation without input (400)',
    () => ({ pathAndQuery: '/trpc/auth.signIn', body: '', contentType: json }),
    false,
  ],
  // Handed to resolveResponse by the route: the answers must be tRPC's all the same.
  [
    'a query by POST (405)',
    () => ({ pathAndQuery: '/trpc/profile.me', body: body(undefined), contentType: json }),
    true,
  ],
  [
    'an unknown procedure by POST (404)',
    () => ({ pathAndQuery: '/trpc/profile.nothing', body: body({}), contentType: json }),
    false,
  ],
  [
    'a body that is not JSON (400)',
    () => ({ pathAndQuery: '/trpc/profile.update', body: '{not', contentType: json }),
    true,
  ],
  [
    'a JSON body sent as text/plain',
    () => ({
      pathAndQuery: '/trpc/profile.update',
      body: body({ headline: 'x' }),
      contentType: 'text/plain',
    }),
    true,
  ],
  [
    'a batch whose body is not an object (400)',
    () => ({ pathAndQuery: '/trpc/profile.update?batch=1', body: '7', contentType: json }),
    true,
  ],
];

/** Times differ between two runs of a mutation; nothing else may. */
const sameTimes = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>');

describe('the tRPC query route answers as tRPC does', () => {
  it.each(cases)('%s', async (_label, pathOf, signedIn) => {
    const request = {
      pathAndQuery: pathOf(),
      ...(signedIn ? { authorization: `Bearer ${reader.token}` } : {}),
    };
    const served = await sendTrpcRequest(server.url, request);
    const reference = await trpcReferenceAnswer(server, request);
    expect({
      status: served.status,
      contentType: served.headers.get('content-type'),
      vary: served.headers.get('vary'),
      body: await served.text(),
    }).toEqual(reference);
  });
});

describe('the tRPC mutation route answers as tRPC does', () => {
  it.each(mutations)('%s', async (_label, requestOf, signedIn) => {
    const request = { ...requestOf(), ...(signedIn ? { authorization: `Bearer ${reader.token}` } : {}) };
    const served = await sendTrpcRequest(server.url, request);
    const answer = {
      status: served.status,
      contentType: served.headers.get('content-type'),
      vary: served.headers.get('vary'),
      body: sameTimes(await served.text()),
    };
    const reference = await trpcReferenceAnswer(server, request);
    expect(answer).toEqual({ ...reference, body: sameTimes(reference.body) });
  });
});

describe('what the tRPC route builds per request', () => {
  it('builds no Fetch Request for a query or a mutation, one for what it hands to tRPC', async () => {
    const built: string[] = [];
    const Original = globalThis.Request;
    // The route's requests to tRPC are the ones on its internal origin.
    globalThis.Request = class extends Original {
      constructor(input: ConstructorParameters<typeof Request>[0], init?: RequestInit) {
        super(input, init);
        const url = new URL(this.url);
        if (url.host === 'trpc.internal') built.push(`${this.method} ${url.pathname}`);
      }
    } as typeof Request;
    const authorization = `Bearer ${reader.token}`;
    let statuses: number[];
    try {
      const answers = await Promise.all([
        sendTrpcRequest(server.url, { pathAndQuery: '/trpc/profile.me', authorization }),
        sendTrpcRequest(server.url, {
          pathAndQuery: '/trpc/profile.update',
          authorization,
          body: body({ headline: 'Counted' }),
          contentType: json,
        }),
        sendTrpcRequest(server.url, {
          pathAndQuery: '/trpc/profile.me',
          authorization,
          body: body(undefined),
          contentType: json,
        }),
      ]);
      statuses = answers.map((answer) => answer.status);
      await Promise.all(answers.map((answer) => answer.text()));
    } finally {
      globalThis.Request = Original;
    }
    expect(statuses).toEqual([200, 200, 405]);
    expect(built).toEqual(['POST /trpc/profile.me']);
  });
});
