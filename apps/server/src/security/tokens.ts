import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { RandomSource } from '@userhub/core';

/** 20 random bytes = 160 bits, above the 120 bits the Lucia guide asks of a session token. */
const TOKEN_BYTES = 20;

/** A fresh opaque secret for the client (session tokens, challenge tokens, temp tokens). */
export function generateToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Only this digest is stored; a database leak does not yield usable tokens. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Compares two secrets (or their digests) without leaking where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Still spend a comparison so the length mismatch is not faster than a content mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** Uniform integers from the platform CSPRNG, in the shape core's pure functions take. */
export const secureRandom: RandomSource = (maxExclusive) => {
  if (!Number.isInteger(maxExclusive) || maxExclusive <= 0 || maxExclusive > 2 ** 32) {
    throw new RangeError(`maxExclusive must be an integer in 1..2^32, got ${maxExclusive}`);
  }
  // Rejection sampling keeps the distribution uniform (no modulo bias).
  const limit = Math.floor(2 ** 32 / maxExclusive) * maxExclusive;
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0]!;
    if (value < limit) return value % maxExclusive;
  }
};

/** A numeric one-time code of `digits` digits from the CSPRNG (leading zeros kept). */
export function generateNumericCode(digits = 6): string {
  let code = '';
  for (let i = 0; i < digits; i++) code += String(secureRandom(10));
  return code;
}
