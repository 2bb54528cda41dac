import { createHmac, hkdfSync } from 'node:crypto';
import { type CodePurpose, MINUTE_MS, ONE_TIME_CODE_DIGITS } from '@userhub/core';
import type { Db } from '../db/types.js';
import { codeExpired, type DomainError, invalidCode, tooManyWrongCodes } from '../errors.js';
import {
  consumeCode,
  consumeOpenCodes,
  countWrongCodeAttempt,
  findCodeForUpdate,
  findRecentCodeAttempts,
  insertCode,
} from '../repositories/one-time-codes.js';
import { constantTimeEqual, generateNumericCode, generateToken, hashToken } from './tokens.js';

/** SPEC §3: a code lives 10 minutes. */
export const OTP_TTL_MS = 10 * MINUTE_MS;
/** SPEC §3 / NIST SP 800-63B §5.2.2: a code dies after 5 wrong tries. */
export const MAX_CODE_ATTEMPTS = 5;

export interface IssuedCode {
  readonly code: string;
  readonly tempToken: string;
  readonly expiresAt: Date;
}

export interface VerifiedCode {
  readonly userId: string;
  readonly target: string;
}

/**
 * One-time codes: six digits from the CSPRNG, kept only as a keyed hash (HMAC with a key
 * derived from APP_SECRET, so a database leak alone does not let anyone brute-force the
 * million possibilities offline), bound to user + purpose + target, single use.
 */
export function createOneTimeCodes(appSecret: string) {
  const key = Buffer.from(hkdfSync('sha256', appSecret, Buffer.alloc(0), 'userhub:one-time-codes', 32));
  const digest = (code: string) => createHmac('sha256', key).update(code).digest('hex');

  return {
    /**
     * A new code supersedes the user's open codes for the purpose and inherits their wrong
     * tries while they are recent: asking for a fresh code does not buy five more guesses.
     */
    async issue(
      db: Db,
      request: { userId: string; purpose: CodePurpose; target: string },
      now: Date,
    ): Promise<IssuedCode> {
      const code = generateNumericCode(ONE_TIME_CODE_DIGITS);
      const tempToken = generateToken();
      const expiresAt = new Date(now.getTime() + OTP_TTL_MS);
      // Joins the caller's transaction when given one, so a code is issued only with the change it belongs to.
      const inTransaction = <T>(work: (trx: Db) => Promise<T>) =>
        db.isTransaction ? work(db) : db.transaction().execute(work);
      await inTransaction(async (trx) => {
        const attempts = await findRecentCodeAttempts(
          trx,
          request.userId,
          request.purpose,
          new Date(now.getTime() - OTP_TTL_MS),
        );
        await consumeOpenCodes(trx, request.userId, request.purpose, now);
        await insertCode(trx, {
          userId: request.userId,
          purpose: request.purpose,
          target: request.target,
          codeHash: digest(code),
          tempTokenHash: hashToken(tempToken),
          attempts,
          createdAt: now,
          expiresAt,
        });
      });
      return { code, tempToken, expiresAt };
    },

    /**
     * Checks a code with its row locked, so of many parallel submissions of one correct code
     * exactly one succeeds. A wrong try is counted and committed even though the call fails.
     * `tempToken` picks the request; without it, the user's newest open code for the purpose.
     */
    async verify(
      db: Db,
      request: { userId: string; purpose: CodePurpose; code: string; tempToken?: string },
      now: Date,
    ): Promise<VerifiedCode> {
      const outcome = await db.transaction().execute(async (trx) => {
        const row = await findCodeForUpdate(trx, {
          userId: request.userId,
          purpose: request.purpose,
          tempTokenHash: request.tempToken === undefined ? undefined : hashToken(request.tempToken),
        });
        if (row === undefined || row.consumedAt !== null) return { ok: false, error: 'unknown' } as const;
        if (now.getTime() >= row.expiresAt.getTime()) return { ok: false, error: 'expired' } as const;
        if (row.attempts >= MAX_CODE_ATTEMPTS) return { ok: false, error: 'exhausted' } as const;
        if (!constantTimeEqual(digest(request.code), row.codeHash)) {
          await countWrongCodeAttempt(trx, row.id);
          return { ok: false, error: 'wrong' } as const;
        }
        await consumeCode(trx, row.id, now);
        return { ok: true, verified: { userId: row.userId, target: row.target } } as const;
      });
      if (outcome.ok) return outcome.verified;
      throw codeError(outcome.error);
    },
  };
}

function codeError(reason: 'unknown' | 'expired' | 'exhausted' | 'wrong'): DomainError {
  switch (reason) {
    case 'expired':
      return codeExpired();
    case 'exhausted':
      return tooManyWrongCodes();
    default:
      return invalidCode();
  }
}

export type OneTimeCodes = ReturnType<typeof createOneTimeCodes>;
