import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPLETENESS_ITEMS,
  type CompletenessInput,
  computeProfileCompleteness,
  missingCompletenessItems,
} from './completeness.js';

const empty: CompletenessInput = {
  firstName: null,
  lastName: null,
  headline: null,
  bio: null,
  about: null,
  tagCount: 0,
  location: null,
  contact: { country: null, city: null, address: null, phone: null },
  phoneNumber: null,
  socials: { github: null, twitter: null, linkedin: null, website: null },
  profilePictureCount: 0,
};

/** The seed's Alice (seeds/000, GET /v1/account): everything but a picture. */
const alice: CompletenessInput = {
  firstName: 'Alice',
  lastName: 'Bob',
  headline: 'Software Engineer',
  bio: 'Builds software Products',
  about: 'About this user?. User is the best developer in the solar system',
  tagCount: 7,
  location: null,
  contact: {
    country: 'England',
    city: 'Manchester',
    address: '30, alice bob blvd.',
    phone: '+4412345678987',
  },
  phoneNumber: null,
  socials: {
    github: 'https://github.com/tester',
    twitter: 'https://twitter.com/tester',
    linkedin: 'https://linkedin.com/tester',
    website: 'https://mywebsite.com',
  },
  profilePictureCount: 0,
};

describe('computeProfileCompleteness', () => {
  it('gives the seed’s Alice 90 (all but a picture)', () => {
    expect(computeProfileCompleteness(alice)).toBe(90);
    expect(missingCompletenessItems(alice)).toEqual(['profilePicture']);
  });

  it('gives the seed’s Jukne 0 (only a first name)', () => {
    const jukne = { ...empty, firstName: 'Jukne', lastName: '' };
    expect(computeProfileCompleteness(jukne)).toBe(0);
    expect(missingCompletenessItems(jukne)).toEqual([...COMPLETENESS_ITEMS]);
  });

  it('gives 100 to a complete profile', () => {
    expect(computeProfileCompleteness({ ...alice, profilePictureCount: 1 })).toBe(100);
  });

  it('needs both first and last name, not blank', () => {
    expect(missingCompletenessItems({ ...alice, lastName: '   ' })).toContain('fullName');
    expect(missingCompletenessItems({ ...alice, firstName: null })).toContain('fullName');
  });

  it('counts location from country and city, or from the location field', () => {
    const noLocation = { ...alice, contact: { ...alice.contact, city: null } };
    expect(missingCompletenessItems(noLocation)).toContain('location');
    expect(missingCompletenessItems({ ...noLocation, location: 'Manchester, England' })).not.toContain(
      'location',
    );
  });

  it('counts the phone from the contact or the verified phone number', () => {
    const noPhone = { ...alice, contact: { ...alice.contact, phone: null } };
    expect(missingCompletenessItems(noPhone)).toContain('phone');
    expect(missingCompletenessItems({ ...noPhone, phoneNumber: '+442079460958' })).not.toContain('phone');
  });

  it('counts any one social link', () => {
    const oneSocial = { ...empty, socials: { ...empty.socials, website: 'https://example.com' } };
    expect(missingCompletenessItems(oneSocial)).not.toContain('socials');
    expect(computeProfileCompleteness(oneSocial)).toBe(10);
  });

  it('is a multiple of 10 between 0 and 100 (property)', () => {
    const text = fc.option(fc.string({ maxLength: 5 }), { nil: null });
    const input = fc.record({
      firstName: text,
      lastName: text,
      headline: text,
      bio: text,
      about: text,
      tagCount: fc.nat(25),
      location: text,
      contact: fc.record({ country: text, city: text, address: text, phone: text }),
      phoneNumber: text,
      socials: fc.record({ github: text, twitter: text, linkedin: text, website: text }),
      profilePictureCount: fc.nat(5),
    });
    fc.assert(
      fc.property(input, (p) => {
        const score = computeProfileCompleteness(p);
        expect(score % 10).toBe(0);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        expect(score).toBe(100 - 10 * missingCompletenessItems(p).length);
      }),
    );
  });
});
