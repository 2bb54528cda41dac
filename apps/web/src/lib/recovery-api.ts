import { useUserhubClient } from '@userhub/react';

/** SPEC §9 account recovery, as the pages call it. */
export interface RecoveryProcedures {
  readonly requestPasswordReset: { mutate(input: { email: string }): Promise<{ sent: true }> };
  readonly resetPassword: {
    mutate(input: { token: string; newPassword: string; confirmPassword: string; code?: string }): Promise<{
      token: string;
    }>;
  };
  readonly reportNotMe: { mutate(input: { token: string }): Promise<{ locked: true }> };
}

/**
 * The recovery procedures of `auth`. They join the router in the same release as these
 * pages; until the router type carries them the typed client is read through this
 * interface (the client is a proxy, so the calls go out exactly as typed here).
 */
export function useRecoveryApi(): RecoveryProcedures {
  const client = useUserhubClient();
  return client.auth as unknown as RecoveryProcedures;
}
