import type { UserUpdate } from '../db/schema.js';
import type { ClientMeta, Db } from '../db/types.js';
import { type AuditEventType, recordAuditEvent } from '../repositories/audit.js';
import { revokeAllSessions } from '../repositories/sessions.js';
import { updateUser, updateUserIfPasswordIs } from '../repositories/users.js';

/**
 * A change that must end every session (new password, new username, deactivation, SPEC §2–3):
 * the update, the end of all sessions and the audit event, in the caller's transaction so
 * none lands without the others. With `ifPasswordIs` the update is a compare-and-set on the
 * password hash the caller verified: false, and nothing written, when another change won.
 */
export async function applyCredentialChange(
  trx: Db,
  change: {
    userId: string;
    set: UserUpdate;
    audit: AuditEventType;
    meta: ClientMeta;
    at: Date;
    details?: Record<string, unknown>;
    ifPasswordIs?: string;
  },
): Promise<boolean> {
  const { userId, meta, at, details } = change;
  if (change.ifPasswordIs === undefined) await updateUser(trx, userId, change.set);
  else if (!(await updateUserIfPasswordIs(trx, userId, change.ifPasswordIs, change.set))) return false;
  await revokeAllSessions(trx, userId);
  await recordAuditEvent(trx, { userId, type: change.audit, meta, at, ...(details ? { details } : {}) });
  return true;
}
