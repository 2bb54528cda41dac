import { describe, expect, it } from 'vitest';
import {
  cursorPageInput,
  formatKeysetPosition,
  parseKeysetPosition,
  userIdInput,
  userListPageInput,
} from './social.schema.js';

const userId = '5f1b0a4e-8c1d-4c4e-9f6a-2b7d9e0c1a23';

describe('social inputs', () => {
  it('userIdInput requires a UUID', () => {
    expect(userIdInput.parse({ userId })).toEqual({ userId });
    expect(userIdInput.safeParse({ userId: '6813a1ab1d3c66b889056c09' }).error?.issues[0]?.message).toBe(
      'User id must be a UUID',
    );
  });

  it('cursorPageInput defaults the limit to 20 and bounds it to 1–100', () => {
    expect(cursorPageInput.parse({})).toEqual({ limit: 20 });
    expect(cursorPageInput.parse({ limit: 1 })).toEqual({ limit: 1 });
    expect(cursorPageInput.safeParse({ limit: 101 }).success).toBe(false);
    expect(cursorPageInput.safeParse({ cursor: '' }).success).toBe(false);
  });

  it('userListPageInput needs the user and pages like cursorPageInput', () => {
    expect(userListPageInput.parse({ userId, cursor: 'c1' })).toEqual({ userId, cursor: 'c1', limit: 20 });
    expect(userListPageInput.safeParse({ cursor: 'c1' }).success).toBe(false);
    expect(userListPageInput.safeParse({ userId, page: 2 }).success).toBe(false);
  });
});

describe('keyset positions', () => {
  const id = '0b6f1c8e-5d1a-4c55-9d1e-2f6b1f0e9a11';

  it('read back exactly what they wrote', () => {
    const position = { at: new Date('2026-11-21T10:00:00.123Z'), id };
    expect(parseKeysetPosition(formatKeysetPosition(position))).toEqual(position);
  });

  it.each([
    ['an extended negative year', `-100000-01-01T00:00:00.000Z|${id}`],
    ['the last date JavaScript has', `+275760-09-13T00:00:00.000Z|${id}`],
    ['a date that rolls over', `2026-02-31T00:00:00.000Z|${id}`],
    ['an id that is no UUID', '2026-11-21T10:00:00.123Z|1 or 1=1'],
    ['a third part', `2026-11-21T10:00:00.123Z|${id}|x`],
    ['no separator', '2026-11-21T10:00:00.123Z'],
  ])('refuse %s', (_label, text) => {
    expect(parseKeysetPosition(text)).toBeNull();
  });
});
