import { describe, expect, it } from 'vitest';
import {
  DEFAULT_USERNAME_HOLD_DAYS,
  dataExportFileName,
  exportDataInput,
  profileByUsernameOutput,
} from './username-history.schema.js';

describe('username history and export schemas', () => {
  it('holds names for 30 days by default (SPEC §9)', () => {
    expect(DEFAULT_USERNAME_HOLD_DAYS).toBe(30);
  });

  it('names the export file after the username', () => {
    expect(dataExportFileName('john_doe')).toBe('userhub-export-john_doe.json');
  });

  it('takes only the password for an export, and requires it', () => {
    expect(exportDataInput.parse({ password: 'x' })).toEqual({ password: 'x' });
    expect(exportDataInput.safeParse({ password: '' }).success).toBe(false);
    expect(exportDataInput.safeParse({ password: 'x', userId: 'someone-else' }).success).toBe(false);
  });

  it('adds an optional redirectedFrom to a public profile', () => {
    const limited = {
      visibility: 'limited' as const,
      id: 'u1',
      userName: 'new_name',
      firstName: 'Ada',
      lastName: 'Lovelace',
      profilePictureUrl: null,
      isOwnProfile: false,
      relationship: null,
      bookmarkId: null,
    };
    expect(profileByUsernameOutput.parse({ ...limited, redirectedFrom: 'old_name' }).redirectedFrom).toBe(
      'old_name',
    );
    expect(profileByUsernameOutput.parse(limited).redirectedFrom).toBeUndefined();
  });
});
