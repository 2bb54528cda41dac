import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { useLocation } from 'react-router';

interface NoticeValue {
  /** A sentence for the next page, e.g. why the user is back at sign-in. */
  readonly notice: string | null;
  showNotice(text: string | null): void;
}

const NoticeContext = createContext<NoticeValue | null>(null);

/**
 * Carries a message across the redirect that follows a session ending (sign out, delete):
 * the sign-in guard replaces the navigation state, so the message cannot ride on it.
 */
export function NoticeProvider({ children }: { readonly children: ReactNode }) {
  const [notice, setNotice] = useState<string | null>(null);
  const { pathname } = useLocation();
  // Shown on the sign-in page it was meant for; going anywhere else retires it.
  useEffect(() => {
    if (pathname !== '/sign-in') setNotice(null);
  }, [pathname]);
  const value = useMemo(() => ({ notice, showNotice: setNotice }), [notice]);
  return <NoticeContext.Provider value={value}>{children}</NoticeContext.Provider>;
}

export function useNotice(): NoticeValue {
  const value = useContext(NoticeContext);
  if (value === null) throw new Error('useNotice must be used inside <NoticeProvider>');
  return value;
}
