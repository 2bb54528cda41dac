import { readUserhubError, useSession, useUserhubClient } from '@userhub/react';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, SubmitButton, TextField } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { errorFor, type FieldErrors, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';

export function ForgotPasswordPage() {
  const api = useUserhubClient().auth;
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      await api.requestPasswordReset.mutate({ email });
      setSentTo(email);
    } catch (caught) {
      setError(caught);
      setFieldErrors(fieldErrorsOf(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="narrow">
      <PageTitle lead="We will email you a link to choose a new password.">Forgot your password?</PageTitle>
      <Card title="Reset by email">
        {sentTo !== null ? (
          <Alert tone="success">
            If an account uses {sentTo}, a reset link is on its way. It works for 30 minutes.
          </Alert>
        ) : (
          <form onSubmit={(event) => void submit(event)} noValidate>
            {error !== null && <Alert tone="error">{formErrorMessage(error)}</Alert>}
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              required
              error={errorFor(fieldErrors, 'email')}
            />
            <div className="actions">
              <SubmitButton pending={pending} pendingText="Sending…">
                Send reset link
              </SubmitButton>
            </div>
          </form>
        )}
      </Card>
      <p className="aside">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}

export function ResetPasswordPage() {
  const api = useUserhubClient().auth;
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [pending, setPending] = useState(false);
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get('code') ?? '').trim();
    setPending(true);
    setError(null);
    try {
      const result = await api.resetPassword.mutate({
        token,
        newPassword: String(form.get('newPassword') ?? ''),
        confirmPassword: String(form.get('confirmPassword') ?? ''),
        ...(code === '' ? {} : { code }),
      });
      session.setToken(result.token);
      navigate('/profile', { replace: true });
    } catch (caught) {
      // SPEC §9: a reset of an account with two-factor on asks for a code first.
      const reason: string | undefined = readUserhubError(caught)?.reason;
      if (reason === 'TWO_FACTOR_REQUIRED') setNeedsCode(true);
      setError(caught);
      setFieldErrors(fieldErrorsOf(caught));
      setPending(false);
    }
  }

  if (token === '') {
    return (
      <div className="narrow">
        <PageTitle>Reset your password</PageTitle>
        <Alert tone="error">
          This link has no reset token. Open the link from the email again, or ask for a new one.
        </Alert>
        <p className="aside">
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="narrow">
      <PageTitle lead="Every other session is signed out when the password changes.">
        Choose a new password
      </PageTitle>
      <Card title="New password">
        <form onSubmit={(event) => void submit(event)} noValidate>
          {error !== null && (
            <Alert tone="error">
              {needsCode && Object.keys(fieldErrors).length === 0
                ? 'Two-factor authentication is on: enter a code from your authenticator app, your email, or a recovery code.'
                : formErrorMessage(error)}
            </Alert>
          )}
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            error={errorFor(fieldErrors, 'newPassword')}
          />
          <TextField
            label="Repeat the new password"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            error={errorFor(fieldErrors, 'confirmPassword')}
          />
          {needsCode && (
            <TextField
              label="Two-factor code or recovery code"
              name="code"
              autoComplete="one-time-code"
              required
              error={errorFor(fieldErrors, 'code')}
            />
          )}
          {errorFor(fieldErrors, 'token') !== undefined && (
            <p className="field-error">{errorFor(fieldErrors, 'token')}</p>
          )}
          <div className="actions">
            <SubmitButton pending={pending} pendingText="Saving…">
              Set new password
            </SubmitButton>
          </div>
        </form>
      </Card>
    </div>
  );
}
