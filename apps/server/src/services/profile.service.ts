import {
  normalizeTagKey,
  type OwnProfile,
  type ProfileByUsername,
  type ProfileUpdate,
  type PublicProfile,
  type profileListInput,
  tagColor,
} from '@userhub/core';
import type { z } from 'zod';
import type { UserUpdate } from '../db/schema.js';
import type { Db } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { notFound, unauthenticated } from '../errors.js';
import { replaceUserTags } from '../repositories/tags.js';
import { findTagIdsByKeys, userListQueries } from '../repositories/user-list.js';
import { findUsernameHolder } from '../repositories/username-history.js';
import { findActiveUserColumns, lockUser, updateUser } from '../repositories/users.js';
import {
  buildPublicProfiles,
  loadOwnProfile,
  PUBLIC_USER_COLUMNS,
  type PublicUserRow,
  refreshProfileCompleteness,
} from './profile-views.js';

export type ProfileListQuery = z.output<typeof profileListInput>;

export interface ProfileListPage {
  items: PublicProfile[];
  page: number;
  pages: number;
  total: number;
  limit: number;
}

/** Maps the update input onto columns; a key absent from the input leaves its column alone. */
function columnsFor(input: ProfileUpdate): UserUpdate {
  const set: UserUpdate = {};
  if (input.firstName !== undefined) set.firstName = input.firstName;
  if (input.lastName !== undefined) set.lastName = input.lastName;
  if (input.middleName !== undefined) set.middleName = input.middleName;
  if (input.headline !== undefined) set.headline = input.headline;
  if (input.bio !== undefined) set.bio = input.bio;
  if (input.about !== undefined) set.about = input.about;
  if (input.location !== undefined) set.location = input.location;
  if (input.availability !== undefined) set.availability = input.availability;
  if (input.isPrivate !== undefined) set.isPrivate = input.isPrivate;
  if (input.profilePictureUrls !== undefined) set.profilePictureUrls = input.profilePictureUrls;
  const { contact, socials } = input;
  if (contact !== undefined) {
    if (contact.country !== undefined) set.contactCountry = contact.country;
    if (contact.state !== undefined) set.contactState = contact.state;
    if (contact.city !== undefined) set.contactCity = contact.city;
    if (contact.address !== undefined) set.contactAddress = contact.address;
    if (contact.phone !== undefined) set.contactPhone = contact.phone;
  }
  if (socials !== undefined) {
    if (socials.github !== undefined) set.socialGithub = socials.github;
    if (socials.twitter !== undefined) set.socialTwitter = socials.twitter;
    if (socials.linkedin !== undefined) set.socialLinkedin = socials.linkedin;
    if (socials.website !== undefined) set.socialWebsite = socials.website;
  }
  return set;
}

/** Writes a validated update within the caller's transaction, the user's row already locked. */
export async function applyProfileUpdate(trx: Db, userId: string, input: ProfileUpdate, now: Date) {
  if (input.tags !== undefined) {
    const tags = input.tags.map((name) => {
      const key = normalizeTagKey(name);
      return { name: name.trim(), key, color: tagColor(key) };
    });
    await replaceUserTags(trx, userId, tags, now);
  }
  await updateUser(trx, userId, { ...columnsFor(input), updatedAt: now });
  await refreshProfileCompleteness(trx, userId);
}

export function createProfileService(deps: AppDeps) {
  const { db, clock } = deps;

  async function viewOf(viewerId: string | null, user: PublicUserRow | undefined): Promise<PublicProfile> {
    if (user === undefined) throw notFound();
    const [view] = await buildPublicProfiles(db, [user], viewerId, clock.now());
    return view!;
  }

  return {
    me(userId: string): Promise<OwnProfile> {
      return loadOwnProfile(db, userId, clock.now());
    },

    /**
     * Applies the whole update in one transaction with the row locked: either every field
     * lands (and completeness is recomputed from the result) or nothing does.
     */
    async update(userId: string, input: ProfileUpdate): Promise<OwnProfile> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if ((await lockUser(trx, userId)) === undefined) throw notFound();
        await applyProfileUpdate(trx, userId, input, now);
      });
      return loadOwnProfile(db, userId, now);
    },

    async byId(viewerId: string | null, userId: string): Promise<PublicProfile> {
      const user = await findActiveUserColumns(db, { id: userId }, PUBLIC_USER_COLUMNS);
      return viewOf(viewerId, user);
    },

    /**
     * The profile bearing the name now; else, while the name is held for the user who gave it
     * up (SPEC §9), that user's current profile with `redirectedFrom` naming the old one.
     */
    async byUsername(viewerId: string | null, userName: string): Promise<ProfileByUsername> {
      const user = await findActiveUserColumns(db, { userName }, PUBLIC_USER_COLUMNS);
      if (user !== undefined) return viewOf(viewerId, user);
      const holder = await findUsernameHolder(db, userName, clock.now());
      if (holder === undefined) throw notFound();
      const current = await findActiveUserColumns(db, { id: holder.userId }, PUBLIC_USER_COLUMNS);
      return { ...(await viewOf(viewerId, current)), redirectedFrom: holder.userName };
    },

    /**
     * One query counts, one fetches the page, then the views are built with a fixed number
     * of batched look-ups. Private and deactivated users, and users who blocked the viewer,
     * are left out. Every filter is served by an index (see the initial migration).
     */
    async list(viewerId: string | null, input: ProfileListQuery): Promise<ProfileListPage> {
      if (input.bookmarkedOnly === true && viewerId === null) {
        throw unauthenticated('Sign in to list your bookmarked users');
      }
      const { tags, ...filter } = input;
      const tagIds = tags === undefined || tags.length === 0 ? undefined : await findTagIdsByKeys(db, tags);
      const queries = userListQueries(db, viewerId, { ...filter, tagIds }, input, PUBLIC_USER_COLUMNS);
      const [{ total }, rows] = await Promise.all([
        queries.count.executeTakeFirstOrThrow(),
        queries.page.execute(),
      ]);
      const limit = input.limit;
      const page = input.page;
      const totalCount = Number(total);
      return {
        items: await buildPublicProfiles(db, rows, viewerId, clock.now()),
        page,
        pages: Math.ceil(totalCount / limit),
        total: totalCount,
        limit,
      };
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
