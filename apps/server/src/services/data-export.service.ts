import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { notFound, wrongPassword } from '../errors.js';
import { recordAuditEvent } from '../repositories/audit.js';
import {
  exportBlocks,
  exportBookmarks,
  exportFollowers,
  exportFollowing,
  exportNotMeLinks,
  exportOneTimeCodes,
  exportPasskeys,
  exportPasswordResets,
  exportRecoveryCodes,
  exportReferrer,
  exportSecurityEvents,
  exportSessions,
  exportTwoFactorChallenges,
  exportWebauthnChallenges,
} from '../repositories/data-export.js';
import { findUserById } from '../repositories/users.js';
import { loadOwnProfile } from './profile-views.js';
import { createUsernameHistoryService } from './username-history.service.js';

/** Bumped when a section changes shape, so a reader of an old file knows what it holds. */
export const DATA_EXPORT_FORMAT_VERSION = 1;

/**
 * SPEC §9 data export (GDPR Art. 15 and 20): one document with everything the service holds
 * about the user, and nothing secret. The password is asked again because a session alone
 * (perhaps a stolen one) should not hand over the whole account; wrong passwords are throttled.
 */
export function createDataExportService(deps: AppDeps) {
  const { db, clock, hasher, rateLimits } = deps;
  const usernameHistory = createUsernameHistoryService(deps);

  async function collect(userId: string, now: Date) {
    const [
      profile,
      history,
      following,
      followers,
      blocks,
      bookmarks,
      sessions,
      securityEvents,
      passkeys,
      codes,
      recoveryCodes,
      passwordResets,
      twoFactorChallenges,
      passkeyChallenges,
      notMeLinks,
      referrer,
    ] = await Promise.all([
      loadOwnProfile(db, userId, now),
      usernameHistory.list(userId),
      exportFollowing(db, userId),
      exportFollowers(db, userId),
      exportBlocks(db, userId),
      exportBookmarks(db, userId),
      exportSessions(db, userId),
      exportSecurityEvents(db, userId),
      exportPasskeys(db, userId),
      exportOneTimeCodes(db, userId),
      exportRecoveryCodes(db, userId),
      exportPasswordResets(db, userId),
      exportTwoFactorChallenges(db, userId),
      exportWebauthnChallenges(db, userId),
      exportNotMeLinks(db, userId),
      exportReferrer(db, userId),
    ]);
    return {
      format: { name: 'userhub-export', version: DATA_EXPORT_FORMAT_VERSION },
      exportedAt: now,
      /** Every field of the account as its owner sees it: contact, socials, tags, achievements, stats. */
      profile,
      referredBy: referrer ?? null,
      usernameHistory: history,
      following,
      followers,
      blocks,
      bookmarks,
      sessions,
      securityEvents,
      passkeys: passkeys.map((p) => ({ ...p, transports: [...p.transports] })),
      verificationCodes: codes,
      recoveryCodes: {
        total: recoveryCodes.length,
        unused: recoveryCodes.filter((c) => c.usedAt === null).length,
        codes: recoveryCodes,
      },
      passwordResets,
      twoFactorChallenges,
      passkeyChallenges,
      notMeLinks,
    };
  }

  return {
    async exportData(userId: string, password: string, meta: ClientMeta) {
      await rateLimits.assertExportPasswordAllowed(userId);
      const user = await findUserById(db, userId);
      if (user === undefined) throw notFound();
      if (!(await hasher.verify(user.passwordHash, password))) {
        await rateLimits.recordExportPasswordFailure(userId);
        throw wrongPassword();
      }
      const now = clock.now();
      await recordAuditEvent(db, { userId, type: 'data_exported', meta, at: now });
      return collect(userId, now);
    },
  };
}

export type DataExport = Awaited<ReturnType<ReturnType<typeof createDataExportService>['exportData']>>;
export type DataExportService = ReturnType<typeof createDataExportService>;
