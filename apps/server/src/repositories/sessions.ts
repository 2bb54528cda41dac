import { truncateUserAgent } from '@userhub/core';
import { precompiled } from '../db/precompiled.js';
import type { SessionRow, UserRow } from '../db/schema.js';
import type { ClientMeta, Db } from '../db/types.js';

export async function insertSession(
  db: Db,
  session: {
    tokenHash: string;
    userId: string;
    now: Date;
    expiresAt: Date;
    absoluteExpiresAt: Date;
    meta: ClientMeta;
  },
): Promise<SessionRow> {
  return db
    .insertInto('sessions')
    .values({
      tokenHash: session.tokenHash,
      userId: session.userId,
      createdAt: session.now,
      lastUsedAt: session.now,
      expiresAt: session.expiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
      ip: session.meta.ip,
      userAgent: truncateUserAgent(session.meta.userAgent),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The session with this token hash and its user's row, in one statement (one round trip on
 * every authenticated request, not two).
 */
const sessionWithUser = precompiled((db: Db, tokenHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .selectAll('users')
    .select([
      'sessions.id as sessionId',
      'sessions.tokenHash as sessionTokenHash',
      'sessions.createdAt as sessionCreatedAt',
      'sessions.lastUsedAt as sessionLastUsedAt',
      'sessions.expiresAt as sessionExpiresAt',
      'sessions.absoluteExpiresAt as sessionAbsoluteExpiresAt',
      'sessions.ip as sessionIp',
      'sessions.userAgent as sessionUserAgent',
    ])
    .where('sessions.tokenHash', '=', tokenHash),
);

export async function findSessionWithUser(
  db: Db,
  tokenHash: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = (await sessionWithUser(db, tokenHash)).rows[0];
  if (row === undefined) return undefined;
  const {
    sessionId,
    sessionTokenHash,
    sessionCreatedAt,
    sessionLastUsedAt,
    sessionExpiresAt,
    sessionAbsoluteExpiresAt,
    sessionIp,
    sessionUserAgent,
    ...user
  } = row;
  return {
    session: {
      id: sessionId,
      tokenHash: sessionTokenHash,
      userId: user.id,
      createdAt: sessionCreatedAt,
      lastUsedAt: sessionLastUsedAt,
      expiresAt: sessionExpiresAt,
      absoluteExpiresAt: sessionAbsoluteExpiresAt,
      ip: sessionIp,
      userAgent: sessionUserAgent,
    },
    user,
  };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

const touch = precompiled((db: Db, sessionId: string, expiresAt: Date, lastUsedAt: Date) =>
  db.updateTable('sessions').set({ expiresAt, lastUsedAt }).where('id', '=', sessionId),
);

export async function touchSession(
  db: Db,
  sessionId: string,
  expiresAt: Date,
  lastUsedAt: Date,
): Promise<void> {
  await touch(db, sessionId, expiresAt, lastUsedAt);
}

/** The user's sessions still alive at `now`, most recently used first. */
export async function listLiveSessions(db: Db, userId: string, now: Date): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('userId', '=', userId)
    .where('expiresAt', '>', now)
    .where('absoluteExpiresAt', '>', now)
    .orderBy('lastUsedAt', 'desc')
    .execute();
}

/** Deletes one of the user's sessions; false when no such session belongs to the user. */
export async function revokeSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Ends every session of the user; returns how many there were. */
export async function revokeAllSessions(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('userId', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
