import { type RouterInputs, readUserhubError } from '@userhub/sdk';
import { useMemo } from 'react';
import { type TwoFactorChallenge, useUserhubState } from './provider.js';

export type SessionStatus = 'signed_out' | 'two_factor_required' | 'signed_in';

export interface UserhubSession {
  status: SessionStatus;
  token: string | null;
  /** Set between a password sign-in that needs a second factor and `completeTwoFactor`. */
  challenge: TwoFactorChallenge | null;
  signUp(input: RouterInputs['auth']['signUp']): Promise<void>;
  /** Resolves to `two_factor_required` (and sets `challenge`) when the account has a second factor. */
  signIn(input: RouterInputs['auth']['signIn']): Promise<SessionStatus>;
  completeTwoFactor(code: string): Promise<void>;
  /** Ends the session on the server, then forgets the token and every cached answer. */
  signOut(): Promise<void>;
  /** For flows that hand back a token themselves (password reset, passkey sign-in). */
  setToken(token: string | null): void;
}

/** The signed-in state and the calls that change it. */
export function useSession(): UserhubSession {
  const { client, queryClient, token, challenge, setToken, setChallenge } = useUserhubState();
  return useMemo<UserhubSession>(
    () => ({
      status: token !== null ? 'signed_in' : challenge !== null ? 'two_factor_required' : 'signed_out',
      token,
      challenge,
      async signUp(input) {
        const { token: issued } = await client.auth.signUp.mutate(input);
        setChallenge(null);
        setToken(issued);
      },
      async signIn(input) {
        const result = await client.auth.signIn.mutate(input);
        if (result.status === 'two_factor_required') {
          setToken(null);
          setChallenge({ challengeToken: result.challengeToken, method: result.method });
          return 'two_factor_required';
        }
        setChallenge(null);
        setToken(result.token);
        return 'signed_in';
      },
      async completeTwoFactor(code) {
        if (challenge === null) throw new Error('completeTwoFactor needs a pending two-factor challenge');
        const { token: issued } = await client.auth.completeTwoFactor.mutate({
          challengeToken: challenge.challengeToken,
          code,
        });
        setChallenge(null);
        setToken(issued);
      },
      async signOut() {
        try {
          if (token !== null) await client.auth.signOut.mutate();
        } catch (error) {
          // A session the server already ended (revoked elsewhere, expired) is signed out all the same.
          if (readUserhubError(error)?.code !== 'UNAUTHORIZED') throw error;
        } finally {
          setChallenge(null);
          setToken(null);
          queryClient.removeQueries({ type: 'inactive' });
        }
      },
      setToken(next) {
        setChallenge(null);
        setToken(next);
      },
    }),
    [client, queryClient, token, challenge, setToken, setChallenge],
  );
}
