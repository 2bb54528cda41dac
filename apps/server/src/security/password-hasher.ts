import { hash, verify } from '@node-rs/argon2';
import pLimit, { type LimitFunction } from 'p-limit';

/**
 * argon2id at the OWASP Password Storage Cheat Sheet's first recommended setting:
 * m = 19 MiB (19,456 KiB), t = 2, p = 1.
 */
export const ARGON2_OPTIONS = {
  // Algorithm.Argon2id; a const enum, which isolated modules cannot import.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Spends one verification against a throwaway hash, so an unknown login costs what a known one does. */
  verifyDummy(password: string): Promise<void>;
  /** Hashes running now and waiting for a slot (for health metrics and tests). */
  load(): { running: number; queued: number };
}

/**
 * Each argon2 run holds 19 MiB and a libuv thread for tens of milliseconds. A flood of
 * sign-ins would otherwise exhaust memory and starve every other request that needs the
 * thread pool; the limiter queues hashes beyond `concurrency` instead.
 */
export function createPasswordHasher(concurrency: number): PasswordHasher {
  const limit: LimitFunction = pLimit(concurrency);
  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => {
    dummyHash ??= limit(() => hash('userhub-dummy-password-for-timing', ARGON2_OPTIONS));
    return dummyHash;
  };
  return {
    hash: (password) => limit(() => hash(password, ARGON2_OPTIONS)),
    verify: (passwordHash, password) =>
      limit(async () => {
        try {
          return await verify(passwordHash, password);
        } catch {
          return false;
        }
      }),
    verifyDummy: async (password) => {
      const stored = await getDummyHash();
      await limit(() => verify(stored, password).catch(() => false));
    },
    load: () => ({ running: limit.activeCount, queued: limit.pendingCount }),
  };
}
