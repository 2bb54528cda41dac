import type { SessionRow } from '../db/schema.js';
import type { ClientMeta } from '../db/types.js';
import type { AppDeps } from '../deps.js';
import { validateSessionToken } from '../security/session-store.js';
import { constantTimeEqual } from '../security/tokens.js';
import type { Services } from '../services/index.js';

export interface AuthState {
  readonly session: SessionRow;
  readonly userId: string;
}

export interface Context {
  readonly deps: AppDeps;
  readonly services: Services;
  readonly meta: ClientMeta;
  /** The caller's session, or null when no valid bearer token came with the request. */
  readonly auth: AuthState | null;
  /** True when the bearer token is the configured SERVICE_TOKEN. */
  readonly isServiceCall: boolean;
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
  if (token === null) return { deps, services, meta, auth: null, isServiceCall: false };
  const serviceToken = deps.config.serviceToken;
  if (serviceToken !== undefined && constantTimeEqual(token, serviceToken)) {
    return { deps, services, meta, auth: null, isServiceCall: true };
  }
  const session = await validateSessionToken(deps.db, token, deps.clock.now());
  return {
    deps,
    services,
    meta,
    auth: session === null ? null : { session, userId: session.userId },
    isServiceCall: false,
  };
}
