import { readUserhubError, useSession, useUserhubClient } from '@userhub/react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, SubmitButton, TextField } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { errorFor, type FieldErrors, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import { useNotice } from '../lib/notice.js';

export function SignInPage() {
  const session = useSession();
  const { notice } = useNotice();
  return (
    <div className="narrow">
      {session.status === 'two_factor_required' && session.challenge !== null ? (
        <TwoFactorStep method={session.challenge.method} />
      ) : (
        <PasswordStep notice={notice} />
      )}
    </div>
  );
}

function PasswordStep({ notice }: { readonly notice: string | null }) {
  const session = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [pendingDeletion, setPendingDeletion] = useState<PendingDeletion | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const credentials = {
      login: String(form.get('login') ?? ''),
      password: String(form.get('password') ?? ''),
    };
    setPending(true);
    setError(null);
    try {
      await session.signIn(credentials);
    } catch (caught) {
      // SPEC §9: the right password on an account waiting out its deletion answers its date.
      const read = readUserhubError(caught);
      if (read?.reason === 'ACCOUNT_PENDING_DELETION' && read.scheduledFor !== null) {
        setPendingDeletion({ ...credentials, scheduledFor: read.scheduledFor });
      } else {
        setError(caught);
        setFieldErrors(fieldErrorsOf(caught));
      }
    } finally {
      setPending(false);
    }
  }

  if (pendingDeletion !== null) {
    return <CancelDeletionStep pending={pendingDeletion} onBack={() => setPendingDeletion(null)} />;
  }
  const mustReset = readUserhubError(error)?.reason === 'PASSWORD_RESET_REQUIRED';

  return (
    <>
      <PageTitle lead="Welcome back.">Sign in</PageTitle>
      <Card title="Your credentials">
        <form onSubmit={(event) => void submit(event)} noValidate>
          {notice !== null && error === null && <Alert tone="info">{notice}</Alert>}
          {error !== null && (
            <Alert tone="error">
              {formErrorMessage(error)}
              {mustReset && (
                <>
                  {' '}
                  <Link to="/forgot-password">Reset your password</Link>
                </>
              )}
            </Alert>
          )}
          <TextField
            label="Email or username"
            name="login"
            autoComplete="username"
            required
            error={errorFor(fieldErrors, 'login')}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={errorFor(fieldErrors, 'password')}
          />
          <div className="actions actions-spread">
            <SubmitButton pending={pending} pendingText="Signing in…">
              Sign in
            </SubmitButton>
            <Link to="/forgot-password">Forgot password?</Link>
          </div>
        </form>
      </Card>
      <p className="aside">
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </>
  );
}

function TwoFactorStep({ method }: { readonly method: string }) {
  const session = useSession();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await session.completeTwoFactor(String(form.get('code') ?? ''));
    } catch (caught) {
      setError(caught);
      setFieldErrors(fieldErrorsOf(caught));
      setPending(false);
    }
  }

  const where =
    method === 'totp'
      ? 'Open your authenticator app and enter the 6-digit code it shows.'
      : 'We emailed you a 6-digit code.';
  return (
    <>
      <PageTitle
        lead={
          useRecoveryCode ? 'Enter one of the recovery codes you saved when you set up two-factor.' : where
        }
      >
        Two-factor check
      </PageTitle>
      <Card title={useRecoveryCode ? 'Recovery code' : 'Verification code'}>
        <form onSubmit={(event) => void submit(event)} noValidate>
          {error !== null && <Alert tone="error">{formErrorMessage(error)}</Alert>}
          <TextField
            key={useRecoveryCode ? 'recovery' : 'code'}
            label={useRecoveryCode ? 'Recovery code' : 'Code'}
            name="code"
            autoComplete="one-time-code"
            inputMode={useRecoveryCode ? 'text' : 'numeric'}
            required
            error={errorFor(fieldErrors, 'code')}
          />
          <div className="actions actions-spread">
            <SubmitButton pending={pending} pendingText="Checking…">
              Verify
            </SubmitButton>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setUseRecoveryCode(!useRecoveryCode)}
            >
              {useRecoveryCode ? 'Use a code instead' : 'Use a recovery code'}
            </button>
          </div>
        </form>
      </Card>
      <p className="aside">
        <button type="button" className="link-button" onClick={() => session.setToken(null)}>
          Start over
        </button>
      </p>
    </>
  );
}

interface PendingDeletion {
  readonly login: string;
  readonly password: string;
  readonly scheduledFor: Date;
}

/** The banner a sign-in shows for an account scheduled for deletion, with the way back. */
function CancelDeletionStep({
  pending,
  onBack,
}: {
  readonly pending: PendingDeletion;
  readonly onBack: () => void;
}) {
  const api = useUserhubClient().account;
  const session = useSession();
  const navigate = useNavigate();
  const { showNotice } = useNotice();
  const [busy, setBusy] = useState(false);
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function cancel(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const restored = await api.cancelDeletion.mutate({
        login: pending.login,
        password: pending.password,
        ...(code === '' ? {} : { code }),
      });
      showNotice(null);
      session.setToken(restored.token);
      navigate('/profile', { replace: true });
    } catch (caught) {
      if (readUserhubError(caught)?.reason === 'TWO_FACTOR_REQUIRED') setNeedsCode(true);
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle lead="Nothing is lost yet.">Your account is scheduled for deletion</PageTitle>
      <Card title="Scheduled deletion">
        <form onSubmit={(event) => void cancel(event)} noValidate>
          <Alert tone="info">
            This account will be erased on <strong>{formatDateTime(pending.scheduledFor)}</strong>. Until then
            it is hidden from everyone. Cancel the deletion to get it back exactly as it was.
          </Alert>
          {error !== null && (
            <Alert tone="error">
              {needsCode
                ? 'Two-factor authentication is on: enter a code to cancel the deletion.'
                : formErrorMessage(error)}
            </Alert>
          )}
          {needsCode && (
            <TextField label="Code" name="code" autoComplete="one-time-code" inputMode="numeric" required />
          )}
          <div className="actions actions-spread">
            <SubmitButton pending={busy} pendingText="Restoring…">
              Cancel the deletion
            </SubmitButton>
            <button type="button" className="button button-quiet" onClick={onBack}>
              Back
            </button>
          </div>
        </form>
      </Card>
    </>
  );
}
