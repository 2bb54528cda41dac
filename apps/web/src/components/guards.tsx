import { useSession } from '@userhub/react';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useNotice } from '../lib/notice.js';

interface ReturnState {
  readonly from?: string;
}

/**
 * Pages of the signed-in user: anyone else is sent to sign in, and comes back afterwards,
 * unless the session ended on purpose (sign out, deletion), which always leaves a notice.
 */
export function RequireSignedIn({ children }: { readonly children: ReactNode }) {
  const { status } = useSession();
  const { notice } = useNotice();
  const location = useLocation();
  if (status !== 'signed_in') {
    const state: ReturnState | null = notice === null ? { from: location.pathname } : null;
    return <Navigate to="/sign-in" replace state={state} />;
  }
  return children;
}

/** Sign-in and sign-up make no sense once signed in: go where the user was headed. */
export function SignedOutOnly({ children }: { readonly children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'signed_in') {
    const from = (location.state as ReturnState | null)?.from;
    return <Navigate to={from ?? '/profile'} replace />;
  }
  return children;
}
