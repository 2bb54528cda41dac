import { describe, expect, it } from 'vitest';
import { PRESENCE_WINDOW_MS, presenceAt } from './presence.js';

describe('presenceAt', () => {
  const now = new Date('2026-11-21T12:00:00.000Z');
  it('is ONLINE up to the end of the window and OFFLINE after it or without activity', () => {
    expect(presenceAt(new Date(now.getTime() - PRESENCE_WINDOW_MS), now)).toBe('ONLINE');
    expect(presenceAt(new Date(now.getTime() - PRESENCE_WINDOW_MS - 1), now)).toBe('OFFLINE');
    expect(presenceAt(undefined, now)).toBe('OFFLINE');
  });
});
