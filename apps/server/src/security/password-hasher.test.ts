import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './password-hasher.js';

describe('createPasswordHasher', () => {
  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hasher = createPasswordHasher(2);
    const stored = await hasher.hash('Correct-Horse-9-Battery');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(stored, 'Correct-Horse-9-Battery')).toBe(true);
    expect(await hasher.verify(stored, 'correct-horse-9-battery')).toBe(false);
    expect(await hasher.verify('not-a-hash', 'Correct-Horse-9-Battery')).toBe(false);
  });

  it('never runs more hashes at once than its limit; the rest queue', async () => {
    const hasher = createPasswordHasher(2);
    const stored = await hasher.hash('Correct-Horse-9-Battery');
    let maxRunning = 0;
    let maxQueued = 0;
    let settled = false;
    const all = Promise.all(
      Array.from({ length: 8 }, () => hasher.verify(stored, 'Correct-Horse-9-Battery')),
    ).finally(() => {
      settled = true;
    });
    while (!settled) {
      const { running, queued } = hasher.load();
      maxRunning = Math.max(maxRunning, running);
      maxQueued = Math.max(maxQueued, queued);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await all).toEqual(Array(8).fill(true));
    expect(maxRunning).toBe(2);
    expect(maxQueued).toBeGreaterThanOrEqual(5);
    expect(hasher.load()).toEqual({ running: 0, queued: 0 });
  });

  it('spends a real verification, through the same queue, on an unknown login', async () => {
    const hasher = createPasswordHasher(1);
    await hasher.verifyDummy('warm-up');
    let sawRunning = false;
    let settled = false;
    const pending = hasher.verifyDummy('Whatever-1').finally(() => {
      settled = true;
    });
    while (!settled) {
      sawRunning ||= hasher.load().running === 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await pending;
    expect(sawRunning).toBe(true);
  });
});
