import { drawString, type RandomSource } from '../random.js';
import { RESERVED_USERNAMES } from './reserved.js';

export { RESERVED_USERNAME_LIST, RESERVED_USERNAMES } from './reserved.js';

/** SPEC §2 "Username": 3–30 characters. */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 30;

/** SPEC §2: starts with an ASCII letter, then letters, digits, `_` or `-`. */
export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const USERNAME_FORMAT_REQUIREMENT =
  `Username must be ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} characters long, start with a letter, ` +
  'and contain only letters, digits, underscores (_) and hyphens (-).';

/** Length of the random suffix of a generated username (`alice-bob-kgnx`, SPEC §2). */
export const GENERATED_SUFFIX_LENGTH = 4;

const LOWERCASE_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

export interface UsernameRuleDetails {
  correctLength: boolean;
  validFormat: boolean;
  notReserved: boolean;
  formatRequirement: string;
}

export interface UsernameCheck {
  valid: boolean;
  details: UsernameRuleDetails;
  message: string;
}

/** The case-insensitive identity of a username: two names with the same key are the same name. */
export function usernameKey(name: string): string {
  return name.toLowerCase();
}

/** Whether `name` is reserved, ignoring case. */
export function isReservedUsername(name: string): boolean {
  return RESERVED_USERNAMES.has(usernameKey(name));
}

/** Trims and removes one leading `@`, so `/u/@john_doe` finds `john_doe` (SPEC §2). */
export function stripUsernamePrefix(input: string): string {
  const trimmed = input.trim();
  return trimmed.startsWith('@') ? trimmed.slice(1) : trimmed;
}

/**
 * What a typed sign-in login names (SPEC §3): an email when it has an `@` after its first
 * character, else a username (`@name` is a username with its conventional prefix).
 */
export function parseLogin(input: string): { kind: 'email' | 'username'; text: string } {
  const trimmed = input.trim();
  return trimmed.indexOf('@') > 0
    ? { kind: 'email', text: trimmed }
    : { kind: 'username', text: stripUsernamePrefix(trimmed) };
}

export function hasUsernameLength(name: string): boolean {
  return name.length >= USERNAME_MIN_LENGTH && name.length <= USERNAME_MAX_LENGTH;
}

export function hasUsernameFormat(name: string): boolean {
  return USERNAME_PATTERN.test(name);
}

/** The first length problem of `name`, or `null`. */
export function describeUsernameLengthProblem(name: string): string | null {
  if (name.length < USERNAME_MIN_LENGTH) return `Username must be at least ${USERNAME_MIN_LENGTH} characters`;
  if (name.length > USERNAME_MAX_LENGTH) return `Username must be at most ${USERNAME_MAX_LENGTH} characters`;
  return null;
}

/** The first format problem of `name`, or `null`. */
export function describeUsernameFormatProblem(name: string): string | null {
  if (hasUsernameFormat(name)) return null;
  if (!/^[A-Za-z]/.test(name)) return 'Username must start with a letter';
  return 'Username may only contain letters, digits, underscores (_) and hyphens (-)';
}

/** Every rule problem of `name` in rule order (length, format, reserved); empty when valid. */
export function listUsernameProblems(name: string, options: { checkReserved: boolean }): string[] {
  const problems = [describeUsernameLengthProblem(name), describeUsernameFormatProblem(name)];
  if (options.checkReserved && isReservedUsername(name)) problems.push('Username is reserved');
  return problems.filter((problem): problem is string => problem !== null);
}

/**
 * Checks `name` as given (no trimming, no `@` stripping: callers normalise first) against
 * every username rule except uniqueness, which only the database can decide.
 */
export function checkUsernameRules(name: string): UsernameCheck {
  const details: UsernameRuleDetails = {
    correctLength: hasUsernameLength(name),
    validFormat: hasUsernameFormat(name),
    notReserved: !isReservedUsername(name),
    formatRequirement: USERNAME_FORMAT_REQUIREMENT,
  };
  const [firstProblem] = listUsernameProblems(name, { checkReserved: true });
  return { valid: firstProblem === undefined, details, message: firstProblem ?? 'Username is valid' };
}

/** Whether `name` passes every rule (length, format, not reserved). */
export function isValidUsername(name: string): boolean {
  return checkUsernameRules(name).valid;
}

/**
 * Reduces a personal name to lower-case ASCII letters and digits: diacritics are
 * stripped by compatibility decomposition (NFKD: `José` → `jose`, `ﬁ` → `fi`) and
 * every other character is dropped.
 */
export function toUsernameSlug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Joins name slugs with `-`, fitting them into `budget` characters by trimming the longest first. */
function fitNameParts(parts: string[], budget: number): string {
  const fitted = [...parts];
  const joinedLength = () => fitted.reduce((sum, part) => sum + part.length, 0) + fitted.length - 1;
  while (joinedLength() > budget) {
    const longest = fitted.reduce(
      (best, part, index) => (part.length > (fitted[best]?.length ?? 0) ? index : best),
      0,
    );
    fitted[longest] = fitted[longest]?.slice(0, -1) ?? '';
  }
  return fitted.join('-');
}

/**
 * Generates the sign-up username `first-last-xxxx` (SPEC §2, e.g. `alice-bob-kgnx`).
 * Always valid: name parts that clean to nothing are dropped, a name that would start
 * with a digit gets a `user-` prefix, long names are trimmed to fit 30 characters, and
 * with no usable name at all the result is `user-xxxx`.
 */
