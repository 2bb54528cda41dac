import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateReferralCode, REFERRAL_CODE_ALPHABET, REFERRAL_CODE_LENGTH } from './referral-code.js';

describe('generateReferralCode', () => {
  it('draws REFERRAL_CODE_LENGTH characters of the readable alphabet, whatever the source returns', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        const code = generateReferralCode(() => n);
        expect(code).toHaveLength(REFERRAL_CODE_LENGTH);
        for (const char of code) expect(REFERRAL_CODE_ALPHABET).toContain(char);
      }),
    );
  });
});
