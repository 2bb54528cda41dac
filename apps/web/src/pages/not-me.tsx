import { useUserhubClient } from '@userhub/react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { formErrorMessage } from '../lib/errors.js';

/**
 * The page behind the "this wasn't me" link of a security notice (SPEC §9). The report is a
 * button, not the page load: mail scanners that open links must not lock accounts.
 */
export function NotMePage() {
  const api = useUserhubClient().auth;
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<'ready' | 'sending' | 'locked'>('ready');
  const [error, setError] = useState<unknown>(null);

  async function report() {
    setState('sending');
    setError(null);
    try {
      await api.reportNotMe.mutate({ token });
      setState('locked');
    } catch (caught) {
      setError(caught);
      setState('ready');
    }
  }

  if (token === '') {
    return (
      <div className="narrow">
        <PageTitle>This wasn't me</PageTitle>
        <Alert tone="error">This link has no token. Open the link from the email again.</Alert>
      </div>
    );
  }

  return (
    <div className="narrow">
      <PageTitle lead="A change to your account that you did not make.">This wasn't me</PageTitle>
      {state === 'locked' ? (
        <Card title="Your account is secured">
          <Alert tone="success">
            Everyone was signed out of your account, an email change was undone, and signing in stays off
            until you choose a new password.
          </Alert>
          <p>
            <strong>What next:</strong> we emailed a link to choose a new password to your account's address.
            Open it within 30 minutes, pick a password you use nowhere else, and then sign in. If the link
            expires, ask for a new one.
          </p>
          <div className="actions actions-spread">
            <Link className="button button-secondary" to="/forgot-password">
              Ask for a new reset link
            </Link>
            <Link to="/sign-in">Sign in</Link>
          </div>
        </Card>
      ) : (
        <Card title="Secure my account">
          {error !== null && <Alert tone="error">{formErrorMessage(error)}</Alert>}
          <p>
            This signs everyone out of your account (you too), undoes an email change the notice was about,
            and turns off signing in until you reset your password with a link we email to you.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button-danger"
              disabled={state === 'sending'}
              aria-busy={state === 'sending'}
              onClick={() => void report()}
            >
              {state === 'sending' ? 'Securing…' : 'Secure my account'}
            </button>
          </div>
        </Card>
      )}
    </div>
  );
}
