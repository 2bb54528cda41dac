import {
  type Achievement,
  type OwnProfile,
  type PublicProfile,
  relationshipSchema,
  socialsViewSchema,
  type TagRecord,
} from '@userhub/core';
import { z } from 'zod';

/** The classic dialect names the TOTP method after the app its users knew. */
export const CLASSIC_TWO_FACTOR_TYPES = { email: 'email', totp: 'google_auth' } as const;

const iso = (date: Date | null) => (date === null ? null : date.toISOString());
const isoString = z.iso.datetime().describe('ISO 8601 in UTC, e.g. 2025-05-01T16:30:35.866Z');
const nullableString = z.string().nullable();

const tagSchema = z.object({
  _id: z.string(),
  name: z.string(),
  key: z.string(),
  color: z.string(),
  categories: z.array(z.string()),
  isParent: z.boolean(),
  type: z.string(),
  entryCount: z.number().int(),
  createdAt: isoString,
  updatedAt: isoString,
  __v: z.number().int(),
});

const achievementSchema = z.object({
  _id: z.string(),
  owner: z.string(),
  type: z.string(),
  total: z.string(),
  value: z.string(),
  createdAt: isoString,
  updatedAt: isoString,
  __v: z.number().int(),
});

const talentSchema = z.object({
  about: nullableString,
  availability: nullableString,
  tags: z.array(z.string()),
  tagsIds: z.array(tagSchema),
});

function toTag(tag: TagRecord) {
  return {
    _id: tag.id,
    name: tag.name,
    key: tag.key,
    color: tag.color,
    categories: tag.categories,
    isParent: tag.isParent,
    type: tag.type,
    entryCount: tag.entryCount,
    createdAt: tag.createdAt.toISOString(),
    updatedAt: tag.updatedAt.toISOString(),
    __v: 0,
  };
}

/** The seed prints achievement numbers as strings; so do we. */
function toAchievement(owner: string, a: Achievement) {
  return {
    _id: a.id,
    owner,
    type: a.type,
    total: String(a.total),
    value: String(a.value),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    __v: 0,
  };
}

function talentOf(p: { about: string | null; availability: string | null; tags: TagRecord[] }) {
  return {
    about: p.about,
    availability: p.availability,
    tags: p.tags.map((t) => t.name),
    tagsIds: p.tags.map(toTag),
  };
}

export const classicAccountSchema = z.object({
  _id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  middleName: nullableString,
  email: z.email(),
  emailVerified: z.boolean(),
  emailVerifiedAt: isoString.nullable(),
  phoneNumber: nullableString,
  role: z.string(),
  type: z.string(),
  userName: z.string(),
  profile: z.object({
    contact: z.object({
      country: nullableString,
      state: nullableString,
      city: nullableString,
      address: nullableString,
      phone: nullableString,
    }),
    bio: z.object({ title: nullableString, description: nullableString }),
    talent: talentSchema,
    location: nullableString,
    profilePictureUrls: z.array(z.url()),
    verified: z.boolean(),
  }),
  isPrivate: z.boolean(),
  walletGenerated: z.boolean(),
  score: z.number().int(),
  twoFa: z.object({
    type: z.enum(['email', 'google_auth']).nullable(),
    status: z.boolean(),
    securityQuestion: nullableString,
  }),
  profileCompleteness: z.number().int(),
  socket: z.object({ status: z.enum(['ONLINE', 'OFFLINE']) }),
  loggedInAt: isoString.nullable(),
  isUserNameUpdated: z.boolean(),
  referralCode: z.string(),
  web3Onboard: z.boolean(),
  accountType: z.string(),
  isVerified: z.boolean(),
  createdAt: isoString,
  updatedAt: isoString,
  socials: socialsViewSchema,
  achievements: z.array(achievementSchema),
  kyc: z.boolean(),
  kycStatus: z.string(),
});

