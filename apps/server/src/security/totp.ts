import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { ONE_TIME_CODE_DIGITS } from '@userhub/core';
import { constantTimeEqual } from './tokens.js';

/** RFC 6238 defaults every authenticator app understands: 30-second steps, 6 digits, SHA-1. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = ONE_TIME_CODE_DIGITS;
/** One step either side absorbs clock drift between phone and server. */
export const TOTP_ALLOWED_DRIFT_STEPS = 1;
/** 160-bit keys, as RFC 4226 recommends. */
const TOTP_KEY_BYTES = 20;

export function generateTotpKey(): Uint8Array {
  const key = new Uint8Array(TOTP_KEY_BYTES);
  crypto.getRandomValues(key);
  return key;
}

export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCodeAt(key: Uint8Array, now: Date): string {
  return generateHOTP(key, BigInt(totpStepAt(now)), TOTP_DIGITS);
}

export function totpKeyUri(issuer: string, accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(issuer, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/**
 * Returns the time step the code belongs to, or null. Steps at or before `lastUsedStep`
 * are never accepted, so a code (and any older one) works once: no replay inside its window.
 */
export function matchTotpStep(
  key: Uint8Array,
  code: string,
  now: Date,
  lastUsedStep: number | null,
): number | null {
  const current = totpStepAt(now);
  let matched: number | null = null;
  // Every candidate is compared, so the time taken does not reveal which step matched.
  for (let offset = -TOTP_ALLOWED_DRIFT_STEPS; offset <= TOTP_ALLOWED_DRIFT_STEPS; offset++) {
    const step = current + offset;
    const isFresh = lastUsedStep === null || step > lastUsedStep;
    const isMatch = constantTimeEqual(generateHOTP(key, BigInt(step), TOTP_DIGITS), code);
    if (isMatch && isFresh && matched === null) matched = step;
  }
  return matched;
}
