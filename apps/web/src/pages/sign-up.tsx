import { useSession } from '@userhub/react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { Alert, SubmitButton, TextField } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { errorFor, type FieldErrors, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';

export function SignUpPage() {
  const session = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const username = text('username').trim();
    setPending(true);
    setError(null);
    try {
      await session.signUp({
        firstName: text('firstName'),
        lastName: text('lastName'),
        email: text('email'),
        password: text('password'),
        ...(username === '' ? {} : { username }),
      });
    } catch (caught) {
      setError(caught);
      setFieldErrors(fieldErrorsOf(caught));
      setPending(false);
    }
  }

  return (
    <div className="narrow">
      <PageTitle lead="One account for your profile, your sign-in and its security.">
        Create your account
      </PageTitle>
      <Card title="Your details">
        <form onSubmit={(event) => void submit(event)} noValidate>
          {error !== null && <Alert tone="error">{formErrorMessage(error)}</Alert>}
          <div className="row">
            <TextField
              label="First name"
              name="firstName"
              autoComplete="given-name"
              required
              error={errorFor(fieldErrors, 'firstName')}
            />
            <TextField
              label="Last name"
              name="lastName"
              autoComplete="family-name"
              required
              error={errorFor(fieldErrors, 'lastName')}
            />
          </div>
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            error={errorFor(fieldErrors, 'email')}
          />
          <TextField
            label="Username (optional)"
            name="username"
            autoComplete="username"
            hint="Leave empty and we will suggest one from your name."
            error={errorFor(fieldErrors, 'username')}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint="Use a long passphrase that you use nowhere else."
            error={errorFor(fieldErrors, 'password')}
          />
          <div className="actions">
            <SubmitButton pending={pending} pendingText="Creating account…">
              Create account
            </SubmitButton>
          </div>
        </form>
      </Card>
      <p className="aside">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </div>
  );
}
