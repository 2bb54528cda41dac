import { readUserhubError } from '@userhub/sdk';
import { describe, expect, it } from 'vitest';
import { DAY_MS, uniqueUser, useTestServer } from './harness.js';

const server = useTestServer({ clock: new Date('2026-01-01T00:00:00Z') });
const { clock } = server;

async function isValid(token: string): Promise<boolean> {
  try {
    await server.client(token).profile.me.query();
    return true;
  } catch (error) {
    expect(readUserhubError(error)?.code).toBe('UNAUTHORIZED');
    return false;
  }
}

describe('session lifetime', () => {
  it('stores only the SHA-256 of the token', async () => {
    const { token, user } = await server.client().auth.signUp.mutate(uniqueUser());
    const rows = await server.db.storedSessionTokenHashes(user.id);
    expect(rows).toEqual([{ tokenHash: server.db.tokenHashOf(token) }]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('expires after 30 days without use', async () => {
    const { token } = await server.client().auth.signUp.mutate(uniqueUser());
    clock.advance(29 * DAY_MS);
    const stillValid = await server.client().auth.signUp.mutate(uniqueUser());
    clock.advance(2 * DAY_MS);
    expect(await isValid(token)).toBe(false);
    expect(await isValid(stillValid.token)).toBe(true);
  });

  it('slides: use in the second half of its life pushes expiry 30 days on', async () => {
    const { token } = await server.client().auth.signUp.mutate(uniqueUser());
    const [before] = await server.client(token).auth.sessions.query();
    clock.advance(20 * DAY_MS);
    expect(await isValid(token)).toBe(true);
    const [after] = await server.client(token).auth.sessions.query();
    expect(after!.expiresAt.getTime() - before!.expiresAt.getTime()).toBe(20 * DAY_MS);
    clock.advance(25 * DAY_MS);
    expect(await isValid(token)).toBe(true);
  });

  it('ends at the absolute cap of 90 days however actively it is used', async () => {
    const { token } = await server.client().auth.signUp.mutate(uniqueUser());
    for (let day = 20; day < 90; day += 20) {
      clock.advance(20 * DAY_MS);
      expect(await isValid(token)).toBe(true);
    }
    const [session] = await server.client(token).auth.sessions.query();
    expect(session!.expiresAt.getTime()).toBeLessThanOrEqual(session!.createdAt.getTime() + 90 * DAY_MS);
    clock.advance(11 * DAY_MS);
    expect(await isValid(token)).toBe(false);
  });
});
