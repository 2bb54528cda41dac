import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession, useTRPC } from '@userhub/react';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, CheckboxField, SubmitButton, TextAreaField, TextField } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { errorFor, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import { useNotice } from '../lib/notice.js';
import { ExportDataCard, UsernameHistoryCard } from './your-data.js';

/** Leaves the signed-in pages after a change that ended this browser's session on the server. */
function useEndSession() {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { showNotice } = useNotice();
  return (notice: string) => {
    showNotice(notice);
    session.setToken(null);
    queryClient.clear();
    navigate('/sign-in', { replace: true });
  };
}

export function AccountPage() {
  return (
    <>
      <PageTitle lead="Your password, your data, and leaving the service.">Account</PageTitle>
      <ChangePasswordCard />
      <UsernameHistoryCard />
      <ExportDataCard />
      <DeactivateCard />
      <DeleteCard />
    </>
  );
}

function ChangePasswordCard() {
  const trpc = useTRPC();
  const endSession = useEndSession();
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => endSession('Your password is changed. Sign in with the new one.'),
    }),
  );
  const errors = fieldErrorsOf(change.error);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
      confirmPassword: String(form.get('confirmPassword') ?? ''),
    });
  }
  return (
    <Card title="Change password" id="password">
      <form onSubmit={submit} noValidate>
        {change.error !== null && <Alert tone="error">{formErrorMessage(change.error)}</Alert>}
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          error={errorFor(errors, 'currentPassword')}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          error={errorFor(errors, 'newPassword')}
        />
        <TextField
          label="Repeat the new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          error={errorFor(errors, 'confirmPassword')}
        />
        <p className="muted small">Changing the password signs you out everywhere, this browser too.</p>
        <div className="actions">
          <SubmitButton pending={change.isPending} pendingText="Saving…" variant="secondary">
            Change password
          </SubmitButton>
        </div>
      </form>
    </Card>
  );
}

function DeactivateCard() {
  const trpc = useTRPC();
  const endSession = useEndSession();
  const [isConfirming, setIsConfirming] = useState(false);
  const deactivate = useMutation(
    trpc.account.deactivate.mutationOptions({
      onSuccess: () => endSession('Your account is deactivated. Sign in again to reactivate it.'),
    }),
  );
  const errors = fieldErrorsOf(deactivate.error);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reason = String(form.get('reason') ?? '').trim();
    deactivate.mutate({ password: String(form.get('password') ?? ''), ...(reason === '' ? {} : { reason }) });
  }
  return (
    <Card title="Deactivate account" tone="danger" id="deactivate">
      <p>Your profile disappears from the service and every session ends. Your data is kept.</p>
      {isConfirming ? (
        <form onSubmit={submit} noValidate>
          {deactivate.error !== null && <Alert tone="error">{formErrorMessage(deactivate.error)}</Alert>}
          <TextAreaField
            label="Why are you leaving? (optional)"
            name="reason"
            rows={2}
            error={errorFor(errors, 'reason')}
          />
          <TextField
            label="Password to confirm"
            name="password"
            type="password"
            autoComplete="current-password"
            error={errorFor(errors, 'password')}
          />
          <div className="actions">
            <SubmitButton pending={deactivate.isPending} pendingText="Deactivating…" variant="danger">
              Deactivate my account
            </SubmitButton>
            <button type="button" className="button button-quiet" onClick={() => setIsConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button type="button" className="button button-danger-quiet" onClick={() => setIsConfirming(true)}>
            Deactivate account…
          </button>
        </div>
      )}
    </Card>
  );
}

function DeleteCard() {
  const trpc = useTRPC();
  const endSession = useEndSession();
  const [isConfirming, setIsConfirming] = useState(false);
  const [isUnderstood, setIsUnderstood] = useState(false);
  const remove = useMutation(
    trpc.account.delete.mutationOptions({
      onSuccess: ({ scheduledFor }) =>
        endSession(
          scheduledFor.getTime() > Date.now()
            ? `Your account is scheduled for deletion on ${formatDateTime(scheduledFor)}. Until then it is hidden; sign in before that date to cancel the deletion.`
            : 'Your account is deleted.',
        ),
    }),
  );
  const errors = fieldErrorsOf(remove.error);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    remove.mutate({ password: String(new FormData(event.currentTarget).get('password') ?? '') });
  }
  return (
    <Card title="Delete account" tone="danger" id="delete">
      <p>
        Your profile is hidden at once and every session ends. After a grace period your profile, sessions and
        history are erased and your username and email become free for others; until then you can cancel by
        signing in.
      </p>
      {isConfirming ? (
        <form onSubmit={submit} noValidate>
          {remove.error !== null && <Alert tone="error">{formErrorMessage(remove.error)}</Alert>}
          <CheckboxField
            label="I understand that once the grace period ends, the deletion cannot be undone"
            name="understood"
            checked={isUnderstood}
            onChange={(event) => setIsUnderstood(event.currentTarget.checked)}
          />
          <TextField
            label="Password to confirm"
            name="password"
            type="password"
            autoComplete="current-password"
            error={errorFor(errors, 'password')}
          />
          <div className="actions">
            <button
              type="submit"
              className="button button-danger"
              disabled={!isUnderstood || remove.isPending}
            >
              {remove.isPending ? 'Deleting…' : 'Delete my account'}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setIsConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button type="button" className="button button-danger-quiet" onClick={() => setIsConfirming(true)}>
            Delete account…
          </button>
        </div>
      )}
    </Card>
  );
}
