import { validationFailed } from '../errors.js';

/** An opaque keyset position: the sort timestamp and the row id that break ties. */
export interface Position {
  readonly at: Date;
  readonly id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (id === undefined || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(at.getTime())) {
    throw validationFailed({ cursor: ['is not a cursor this API returned'] });
  }
  return { at, id };
}

/** Given `limit + 1` rows, returns the page and the cursor for the next one (null at the end). */
export function paginate<T>(rows: T[], limit: number, positionOf: (row: T) => Position) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { page, nextCursor: hasMore && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
