import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '@userhub/react';
import type { FormEvent } from 'react';
import { Alert, SubmitButton, TextField } from '../components/forms.js';
import { Card } from '../components/layout.js';
import { errorFor, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';

/** The names the user gave up; each stays theirs until its hold ends (SPEC §9). */
export function UsernameHistoryCard() {
  const trpc = useTRPC();
  const history = useQuery(trpc.account.usernameHistory.queryOptions());
  return (
    <Card title="Username history" id="username-history">
      <p className="muted small">
        A username you leave stays reserved for you for a while: links to it lead to your profile, nobody else
        can take it, and you can take it back.
      </p>
      {history.error !== null && <Alert tone="error">{formErrorMessage(history.error)}</Alert>}
      {history.data === undefined ? (
        history.error === null && <p className="muted">Loading…</p>
      ) : history.data.length === 0 ? (
        <p className="muted">You have kept your username so far.</p>
      ) : (
        <ol className="event-list" aria-label="Usernames you used, newest first">
          {history.data.map((entry) => {
            const isHeld = entry.heldUntil.getTime() > Date.now();
            return (
              <li key={`${entry.userName}-${entry.changedAt.toISOString()}`}>
                <span className="event-type">@{entry.userName}</span>
                <span className="muted small">
                  Changed {formatDateTime(entry.changedAt)} ·{' '}
                  {isHeld ? `reserved for you until ${formatDateTime(entry.heldUntil)}` : 'free for others'}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}

/** Offers `document` to the browser as a file download. */
function download(fileName: string, document: unknown) {
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = window.document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/** GDPR-style export: everything the service holds about the account, as one JSON file. */
export function ExportDataCard() {
  const trpc = useTRPC();
  const exportData = useMutation(
    trpc.account.exportData.mutationOptions({
      onSuccess: (document) => {
        // The same name the REST download (GET /api/v1/account/export) gives the file.
        download(`userhub-export-${document.profile.userName}.json`, document);
      },
    }),
  );
  const errors = fieldErrorsOf(exportData.error);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    exportData.mutate({ password: String(new FormData(event.currentTarget).get('password') ?? '') });
  }
  return (
    <Card title="Export my data" id="export">
      <p>
        One JSON file with everything the service holds about you: profile, contacts, tags, follows, blocks,
        bookmarks, sessions, security events and passkeys. Passwords, codes and keys are never included.
      </p>
      <form onSubmit={submit} noValidate>
        {exportData.error !== null && <Alert tone="error">{formErrorMessage(exportData.error)}</Alert>}
        {exportData.isSuccess && <Alert tone="success">Your data export is downloaded.</Alert>}
        <TextField
          label="Password to export"
          name="password"
          type="password"
          autoComplete="current-password"
          error={errorFor(errors, 'password')}
        />
        <div className="actions">
          <SubmitButton pending={exportData.isPending} pendingText="Preparing…" variant="secondary">
            Export my data
          </SubmitButton>
        </div>
      </form>
    </Card>
  );
}
