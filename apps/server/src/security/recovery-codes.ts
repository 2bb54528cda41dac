import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { hashToken } from './tokens.js';

/** Ten single-use codes of 50 random bits each, shown once as `xxxxx-xxxxx`. */
export const RECOVERY_CODE_COUNT = 10;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = new Uint8Array(7);
    crypto.getRandomValues(bytes);
    const text = encodeBase32LowerCaseNoPadding(bytes).slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/** Codes are typed by hand: case, spaces and the hyphen do not matter. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** High-entropy codes need no slow hash: SHA-256 of the normalised text is what is stored. */
export function hashRecoveryCode(code: string): string {
  return hashToken(normalizeRecoveryCode(code));
}
