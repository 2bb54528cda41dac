import { z } from 'zod';
import { achievementTypeSchema } from '../internal/internal.schema.js';
import { typeError, whenFieldsParsed } from '../schema-helpers.js';
import { SECURITY_LEVELS } from '../security/strength.js';
import { userIdSchema } from '../social/social.schema.js';
import { MAX_TAGS_PER_USER, tagNameSchema, tagsInputSchema } from '../tags/tags.js';
import { twoFactorMethodSchema } from '../two-factor/two-factor.schema.js';
import { usernameLookupSchema } from '../username/username.schema.js';
import { contactSchema } from './contact.js';
import {
  AVAILABILITY_VALUES,
  aboutSchema,
  availabilitySchema,
  bioSchema,
  firstNameSchema,
  headlineSchema,
  lastNameSchema,
  locationSchema,
  middleNameSchema,
} from './fields.js';
import { profilePictureUrlsSchema } from './profile-picture.js';
import { socialsSchema } from './socials.js';

/* ------------------------------------------------------------------ inputs */

/**
 * `profile.update`: every field optional; `null` clears an optional text field. The
 * object is strict, so fields a user may not set here (`email`, `role`, `id`,
 * `emailVerified`, ...) are rejected rather than silently ignored.
 */
export const profileUpdateInput = z.strictObject({
  firstName: firstNameSchema.optional(),
  lastName: lastNameSchema.optional(),
  middleName: middleNameSchema.optional(),
  headline: headlineSchema.optional(),
  bio: bioSchema.optional(),
  about: aboutSchema.optional(),
  location: locationSchema.optional(),
  availability: availabilitySchema.nullable().optional(),
  isPrivate: z.boolean({ error: typeError('isPrivate', 'true or false') }).optional(),
  contact: contactSchema.optional(),
  socials: socialsSchema.optional(),
  tags: tagsInputSchema.optional(),
  profilePictureUrls: profilePictureUrlsSchema.optional(),
});
export type ProfileUpdateInput = z.input<typeof profileUpdateInput>;
export type ProfileUpdate = z.output<typeof profileUpdateInput>;

/** `profile.byId`. */
export const profileByIdInput = z.strictObject({ userId: userIdSchema });

/** `profile.byUsername`: a leading `@` is accepted. */
export const profileByUsernameInput = z.strictObject({ username: usernameLookupSchema });

/** SPEC §7 `profile.list` paging. */
export const PROFILE_LIST_DEFAULT_LIMIT = 12;
export const PAGE_LIMIT_MAX = 100;
export const PROFILE_SEARCH_MAX_LENGTH = 100;
export const ROLE_MAX_LENGTH = 50;
/**
 * The list answers an exact `total` up to this many matches; past it, the planner's estimate,
 * flagged `totalIsEstimate` (counting a million rows exactly on every page costs more than the page).
 */
export const PROFILE_LIST_EXACT_TOTAL_MAX = 1_000;
/**
 * How deep the list pages: a page must lie within the first this-many results
 * (page × limit ≤ 10,000). Past it, narrow the filter; nobody reads page 900 of a directory.
 */
export const PROFILE_LIST_WINDOW = 10_000;

const completenessBoundSchema = (label: string) =>
  z
    .number({ error: typeError(label, 'a number') })
    .int({ error: `${label} must be a whole number` })
    .min(0, { error: `${label} must be at least 0` })
    .max(100, { error: `${label} must be at most 100` });

