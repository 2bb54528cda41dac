import { drawString, type RandomSource } from '../random.js';

/** Crockford's base32 without I, L, O, U: short codes people can read aloud and type. */
export const REFERRAL_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERRAL_CODE_LENGTH = 8;

/** A new account's referral code; the unique index settles the rare collision. */
export function generateReferralCode(random: RandomSource): string {
  return drawString(random, REFERRAL_CODE_ALPHABET, REFERRAL_CODE_LENGTH);
}
