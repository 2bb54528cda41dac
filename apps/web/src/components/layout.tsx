import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '@userhub/react';
import type { ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { useNotice } from '../lib/notice.js';

export function Layout({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { showNotice } = useNotice();
  const isSignedIn = session.status === 'signed_in';

  async function signOut() {
    showNotice('You are signed out.');
    await session.signOut();
    queryClient.clear();
    navigate('/sign-in');
  }

  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          userhub
        </Link>
        <nav aria-label="Main">
          {isSignedIn ? (
            <>
              <NavLink to="/profile">Profile</NavLink>
              <NavLink to="/security">Security</NavLink>
              <NavLink to="/account">Account</NavLink>
              <button type="button" className="button button-quiet" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/sign-in">Sign in</NavLink>
              <NavLink to="/sign-up">Create account</NavLink>
            </>
          )}
        </nav>
      </header>
      <main className="content">{children}</main>
      <footer className="footer">userhub account center</footer>
    </div>
  );
}

export function PageTitle({ children, lead }: { readonly children: ReactNode; readonly lead?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {lead !== undefined && <p className="lead">{lead}</p>}
    </div>
  );
}

export function Card({
  title,
  children,
  tone,
  id,
}: {
  readonly title: string;
  readonly children: ReactNode;
  readonly tone?: 'danger';
  readonly id?: string;
}) {
  const headingId = id === undefined ? undefined : `${id}-title`;
  return (
    <section className={tone === 'danger' ? 'card card-danger' : 'card'} aria-labelledby={headingId} id={id}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
