import { useSession } from '@userhub/react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSignedIn, SignedOutOnly } from './components/guards.js';
import { Layout } from './components/layout.js';
import { AccountPage } from './pages/account.js';
import { NotFoundPage } from './pages/not-found.js';
import { NotMePage } from './pages/not-me.js';
import { ProfilePage } from './pages/profile.js';
import { PublicProfilePage } from './pages/public-profile.js';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/recovery.js';
import { SecurityPage } from './pages/security.js';
import { SignInPage } from './pages/sign-in.js';
import { SignUpPage } from './pages/sign-up.js';

function StartPage() {
  const { status } = useSession();
  return <Navigate to={status === 'signed_in' ? '/profile' : '/sign-in'} replace />;
}

export function App() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<StartPage />} />
        <Route
          path="/sign-up"
          element={
            <SignedOutOnly>
              <SignUpPage />
            </SignedOutOnly>
          }
        />
        <Route
          path="/sign-in"
          element={
            <SignedOutOnly>
              <SignInPage />
            </SignedOutOnly>
          }
        />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/not-me" element={<NotMePage />} />
        <Route path="/u/:username" element={<PublicProfilePage />} />
        <Route
          path="/profile"
          element={
            <RequireSignedIn>
              <ProfilePage />
            </RequireSignedIn>
          }
        />
        <Route
          path="/security"
          element={
            <RequireSignedIn>
              <SecurityPage />
            </RequireSignedIn>
          }
        />
        <Route
          path="/account"
          element={
            <RequireSignedIn>
              <AccountPage />
            </RequireSignedIn>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}
