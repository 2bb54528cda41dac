import { dataExportFileName, exportDataInput } from '@userhub/core';
import { z } from 'zod';
import { AttachmentAnswer, defineRoute, NO_INPUT, type RequestHeaders, type RestRoute } from '../route.js';
import { ACCOUNT_TAG } from './shared.js';

/** The header a GET of the export carries the password in (a GET has no body). */
export const EXPORT_PASSWORD_HEADER = 'x-password';

const exportDocumentSchema = z
  .object({})
  .passthrough()
  .describe(
    'One JSON document: profile (contact, socials, tags, achievements), username history, follows, ' +
      'followers, blocks, bookmarks, sessions (without tokens), security events, passkey metadata. ' +
      'No password hash, token, TOTP secret, recovery code or passkey key.',
  );

const EXPORT_DESCRIPTION =
  'Downloads everything the service holds about the account as `userhub-export-<username>.json` ' +
  '(`Content-Disposition: attachment`, no envelope). Wrong passwords are throttled (429).';

function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const historyEntrySchema = z.object({
  userName: z.string(),
  changedAt: z.string().describe('ISO 8601'),
  heldUntil: z.string().describe('ISO 8601; until then nobody else can take the name'),
});

function exportAttachment(document: { profile: { userName: string } }): AttachmentAnswer {
  return new AttachmentAnswer(dataExportFileName(document.profile.userName), document);
}

/** Username history and the data export (SPEC §9) in the profile dialect. */
export const historyExportRoutes: readonly RestRoute[] = [
  defineRoute({
    ...NO_INPUT,
    method: 'GET',
    path: '/api/v1/account/username/history',
    tag: ACCOUNT_TAG,
    summary: 'My username history',
    description: 'The usernames the account gave up, newest first, and until when each is held for it.',
    status: 200,
    message: 'Username history retrieved successfully',
    auth: 'bearer',
    response: z.array(historyEntrySchema),
    handle: async ({ call }) =>
      (await call.account.usernameHistory()).map((entry) => ({
        userName: entry.userName,
        changedAt: entry.changedAt.toISOString(),
        heldUntil: entry.heldUntil.toISOString(),
      })),
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'GET',
    path: '/api/v1/account/export',
    tag: ACCOUNT_TAG,
    summary: 'Export my data (password in the X-Password header)',
    description: EXPORT_DESCRIPTION,
    status: 200,
    message: 'Export ready',
    auth: 'bearer',
    response: exportDocumentSchema,
    answersFile: true,
    // The header is read by the handler, so its absence is the procedure's VALIDATION_FAILED.
    errors: ['VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'RATE_LIMITED'],
    // A missing header is an empty password: 422 with `password` required, like an empty body field.
    handle: async ({ call, headers }) =>
      exportAttachment(
        await call.account.exportData({ password: headerValue(headers, EXPORT_PASSWORD_HEADER) ?? '' }),
      ),
  }),
  defineRoute({
    ...NO_INPUT,
    method: 'POST',
    path: '/api/v1/account/export',
    tag: ACCOUNT_TAG,
    summary: 'Export my data (password in the body)',
    description: EXPORT_DESCRIPTION,
    status: 200,
    message: 'Export ready',
    auth: 'bearer',
    body: exportDataInput,
    response: exportDocumentSchema,
    answersFile: true,
    errors: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
    handle: async ({ call, body }) => exportAttachment(await call.account.exportData(body)),
  }),
];
