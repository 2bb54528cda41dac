import { z } from 'zod';
import { passwordFieldSchema } from '../password/policy.js';
import { publicProfileSchema } from '../profile/profile.schema.js';

/**
 * SPEC §9: how long a changed username stays held for its previous owner, in days, unless
 * the server's `USERNAME_HOLD_DAYS` says otherwise. Thirty days is what GitHub and Reddit-style
 * services give old links and mentions to keep working before the name can change hands.
 */
export const DEFAULT_USERNAME_HOLD_DAYS = 30;

/** One entry of `account.usernameHistory`: a name the user gave up, and until when it is theirs. */
export const usernameHistoryEntrySchema = z.object({
  userName: z.string(),
  changedAt: z.date(),
  /** While in the future the name is held for the owner; others cannot claim it. */
  heldUntil: z.date(),
});
export type UsernameHistoryEntry = z.infer<typeof usernameHistoryEntrySchema>;

export const usernameHistoryOutput = z.array(usernameHistoryEntrySchema);

/**
 * `profile.byUsername`: the public profile, plus `redirectedFrom` when the name asked for is
 * one its owner gave up recently (still held), so clients can update links to the new name.
 */
export const profileByUsernameOutput = z.intersection(
  publicProfileSchema,
  z.object({ redirectedFrom: z.string().optional() }),
);
export type ProfileByUsername = z.infer<typeof profileByUsernameOutput>;

/** `account.exportData`: the password, re-entered, because the export holds everything. */
export const exportDataInput = z.strictObject({ password: passwordFieldSchema });

/** The file name a download of the export carries (SPEC §9). */
export function dataExportFileName(userName: string): string {
  return `userhub-export-${userName}.json`;
}
