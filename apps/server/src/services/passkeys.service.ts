import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import {
  type AuthenticationResponse,
  canRemovePasskey,
  type OwnProfile,
  type Passkey,
  parseLogin,
  type RegistrationResponse,
} from '@userhub/core';
import { MINUTE_MS } from '../clock.js';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import {
  invalidToken,
  lastSignInMethod,
  notFound,
  passkeyRejected,
  passkeyUnverified,
  uniqueViolation,
} from '../errors.js';
import { recordAuditEvent } from '../repositories/audit.js';
import {
  countPasskeys,
  deletePasskey,
  findPasskeyByCredentialId,
  insertPasskey,
  listCredentialDescriptors,
  listPasskeys,
  recordPasskeyUse,
  renamePasskey,
} from '../repositories/passkeys.js';
import { lockUserRow } from '../repositories/password-reset-tokens.js';
import { findUserById, findUserByLogin } from '../repositories/users.js';
import { consumeWebauthnChallenge, insertWebauthnChallenge } from '../repositories/webauthn-challenges.js';
import { signInLoginKey } from '../security/rate-limits.js';
import type { AuthService } from './auth.service.js';
import type { Notifications } from './notifications.js';
import { assertMaySignIn } from './sign-in-gate.js';

/** SPEC §9: a WebAuthn challenge lives 5 minutes and is the ceremony's timeout too. */
export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * MINUTE_MS;
export const RP_NAME = 'userhub';
export const DEFAULT_PASSKEY_NAME = 'Passkey';

type PasskeyRow = Awaited<ReturnType<typeof listPasskeys>>[number];

function toPasskey(row: PasskeyRow): Passkey {
  return { ...row, deviceType: row.deviceType as Passkey['deviceType'] };
}

/** The WebAuthn user handle: the account's UUID as its 16 bytes (no personal data). */
function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}

/** The challenge the browser signed, read from its client data (verified again by the library). */
function challengeIn(clientDataJSON: string): string | null {
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof clientData.challenge === 'string' ? clientData.challenge : null;
  } catch {
    return null;
  }
}

const rejected = passkeyRejected;
const staleChallenge = (field: string) => invalidToken(field, 'The passkey challenge', 'start again');
const unverified = passkeyUnverified;

/**
 * Passkeys (SPEC §9) with @simplewebauthn/server: user verification required, challenges
 * single use and kept in the database, signature counters only moving forward.
 */
