import { z } from 'zod';
import { typeError } from '../schema-helpers.js';
import { listUsernameProblems, stripUsernamePrefix } from './username.js';

function reportProblems(problems: string[], ctx: z.RefinementCtx): void {
  for (const message of problems) ctx.addIssue({ code: 'custom', message });
}

/**
 * A username someone wants to own (sign-up, change): trimmed, then checked against
 * every rule (length, format, reserved). Each failed rule is its own issue.
 */
export const usernameSchema = z
  .string({ error: typeError('Username', 'a string') })
  .trim()
  .superRefine((name, ctx) => reportProblems(listUsernameProblems(name, { checkReserved: true }), ctx));

/**
 * A username to look up (`/u/@john_doe`): a leading `@` is accepted and removed. Only
 * length and format are checked: a reserved name simply finds nobody.
 */
export const usernameLookupSchema = z
  .string({ error: typeError('Username', 'a string') })
  .transform(stripUsernamePrefix)
  .superRefine((name, ctx) => reportProblems(listUsernameProblems(name, { checkReserved: false }), ctx));
