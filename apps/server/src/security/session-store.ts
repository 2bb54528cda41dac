import { DAY_MS, MINUTE_MS } from '@userhub/core';
import type { SessionRow, UserRow } from '../db/schema.js';
import type { ClientMeta, Db } from '../db/types.js';
import { deleteSession, findSessionWithUser, insertSession, touchSession } from '../repositories/sessions.js';
import { generateToken, hashToken } from './tokens.js';

/** Sliding expiry of the Lucia guide: 30 days, pushed back when less than half remains. */
export const SESSION_TTL_MS = 30 * DAY_MS;
export const SESSION_RENEW_THRESHOLD_MS = SESSION_TTL_MS / 2;
/**
 * Absolute lifetime cap (OWASP ASVS V3.3): however active, a session ends 90 days after
 * sign-in, so a stolen token cannot be kept alive forever by use.
 */
export const SESSION_ABSOLUTE_TTL_MS = 90 * DAY_MS;
/** `lastUsedAt` is written at most this often, so reads do not turn into a write each. */
const LAST_USED_WRITE_INTERVAL_MS = MINUTE_MS;

export interface IssuedSession {
  /** Given to the client once; only its SHA-256 is stored. */
  readonly token: string;
  readonly session: SessionRow;
}

/** A new session's token (for the client), the hash stored in its place, and its two expiries. */
export function mintSession(now: Date) {
  const token = generateToken();
  return {
    token,
    tokenHash: hashToken(token),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_TTL_MS),
  };
}

export async function createSession(
  db: Db,
  userId: string,
  now: Date,
  meta: ClientMeta,
): Promise<IssuedSession> {
  const { token, ...minted } = mintSession(now);
  const session = await insertSession(db, { ...minted, userId, now, meta });
  return { token, session };
}

/** A live session and its user's row as read with it (at the start of the request). */
export interface ValidatedSession {
  readonly session: SessionRow;
  readonly user: UserRow;
}

/**
 * Resolves a bearer token to its live session and user (one statement), renewing the sliding
 * expiry when due. Expired sessions are deleted on sight. Returns null for anything not valid.
 */
export async function validateSessionToken(
  db: Db,
  token: string,
  now: Date,
): Promise<ValidatedSession | null> {
  const found = await findSessionWithUser(db, hashToken(token));
  if (found === undefined) return null;
  const { session, user } = found;
  const nowMs = now.getTime();
  if (nowMs >= session.expiresAt.getTime() || nowMs >= session.absoluteExpiresAt.getTime()) {
    await deleteSession(db, session.id);
    return null;
  }
  const needsRenewal = session.expiresAt.getTime() - nowMs < SESSION_RENEW_THRESHOLD_MS;
  const needsTouch = nowMs - session.lastUsedAt.getTime() >= LAST_USED_WRITE_INTERVAL_MS;
  if (!needsRenewal && !needsTouch) return found;
  const expiresAt = needsRenewal
    ? new Date(Math.min(nowMs + SESSION_TTL_MS, session.absoluteExpiresAt.getTime()))
    : session.expiresAt;
  await touchSession(db, session.id, expiresAt, now);
  return { session: { ...session, expiresAt, lastUsedAt: now }, user };
}
