import { z } from 'zod';
import { typeError } from '../schema-helpers.js';

/** SPEC §7 cursor paging: 20 items by default, at most 100. */
export const CURSOR_PAGE_DEFAULT_LIMIT = 20;
export const CURSOR_PAGE_MAX_LIMIT = 100;
/** Bound on an opaque cursor issued by the server. */
export const CURSOR_MAX_LENGTH = 200;

/** A user id (UUID, as the database issues them). */
export const userIdSchema = z.uuid({ error: 'User id must be a UUID' });

export const cursorSchema = z
  .string({ error: typeError('Cursor', 'a string') })
  .min(1, { error: 'Cursor must not be empty' })
  .max(CURSOR_MAX_LENGTH, { error: `Cursor must be at most ${CURSOR_MAX_LENGTH} characters` });

export const cursorLimitSchema = z
  .number({ error: typeError('Limit', 'a number') })
  .int({ error: 'Limit must be a whole number' })
  .min(1, { error: 'Limit must be at least 1' })
  .max(CURSOR_PAGE_MAX_LIMIT, { error: `Limit must be at most ${CURSOR_PAGE_MAX_LIMIT}` })
  .default(CURSOR_PAGE_DEFAULT_LIMIT);

/** `social.follow`, `social.unfollow`, `social.block`, `social.unblock`, `bookmarks.add`, `bookmarks.remove`. */
export const userIdInput = z.strictObject({ userId: userIdSchema });

/** `bookmarks.list` (and any cursor-paged list of the caller's own items). */
export const cursorPageInput = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: cursorLimitSchema,
});

/** `social.followers`, `social.following`: one page of someone's list. */
export const userListPageInput = z.strictObject({
  userId: userIdSchema,
  cursor: cursorSchema.optional(),
  limit: cursorLimitSchema,
});