/** `profile.list`: one page of public profiles, filtered. */
export const profileListInput = z
  .strictObject({
    page: z
      .number({ error: typeError('Page', 'a number') })
      .int({ error: 'Page must be a whole number' })
      .min(1, { error: 'Page must be at least 1' })
      .default(1),
    limit: z
      .number({ error: typeError('Limit', 'a number') })
      .int({ error: 'Limit must be a whole number' })
      .min(1, { error: 'Limit must be at least 1' })
      .max(PAGE_LIMIT_MAX, { error: `Limit must be at most ${PAGE_LIMIT_MAX}` })
      .default(PROFILE_LIST_DEFAULT_LIMIT),
    role: z
      .string({ error: typeError('Role', 'a string') })
      .trim()
      .min(1, { error: 'Role must not be empty' })
      .max(ROLE_MAX_LENGTH, { error: `Role must be at most ${ROLE_MAX_LENGTH} characters` })
      .optional(),
    completenessMin: completenessBoundSchema('Minimum completeness').optional(),
    completenessMax: completenessBoundSchema('Maximum completeness').optional(),
    tags: z
      .array(tagNameSchema, { error: typeError('Tags', 'a list of names') })
      .max(MAX_TAGS_PER_USER, { error: `Filter by at most ${MAX_TAGS_PER_USER} tags` })
      .optional(),
    search: z
      .string({ error: typeError('Search', 'a string') })
      .trim()
      .max(PROFILE_SEARCH_MAX_LENGTH, {
        error: `Search must be at most ${PROFILE_SEARCH_MAX_LENGTH} characters`,
      })
      .optional(),
    bookmarkedOnly: z.boolean({ error: typeError('bookmarkedOnly', 'true or false') }).optional(),
  })
  .refine(
    (input) =>
      input.completenessMin === undefined ||
      input.completenessMax === undefined ||
      input.completenessMin <= input.completenessMax,
    {
      error: 'Maximum completeness must not be less than minimum completeness',
      path: ['completenessMax'],
      when: whenFieldsParsed('completenessMin', 'completenessMax'),
    },
  )
  .refine((input) => input.page * input.limit <= PROFILE_LIST_WINDOW, {
    error: `Page must lie within the first ${PROFILE_LIST_WINDOW.toLocaleString('en')} results (page × limit ≤ ${PROFILE_LIST_WINDOW.toLocaleString('en')}); narrow the filter to reach further`,
    path: ['page'],
    when: whenFieldsParsed('page', 'limit'),
  });
export type ProfileListInput = z.input<typeof profileListInput>;

/* ----------------------------------------------------------------- outputs */
/* Output schemas describe what the server returns (docs, OpenAPI, types). */

export const tagRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string(),
  color: z.string(),
  categories: z.array(z.string()),
  isParent: z.boolean(),
  type: z.string(),
  entryCount: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TagRecord = z.infer<typeof tagRecordSchema>;

export const securityStrengthSchema = z.object({
  score: z.number().int().min(0).max(100),
  level: z.enum(SECURITY_LEVELS),
  description: z.string(),
  recommendations: z.array(z.string()),
});

