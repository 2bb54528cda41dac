import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../time.js';
import { cancelDeletionInput, deletionDate, reportNotMeInput } from './deletion.schema.js';

describe('deletion schemas', () => {
  it('cancelDeletionInput takes a login, a password and an optional code, nothing else', () => {
    expect(cancelDeletionInput.safeParse({ login: 'ann', password: 'x' }).success).toBe(true);
    expect(cancelDeletionInput.safeParse({ login: 'ann', password: 'x', code: '123456' }).success).toBe(true);
    expect(cancelDeletionInput.safeParse({ login: 'ann', password: 'x', userId: 'u' }).success).toBe(false);
    expect(cancelDeletionInput.safeParse({ password: 'x' }).success).toBe(false);
  });

  it('reportNotMeInput needs a non-empty token', () => {
    expect(reportNotMeInput.safeParse({ token: 'abc' }).success).toBe(true);
    expect(reportNotMeInput.safeParse({ token: '' }).success).toBe(false);
    expect(reportNotMeInput.safeParse({ token: 'abc', email: 'x@y.z' }).success).toBe(false);
  });

  it('deletionDate adds whole days; zero days is now', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    expect(deletionDate(now, 14).getTime() - now.getTime()).toBe(14 * DAY_MS);
    expect(deletionDate(now, 0)).toEqual(now);
  });
});
