import { normalizeTagKey } from '@userhub/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedUpUser, useTestServer } from './harness.js';
import { uniqueMarker } from './helpers.js';

/**
 * Issue #10: a tag's `entryCount` is stored and kept in the same transaction as the links,
 * so reading a popular tag costs what reading a rare one does. Whatever sequence of links,
 * unlinks, reorders and account deletions happens, the stored count equals a recount.
 */
const server = useTestServer();
const marker = uniqueMarker('count');
const names = Array.from({ length: 6 }, (_, index) => `${marker} t${index}`);
const keys = names.map(normalizeTagKey);

/** A seeded generator, so a failing sequence can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function pickTags(random: () => number): string[] {
  const chosen = names.filter(() => random() < 0.4);
  // Shuffle, so kept tags also move position.
  return chosen
    .map((name) => ({ name, order: random() }))
    .sort((a, b) => a.order - b.order)
    .map((entry) => entry.name);
}

async function expectStoredEqualsRecount() {
  const counts = await server.db.tagCounts(keys);
  for (const [key, { stored, recounted }] of counts) {
    expect({ key, stored }).toEqual({ key, stored: recounted });
  }
}

let users: SignedUpUser[] = [];
beforeAll(async () => {
  users = await Promise.all(Array.from({ length: 6 }, () => server.users.signUp()));
});

describe('stored tag entry counts', () => {
  it('equal a recount after random link, unlink and reorder sequences and account deletions', async () => {
    const random = generator(20261202);
    const alive = [...users];
    for (let step = 0; step < 40 && alive.length > 0; step++) {
      const index = Math.floor(random() * alive.length);
      const user = alive[index]!;
      if (step > 10 && random() < 0.1) {
        await user.client.account.delete.mutate({ password: user.password });
        alive.splice(index, 1);
      } else {
        await user.client.profile.update.mutate({ tags: pickTags(random) });
      }
      await expectStoredEqualsRecount();
    }
    expect(alive.length).toBeLessThan(users.length);
    const counts = await server.db.tagCounts(keys);
    expect([...counts.values()].some(({ stored }) => stored > 0)).toBe(true);
  });

  it('answers the stored count in every tag record, concurrent edits included', async () => {
    const shared = `${marker} shared`;
    const editors = await Promise.all(Array.from({ length: 4 }, () => server.users.signUp()));
    await Promise.all(
      editors.map((editor, index) =>
        editor.client.profile.update.mutate({
          tags: index % 2 === 0 ? [shared, names[0]!] : [names[1]!, shared],
        }),
      ),
    );
    const profile = await editors[0]!.client.profile.byId.query({ userId: editors[1]!.id });
    const tag = profile.visibility === 'full' ? profile.tags.find((t) => t.name === shared) : undefined;
    expect(tag?.entryCount).toBe(4);
    await editors[2]!.client.profile.update.mutate({ tags: [] });
    const me = await editors[0]!.client.profile.me.query();
    expect(me.tags.find((t) => t.name === shared)?.entryCount).toBe(3);
    await expectStoredEqualsRecount();
  });
});
