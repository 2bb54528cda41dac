import type { PublicProfile } from '@userhub/core';
import { notFound } from '../errors.js';

/**
 * Per-request batching of public profile reads: every `byId` asked for while the request's
 * procedures start (a tRPC batch runs them together) is answered by one users query and one
 * `buildPublicProfiles`, so seven profiles cost what one does. A loader lives for one request
 * and one viewer, and remembers its answers for that request only.
 */
export interface ProfileLoader {
  byId(userId: string): Promise<PublicProfile>;
}

export function createProfileLoader(
  loadMany: (userIds: readonly string[]) => Promise<Map<string, PublicProfile>>,
): ProfileLoader {
  const answers = new Map<string, Promise<PublicProfile>>();
  let pending: Map<string, { resolve(profile: PublicProfile): void; reject(error: unknown): void }> | null =
    null;

  function flush(): void {
    const batch = pending!;
    pending = null;
    loadMany([...batch.keys()]).then(
      (profiles) => {
        for (const [userId, waiter] of batch) {
          const profile = profiles.get(userId);
          if (profile === undefined) waiter.reject(notFound());
          else waiter.resolve(profile);
        }
      },
      (error: unknown) => {
        for (const waiter of batch.values()) waiter.reject(error);
      },
    );
  }

  return {
    byId(userId) {
      const known = answers.get(userId);
      if (known !== undefined) return known;
      const answer = new Promise<PublicProfile>((resolve, reject) => {
        if (pending === null) {
          pending = new Map();
          // After the current turn: every procedure of the batch has reached its handler by then.
          setImmediate(flush);
        }
        pending.set(userId, { resolve, reject });
      });
      answers.set(userId, answer);
      return answer;
    },
  };
}
