import { truncateUserAgent } from '@userhub/core';
import type { ClientMeta, Db } from '../db/types.js';
import { type KeysetPage, keysetPage } from './keyset.js';

/** SPEC §3: every security-relevant event lands in a log the user can read. */
export const AUDIT_EVENT_TYPES = [
  'sign_up',
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'session_revoked',
  'sessions_revoked_all',
  'two_factor_challenge_failed',
  'password_changed',
  'username_changed',
  'email_verified',
  'email_changed',
  'phone_verified',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_codes_regenerated',
  'account_deactivated',
  'password_reset_requested',
  'password_reset',
  'passkey_added',
  'passkey_renamed',
  'passkey_removed',
  'account_deletion_scheduled',
  'account_deletion_cancelled',
  'reported_not_me',
  'data_exported',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export async function recordAuditEvent(
  db: Db,
  event: {
    userId: string;
    type: AuditEventType;
    meta: ClientMeta;
    at: Date;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('auditEvents')
    .values({
      userId: event.userId,
      type: event.type,
      ip: event.meta.ip,
      userAgent: truncateUserAgent(event.meta.userAgent),
      details: JSON.stringify(event.details ?? {}),
      createdAt: event.at,
    })
    .execute();
}

/** The user's security events, newest first, one keyset page. */
export async function listAuditEvents(db: Db, userId: string, page: KeysetPage) {
  return keysetPage(
    db
      .selectFrom('auditEvents')
      .select(['id', 'type', 'ip', 'userAgent', 'details', 'createdAt'])
      .where('userId', '=', userId),
    { at: 'createdAt', id: 'id' },
    page,
  );
}
