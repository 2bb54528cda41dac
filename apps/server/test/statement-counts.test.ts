import { createUserhubClient } from '@userhub/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedUpUser, useTestServer } from './harness.js';
import { uniqueMarker } from './helpers.js';

/**
 * Issue #10: the request path does as few round trips as the data needs. Each test counts
 * the SQL statements the server runs for one call (the README lists the figures).
 */
const server = useTestServer();
const marker = uniqueMarker('stmts');
let reader: SignedUpUser;
let others: SignedUpUser[];

beforeAll(async () => {
  reader = await server.users.signUp();
  others = await Promise.all(Array.from({ length: 7 }, () => server.users.signUp()));
  await Promise.all(
    [reader, ...others].map((user, index) =>
      user.client.profile.update.mutate({ tags: [`${marker} common`, `${marker} own ${index}`] }),
    ),
  );
  await reader.client.social.follow.mutate({ userId: others[0]!.id });
  // A first call, so the session's once-a-minute `lastUsedAt` write is not what is counted.
  await reader.client.profile.me.query();
});

const show = (statements: string[]) => statements.join('\n');

/**
 * The statements `run` sends, transaction control left out: the PostgreSQL driver reports
 * BEGIN/COMMIT as statements and PGlite's does not, and the figures should not differ by driver.
 */
const countStatements = async (run: () => Promise<unknown>) =>
  (await server.countStatements(run)).filter(
    (text) => !/^\s*(begin|commit|rollback)\b/i.test(text) && !isOutboxWorker(text),
  );

/**
 * The outbox worker polls on its own timer (and the harness drains it after each call); its
 * claim, mark and prune statements are not on the request's path. Queueing a message (an
 * insert) is, and still counts.
 */
function isOutboxWorker(text: string): boolean {
  return /^\s*(update|delete from) "outbox"/i.test(text);
}

describe('statements per call', () => {
  it('profile.me: the session with its user in one statement, then the profile', async () => {
    const statements = await countStatements(() => reader.client.profile.me.query());
    expect(statements.length, show(statements)).toBe(2);
  });

  // The session, the user, then one statement for every part of the view: tags,
  // achievements, follow counts, presence, the viewer's relationship and bookmark.
  const BY_ID = 3;

  it('profile.byId: the session, the user, and the parts of the view in one statement', async () => {
    const statements = await countStatements(() =>
      reader.client.profile.byId.query({ userId: others[0]!.id }),
    );
    expect(statements.length, show(statements)).toBe(BY_ID);
  });

  it('7 × profile.byId in one batch share their queries', async () => {
    const urls: string[] = [];
    const client = createUserhubClient({
      url: server.url,
      token: reader.token,
      fetch: (input, init) => {
        urls.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    const statements = await countStatements(() =>
      Promise.all(others.map((other) => client.profile.byId.query({ userId: other.id }))),
    );
    expect(urls).toHaveLength(1);
    // What one byId costs: the seven share every query.
    expect(statements.length, show(statements)).toBe(BY_ID);
  });

  // The user with the attempt's four throttle counters (the typed login, the address, the
  // account, the account's second-factor guesses); then one statement that writes the session
  // while the account is as the gate saw it, with the last sign-in, the audit event and the
  // resets of the counters; then the profile's one statement beside the row already read.
  it('auth.signIn: only the statements sign-in needs', async () => {
    const statements = await countStatements(() =>
      server.client().auth.signIn.mutate({ login: reader.email, password: reader.password }),
    );
    expect(statements.length, show(statements)).toBe(3);
    expect(statements[0]).toMatch(/rate_limits/);
    expect(statements[1]).toMatch(/^\s*with signed_in as \(\s*update users/);
  });

  // The session with its user, the bounded count, the page's rows, and the parts of all the
  // page's views in one (under 1,000 matches, so no estimate).
  it('profile.list: the session, the count, the page, and one statement for every view', async () => {
    const statements = await countStatements(() =>
      reader.client.profile.list.query({ tags: [`${marker} common`], limit: 12 }),
    );
    const tagLookup = statements.filter((text) => /from "tags"/.test(text));
    expect(tagLookup, show(statements)).toHaveLength(1);
    expect(statements.length, show(statements)).toBe(5);
  });
});
