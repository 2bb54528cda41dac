import {
  type CompletenessInput,
  computeProfileCompleteness,
  computeSecurityStrength,
  type OwnProfile,
  type PublicProfile,
  presenceAt,
  type TagRecord,
} from '@userhub/core';
import type { UserRow } from '../db/schema.js';
import type { Db } from '../db/types.js';
import { notFound } from '../errors.js';
import { findOwnProfileExtras } from '../repositories/own-profile.js';
import { findViewParts } from '../repositories/profile-parts.js';
import { countUserTags } from '../repositories/tags.js';
import { findUserById, updateUser } from '../repositories/users.js';

type SocialColumns = Pick<UserRow, 'socialGithub' | 'socialTwitter' | 'socialLinkedin' | 'socialWebsite'>;

function socialsOf(user: SocialColumns) {
  return {
    github: user.socialGithub,
    twitter: user.socialTwitter,
    linkedin: user.socialLinkedin,
    website: user.socialWebsite,
  };
}

/** SPEC §2's security strength of an account, from its row and how many passkeys it has. */
export function securityStrengthOf(
  user: Pick<UserRow, 'emailVerified' | 'phoneVerified' | 'twoFactorEnabled' | 'passwordChangedAt'>,
  passkeyCount: number,
  now: Date,
) {
  return computeSecurityStrength(
    {
      emailVerified: user.emailVerified,
      phoneVerified: user.phoneVerified,
      twoFactorEnabled: user.twoFactorEnabled,
      hasPasskey: passkeyCount > 0,
      passwordChangedAt: user.passwordChangedAt,
    },
    now,
  );
}

/** The counters on a profile, the same in the owner's and the public view. */
function statsOf(
  user: Pick<UserRow, 'postsCount' | 'shopsCount' | 'eventsCount'>,
  counts: { readonly followers: number; readonly following: number },
) {
  return {
    followers: counts.followers,
    following: counts.following,
    posts: user.postsCount,
    shops: user.shopsCount,
    events: user.eventsCount,
  };
}

/** The self-description fields, the same in the owner's and the public view. */
function descriptionOf(
  user: Pick<UserRow, 'middleName' | 'headline' | 'bio' | 'about' | 'location' | 'availability'>,
) {
  return {
    middleName: user.middleName,
    headline: user.headline,
    bio: user.bio,
    about: user.about,
    location: user.location,
    availability: user.availability,
  };
}

export function completenessInputFor(user: UserRow, tagCount: number): CompletenessInput {
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    headline: user.headline,
    bio: user.bio,
    about: user.about,
    tagCount,
    location: user.location,
    contact: {
      country: user.contactCountry,
      city: user.contactCity,
      address: user.contactAddress,
      phone: user.contactPhone,
    },
    phoneNumber: user.phoneVerified ? user.phoneNumber : null,
    socials: socialsOf(user),
    profilePictureCount: user.profilePictureUrls.length,
  };
}

/**
 * Recomputes and stores the user's profile completeness. The stored value is what
 * profile.list filters on (by index) and what others see, so every write that changes
 * one of its inputs (profile update, sign-up, phone verification) calls this in its
 * transaction.
 */
export async function refreshProfileCompleteness(db: Db, userId: string): Promise<number> {
  const user = await findUserById(db, userId);
  if (user === undefined) throw notFound();
  const completeness = computeProfileCompleteness(
    completenessInputFor(user, await countUserTags(db, userId)),
  );
  await updateUser(db, userId, { profileCompleteness: completeness });
  return completeness;
}

/**
 * The owner's view of their account: every field, private ones included (SPEC §7 OwnProfile).
 * Pass the user's row when the request already read it (with the session), else it is read.
 */
