// @vitest-environment happy-dom
import { QueryClient, useQuery } from '@tanstack/react-query';
import {
  act,
  cleanup,
  configure,
  fireEvent,
  render,
  renderHook,
  screen,
  waitFor,
} from '@testing-library/react';
import { createUserhubClient } from '@userhub/sdk';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  memoryTokenStorage,
  readUserhubError,
  type TokenStorage,
  UserhubProvider,
  useSession,
  useTRPC,
  useUserhubClient,
} from '../src/index.js';

// Each answer comes from a real server over HTTP; on a loaded CI machine that can take longer
// than Testing Library's default of one second for `findBy…`/`waitFor`.
configure({ asyncUtilTimeout: 20_000 });

const url = inject('userhubUrl');
let counter = 0;

function newAccount() {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return {
    email: `react-${tag}@example.com`,
    password: 'Correct-Horse-9-Battery',
    firstName: 'Grace',
    lastName: `Hopper${counter}`,
  };
}

function wrapperFor(storage: TokenStorage) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return {
    queryClient,
    wrapper: ({ children }: { children: ReactNode }) => (
      <UserhubProvider url={url} storage={storage} queryClient={queryClient}>
        {children}
      </UserhubProvider>
    ),
  };
}

/** What an account page uses: the session, the signed-in profile and the vanilla client. */
function useAccountPage() {
  const session = useSession();
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.profile.me.queryOptions(), enabled: session.status === 'signed_in' });
  return { session, me, client: useUserhubClient() };
}

/** Shows who the cached profile.me says is signed in, with buttons that swap the token. */
function WhoAmI({ switchTo }: { switchTo: string }) {
  const { session, me } = useAccountPage();
  return (
    <>
      <p>
        {session.status}: {me.data ? me.data.email : 'nobody'}
      </p>
      <button type="button" onClick={() => session.setToken(switchTo)}>
        Switch account
      </button>
      <button type="button" onClick={() => session.setToken(null)}>
        Forget token
      </button>
    </>
  );
}

afterEach(() => cleanup());

describe('@userhub/react against a real server', () => {
  it('signs up, reads profile.me, signs out, then signs in through the two-factor challenge', async () => {
    const storage = memoryTokenStorage();
    const { wrapper, queryClient } = wrapperFor(storage);
    const { result } = renderHook(() => useAccountPage(), { wrapper });
    const account = newAccount();
    expect(result.current.session.status).toBe('signed_out');

    await act(() => result.current.session.signUp(account));
    expect(result.current.session.status).toBe('signed_in');
    const firstToken = result.current.session.token!;
    expect(storage.get()).toBe(firstToken);
    await waitFor(() => expect(result.current.me.data?.email).toBe(account.email));

    // Turn on the second factor with the vanilla client, which carries the same token.
    const { recoveryCodes } = await result.current.client.twoFactor.enableWithPassword.mutate({
      password: account.password,
    });

    await act(() => result.current.session.signOut());
    expect(result.current.session.status).toBe('signed_out');
    expect(storage.get()).toBeNull();
    expect(
      queryClient
        .getQueryCache()
        .findAll()
        .every((query) => query.state.data === undefined),
    ).toBe(true);
    const ended = await createUserhubClient({ url, token: firstToken })
      .profile.me.query()
      .catch((error: unknown) => error);
    expect(readUserhubError(ended)?.code).toBe('UNAUTHORIZED');

    let status: string | undefined;
    await act(async () => {
      status = await result.current.session.signIn({ login: account.email, password: account.password });
    });
    expect(status).toBe('two_factor_required');
    expect(result.current.session.status).toBe('two_factor_required');
    expect(result.current.session.challenge?.method).toBe('email');
    expect(result.current.session.token).toBeNull();

    await act(() => result.current.session.completeTwoFactor(recoveryCodes[0]!));
    expect(result.current.session.status).toBe('signed_in');
    expect(result.current.session.challenge).toBeNull();
    expect(result.current.session.token).not.toBe(firstToken);
    await waitFor(() => expect(result.current.me.data?.email).toBe(account.email));
  });

  it('reports a wrong second factor as an API error and stays at the challenge', async () => {
    const { wrapper } = wrapperFor(memoryTokenStorage());
    const { result } = renderHook(() => useAccountPage(), { wrapper });
    const account = newAccount();
    await act(() => result.current.session.signUp(account));
    await result.current.client.twoFactor.enableWithPassword.mutate({ password: account.password });
    await act(() => result.current.session.signOut());
    await act(async () => {
      await result.current.session.signIn({ login: account.email, password: account.password });
    });
    const failure = await result.current.session.completeTwoFactor('000000').catch((error: unknown) => error);
    expect(readUserhubError(failure)?.httpStatus).toBeGreaterThanOrEqual(400);
    expect(result.current.session.status).toBe('two_factor_required');
  });

  it("drops the previous identity's cached answers when the token changes", async () => {
    const ada = newAccount();
    const bob = newAccount();
    const anonymous = createUserhubClient({ url });
    const adaToken = (await anonymous.auth.signUp.mutate(ada)).token;
    const bobToken = (await anonymous.auth.signUp.mutate(bob)).token;

    const { wrapper } = wrapperFor(memoryTokenStorage(adaToken));
    render(<WhoAmI switchTo={bobToken} />, { wrapper });
    expect(await screen.findByText(`signed_in: ${ada.email}`)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Switch account' }));
    expect(await screen.findByText(`signed_in: ${bob.email}`)).toBeTruthy();
    expect(screen.queryByText(new RegExp(ada.email))).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Forget token' }));
    expect(await screen.findByText('signed_out: nobody')).toBeTruthy();
  });

  it('keeps the token in localStorage under userhub.token by default', async () => {
    const { localStorageTokenStorage } = await import('../src/index.js');
    const storage = localStorageTokenStorage();
    storage.set('abc');
    expect(globalThis.localStorage.getItem('userhub.token')).toBe('abc');
    expect(storage.get()).toBe('abc');
    storage.set(null);
    expect(globalThis.localStorage.getItem('userhub.token')).toBeNull();
    expect(localStorageTokenStorage('other.key').get()).toBeNull();
  });
});
