import { createUserhubClient, DEFAULT_MAX_URL_LENGTH } from '@userhub/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { type SignedUpUser, signUp } from './helpers.js';

let server: TestServer;
let reader: SignedUpUser;
let other: SignedUpUser;
beforeAll(async () => {
  server = await startTestServer();
  reader = await signUp(server);
  other = await signUp(server);
});
afterAll(async () => {
  await server?.close();
});

/** Real fetch, noting each request's URL so the test can see how the SDK split the batch. */
function recordingFetch(urls: string[]): typeof fetch {
  return (input, init) => {
    urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return fetch(input, init);
  };
}

/** 50 queries issued in the same tick, as a page of 50 components would on first render. */
function fiftyQueries(client: ReturnType<typeof createUserhubClient>) {
  return Promise.all(
    Array.from({ length: 50 }, (_, index) =>
      index % 2 === 0 ? client.profile.me.query() : client.profile.byId.query({ userId: other.id }),
    ),
  );
}

describe('batches of any size', () => {
  it('answers 50 queries issued in one tick, split into URLs of bounded length', async () => {
    const urls: string[] = [];
    const client = createUserhubClient({ url: server.url, token: reader.token, fetch: recordingFetch(urls) });
    const results = await fiftyQueries(client);
    expect(results).toHaveLength(50);
    results.forEach((result, index) => {
      expect(result.id).toBe(index % 2 === 0 ? reader.id : other.id);
    });
    expect(urls.length).toBeGreaterThan(1);
    for (const url of urls) expect(url.length).toBeLessThanOrEqual(DEFAULT_MAX_URL_LENGTH);
  });

  it('accepts one batch of 50 in a single request from a client that does not split', async () => {
    const urls: string[] = [];
    const client = createUserhubClient({
      url: server.url,
      token: reader.token,
      fetch: recordingFetch(urls),
      maxURLLength: Number.POSITIVE_INFINITY,
    });
    const results = await fiftyQueries(client);
    expect(results.map((result) => result.id)).toEqual(
      Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? reader.id : other.id)),
    );
    expect(urls).toHaveLength(1);
  });

  it('runs 50 mutations issued in one tick (the procedure names travel in the path for POST too)', async () => {
    const client = server.client(reader.token);
    const headlines = Array.from({ length: 50 }, (_, index) => `Headline number ${index}`);
    const updated = await Promise.all(
      headlines.map((headline) => client.profile.update.mutate({ headline })),
    );
    expect(updated).toHaveLength(50);
    for (const profile of updated) expect(headlines).toContain(profile.headline);
    expect(headlines).toContain((await client.profile.me.query()).headline);
  });
});