export async function loadOwnProfile(db: Db, userId: string, now: Date, row?: UserRow): Promise<OwnProfile> {
  const [user, extras] = await Promise.all([
    row ?? findUserById(db, userId),
    findOwnProfileExtras(db, userId),
  ]);
  if (user === undefined) throw notFound();
  const { passkeyCount } = extras;
  const userTags: TagRecord[] = extras.tags;
  const counts = { followers: extras.followers, following: extras.following };
  return {
    id: user.id,
    userName: user.userName,
    email: user.email,
    emailVerified: user.emailVerified,
    emailVerifiedAt: user.emailVerifiedAt,
    phoneNumber: user.phoneNumber,
    phoneVerified: user.phoneVerified,
    firstName: user.firstName,
    lastName: user.lastName,
    ...descriptionOf(user),
    contact: {
      country: user.contactCountry,
      state: user.contactState,
      city: user.contactCity,
      address: user.contactAddress,
      phone: user.contactPhone,
    },
    socials: socialsOf(user),
    tags: userTags,
    profilePictureUrls: user.profilePictureUrls,
    role: user.role,
    type: user.type,
    accountType: user.accountType,
    isPrivate: user.isPrivate,
    isVerified: user.isVerified,
    isUserNameUpdated: user.isUserNameUpdated,
    isAccountLocked: user.lockedAt !== null,
    twoFactor: {
      enabled: user.twoFactorEnabled,
      method: user.twoFactorEnabled ? user.twoFactorMethod : null,
    },
    passkeyCount,
    securityStrength: securityStrengthOf(user, passkeyCount, now),
    profileCompleteness: computeProfileCompleteness(completenessInputFor(user, userTags.length)),
    stats: statsOf(user, counts),
    achievements: extras.achievements,
    referralCode: user.referralCode,
    score: user.score,
    kycStatus: user.kycStatus,
    walletGenerated: user.walletGenerated,
    web3Onboard: user.web3Onboard,
    presence: presenceAt(extras.lastActivity ?? undefined, now),
    lastLoginAt: user.lastLoginAt,
    passwordChangedAt: user.passwordChangedAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/**
 * The only columns a public view is built from (ARCHITECTURE habit 2): email, phone,
 * contact address, password and two-factor data are not even read.
 */
export const PUBLIC_USER_COLUMNS = [
  'id',
  'userName',
  'firstName',
  'lastName',
  'middleName',
  'headline',
  'bio',
  'about',
  'location',
  'availability',
  'profilePictureUrls',
  'socialGithub',
  'socialTwitter',
  'socialLinkedin',
  'socialWebsite',
  'contactCountry',
  'contactState',
  'contactCity',
  'role',
  'type',
  'isVerified',
  'isPrivate',
  'score',
  'profileCompleteness',
  'postsCount',
  'shopsCount',
  'eventsCount',
  'createdAt',
] as const satisfies ReadonlyArray<keyof UserRow>;

export type PublicUserRow = Pick<UserRow, (typeof PUBLIC_USER_COLUMNS)[number]>;

/**
 * Builds the views a viewer may see of these users, batching every look-up: one statement
 * for the tags, achievements, follow counts, presence, relationships and bookmarks of all of
 * them, whatever the count.
 * Private profiles and profiles whose owner blocked the viewer become the limited card.
 */
export async function buildPublicProfiles(
  db: Db,
  users: readonly PublicUserRow[],
  viewerId: string | null,
  now: Date,
): Promise<PublicProfile[]> {
  const partsByUser = await findViewParts(
    db,
    users.map((u) => u.id),
    viewerId,
  );
  return users.map((user) => {
    const isOwnProfile = user.id === viewerId;
    const parts = partsByUser.get(user.id);
    const relationship = parts?.relationship ?? null;
    const card = {
      id: user.id,
      userName: user.userName,
      firstName: user.firstName,
      lastName: user.lastName,
      profilePictureUrl: user.profilePictureUrls[0] ?? null,
      isOwnProfile,
      relationship,
      bookmarkId: parts?.bookmarkId ?? null,
    };
    const isLimited = !isOwnProfile && (user.isPrivate || relationship?.isBlockedBy === true);
    if (isLimited) return { visibility: 'limited' as const, ...card };
    const counts = { followers: parts?.followers ?? 0, following: parts?.following ?? 0 };
    return {
      visibility: 'full' as const,
      ...card,
      ...descriptionOf(user),
      profilePictureUrls: user.profilePictureUrls,
      tags: parts?.tags ?? [],
      region: { country: user.contactCountry, state: user.contactState, city: user.contactCity },
      socials: socialsOf(user),
      role: user.role,
      type: user.type,
      isVerified: user.isVerified,
      isPrivate: user.isPrivate,
      score: user.score,
      profileCompleteness: user.profileCompleteness,
      achievements: parts?.achievements ?? [],
      stats: statsOf(user, counts),
      presence: presenceAt(parts?.lastActivity ?? undefined, now),
      createdAt: user.createdAt,
    };
  });
}
