import { describe, expect, it } from 'vitest';
import { canRemovePasskey, countSignInMethods } from './sign-in-methods.js';

describe('sign-in methods', () => {
  it('count the password and each passkey', () => {
    expect(countSignInMethods({ hasPassword: true, passkeyCount: 0 })).toBe(1);
    expect(countSignInMethods({ hasPassword: true, passkeyCount: 2 })).toBe(3);
    expect(countSignInMethods({ hasPassword: false, passkeyCount: 1 })).toBe(1);
  });

  it('let a passkey go only while another method remains', () => {
    expect(canRemovePasskey({ hasPassword: true, passkeyCount: 1 })).toBe(true);
    expect(canRemovePasskey({ hasPassword: false, passkeyCount: 2 })).toBe(true);
    expect(canRemovePasskey({ hasPassword: false, passkeyCount: 1 })).toBe(false);
    expect(canRemovePasskey({ hasPassword: true, passkeyCount: 0 })).toBe(false);
  });
});