export function createPasskeysService(deps: AppDeps, auth: AuthService, notifications: Notifications) {
  const { db, clock, config, rateLimits } = deps;
  const expected = { expectedOrigin: config.webauthnOrigin, expectedRPID: config.webauthnRpId };

  return {
    async registrationOptions(userId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const user = await findUserById(db, userId);
      if (user === undefined) throw notFound();
      const existing = await listCredentialDescriptors(db, userId);
      const options = await generateRegistrationOptions({
        rpName: RP_NAME,
        rpID: config.webauthnRpId,
        userName: user.userName,
        userID: userHandleOf(user.id),
        userDisplayName: `${user.firstName} ${user.lastName}`,
        timeout: WEBAUTHN_CHALLENGE_TTL_MS,
        attestationType: 'none',
        excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
        // Discoverable, so it can sign in with no login typed; verified, so it is two factors in one.
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      const now = clock.now();
      await insertWebauthnChallenge(db, {
        userId,
        purpose: 'registration',
        challenge: options.challenge,
        createdAt: now,
        expiresAt: new Date(now.getTime() + WEBAUTHN_CHALLENGE_TTL_MS),
      });
      return options;
    },

    async register(
      userId: string,
      input: { response: RegistrationResponse; name?: string | undefined },
      meta: ClientMeta,
    ): Promise<Passkey> {
      const now = clock.now();
      const challenge = challengeIn(input.response.response.clientDataJSON);
      if (challenge === null) throw rejected('The client data carries no challenge');
      const issued = await consumeWebauthnChallenge(db, { purpose: 'registration', userId, challenge, now });
      if (issued === undefined) throw staleChallenge('response');
      let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verification = await verifyRegistrationResponse({
          response: input.response as RegistrationResponseJSON,
          expectedChallenge: issued.challenge,
          ...expected,
          requireUserVerification: true,
        });
      } catch (error) {
        throw rejected(`The passkey was not accepted: ${(error as Error).message}`);
      }
      if (!verification.verified) throw rejected('The passkey was not accepted');
      const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
      const user = await findUserById(db, userId);
      if (user === undefined) throw notFound();
      let row: PasskeyRow;
      try {
        row = await db.transaction().execute(async (trx) => {
          const inserted = await insertPasskey(trx, {
            userId,
            credentialId: credential.id,
            publicKey: credential.publicKey,
            counter: credential.counter,
            transports: credential.transports ?? [],
            deviceType: credentialDeviceType,
            backedUp: credentialBackedUp,
            name: input.name ?? DEFAULT_PASSKEY_NAME,
            createdAt: now,
          });
          await recordAuditEvent(trx, {
            userId,
            type: 'passkey_added',
            meta,
            at: now,
            details: { passkeyId: inserted.id, name: inserted.name },
          });
          return inserted;
        });
      } catch (error) {
        if (uniqueViolation(error) === 'passkeys_credential_id_key') {
          throw rejected('This passkey is already registered');
        }
        throw error;
      }
      await notifications.securityNotice(user.email, 'passkey_added', now, { userId: user.id });
      return toPasskey(row);
    },

    async list(userId: string): Promise<Passkey[]> {
      return (await listPasskeys(db, userId)).map(toPasskey);
    },

    async rename(userId: string, input: { id: string; name: string }, meta: ClientMeta): Promise<Passkey> {
      const row = await renamePasskey(db, userId, input.id, input.name);
      if (row === undefined) throw notFound('Passkey');
      await recordAuditEvent(db, {
        userId,
        type: 'passkey_renamed',
        meta,
        at: clock.now(),
        details: { passkeyId: row.id, name: row.name },
      });
      return toPasskey(row);
    },

    /** Refused when the passkey is the account's last way to sign in (docs/decisions.md). */
    async remove(userId: string, input: { id: string }, meta: ClientMeta): Promise<void> {
      const now = clock.now();
      const user = await findUserById(db, userId);
      if (user === undefined) throw notFound();
      await db.transaction().execute(async (trx) => {
        await lockUserRow(trx, userId);
        const passkeyCount = await countPasskeys(trx, userId);
        // Every account has a password today (sign-up sets one, nothing takes it away); the
        // rule is written for the accounts without one that passkey-first sign-up would bring.
        if (passkeyCount > 0 && !canRemovePasskey({ hasPassword: true, passkeyCount })) {
          throw lastSignInMethod();
        }
        const removed = await deletePasskey(trx, userId, input.id);
        if (removed === undefined) throw notFound('Passkey');
        await recordAuditEvent(trx, {
          userId,
          type: 'passkey_removed',
          meta,
          at: now,
          details: { passkeyId: removed.id, name: removed.name },
        });
      });
      await notifications.securityNotice(user.email, 'passkey_removed', now, { userId: user.id });
    },

    /**
     * With a login naming an account that has passkeys, the options list them; otherwise
     * (no login, an unknown one, or no passkeys) they ask for any discoverable credential,
     * so the answer does not tell a stranger whether the login exists.
     */
    async signInOptions(
      input: { login?: string | undefined } | undefined,
    ): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
      const user =
        input?.login === undefined ? undefined : await findUserByLogin(db, parseLogin(input.login));
      const credentials = user === undefined ? [] : await listCredentialDescriptors(db, user.id);
      const options = await generateAuthenticationOptions({
        rpID: config.webauthnRpId,
        timeout: WEBAUTHN_CHALLENGE_TTL_MS,
        userVerification: 'required',
        ...(credentials.length === 0
          ? {}
          : { allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: c.transports })) }),
      });
      const now = clock.now();
      const challengeId = await insertWebauthnChallenge(db, {
        userId: credentials.length === 0 ? null : (user?.id ?? null),
        purpose: 'authentication',
        challenge: options.challenge,
        createdAt: now,
        expiresAt: new Date(now.getTime() + WEBAUTHN_CHALLENGE_TTL_MS),
      });
      return { challengeId, options };
    },

    /** A verified passkey is both factors: the session is issued at once, 2FA on or not. */
    async signIn(
      input: { challengeId: string; response: AuthenticationResponse },
      meta: ClientMeta,
    ): Promise<{ status: 'signed_in'; token: string; user: OwnProfile }> {
      const now = clock.now();
      const issued = await consumeWebauthnChallenge(db, {
        id: input.challengeId,
        purpose: 'authentication',
        now,
      });
      if (issued === undefined) throw staleChallenge('challengeId');
      const passkey = await findPasskeyByCredentialId(db, input.response.id);
      const subject = {
        loginKey: signInLoginKey({ kind: 'passkey', text: input.response.id }),
        userId: passkey?.userId ?? null,
        ip: meta.ip,
      };
      const { accountThrottled } = await rateLimits.checkSignIn(subject);

      const fail = async () => {
        await rateLimits.recordSignInFailure(subject);
        if (passkey !== undefined) {
          await recordAuditEvent(db, {
            userId: passkey.userId,
            type: 'sign_in_failed',
            meta,
            at: now,
            details: { method: 'passkey' },
          });
        }
        return unverified();
      };

      if (passkey === undefined || accountThrottled) throw await fail();
      if (issued.userId !== null && issued.userId !== passkey.userId) throw await fail();
      const { userHandle } = input.response.response;
      if (
        userHandle !== undefined &&
        !Buffer.from(userHandle, 'base64url').equals(userHandleOf(passkey.userId))
      ) {
        throw await fail();
      }
      const previousCounter = Number(passkey.counter);
      let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        verification = await verifyAuthenticationResponse({
          response: input.response as AuthenticationResponseJSON,
          expectedChallenge: issued.challenge,
          ...expected,
          credential: {
            id: passkey.credentialId,
            publicKey: new Uint8Array(passkey.publicKey),
            counter: previousCounter,
            transports: passkey.transports as AuthenticatorTransport[],
          },
          requireUserVerification: true,
        });
      } catch {
        throw await fail();
      }
      if (!verification.verified) throw await fail();
      const recorded = await recordPasskeyUse(db, {
        id: passkey.id,
        previousCounter,
        newCounter: verification.authenticationInfo.newCounter,
        backedUp: verification.authenticationInfo.credentialBackedUp,
        at: now,
      });
      if (!recorded) throw await fail();

      const user = await findUserById(db, passkey.userId);
      if (user === undefined) throw await fail();
      assertMaySignIn(user);
      const { token, user: profile } = await auth.issueSession(user.id, meta, {
        method: 'passkey',
        row: user,
        loginKey: subject.loginKey,
      });
      return { status: 'signed_in', token, user: profile };
    },
  };
}

export type PasskeysService = ReturnType<typeof createPasskeysService>;
