import { describe, expect, it } from 'vitest';
import { cursorPageInput, userIdInput, userListPageInput } from './social.schema.js';

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
