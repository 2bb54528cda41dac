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

export function isUuid(value: string): boolean {
  return userIdSchema.safeParse(value).success;
}

/** A keyset position: the sort timestamp and the row id that breaks ties. */
export interface KeysetPosition {
  readonly at: Date;
  readonly id: string;
}

/**
 * A cursor's timestamp is exactly what `toISOString()` gave for a row's time: a four-digit
 * year (1000–9999) and milliseconds in UTC. Extended years (`-100000…`, `+275760…`) parse
 * as dates in JavaScript but lie outside what the database stores, so they are refused.
 */
const CURSOR_TIMESTAMP_PATTERN = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function formatKeysetPosition(position: KeysetPosition): string {
  return `${position.at.toISOString()}|${position.id}`;
}

/** The position a cursor's text names, or null when it is not one `formatKeysetPosition` wrote. */
export function parseKeysetPosition(text: string): KeysetPosition | null {
  const parts = text.split('|');
  if (parts.length !== 2) return null;
  const [iso = '', id = ''] = parts;
  if (!CURSOR_TIMESTAMP_PATTERN.test(iso) || !isUuid(id)) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== iso) return null;
  return { at, id };
}