export function generateUsername(firstName: string, lastName: string, random: RandomSource): string {
  const suffix = drawString(random, LOWERCASE_LETTERS, GENERATED_SUFFIX_LENGTH);
  const fallback = `user-${suffix}`;
  const parts = [toUsernameSlug(firstName), toUsernameSlug(lastName)].filter((part) => part !== '');
  if (parts.length === 0) return fallback;
  const startsWithLetter = /^[a-z]/.test(parts[0] ?? '');
  const prefix = startsWithLetter ? '' : 'user-';
  const budget = USERNAME_MAX_LENGTH - suffix.length - 1 - prefix.length;
  const candidate = `${prefix}${fitNameParts(parts, budget)}-${suffix}`;
  return isValidUsername(candidate) ? candidate : fallback;
}

/** Words appended to (or put before) a wanted name when it is taken: `john_dev`, `the_john`. */
const SUGGESTION_SUFFIX_WORDS = ['dev', 'hq', 'io', 'pro', 'app', 'online'] as const;
const SUGGESTION_PREFIX_WORDS = ['the', 'real', 'its', 'hey'] as const;

/** SPEC §2: the availability check offers up to five alternatives. */
export const MAX_USERNAME_SUGGESTIONS = 5;

/** The availability check's answer: the rules, whether the name is free, and free alternatives. */
export interface UsernameAvailability extends UsernameCheck {
  available: boolean;
  suggestions: string[];
  details: UsernameRuleDetails & { notTaken: boolean };
}

/** Default number of candidates: more than the 5 suggestions shown, so some may be taken. */
export const USERNAME_CANDIDATE_COUNT = 12;
/** Upper bound on `count`, so a careless caller cannot ask for an endless list. */
export const USERNAME_CANDIDATE_MAX_COUNT = 100;

/**
 * Reduces a wanted username to something usable as a stem for suggestions: allowed
 * characters only, starting with a letter, at most 30 characters (case is kept: the
 * user chose it).
 */
function toSuggestionStem(base: string): string {
  const cleaned = stripUsernamePrefix(base)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]/g, '')
    .replace(/^[^A-Za-z]+/, '');
  return fitUsernameLength(cleaned);
}

/** Appends `suffix` to `stem`, trimming the stem so the whole stays within the maximum length. */
function withSuffix(stem: string, suffix: string): string {
  return stem.slice(0, Math.max(0, USERNAME_MAX_LENGTH - suffix.length)) + suffix;
}

function drawNumber(random: RandomSource, digits: number): string {
  return drawString(random, DIGITS.slice(1), 1) + drawString(random, DIGITS, digits - 1);
}

/** Candidates built from first and last name: `john_doe`, `johndoe`, `jdoe`, `john_d`, `doe_john`. */
function nameCombinations(firstName: string | undefined, lastName: string | undefined): string[] {
  const first = toUsernameSlug(firstName ?? '');
  const last = toUsernameSlug(lastName ?? '');
  if (first === '' || last === '') return [first || last].map(fitUsernameLength);
  return [
    `${first}_${last}`,
    `${first}${last}`,
    `${first.charAt(0)}${last}`,
    `${first}_${last.charAt(0)}`,
    `${last}_${first}`,
    `${first}-${last}`,
  ].map(fitUsernameLength);
}

function fitUsernameLength(name: string): string {
  return name.slice(0, USERNAME_MAX_LENGTH);
}

/** Interleaves lists (a1, b1, c1, a2, b2, ...) so the first few candidates are varied. */
function interleave(lists: string[][]): string[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const result: string[] = [];
  for (let i = 0; i < longest; i += 1) {
    for (const list of lists) {
      const item = list[i];
      if (item !== undefined) result.push(item);
    }
  }
  return result;
}

function buildCandidatePool(stem: string, names: string[], random: RandomSource): string[] {
  const numbered = [2, 2, 3, 3, 4].map((digits) => withSuffix(stem, drawNumber(random, digits)));
  const worded = [
    ...SUGGESTION_SUFFIX_WORDS.map((word) => withSuffix(stem, `_${word}`)),
    ...SUGGESTION_PREFIX_WORDS.map((word) => fitUsernameLength(`${word}_${stem}`)),
  ];
  const named = names.flatMap((name) => [name, withSuffix(name, drawNumber(random, 2))]);
  return interleave([numbered, worded, named]);
}

/**
 * Suggests distinct alternatives for a wanted username (SPEC §2 "Availability check"):
 * the wanted name plus digits, plus a word, and first/last-name combinations. Every
 * candidate passes `checkUsernameRules`, none equals `base` ignoring case, and exactly
 * `count` (at most 100) are returned: when the varied pool runs short (tiny or unusable input, a
 * constant random source) numbered names fill the rest. The server drops the taken
 * ones in a single query and shows up to 5.
 */
export function usernameCandidates(
  base: string,
  context: { firstName?: string; lastName?: string },
  random: RandomSource,
  count: number = USERNAME_CANDIDATE_COUNT,
): string[] {
  const names = nameCombinations(context.firstName, context.lastName).filter((name) => /^[a-z]/.test(name));
  const stem = toSuggestionStem(base) || names[0] || 'user';
  const excluded = new Set([usernameKey(stripUsernamePrefix(base)), usernameKey(base)]);
  const wanted = Math.min(Math.max(0, Math.trunc(count)), USERNAME_CANDIDATE_MAX_COUNT);
  const picked = new Map<string, string>();
  const offer = (candidate: string) => {
    const key = usernameKey(candidate);
    if (picked.size < wanted && !excluded.has(key) && !picked.has(key) && isValidUsername(candidate)) {
      picked.set(key, candidate);
    }
  };
  for (const candidate of buildCandidatePool(stem, names, random)) offer(candidate);
  for (let n = 1; picked.size < wanted; n += 1) offer(withSuffix(stem, String(n)));
  return [...picked.values()];
}