/** GET /v1/account and the update/2FA answers: the owner's complete record, seed-shaped. */
export function toClassicAccount(p: OwnProfile): z.output<typeof classicAccountSchema> {
  return {
    _id: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    middleName: p.middleName,
    email: p.email,
    emailVerified: p.emailVerified,
    emailVerifiedAt: iso(p.emailVerifiedAt),
    phoneNumber: p.phoneNumber,
    role: p.role,
    type: p.type,
    userName: p.userName,
    profile: {
      contact: { ...p.contact },
      bio: { title: p.headline, description: p.bio },
      talent: talentOf(p),
      location: p.location,
      profilePictureUrls: p.profilePictureUrls,
      verified: p.isVerified,
    },
    isPrivate: p.isPrivate,
    walletGenerated: p.walletGenerated,
    score: p.score,
    twoFa: {
      type: p.twoFactor.method === null ? null : CLASSIC_TWO_FACTOR_TYPES[p.twoFactor.method],
      status: p.twoFactor.enabled,
      securityQuestion: null,
    },
    profileCompleteness: p.profileCompleteness,
    socket: { status: p.presence },
    loggedInAt: iso(p.lastLoginAt),
    isUserNameUpdated: p.isUserNameUpdated,
    referralCode: p.referralCode,
    web3Onboard: p.web3Onboard,
    accountType: p.accountType,
    isVerified: p.isVerified,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    socials: { ...p.socials },
    achievements: p.achievements.map((a) => toAchievement(p.id, a)),
    kyc: p.kycStatus === 'verified',
    kycStatus: p.kycStatus,
  };
}

/**
 * Another user as the classic dialect lists them. Unlike the seed's list example, no
 * street address, phone or email: only the region of the contact details (SPEC §4).
 */
export const classicUserSchema = z.object({
  _id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  userName: z.string(),
  role: z.string().nullable(),
  type: z.string().nullable(),
  profile: z.object({
    contact: z.object({ country: nullableString, state: nullableString, city: nullableString }).nullable(),
    bio: z.object({ title: nullableString, description: nullableString }).nullable(),
    talent: talentSchema,
    location: nullableString,
    profilePictureUrl: nullableString,
    verified: z.boolean(),
  }),
  isPrivate: z.boolean(),
  score: z.number().int().nullable(),
  profileCompleteness: z.number().int().nullable(),
  socket: z.object({ status: z.enum(['ONLINE', 'OFFLINE']) }),
  socials: socialsViewSchema.nullable(),
  achievements: z.array(achievementSchema),
  createdAt: isoString.nullable(),
  isBookmarked: z.boolean(),
  bookmarkId: z.string().describe('Empty when not bookmarked, as in the seed'),
  relationship: relationshipSchema.nullable(),
});

export function toClassicUser(p: PublicProfile): z.output<typeof classicUserSchema> {
  const shared = {
    _id: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    userName: p.userName,
    isBookmarked: p.bookmarkId !== null,
    bookmarkId: p.bookmarkId ?? '',
    relationship: p.relationship,
  };
  if (p.visibility === 'limited') {
    return {
      ...shared,
      role: null,
      type: null,
      profile: {
        contact: null,
        bio: null,
        talent: { about: null, availability: null, tags: [], tagsIds: [] },
        location: null,
        profilePictureUrl: p.profilePictureUrl,
        verified: false,
      },
      isPrivate: true,
      score: null,
      profileCompleteness: null,
      socket: { status: 'OFFLINE' },
      socials: null,
      achievements: [],
      createdAt: null,
    };
  }
  return {
    ...shared,
    role: p.role,
    type: p.type,
    profile: {
      contact: { ...p.region },
      bio: { title: p.headline, description: p.bio },
      talent: talentOf(p),
      location: p.location,
      profilePictureUrl: p.profilePictureUrl,
      verified: p.isVerified,
    },
    isPrivate: p.isPrivate,
    score: p.score,
    profileCompleteness: p.profileCompleteness,
    socket: { status: p.presence },
    socials: { ...p.socials },
    achievements: p.achievements.map((a) => toAchievement(p.id, a)),
    createdAt: p.createdAt.toISOString(),
  };
}
