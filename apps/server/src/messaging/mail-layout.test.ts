import { describe, expect, it } from 'vitest';
import { formatDateForPeople } from './mail-layout.js';

describe('formatDateForPeople', () => {
  it('writes the day, month name, year and time in UTC', () => {
    expect(formatDateForPeople(new Date('2026-12-01T10:30:45.866Z'))).toBe('1 December 2026, 10:30 UTC');
    expect(formatDateForPeople(new Date('2027-01-09T00:05:00Z'))).toBe('9 January 2027, 00:05 UTC');
  });

  it('uses UTC whatever the offset the date was written with', () => {
    expect(formatDateForPeople(new Date('2026-06-30T23:59:00-02:00'))).toBe('1 July 2026, 01:59 UTC');
  });
});
