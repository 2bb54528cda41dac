import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SecurityStrength } from '../security/strength.js';
import {
  fullPublicProfileSchema,
  LIMITED_PUBLIC_PROFILE_FIELDS,
  type OwnProfile,
  ownProfileSchema,
  PROFILE_LIST_WINDOW,
  PUBLIC_PROFILE_FIELDS,
  profileByIdInput,
  profileByUsernameInput,
  profileListInput,
  profileUpdateInput,
  publicProfileSchema,
  securityStrengthSchema,
  type TagRecord,
} from './profile.schema.js';

const now = new Date('2026-05-19T12:00:00.000Z');
const tag: TagRecord = {
  id: 't1',
  name: 'product',
  key: 'product',
  color: '#56F2E3',
  categories: [],
  isParent: false,
  type: '',
  entryCount: 1,
  createdAt: now,
  updatedAt: now,
};
const stats = { followers: 0, following: 0, posts: 0, shops: 0, events: 0 };
const socials = { github: null, twitter: null, linkedin: null, website: 'https://mywebsite.com' };

describe('profileUpdateInput', () => {
  it('accepts an empty update and a full one', () => {
    expect(profileUpdateInput.parse({})).toEqual({});
    const full = {
      firstName: 'Alice',
      lastName: 'Bob',
      middleName: null,
      headline: 'Software Engineer',
      bio: 'Builds software Products',
      about: 'About this user?. User is the best developer in the solar system',
      location: 'Manchester',
      availability: 'available',
      isPrivate: false,
      contact: {
        country: 'England',
        state: 'Manchester',
        city: 'Manchester',
        address: '30, alice bob blvd.',
      },
      socials: { github: 'https://github.com/tester', twitter: 'https://twitter.com/tester' },
      tags: ['product', 'writing'],
      profilePictureUrls: ['https://cdn.example.com/alice.png'],
    } as const;
    expect(profileUpdateInput.parse(full)).toEqual(full);
  });

  it('rejects fields a profile update may not touch', () => {
    for (const key of ['role', 'email', 'id', 'emailVerified', 'userName', 'isVerified', 'score']) {
      const result = profileUpdateInput.safeParse({ firstName: 'Alice', [key]: 'x' });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
    }
  });

  it('accepts a partial contact', () => {
    expect(profileUpdateInput.parse({ contact: { phone: '+44 20 7946 0958' } })).toEqual({
      contact: { phone: '+442079460958' },
    });
  });

  it('uses null to clear optional fields but not required ones', () => {
    expect(
      profileUpdateInput.parse({ bio: null, headline: null, availability: null, middleName: '' }),
    ).toEqual({
      bio: null,
      headline: null,
      availability: null,
      middleName: null,
    });
    expect(profileUpdateInput.safeParse({ firstName: null }).success).toBe(false);
  });

  it('reports nested problems at their full path', () => {
    const result = profileUpdateInput.safeParse({
      contact: { phone: '12' },
      socials: { github: 'https://gitlab.com/x' },
      profilePictureUrls: ['https://cdn.example.com/ok.png', 'http://cdn.example.com/a.png'],
      tags: ['ok', ''],
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'contact.phone',
      'socials.github',
      'tags.1',
      'profilePictureUrls.1',
    ]);
  });

  it('deduplicates tags by key', () => {
    expect(profileUpdateInput.parse({ tags: ['React', 'react'] })).toEqual({ tags: ['React'] });
  });
});

describe('profileByIdInput and profileByUsernameInput', () => {
  it('take a UUID, and a username with an optional @', () => {
    expect(profileByIdInput.safeParse({ userId: '5f1b0a4e-8c1d-4c4e-9f6a-2b7d9e0c1a23' }).success).toBe(true);
    expect(profileByIdInput.safeParse({ userId: '42' }).success).toBe(false);
    expect(profileByUsernameInput.parse({ username: '@john_doe' })).toEqual({ username: 'john_doe' });
    expect(profileByUsernameInput.safeParse({ username: '@j' }).success).toBe(false);
  });
});

describe('profileListInput', () => {
  it('defaults page to 1 and limit to 12', () => {
    expect(profileListInput.parse({})).toEqual({ page: 1, limit: 12 });
  });

  it('keeps a page within the first PROFILE_LIST_WINDOW results, naming the page', () => {
    expect(profileListInput.safeParse({ page: PROFILE_LIST_WINDOW / 100, limit: 100 }).success).toBe(true);
    const past = profileListInput.safeParse({ page: PROFILE_LIST_WINDOW / 100 + 1, limit: 100 });
    expect(past.success).toBe(false);
    expect(past.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['page', expect.stringMatching(/first 10,000 results \(page × limit ≤ 10,000\)/)],
    ]);
  });

  it('bounds page, limit and completeness', () => {
    expect(profileListInput.safeParse({ page: 0 }).success).toBe(false);
    expect(profileListInput.safeParse({ limit: 100 }).success).toBe(true);
    expect(profileListInput.safeParse({ limit: 101 }).success).toBe(false);
    expect(profileListInput.safeParse({ limit: 0 }).success).toBe(false);
    expect(profileListInput.safeParse({ completenessMin: -1 }).success).toBe(false);
    expect(profileListInput.safeParse({ completenessMax: 101 }).success).toBe(false);
    expect(profileListInput.safeParse({ search: 's'.repeat(101) }).success).toBe(false);
  });

  it('requires completenessMin ≤ completenessMax, reported at completenessMax', () => {
    expect(profileListInput.safeParse({ completenessMin: 50, completenessMax: 50 }).success).toBe(true);
    const result = profileListInput.safeParse({ completenessMin: 60, completenessMax: 50 });
    expect(result.error?.issues).toMatchObject([
      {
        path: ['completenessMax'],
        message: 'Maximum completeness must not be less than minimum completeness',
      },
    ]);
  });

  it('accepts the filters', () => {
    const input = {
      page: 2,
      limit: 24,
      role: 'user',
      tags: ['devops'],
      search: 'alice',
      bookmarkedOnly: true,
    };
    expect(profileListInput.parse(input)).toEqual(input);
    expect(profileListInput.safeParse({ sort: 'name' }).success).toBe(false);
  });
});

