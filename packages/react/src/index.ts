export type { RouterInputs, RouterOutputs, UserhubClient, UserhubError } from '@userhub/sdk';
export { readUserhubError } from '@userhub/sdk';
export {
  type TwoFactorChallenge,
  UserhubProvider,
  type UserhubProviderProps,
  useTRPC,
  useUserhubClient,
} from './provider.js';
export { type SessionStatus, type UserhubSession, useSession } from './session.js';
export { localStorageTokenStorage, memoryTokenStorage, type TokenStorage } from './token-storage.js';