export const achievementSchema = z.object({
  id: z.string(),
  type: achievementTypeSchema,
  value: z.number().int(),
  total: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Achievement = z.infer<typeof achievementSchema>;

export const statsSchema = z.object({
  followers: z.number().int(),
  following: z.number().int(),
  posts: z.number().int(),
  shops: z.number().int(),
  events: z.number().int(),
});
export type Stats = z.infer<typeof statsSchema>;

const nullableString = z.string().nullable();

export const contactViewSchema = z.object({
  country: nullableString,
  state: nullableString,
  city: nullableString,
  address: nullableString,
  phone: nullableString,
});

/** The region part of the contact details: public; the street address and phone are not. */
export const regionViewSchema = z.object({
  country: nullableString,
  state: nullableString,
  city: nullableString,
});

export const socialsViewSchema = z.object({
  github: nullableString,
  twitter: nullableString,
  linkedin: nullableString,
  website: nullableString,
});

/** SPEC §7: ONLINE when a session was used in the last 5 minutes, else OFFLINE. */
export const PRESENCE_VALUES = ['ONLINE', 'OFFLINE'] as const;

/** `profile.me` and every call that returns the caller's own profile: every field of the user. */
export const ownProfileSchema = z.object({
  id: z.string(),
  userName: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  emailVerifiedAt: z.date().nullable(),
  phoneNumber: nullableString,
  phoneVerified: z.boolean(),
  firstName: z.string(),
  lastName: z.string(),
  middleName: nullableString,
  headline: nullableString,
  bio: nullableString,
  about: nullableString,
  location: nullableString,
  availability: z.enum(AVAILABILITY_VALUES).nullable(),
  contact: contactViewSchema,
  socials: socialsViewSchema,
  tags: z.array(tagRecordSchema),
  profilePictureUrls: z.array(z.string()),
  role: z.string(),
  type: z.string(),
  accountType: z.string(),
  isPrivate: z.boolean(),
  isVerified: z.boolean(),
  isUserNameUpdated: z.boolean(),
  isAccountLocked: z.boolean(),
  twoFactor: z.object({ enabled: z.boolean(), method: twoFactorMethodSchema.nullable() }),
  /** Registered passkeys; any one of them counts as two-factor in the security strength. */
  passkeyCount: z.number().int().min(0),
  securityStrength: securityStrengthSchema,
  profileCompleteness: z.number().int().min(0).max(100),
  stats: statsSchema,
  achievements: z.array(achievementSchema),
  referralCode: z.string(),
  score: z.number().int(),
  kycStatus: z.string(),
  walletGenerated: z.boolean(),
  web3Onboard: z.boolean(),
  presence: z.enum(PRESENCE_VALUES),
  lastLoginAt: z.date().nullable(),
  passwordChangedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type OwnProfile = z.infer<typeof ownProfileSchema>;

export const relationshipSchema = z.object({
  isFollowing: z.boolean(),
  isFollowedBy: z.boolean(),
  isBlocked: z.boolean(),
  isBlockedBy: z.boolean(),
});
export type Relationship = z.infer<typeof relationshipSchema>;

/**
 * What anyone may see of a public profile: an allow-list (SPEC §7) with no email,
 * phone, address, security or two-factor data.
 */
export const fullPublicProfileSchema = z.object({
  visibility: z.literal('full'),
  id: z.string(),
  userName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  middleName: nullableString,
  headline: nullableString,
  bio: nullableString,
  about: nullableString,
  location: nullableString,
  availability: z.enum(AVAILABILITY_VALUES).nullable(),
  profilePictureUrl: nullableString,
  profilePictureUrls: z.array(z.string()),
  tags: z.array(tagRecordSchema),
  region: regionViewSchema,
  socials: socialsViewSchema,
  role: z.string(),
  type: z.string(),
  isVerified: z.boolean(),
  score: z.number().int(),
  profileCompleteness: z.number().int(),
  achievements: z.array(achievementSchema),
  /** True only on the owner's own view of a private profile; others get the limited card. */
  isPrivate: z.boolean(),
  stats: statsSchema,
  presence: z.enum(PRESENCE_VALUES),
  createdAt: z.date(),
  isOwnProfile: z.boolean(),
  relationship: relationshipSchema.nullable(),
  bookmarkId: nullableString,
});

/** What others see of a private profile: enough to recognise and follow the person. */
export const limitedPublicProfileSchema = z.object({
  visibility: z.literal('limited'),
  id: z.string(),
  userName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  profilePictureUrl: nullableString,
  isOwnProfile: z.boolean(),
  relationship: relationshipSchema.nullable(),
  bookmarkId: nullableString,
});

export const publicProfileSchema = z.discriminatedUnion('visibility', [
  fullPublicProfileSchema,
  limitedPublicProfileSchema,
]);
export type PublicProfile = z.infer<typeof publicProfileSchema>;
export type FullPublicProfile = z.infer<typeof fullPublicProfileSchema>;
export type LimitedPublicProfile = z.infer<typeof limitedPublicProfileSchema>;

/** The allow-list of keys of a full public profile; a projection is tested against it. */
export const PUBLIC_PROFILE_FIELDS = Object.freeze(
  Object.keys(fullPublicProfileSchema.shape) as (keyof FullPublicProfile)[],
);
/** The allow-list of keys of a limited (private) public profile. */
export const LIMITED_PUBLIC_PROFILE_FIELDS = Object.freeze(
  Object.keys(limitedPublicProfileSchema.shape) as (keyof LimitedPublicProfile)[],
);

/** `profile.list`'s answer: one page, and how many match (see `PROFILE_LIST_EXACT_TOTAL_MAX`). */
export const profileListPageSchema = z.object({
  items: z.array(publicProfileSchema),
  page: z.number().int(),
  pages: z.number().int(),
  /** Exact up to `PROFILE_LIST_EXACT_TOTAL_MAX`; past it, an estimate (`totalIsEstimate`). */
  total: z.number().int(),
  totalIsEstimate: z.boolean(),
  limit: z.number().int(),
});
export type ProfileListPage = z.infer<typeof profileListPageSchema>;