describe('output schemas', () => {
  const ownProfile: OwnProfile = {
    id: 'u1',
    userName: 'alice-bob-kgnx',
    email: 'mail@example.com',
    emailVerified: true,
    emailVerifiedAt: now,
    phoneNumber: null,
    phoneVerified: false,
    firstName: 'Alice',
    lastName: 'Bob',
    middleName: null,
    headline: 'Software Engineer',
    bio: null,
    about: null,
    location: null,
    availability: 'available',
    contact: { country: 'England', state: null, city: 'Manchester', address: null, phone: null },
    socials,
    tags: [tag],
    profilePictureUrls: [],
    role: 'user',
    type: 'recipient',
    accountType: 'email',
    isPrivate: false,
    isVerified: false,
    isUserNameUpdated: false,
    isAccountLocked: false,
    twoFactor: { enabled: false, method: null },
    passkeyCount: 0,
    securityStrength: { score: 40, level: 'WEAK', description: 'd', recommendations: [] },
    profileCompleteness: 90,
    stats,
    achievements: [{ id: 'a1', type: 'five-star', value: 0, total: 20, createdAt: now, updatedAt: now }],
    referralCode: 'Jg60',
    score: 0,
    kycStatus: 'none',
    walletGenerated: true,
    web3Onboard: false,
    presence: 'OFFLINE',
    lastLoginAt: null,
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
  };

  it('ownProfileSchema accepts a complete own profile', () => {
    expect(ownProfileSchema.parse(ownProfile)).toEqual(ownProfile);
  });

  it('publicProfileSchema distinguishes full and limited views', () => {
    const limited = {
      visibility: 'limited',
      id: 'u1',
      userName: 'alice',
      firstName: 'Alice',
      lastName: 'Bob',
      profilePictureUrl: null,
      isOwnProfile: false,
      relationship: null,
      bookmarkId: null,
    } as const;
    expect(publicProfileSchema.parse(limited)).toEqual(limited);
    expect(publicProfileSchema.safeParse({ ...limited, visibility: 'full' }).success).toBe(false);
  });

  it('a full public profile is accepted with every allow-listed field', () => {
    const full = Object.fromEntries(
      PUBLIC_PROFILE_FIELDS.map((key) => [key, (ownProfile as Record<string, unknown>)[key]]),
    );
    const view = {
      ...full,
      visibility: 'full',
      profilePictureUrl: null,
      isOwnProfile: false,
      relationship: { isFollowing: false, isFollowedBy: false, isBlocked: false, isBlockedBy: false },
      bookmarkId: null,
      region: { country: 'England', state: null, city: 'Manchester' },
    };
    expect(fullPublicProfileSchema.safeParse(view).success).toBe(true);
    // isPrivate may be true: the owner's own view of a private profile is the full one.
    expect(fullPublicProfileSchema.safeParse({ ...view, isPrivate: true }).success).toBe(true);
    expect(fullPublicProfileSchema.safeParse({ ...view, email: 'mail@example.com' }).data).not.toHaveProperty(
      'email',
    );
  });

  it('the public allow-lists carry no private field', () => {
    const privateFields = [
      'email',
      'emailVerified',
      'emailVerifiedAt',
      'phoneNumber',
      'phoneVerified',
      'contact',
      'twoFactor',
      'securityStrength',
      'isAccountLocked',
      'passwordChangedAt',
      'lastLoginAt',
      'referralCode',
      'kycStatus',
    ];
    for (const field of privateFields) {
      expect(PUBLIC_PROFILE_FIELDS).not.toContain(field);
      expect(LIMITED_PUBLIC_PROFILE_FIELDS).not.toContain(field);
    }
    expect(PUBLIC_PROFILE_FIELDS).toContain('visibility');
    expect(PUBLIC_PROFILE_FIELDS).toContain('profilePictureUrl');
    expect(LIMITED_PUBLIC_PROFILE_FIELDS).toEqual([
      'visibility',
      'id',
      'userName',
      'firstName',
      'lastName',
      'profilePictureUrl',
      'isOwnProfile',
      'relationship',
      'bookmarkId',
    ]);
  });

  it('securityStrengthSchema describes exactly the SecurityStrength that strength.ts computes', () => {
    expectTypeOf<ReturnType<typeof securityStrengthSchema.parse>>().toEqualTypeOf<SecurityStrength>();
    expect(
      securityStrengthSchema.safeParse({ score: 101, level: 'STRONG', description: '', recommendations: [] })
        .success,
    ).toBe(false);
  });
});
