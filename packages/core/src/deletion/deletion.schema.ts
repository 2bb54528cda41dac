import { z } from 'zod';
import { signInInput, tokenSchema, twoFactorCodeSchema } from '../auth/auth.schema.js';
import { DAY_MS } from '../time.js';

/**
 * SPEC §9: how long a deleted account waits before it is erased, unless configured otherwise.
 * Fourteen days follows what Mastodon and GitHub give: long enough to notice a hijack or a regret.
 */
export const DEFAULT_DELETION_GRACE_DAYS = 14;

/** SPEC §9: a "this wasn't me" link lives seven days and works once. */
export const NOT_ME_TOKEN_TTL_MS = 7 * DAY_MS;

/** When an account deleted at `now` is erased, for a grace period of `graceDays` days. */
export function deletionDate(now: Date, graceDays: number): Date {
  return new Date(now.getTime() + graceDays * DAY_MS);
}

/** `account.delete` answers when the account will be erased (now, with no grace period). */
export const deleteAccountAnswerSchema = z.object({ scheduledFor: z.date() });

/**
 * `account.cancelDeletion`: the same login and password as a sign-in (the account has no
 * session any more) and, when two-factor is on, a second-factor code.
 */
export const cancelDeletionInput = z.strictObject({
  ...signInInput.shape,
  code: twoFactorCodeSchema.optional(),
});

/** `auth.reportNotMe`: the token of the link in a security notice. */
export const reportNotMeInput = z.strictObject({ token: tokenSchema('Token') });

export type CancelDeletionInput = z.input<typeof cancelDeletionInput>;
export type ReportNotMeInput = z.input<typeof reportNotMeInput>;
