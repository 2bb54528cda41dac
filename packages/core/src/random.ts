/**
 * Randomness is injected so that core stays pure and tests stay deterministic:
 * the server passes a cryptographic source, tests pass a seeded or constant one.
 * Returns a uniform integer in [0, maxExclusive).
 */
export type RandomSource = (maxExclusive: number) => number;

/**
 * Draws an index in [0, maxExclusive) from `random`, clamped so that a misbehaving
 * source (a float, a negative number, an out-of-range value) can never produce an
 * out-of-range index and so never an invalid result.
 */
export function drawIndex(random: RandomSource, maxExclusive: number): number {
  const value = Math.trunc(random(maxExclusive));
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, maxExclusive - 1);
}

/** Draws `length` characters from `alphabet` with `random`. */
export function drawString(random: RandomSource, alphabet: string, length: number): string {
  let result = '';
  for (let i = 0; i < length; i += 1) {
    result += alphabet.charAt(drawIndex(random, alphabet.length));
  }
  return result;
}
