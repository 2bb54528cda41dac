import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import type { TwoFactorMethod } from '@userhub/core';
import type { UserRow } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import {
  invalidCode,
  notFound,
  twoFactorAlreadyEnabled,
  twoFactorNotEnabled,
  twoFactorNotInitiated,
} from '../errors.js';
import { recordAuditEvent } from '../repositories/audit.js';
import { type Db, findUserById } from '../repositories/users.js';
import { generateRecoveryCodes, hashRecoveryCode } from '../security/recovery-codes.js';
import type { ClientMeta } from '../security/session-store.js';
import { generateTotpKey, matchTotpStep, totpKeyUri } from '../security/totp.js';
import type { CredentialsService } from './credentials.service.js';
import type { Notifications } from './notifications.js';

export const TOTP_ISSUER = 'userhub';
const SIX_DIGITS = /^\d{6}$/;

async function replaceRecoveryCodes(db: Db, userId: string, now: Date): Promise<string[]> {
  const recoveryCodes = generateRecoveryCodes();
  await db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
  await db
    .insertInto('recoveryCodes')
    .values(recoveryCodes.map((code) => ({ userId, codeHash: hashRecoveryCode(code), createdAt: now })))
    .execute();
  return recoveryCodes;
}

export function createTwoFactorService(
  deps: AppDeps,
  credentials: CredentialsService,
  notifications: Notifications,
) {
  const { db, clock, codes, rateLimits, totpSecrets } = deps;

  async function loadUser(userId: string): Promise<UserRow> {
    const user = await findUserById(db, userId);
    if (user === undefined) throw notFound();
    return user;
  }

  /** Accepts a TOTP code once: the step is recorded only if no later or equal step was. */
  async function acceptTotp(user: UserRow, sealedKey: string | null, code: string): Promise<boolean> {
    if (sealedKey === null) return false;
    const step = matchTotpStep(totpSecrets.open(sealedKey), code, clock.now(), user.totpLastUsedStep);
    if (step === null) return false;
    const claimed = await db
      .updateTable('users')
      .set({ totpLastUsedStep: step })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('totpLastUsedStep', 'is', null), eb('totpLastUsedStep', '<', step)]))
      .executeTakeFirst();
    return claimed.numUpdatedRows > 0n;
  }

  /** Marks one unused recovery code used; atomic, so a code works exactly once. */
  async function acceptRecoveryCode(userId: string, code: string): Promise<boolean> {
    const used = await db
      .updateTable('recoveryCodes')
      .set({ usedAt: clock.now() })
      .where('userId', '=', userId)
      .where('codeHash', '=', hashRecoveryCode(code))
      .where('usedAt', 'is', null)
      .executeTakeFirst();
    return used.numUpdatedRows > 0n;
  }

  /**
   * The second factor of an enabled account: the authenticator's code (TOTP), the mailed
   * code of `emailPurpose` (email method), or any unused recovery code.
   */
  async function verifySecondFactor(user: UserRow, code: string, emailPurpose: 'sign_in' | 'two_factor') {
    if (!SIX_DIGITS.test(code)) {
      if (await acceptRecoveryCode(user.id, code)) return;
      throw invalidCode();
    }
    if (user.twoFactorMethod === 'totp') {
      if (await acceptTotp(user, user.totpSecretEncrypted, code)) return;
      throw invalidCode();
    }
    await codes.verify(db, { userId: user.id, purpose: emailPurpose, code }, clock.now());
  }

  async function enable(user: UserRow, method: TwoFactorMethod, meta: ClientMeta) {
    const now = clock.now();
    const recoveryCodes = await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          twoFactorEnabled: true,
          twoFactorMethod: method,
          twoFactorPendingMethod: null,
          totpSecretEncrypted: method === 'totp' ? user.totpPendingSecretEncrypted : null,
          totpPendingSecretEncrypted: null,
          updatedAt: now,
        })
        .where('id', '=', user.id)
        .execute();
      await recordAuditEvent(trx, {
        userId: user.id,
        type: 'two_factor_enabled',
        meta,
        at: now,
        details: { method },
      });
      return replaceRecoveryCodes(trx, user.id, now);
    });
    await notifications.securityNotice(user.email, 'two_factor_enabled', now);
    return { recoveryCodes };
  }

  async function disable(user: UserRow, meta: ClientMeta) {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          twoFactorEnabled: false,
          twoFactorMethod: null,
          twoFactorPendingMethod: null,
          totpSecretEncrypted: null,
          totpPendingSecretEncrypted: null,
          updatedAt: now,
        })
        .where('id', '=', user.id)
        .execute();
      await trx.deleteFrom('recoveryCodes').where('userId', '=', user.id).execute();
      await recordAuditEvent(trx, { userId: user.id, type: 'two_factor_disabled', meta, at: now });
    });
    await notifications.securityNotice(user.email, 'two_factor_disabled', now);
  }

  function refuseIfEnabled(user: UserRow) {
    if (user.twoFactorEnabled) {
      throw twoFactorAlreadyEnabled();
    }
  }

  function requireEnabled(user: UserRow) {
    if (!user.twoFactorEnabled) {
      throw twoFactorNotEnabled();
    }
  }

  return {
    verifySecondFactor,

    /** Mails a sign-in code to an email-method account that passed its password. */
    async sendSignInCode(user: UserRow): Promise<void> {
      await rateLimits.consumeOtpSend(user.id);
      const issued = await codes.issue(
        db,
        { userId: user.id, purpose: 'sign_in', target: user.email },
        clock.now(),
      );
      await notifications.mailCode(user.email, issued.code, 'sign_in');
    },

    async initiate(userId: string, method: TwoFactorMethod) {
      const user = await loadUser(userId);
      refuseIfEnabled(user);
      if (method === 'email') {
        await rateLimits.consumeOtpSend(userId);
        await db
          .updateTable('users')
          .set({ twoFactorPendingMethod: 'email', totpPendingSecretEncrypted: null })
          .where('id', '=', userId)
          .execute();
        const issued = await codes.issue(
          db,
          { userId, purpose: 'two_factor_setup', target: user.email },
          clock.now(),
        );
        await notifications.mailCode(user.email, issued.code, 'two_factor');
        return { method, secret: null, otpauthUri: null };
      }
      const key = generateTotpKey();
      await db
        .updateTable('users')
        // A new key starts with no used step: the old key's last step must not block its codes.
        .set({
          twoFactorPendingMethod: 'totp',
          totpPendingSecretEncrypted: totpSecrets.seal(key),
          totpLastUsedStep: null,
        })
        .where('id', '=', userId)
        .execute();
      return {
        method,
        secret: encodeBase32UpperCaseNoPadding(key),
        otpauthUri: totpKeyUri(TOTP_ISSUER, user.email, key),
      };
    },

    /** Proves the pending method works, then turns two-factor on and hands out recovery codes. */
    async activate(userId: string, code: string, meta: ClientMeta) {
      const user = await loadUser(userId);
      refuseIfEnabled(user);
      if (user.twoFactorPendingMethod === 'totp') {
        // Records the step, so the activation code cannot be replayed at sign-in.
        if (!(await acceptTotp(user, user.totpPendingSecretEncrypted, code))) throw invalidCode();
        return enable(user, 'totp', meta);
      }
      if (user.twoFactorPendingMethod === 'email') {
        await codes.verify(db, { userId, purpose: 'two_factor_setup', code }, clock.now());
        return enable(user, 'email', meta);
      }
      throw twoFactorNotInitiated();
    },

    async deactivate(userId: string, code: string, meta: ClientMeta) {
      const user = await loadUser(userId);
      requireEnabled(user);
      await verifySecondFactor(user, code, 'two_factor');
      await disable(user, meta);
    },

    /** Mails a code for deactivation or another sensitive step, once the password checks out. */
    async sendCode(userId: string, password: string) {
      const user = await credentials.requirePassword(userId, password);
      await rateLimits.consumeOtpSend(userId);
      const issued = await codes.issue(
        db,
        { userId, purpose: 'two_factor', target: user.email },
        clock.now(),
      );
      await notifications.mailCode(user.email, issued.code, 'two_factor');
      return { expiresAt: issued.expiresAt };
    },

    async enableWithPassword(userId: string, password: string, meta: ClientMeta) {
      const user = await credentials.requirePassword(userId, password);
      refuseIfEnabled(user);
      return enable(user, 'email', meta);
    },

    async disableWithPassword(userId: string, password: string, meta: ClientMeta) {
      const user = await credentials.requirePassword(userId, password);
      requireEnabled(user);
      await disable(user, meta);
    },

    async regenerateRecoveryCodes(userId: string, code: string, meta: ClientMeta) {
      const user = await loadUser(userId);
      requireEnabled(user);
      await verifySecondFactor(user, code, 'two_factor');
      const now = clock.now();
      const recoveryCodes = await db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, { userId, type: 'recovery_codes_regenerated', meta, at: now });
        return replaceRecoveryCodes(trx, userId, now);
      });
      return { recoveryCodes };
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
