import { useQuery } from '@tanstack/react-query';
import { readUserhubError, useSession, useTRPC } from '@userhub/react';
import { useEffect } from 'react';

/**
 * The signed-in user's own profile. A token the server no longer accepts (revoked from
 * another device, expired) signs this browser out instead of leaving a broken page.
 */
export function useMe() {
  const trpc = useTRPC();
  const session = useSession();
  const query = useQuery(
    trpc.profile.me.queryOptions(undefined, { enabled: session.status === 'signed_in' }),
  );
  const isRejected = query.error !== null && readUserhubError(query.error)?.code === 'UNAUTHORIZED';
  const { setToken } = session;
  useEffect(() => {
    if (isRejected) setToken(null);
  }, [isRejected, setToken]);
  return query;
}
