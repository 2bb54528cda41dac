import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type RouterOutputs, useSession, useTRPC } from '@userhub/react';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, SubmitButton, TextField } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { Meter } from '../components/meter.js';
import { QrCode } from '../components/qr-code.js';
import { errorFor, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';
import { describeDevice, formatDateTime, humanize } from '../lib/format.js';
import { useNotice } from '../lib/notice.js';
import { useMe } from '../lib/use-me.js';

type OwnProfile = RouterOutputs['profile']['me'];

/** After any security change: the strength score, the profile and the log all move. */
function useRefreshSecurity() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.account.securityInfo.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.profile.me.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.account.securityEvents.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() }),
    ]);
}

export function SecurityPage() {
  const me = useMe();
  return (
    <>
      <PageTitle lead="How well your account is protected, and the sessions and events behind it.">
        Security
      </PageTitle>
      <StrengthCard />
      {me.data !== undefined && (
        <>
          <EmailCard profile={me.data} />
          <PhoneCard profile={me.data} />
          <TwoFactorCard profile={me.data} />
        </>
      )}
      <SessionsCard />
      <EventsCard />
    </>
  );
}

function StrengthCard() {
  const trpc = useTRPC();
  const info = useQuery(trpc.account.securityInfo.queryOptions());
  if (info.data === undefined)
    return (
      <Card title="Security strength">
        {info.error !== null ? (
          <Alert tone="error">{formErrorMessage(info.error)}</Alert>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </Card>
    );
  const strength = info.data.securityStrength;
  return (
    <Card title="Security strength" id="strength">
      <Meter label={`Security score (${humanize(strength.level)})`} value={strength.score} />
      <p>{strength.description}</p>
      {strength.recommendations.length > 0 ? (
        <>
          <h3>Recommendations</h3>
          <ul className="checklist">
            {strength.recommendations.map((recommendation) => (
              <li key={recommendation}>{recommendation}</li>
            ))}
          </ul>
        </>
      ) : (
        <Alert tone="success">Nothing left to do: every protection is on.</Alert>
      )}
    </Card>
  );
}

interface PendingCode {
  readonly tempToken: string;
  readonly sentTo: string;
}

function EmailCard({ profile }: { readonly profile: OwnProfile }) {
  const trpc = useTRPC();
  const refresh = useRefreshSecurity();
  const [pending, setPending] = useState<PendingCode | null>(null);
  const request = useMutation(
    trpc.account.requestEmailVerification.mutationOptions({
      onSuccess: (sent) => setPending({ tempToken: sent.tempToken, sentTo: sent.email }),
    }),
  );
  const verify = useMutation(
    trpc.account.verifyEmail.mutationOptions({
      onSuccess: async () => {
        setPending(null);
        await refresh();
      },
    }),
  );

  if (profile.emailVerified) {
    return (
      <Card title="Email address" id="email">
        <p>
          <strong>{profile.email}</strong> <span className="badge badge-good">Verified</span>
        </p>
      </Card>
    );
  }
  return (
    <Card title="Email address" id="email">
      <p>
        <strong>{profile.email}</strong> <span className="badge badge-warn">Not verified</span>
      </p>
      {request.error !== null && <Alert tone="error">{formErrorMessage(request.error)}</Alert>}
      {pending === null ? (
        <div className="actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={request.isPending}
            onClick={() => request.mutate()}
          >
            {request.isPending ? 'Sending…' : 'Send verification code'}
          </button>
        </div>
      ) : (
        <CodeForm
          label="Email verification code"
          hint={`We sent a 6-digit code to ${pending.sentTo}.`}
          submitText="Verify email"
          error={verify.error}
          isPending={verify.isPending}
          onSubmit={(code) => verify.mutate({ tempToken: pending.tempToken, code })}
        />
      )}
    </Card>
  );
}

function PhoneCard({ profile }: { readonly profile: OwnProfile }) {
  const trpc = useTRPC();
  const refresh = useRefreshSecurity();
  const [pending, setPending] = useState<PendingCode | null>(null);
  const request = useMutation(
    trpc.account.requestPhoneVerification.mutationOptions({
      onSuccess: (sent) => setPending({ tempToken: sent.tempToken, sentTo: sent.phone }),
    }),
  );
  const verify = useMutation(
    trpc.account.verifyPhone.mutationOptions({
      onSuccess: async () => {
        setPending(null);
        await refresh();
      },
    }),
  );

  function requestCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate({ phoneNumber: String(new FormData(event.currentTarget).get('phoneNumber') ?? '') });
  }

  return (
    <Card title="Phone number" id="phone">
      {profile.phoneNumber !== null && (
        <p>
          <strong>{profile.phoneNumber}</strong>{' '}
          {profile.phoneVerified ? (
            <span className="badge badge-good">Verified</span>
          ) : (
            <span className="badge badge-warn">Not verified</span>
          )}
        </p>
      )}
      {pending === null ? (
        <form onSubmit={requestCode} noValidate>
          {request.error !== null && <Alert tone="error">{formErrorMessage(request.error)}</Alert>}
          <TextField
            label={profile.phoneVerified ? 'New phone number' : 'Phone number'}
            name="phoneNumber"
            type="tel"
            autoComplete="tel"
            placeholder="+44 20 7946 0958"
            hint="With the country code. We text you a code to confirm it."
            error={errorFor(fieldErrorsOf(request.error), 'phoneNumber')}
          />
          <div className="actions">
            <SubmitButton pending={request.isPending} pendingText="Sending…" variant="secondary">
              Send code by SMS
            </SubmitButton>
          </div>
        </form>
      ) : (
        <CodeForm
          label="SMS verification code"
          hint={`We texted a 6-digit code to ${pending.sentTo}.`}
          submitText="Verify phone"
          error={verify.error}
          isPending={verify.isPending}
          onSubmit={(code) => verify.mutate({ tempToken: pending.tempToken, code })}
        />
      )}
    </Card>
  );
}

function CodeForm(props: {
  readonly label: string;
  readonly hint?: string;
  readonly submitText: string;
  readonly error: unknown;
  readonly isPending: boolean;
  readonly onSubmit: (code: string) => void;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSubmit(String(new FormData(event.currentTarget).get('code') ?? ''));
  }
  const fieldError = errorFor(fieldErrorsOf(props.error), 'code');
  return (
    <form onSubmit={submit} noValidate>
      {props.error !== null && fieldError === undefined && (
        <Alert tone="error">{formErrorMessage(props.error)}</Alert>
      )}
      <TextField
        label={props.label}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        {...(props.hint === undefined ? {} : { hint: props.hint })}
        error={fieldError}
      />
      <div className="actions">
        <SubmitButton pending={props.isPending} pendingText="Checking…">
          {props.submitText}
        </SubmitButton>
      </div>
    </form>
  );
}

type Setup = RouterOutputs['twoFactor']['initiate'];

function TwoFactorCard({ profile }: { readonly profile: OwnProfile }) {
  const trpc = useTRPC();
  const refresh = useRefreshSecurity();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const initiate = useMutation(trpc.twoFactor.initiate.mutationOptions({ onSuccess: setSetup }));
  const activate = useMutation(
    trpc.twoFactor.activate.mutationOptions({
      onSuccess: async (result) => {
        setSetup(null);
        setRecoveryCodes(result.recoveryCodes);
        await refresh();
      },
    }),
  );
  const regenerate = useMutation(
    trpc.twoFactor.regenerateRecoveryCodes.mutationOptions({
      onSuccess: async (result) => {
        setRecoveryCodes(result.recoveryCodes);
        await refresh();
      },
    }),
  );
  const deactivate = useMutation(
    trpc.twoFactor.deactivate.mutationOptions({
      onSuccess: async () => {
        setRecoveryCodes(null);
        await refresh();
      },
    }),
  );
  const [action, setAction] = useState<'regenerate' | 'disable' | null>(null);

  if (recoveryCodes !== null) {
    return (
      <Card title="Two-factor authentication" id="two-factor">
        <Alert tone="success">Two-factor authentication is on.</Alert>
        <h3>Your recovery codes</h3>
        <p>
          Each code signs you in once if you lose your device. Store them somewhere safe now: they are not
          shown again.
        </p>
        <ul className="recovery-codes" aria-label="Recovery codes">
          {recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <div className="actions">
          <button type="button" className="button button-primary" onClick={() => setRecoveryCodes(null)}>
            I have saved my recovery codes
          </button>
        </div>
      </Card>
    );
  }

  if (profile.twoFactor.enabled) {
    const method = profile.twoFactor.method === 'totp' ? 'an authenticator app' : 'codes sent by email';
    const mutation = action === 'disable' ? deactivate : regenerate;
    return (
      <Card title="Two-factor authentication" id="two-factor">
        <p>
          <span className="badge badge-good">On</span> Signing in asks for {method}.
        </p>
        {action === null ? (
          <div className="actions">
            <button type="button" className="button button-secondary" onClick={() => setAction('regenerate')}>
              New recovery codes
            </button>
            <button type="button" className="button button-danger-quiet" onClick={() => setAction('disable')}>
              Turn off two-factor
            </button>
          </div>
        ) : (
          <>
            <CodeForm
              label={
                action === 'disable' ? 'Code to turn off two-factor' : 'Code to replace the recovery codes'
              }
              hint="A current code from your authenticator app or email, or a recovery code."
              submitText={action === 'disable' ? 'Turn off two-factor' : 'Create new recovery codes'}
              error={mutation.error}
              isPending={mutation.isPending}
              onSubmit={(code) => mutation.mutate({ code }, { onSuccess: () => setAction(null) })}
            />
            <button type="button" className="link-button" onClick={() => setAction(null)}>
              Cancel
            </button>
          </>
        )}
      </Card>
    );
  }

  return (
    <Card title="Two-factor authentication" id="two-factor">
      <p>
        <span className="badge badge-warn">Off</span> Add a second step to signing in, so a stolen password is
        not enough.
      </p>
      {initiate.error !== null && <Alert tone="error">{formErrorMessage(initiate.error)}</Alert>}
      {setup === null ? (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={initiate.isPending}
            onClick={() => initiate.mutate({ method: 'totp' })}
          >
            Set up an authenticator app
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={initiate.isPending || !profile.emailVerified}
            onClick={() => initiate.mutate({ method: 'email' })}
          >
            Use codes by email
          </button>
          {!profile.emailVerified && <p className="muted small">Codes by email need a verified address.</p>}
        </div>
      ) : (
        <>
          {setup.method === 'totp' && setup.otpauthUri !== undefined && setup.otpauthUri !== null ? (
            <div className="totp-setup">
              <QrCode value={setup.otpauthUri} label="QR code for your authenticator app" />
              <div>
                <p>Scan the code with your authenticator app, or type in this setup key:</p>
                <p className="secret">
                  <span className="secret-label">Setup key</span>
                  <code data-testid="totp-secret">{setup.secret}</code>
                </p>
              </div>
            </div>
          ) : (
            <p>We emailed a 6-digit code to {profile.email}.</p>
          )}
          <CodeForm
            label="Code from the app"
            submitText="Turn on two-factor"
            error={activate.error}
            isPending={activate.isPending}
            onSubmit={(code) => activate.mutate({ code })}
          />
          <button type="button" className="link-button" onClick={() => setSetup(null)}>
            Cancel
          </button>
        </>
      )}
    </Card>
  );
}

function SessionsCard() {
  const trpc = useTRPC();
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const refresh = useRefreshSecurity();
  const { showNotice } = useNotice();
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions({ onSuccess: () => void refresh() }));
  const everywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({
      onSuccess: () => {
        showNotice('Every session is signed out, this one too.');
        session.setToken(null);
        queryClient.clear();
        navigate('/sign-in');
      },
    }),
  );

  return (
    <Card title="Where you are signed in" id="sessions">
      {sessions.error !== null && <Alert tone="error">{formErrorMessage(sessions.error)}</Alert>}
      {revoke.error !== null && <Alert tone="error">{formErrorMessage(revoke.error)}</Alert>}
      {sessions.data === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <ul className="session-list">
          {sessions.data.map((item) => (
            <li key={item.id} className="session">
              <div>
                <strong>{describeDevice(item.userAgent)}</strong>
                {item.current && <span className="badge badge-good">This device</span>}
                <p className="muted small">
                  {item.ip ?? 'Unknown address'} · signed in {formatDateTime(item.createdAt)} · last active{' '}
                  {formatDateTime(item.lastUsedAt)}
                </p>
              </div>
              {!item.current && (
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={revoke.isPending}
                  aria-label={`Revoke session on ${describeDevice(item.userAgent)} from ${formatDateTime(item.createdAt)}`}
                  onClick={() => revoke.mutate({ sessionId: item.id })}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button-danger-quiet"
          disabled={everywhere.isPending}
          onClick={() => everywhere.mutate()}
        >
          Sign out everywhere
        </button>
      </div>
    </Card>
  );
}

const EVENTS_PAGE_SIZE = 10;

/**
 * The log, newest first, one query per page. (Each page is a plain query on its cursor:
 * the input is a strict schema, and an infinite query would add fields it refuses.)
 */
function EventsCard() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return (
    <Card title="Security events" id="events">
      <ol className="event-list" aria-label="Security events, newest first">
        {cursors.map((cursor, index) => (
          <EventsPage
            key={cursor ?? 'newest'}
            cursor={cursor}
            isLast={index === cursors.length - 1}
            onShowOlder={(next) => setCursors([...cursors, next])}
          />
        ))}
      </ol>
    </Card>
  );
}

function EventsPage(props: {
  readonly cursor: string | undefined;
  readonly isLast: boolean;
  readonly onShowOlder: (cursor: string) => void;
}) {
  const trpc = useTRPC();
  const page = useQuery(
    trpc.account.securityEvents.queryOptions({
      limit: EVENTS_PAGE_SIZE,
      ...(props.cursor === undefined ? {} : { cursor: props.cursor }),
    }),
  );
  if (page.error !== null)
    return (
      <li>
        <Alert tone="error">{formErrorMessage(page.error)}</Alert>
      </li>
    );
  if (page.data === undefined) return props.isLast ? <li className="muted">Loading…</li> : null;
  const { items, nextCursor } = page.data;
  return (
    <>
      {items.length === 0 && props.cursor === undefined && <li className="muted">No events yet.</li>}
      {items.map((event) => (
        <li key={event.id}>
          <span className="event-type">{humanize(event.type)}</span>
          <span className="muted small">
            {formatDateTime(event.createdAt)} · {event.ip ?? 'unknown address'} ·{' '}
            {describeDevice(event.userAgent)}
          </span>
        </li>
      ))}
      {props.isLast && nextCursor !== null && nextCursor !== undefined && (
        <li className="event-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => props.onShowOlder(nextCursor)}
          >
            Show older events
          </button>
        </li>
      )}
    </>
  );
}
