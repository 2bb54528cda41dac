import type { UserRow } from '../db/schema.js';
import { accountLocked, accountPendingDeletion, passwordResetRequired } from '../errors.js';

type GateFields = Pick<UserRow, 'lockedAt' | 'deletionScheduledFor' | 'passwordResetRequiredAt'>;

/**
 * Whether a user whose first factor checked out may have a session: not while a deletion is
 * pending (the answer names its date, SPEC §9), not while deactivated, and not after "this
 * wasn't me" until the password is reset. Every way in (password, emailed code, passkey, the
 * second factor) asks here, so none of them opens a door another one keeps shut.
 */
export function assertMaySignIn(user: GateFields): void {
  if (user.deletionScheduledFor !== null) throw accountPendingDeletion(user.deletionScheduledFor);
  if (user.lockedAt !== null) throw accountLocked();
  if (user.passwordResetRequiredAt !== null) throw passwordResetRequired();
}
