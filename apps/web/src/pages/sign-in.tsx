import { useSession } from '@userhub/react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { Alert, SubmitButton, TextField } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { errorFor, type FieldErrors, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';
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

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await session.signIn({
        login: String(form.get('login') ?? ''),
        password: String(form.get('password') ?? ''),
      });
    } catch (caught) {
      setError(caught);
      setFieldErrors(fieldErrorsOf(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <PageTitle lead="Welcome back.">Sign in</PageTitle>
      <Card title="Your credentials">
        <form onSubmit={(event) => void submit(event)} noValidate>
          {notice !== null && error === null && <Alert tone="info">{notice}</Alert>}
          {error !== null && <Alert tone="error">{formErrorMessage(error)}</Alert>}
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
