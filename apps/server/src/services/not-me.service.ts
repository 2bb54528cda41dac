import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { invalidToken, uniqueViolation } from '../errors.js';
import { consumeNotMeToken, findOpenNotMeToken } from '../repositories/not-me-tokens.js';
import { lockUser } from '../repositories/users.js';
import { hashToken } from '../security/tokens.js';
import { applyCredentialChange } from './credential-change.js';
import type { PasswordResetService } from './password-reset.service.js';

const invalidNotMeToken = () =>
  invalidToken('token', 'This link', 'to secure the account, ask for a password reset from the sign-in page');

/** What an email-change notice's link can undo. */
interface EmailUndo {
  previousEmail: string;
  previousEmailVerified: boolean;
}

function emailUndoOf(event: string, details: Record<string, unknown>): EmailUndo | null {
  if (event !== 'email_changed' || typeof details.previousEmail !== 'string') return null;
  return {
    previousEmail: details.previousEmail,
    previousEmailVerified: details.previousEmailVerified === true,
  };
}

/**
 * "This wasn't me" (SPEC §9): the one-time link of a security notice ends every session,
 * undoes the email change it announced, shuts sign-in until a password reset, mails the reset
 * link to the (restored) address, and is audited as `reported_not_me`.
 */
export function createNotMeService(deps: AppDeps, passwordReset: PasswordResetService) {
  const { db, clock } = deps;

  async function reportNotMe(input: { token: string }, meta: ClientMeta): Promise<{ locked: true }> {
    const found = await findOpenNotMeToken(db, hashToken(input.token));
    const now = clock.now();
    if (found === undefined || now.getTime() >= found.expiresAt.getTime()) throw invalidNotMeToken();
    const undo = emailUndoOf(found.event, found.details);

    const email = await db
      .transaction()
      .execute(async (trx) => {
        const user = await lockUser(trx, found.userId);
        if (user === undefined || !(await consumeNotMeToken(trx, found.id, now))) throw invalidNotMeToken();
        // The old address comes back only if nobody took it since; otherwise the account keeps
        // the new one, whose owner cannot sign in without the reset that goes to it.
        const restoresEmail = undo !== null && user.email.toLowerCase() !== undo.previousEmail.toLowerCase();
        await applyCredentialChange(trx, {
          userId: found.userId,
          set: {
            passwordResetRequiredAt: now,
            updatedAt: now,
            ...(restoresEmail
              ? {
                  email: undo.previousEmail,
                  emailVerified: undo.previousEmailVerified,
                  emailVerifiedAt: undo.previousEmailVerified ? now : null,
                }
              : {}),
          },
          audit: 'reported_not_me',
          meta,
          at: now,
          details: { event: found.event, ...(restoresEmail ? { restoredEmail: true } : {}) },
        });
        return restoresEmail ? undo.previousEmail : user.email;
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error) === 'users_email_lower_key') throw invalidNotMeToken();
        throw error;
      });
    // The reset link goes out through the ordinary flow (its limits, its token rules).
    await passwordReset.requestPasswordReset({ email }, meta);
    return { locked: true };
  }

  return { reportNotMe };
}

export type NotMeService = ReturnType<typeof createNotMeService>;
