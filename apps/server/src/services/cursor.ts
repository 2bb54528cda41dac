import { formatKeysetPosition, type KeysetPosition, parseKeysetPosition } from '@userhub/core';
import { validationFailed } from '../errors.js';
import type { KeysetPage } from '../repositories/keyset.js';

/** A cursor-paged list request as the API takes it (SPEC §7). */
export interface PageInput {
  cursor?: string | undefined;
  limit: number;
}

/** Cursors are opaque to clients: the position in base64url. */
function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(formatKeysetPosition(position), 'utf8').toString('base64url');
}

/** A cursor this API did not write is a validation error on `cursor`, and never reaches a query. */
function decodeCursor(cursor: string): KeysetPosition {
  const position = parseKeysetPosition(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (position === null) throw validationFailed({ cursor: ['is not a cursor this API returned'] });
  return position;
}

/**
 * Reads one page of a newest-first list: decodes the request's cursor, lets `fetch` run
 * the keyset query (which returns up to `limit + 1` rows), and returns the page with the
 * cursor of the next one (null at the end).
 */
export async function readKeysetPage<T>(
  request: PageInput,
  fetch: (page: KeysetPage) => Promise<T[]>,
  positionOf: (row: T) => KeysetPosition,
): Promise<{ page: T[]; nextCursor: string | null }> {
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  const rows = await fetch({ after, limit: request.limit });
  const hasMore = rows.length > request.limit;
  const page = hasMore ? rows.slice(0, request.limit) : rows;
  const last = page.at(-1);
  return { page, nextCursor: hasMore && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
