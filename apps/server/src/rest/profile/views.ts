import {
  type OwnProfile,
  type PublicProfile,
  relationshipSchema,
  securityStrengthSchema,
} from '@userhub/core';
import { z } from 'zod';

const isoString = z.iso.datetime().describe('ISO 8601 in UTC');
const nullableString = z.string().nullable();

/** The seed's role names: `ROLE_` and the upper-cased role (`user` was `ROLE_NORMAL_USER` in v1, `ROLE_USER` in v2). */
export const toRoles = (role: string) => [`ROLE_${role.toUpperCase()}`];

const countsSchema = {
  followersCount: z.number().int(),
  followingCount: z.number().int(),
  postsCount: z.number().int(),
  shopsCount: z.number().int(),
  eventsCount: z.number().int(),
};

/**
 * `/me`: the v2 own profile, which carries every v1 field too, plus the card fields v1's
 * "profile summary" variant of the same path returned (`userId`, `profilePictureUrl`,
 * `isOwnProfile: true`, `relationship: null`), so clients of all three shapes keep working.
 */
export const profileOwnSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  middleName: nullableString,
  email: z.email(),
  phoneNumber: nullableString,
  bio: nullableString,
  location: nullableString,
  profilePictureUrls: z.array(z.url()),
  profilePictureUrl: nullableString,
  isVerified: z.boolean(),
  isEmailVerified: z.boolean(),
  isPhoneVerified: z.boolean(),
  isTwoFactorEnabled: z.boolean(),
  isAccountLocked: z.boolean(),
  ...countsSchema,
  createdAt: isoString,
  editedAt: isoString,
  roles: z.array(z.string()),
  securityStrength: securityStrengthSchema,
  isOwnProfile: z.literal(true),
  relationship: z.null(),
});

function countsOf(stats: OwnProfile['stats']) {
  return {
    followersCount: stats.followers,
    followingCount: stats.following,
    postsCount: stats.posts,
    shopsCount: stats.shops,
    eventsCount: stats.events,
  };
}

export function toProfileOwn(p: OwnProfile): z.output<typeof profileOwnSchema> {
  return {
    id: p.id,
    userId: p.id,
    userName: p.userName,
    firstName: p.firstName,
    lastName: p.lastName,
    middleName: p.middleName,
    email: p.email,
    phoneNumber: p.phoneNumber,
    bio: p.bio,
    location: p.location,
    profilePictureUrls: p.profilePictureUrls,
    profilePictureUrl: p.profilePictureUrls[0] ?? null,
    isVerified: p.isVerified,
    isEmailVerified: p.emailVerified,
    isPhoneVerified: p.phoneVerified,
    isTwoFactorEnabled: p.twoFactor.enabled,
    isAccountLocked: p.isAccountLocked,
    ...countsOf(p.stats),
    createdAt: p.createdAt.toISOString(),
    editedAt: p.updatedAt.toISOString(),
    roles: toRoles(p.role),
    securityStrength: p.securityStrength,
    isOwnProfile: true,
    relationship: null,
  };
}

/** The public card of `/id/{userId}` and `/u/{username}`: never email, phone or security data. */
export const profileCardSchema = z.object({
  userId: z.string(),
  userName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  profilePictureUrl: nullableString,
  bio: nullableString,
  location: nullableString,
  isVerified: z.boolean(),
  followersCount: z.number().int().nullable(),
  followingCount: z.number().int().nullable(),
  postsCount: z.number().int().nullable(),
  shopsCount: z.number().int().nullable(),
  eventsCount: z.number().int().nullable(),
  createdAt: isoString.nullable(),
  isOwnProfile: z.boolean(),
  isPrivate: z.boolean().describe('A private profile shows others only its name, username and picture'),
  relationship: relationshipSchema.nullable(),
});

export function toProfileCard(p: PublicProfile): z.output<typeof profileCardSchema> {
  const card = {
    userId: p.id,
    userName: p.userName,
    firstName: p.firstName,
    lastName: p.lastName,
    profilePictureUrl: p.profilePictureUrl,
    isOwnProfile: p.isOwnProfile,
    relationship: p.relationship,
  };
  if (p.visibility === 'limited') {
    return {
      ...card,
      bio: null,
      location: null,
      isVerified: false,
      followersCount: null,
      followingCount: null,
      postsCount: null,
      shopsCount: null,
      eventsCount: null,
      createdAt: null,
      isPrivate: true,
    };
  }
  return {
    ...card,
    bio: p.bio,
    location: p.location,
    isVerified: p.isVerified,
    ...countsOf(p.stats),
    createdAt: p.createdAt.toISOString(),
    isPrivate: p.isPrivate,
  };
}

export const securityInfoSchema = z.object({
  isEmailVerified: z.boolean(),
  isPhoneVerified: z.boolean(),
  isTwoFactorEnabled: z.boolean(),
  isAccountLocked: z.boolean(),
  lastPasswordChange: isoString,
  accountCreatedAt: isoString,
  roles: z.array(z.string()),
  securityStrength: securityStrengthSchema,
});

export function toSecurityInfo(info: {
  isEmailVerified: boolean;
  isPhoneVerified: boolean;
  isTwoFactorEnabled: boolean;
  isAccountLocked: boolean;
  lastPasswordChange: Date;
  accountCreatedAt: Date;
  roles: string[];
  securityStrength: z.output<typeof securityStrengthSchema>;
}): z.output<typeof securityInfoSchema> {
  return {
    isEmailVerified: info.isEmailVerified,
    isPhoneVerified: info.isPhoneVerified,
    isTwoFactorEnabled: info.isTwoFactorEnabled,
    isAccountLocked: info.isAccountLocked,
    lastPasswordChange: info.lastPasswordChange.toISOString(),
    accountCreatedAt: info.accountCreatedAt.toISOString(),
    roles: info.roles.flatMap(toRoles),
    securityStrength: info.securityStrength,
  };
}

/** What a code request answers in this dialect (v1 `request-email-verification`). */
export const codeRequestSchema = z.object({
  tempToken: z.string(),
  message: z.string(),
  expireAt: isoString,
  email: z.string().optional().describe('Where the code went, masked: j***@example.com'),
  phone: z.string().optional(),
});
