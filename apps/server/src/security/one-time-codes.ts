import { createHmac, hkdfSync } from 'node:crypto';
import { sql } from 'kysely';
import { MINUTE_MS } from '../clock.js';
import { DomainError } from '../errors.js';
import type { Db } from '../repositories/users.js';
import { constantTimeEqual, generateNumericCode, generateToken, hashToken } from './tokens.js';

/** SPEC §3: a code lives 10 minutes. */
export const OTP_TTL_MS = 10 * MINUTE_MS;
/** SPEC §3 / NIST SP 800-63B §5.2.2: a code dies after 5 wrong tries. */
export const MAX_CODE_ATTEMPTS = 5;
export const OTP_DIGITS = 6;

export type CodePurpose =
  | 'email_verification'
  | 'email_change'
  | 'phone_verification'
  | 'two_factor_setup'
  | 'two_factor'
  | 'sign_in'
  /** The code of a sign-in without a password; never accepted as a second factor. */
  | 'passwordless_sign_in';

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
      const code = generateNumericCode(OTP_DIGITS);
      const tempToken = generateToken();
      const expiresAt = new Date(now.getTime() + OTP_TTL_MS);
      await db.transaction().execute(async (trx) => {
        const previous = await trx
          .selectFrom('oneTimeCodes')
          .select((eb) => eb.fn.max('attempts').as('attempts'))
          .where('userId', '=', request.userId)
          .where('purpose', '=', request.purpose)
          .where('createdAt', '>', new Date(now.getTime() - OTP_TTL_MS))
          .executeTakeFirst();
        await trx
          .updateTable('oneTimeCodes')
          .set({ consumedAt: now })
          .where('userId', '=', request.userId)
          .where('purpose', '=', request.purpose)
          .where('consumedAt', 'is', null)
          .execute();
        await trx
          .insertInto('oneTimeCodes')
          .values({
            userId: request.userId,
            purpose: request.purpose,
            target: request.target,
            codeHash: digest(code),
            tempTokenHash: hashToken(tempToken),
            attempts: Number(previous?.attempts ?? 0),
            createdAt: now,
            expiresAt,
          })
          .execute();
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
        let query = trx
          .selectFrom('oneTimeCodes')
          .selectAll()
          .where('userId', '=', request.userId)
          .where('purpose', '=', request.purpose);
        query =
          request.tempToken === undefined
            ? query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(1)
            : query.where('tempTokenHash', '=', hashToken(request.tempToken));
        const row = await query.forUpdate().executeTakeFirst();
        if (row === undefined || row.consumedAt !== null) return { ok: false, error: 'unknown' } as const;
        if (now.getTime() >= row.expiresAt.getTime()) return { ok: false, error: 'expired' } as const;
        if (row.attempts >= MAX_CODE_ATTEMPTS) return { ok: false, error: 'exhausted' } as const;
        if (!constantTimeEqual(digest(request.code), row.codeHash)) {
          await trx
            .updateTable('oneTimeCodes')
            .set({ attempts: sql`attempts + 1` })
            .where('id', '=', row.id)
            .execute();
          return { ok: false, error: 'wrong' } as const;
        }
        await trx.updateTable('oneTimeCodes').set({ consumedAt: now }).where('id', '=', row.id).execute();
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
      return new DomainError('CODE_EXPIRED', 'This code has expired; request a new one', {
        fieldErrors: { code: ['has expired'] },
      });
    case 'exhausted':
      return new DomainError('INVALID_CODE', 'Too many wrong codes; request a new code later', {
        fieldErrors: { code: ['too many wrong attempts'] },
      });
    default:
      return new DomainError('INVALID_CODE', 'The code is invalid or has already been used', {
        fieldErrors: { code: ['is invalid or has already been used'] },
      });
  }
}

export type OneTimeCodes = ReturnType<typeof createOneTimeCodes>;
