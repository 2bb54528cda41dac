import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCContext, type TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { type AppRouter, createUserhubClient, type UserhubClient } from '@userhub/sdk';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { localStorageTokenStorage, type TokenStorage } from './token-storage.js';

const trpcContext = createTRPCContext<AppRouter>();

export interface TwoFactorChallenge {
  readonly challengeToken: string;
  readonly method: string;
}

/** What the provider shares with `useSession` and `useUserhubClient`. */
interface UserhubState {
  readonly client: UserhubClient;
  readonly queryClient: QueryClient;
  readonly token: string | null;
  readonly challenge: TwoFactorChallenge | null;
  setToken(token: string | null): void;
  setChallenge(challenge: TwoFactorChallenge | null): void;
}

const UserhubContext = createContext<UserhubState | null>(null);

export interface UserhubProviderProps {
  /** The server's base URL, e.g. `http://localhost:3000` (`/trpc` is appended). */
  url: string;
  /** Where the session token is kept; default `localStorageTokenStorage()`. */
  storage?: TokenStorage;
  /** The TanStack Query client; default a new one for this provider. */
  queryClient?: QueryClient;
  children: ReactNode;
}

/**
 * Gives its children the typed client, the TanStack Query options proxy and the session, and
 * provides the query client to TanStack Query's own hooks (`useQuery`, `useMutation`).
 */
export function UserhubProvider(props: UserhubProviderProps): React.JSX.Element {
  const [storage] = useState(() => props.storage ?? localStorageTokenStorage());
  const [ownQueryClient] = useState(() => props.queryClient ?? new QueryClient());
  const queryClient = props.queryClient ?? ownQueryClient;
  const [token, setTokenState] = useState(() => storage.get());
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(null);
  // Requests read the token when they are sent, so a swap applies to the very next request.
  const tokenRef = useRef(token);

  const client = useMemo(
    () => createUserhubClient({ url: props.url, token: () => tokenRef.current }),
    [props.url],
  );

  const setToken = useCallback(
    (next: string | null) => {
      if (next === tokenRef.current) return;
      tokenRef.current = next;
      storage.set(next);
      setTokenState(next);
      // Cached answers belong to the previous identity: drop them, and refetch what is on screen.
      void queryClient.cancelQueries();
      queryClient.getMutationCache().clear();
      void queryClient.resetQueries();
    },
    [storage, queryClient],
  );

  const state = useMemo<UserhubState>(
    () => ({ client, queryClient, token, challenge, setToken, setChallenge }),
    [client, queryClient, token, challenge, setToken],
  );

  return (
    <QueryClientProvider client={queryClient}>
      <UserhubContext.Provider value={state}>
        <trpcContext.TRPCProvider trpcClient={client} queryClient={queryClient}>
          {props.children}
        </trpcContext.TRPCProvider>
      </UserhubContext.Provider>
    </QueryClientProvider>
  );
}

export function useUserhubState(): UserhubState {
  const state = useContext(UserhubContext);
  if (state === null) throw new Error('userhub hooks must be used inside <UserhubProvider>');
  return state;
}

/** The TanStack Query options proxy: `useQuery(trpc.profile.me.queryOptions())`. */
export function useTRPC(): TRPCOptionsProxy<AppRouter> {
  return trpcContext.useTRPC();
}

/** The vanilla typed client, carrying the same token as the hooks. */
export function useUserhubClient(): UserhubClient {
  return useUserhubState().client;
}
