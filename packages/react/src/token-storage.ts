/** Where the session token lives between page loads. */
export interface TokenStorage {
  get(): string | null;
  set(token: string | null): void;
}

/**
 * Keeps the token in `window.localStorage` under `key`. Where storage is unavailable (server
 * rendering, a privacy mode that throws on access) it reads as signed out and drops writes.
 */
export function localStorageTokenStorage(key = 'userhub.token'): TokenStorage {
  const storage = (): Storage | null => {
    try {
      return typeof globalThis.localStorage === 'undefined' ? null : globalThis.localStorage;
    } catch {
      return null;
    }
  };
  return {
    get() {
      try {
        return storage()?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    set(token) {
      try {
        if (token === null) storage()?.removeItem(key);
        else storage()?.setItem(key, token);
      } catch {
        // A full or blocked storage keeps the session for this page only.
      }
    },
  };
}

/** Keeps the token in memory only: it is gone on reload (tests, embedded views, server rendering). */
export function memoryTokenStorage(initial: string | null = null): TokenStorage {
  let token = initial;
  return {
    get: () => token,
    set(next) {
      token = next;
    },
  };
}
