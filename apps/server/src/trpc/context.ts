import type { SessionRow, UserRow } from '../db/schema.js';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { validateSessionToken } from '../security/session-store.js';
import { constantTimeEqual } from '../security/tokens.js';
import type { Services } from '../services/index.js';
import { createProfileLoader, type ProfileLoader } from '../services/profile-loader.js';

export interface AuthState {
  readonly session: SessionRow;
  readonly userId: string;
  /** The user's row as read with the session at the start of this request. */
  readonly user: UserRow;
}

export interface Context {
  readonly deps: AppDeps;
  readonly services: Services;
  readonly meta: ClientMeta;
  /** The caller's session, or null when no valid bearer token came with the request. */
  readonly auth: AuthState | null;
  /** True when the bearer token is the configured SERVICE_TOKEN. */
  readonly isServiceCall: boolean;
  /** This request's batched profile reads (see `createProfileLoader`). */
  readonly profiles: ProfileLoader;
}

function withLoaders(services: Services, context: Omit<Context, 'profiles'>): Context {
  const viewerId = context.auth?.userId ?? null;
  let profiles: ProfileLoader | undefined;
  return {
    ...context,
    get profiles() {
      profiles ??= createProfileLoader((ids) => services.profile.byIds(viewerId, ids));
      return profiles;
    },
  };
}

const BEARER = /^Bearer\s+(\S+)$/i;

export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  return BEARER.exec(authorization.trim())?.[1] ?? null;
}

export async function createContextFor(
  deps: AppDeps,
  services: Services,
  authorization: string | undefined,
  meta: ClientMeta,
): Promise<Context> {
  const token = bearerToken(authorization);
  if (token === null)
    return withLoaders(services, { deps, services, meta, auth: null, isServiceCall: false });
  const serviceToken = deps.config.serviceToken;
  if (serviceToken !== undefined && constantTimeEqual(token, serviceToken)) {
    return withLoaders(services, { deps, services, meta, auth: null, isServiceCall: true });
  }
  const validated = await validateSessionToken(deps.db, token, deps.clock.now());
  return withLoaders(services, {
    deps,
    services,
    meta,
    auth:
      validated === null
        ? null
        : { session: validated.session, userId: validated.user.id, user: validated.user },
    isServiceCall: false,
  });
}
