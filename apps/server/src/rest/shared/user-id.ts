import { z } from 'zod';
import { notFound } from '../../errors.js';

const userId = z.uuid();

/** Ids are UUIDs; any other id names no user, which is a 404 rather than a validation error. */
export function requireUserId(id: string): string {
  if (!userId.safeParse(id).success) throw notFound();
  return id;
}
