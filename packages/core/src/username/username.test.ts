import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../random.js';
import {
  checkUsernameRules,
  generateUsername,
  isReservedUsername,
  parseLogin,
  RESERVED_USERNAME_LIST,
  RESERVED_USERNAMES,
  stripUsernamePrefix,
  toUsernameSlug,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  usernameCandidates,
  usernameKey,
} from './username.js';
import { usernameLookupSchema, usernameSchema } from './username.schema.js';

/** A deterministic source that replays `values` (mod the requested range), cycling. */
function replay(...values: number[]): RandomSource {
  let index = 0;
  return (max) => {
    const value = values[index % values.length] ?? 0;
    index += 1;
    return value % max;
  };
}

const alwaysZero: RandomSource = () => 0;

/** fast-check's random source: a list of draws replayed by the function under test. */
const arbitraryRandom = fc
  .array(fc.nat(), { minLength: 1, maxLength: 64 })
  .map((values) => replay(...values));

describe('username constants', () => {
  it('match SPEC §2', () => {
    expect(USERNAME_MIN_LENGTH).toBe(3);
    expect(USERNAME_MAX_LENGTH).toBe(30);
  });

  it('keeps the reserved list lower-case, without duplicates, and a few dozen long', () => {
    for (const name of RESERVED_USERNAME_LIST) expect(name).toBe(name.toLowerCase());
    expect(RESERVED_USERNAMES.size).toBe(RESERVED_USERNAME_LIST.length);
    expect(RESERVED_USERNAMES.size).toBeGreaterThanOrEqual(24);
    for (const name of [
      'admin',
      'root',
      'support',
      'api',
      'me',
      'u',
      'id',
      'settings',
      'help',
      'system',
      'null',
      'undefined',
    ]) {
      expect(RESERVED_USERNAMES.has(name)).toBe(true);
    }
  });
});

describe('isReservedUsername', () => {
  it('matches ignoring case', () => {
    expect(isReservedUsername('admin')).toBe(true);
    expect(isReservedUsername('ADMIN')).toBe(true);
    expect(isReservedUsername('Settings')).toBe(true);
  });

  it('does not match names that merely contain a reserved word', () => {
    expect(isReservedUsername('admin1')).toBe(false);
    expect(isReservedUsername('john_doe')).toBe(false);
  });
});

describe('parseLogin', () => {
  it('reads an @ after the first character as an email, anything else as a username', () => {
    expect(parseLogin(' Ada@Example.com ')).toEqual({ kind: 'email', text: 'Ada@Example.com' });
    expect(parseLogin(' @ada_l ')).toEqual({ kind: 'username', text: 'ada_l' });
    expect(parseLogin('ada_l')).toEqual({ kind: 'username', text: 'ada_l' });
  });
});

describe('stripUsernamePrefix and usernameKey', () => {
  it('trims and removes exactly one leading @', () => {
    expect(stripUsernamePrefix('@john_doe')).toBe('john_doe');
    expect(stripUsernamePrefix('  @john_doe ')).toBe('john_doe');
    expect(stripUsernamePrefix('@@john')).toBe('@john');
    expect(stripUsernamePrefix('john@doe')).toBe('john@doe');
  });

  it('gives case variants the same key', () => {
    expect(usernameKey('John_Doe')).toBe(usernameKey('john_DOE'));
    expect(usernameKey('John_Doe')).toBe('john_doe');
  });
});

describe('checkUsernameRules', () => {
  it('accepts names at both length boundaries', () => {
    expect(checkUsernameRules('abc').valid).toBe(true);
    expect(checkUsernameRules(`a${'b'.repeat(29)}`).valid).toBe(true);
  });

  it('rejects 2 and 31 characters with a length message', () => {
    const short = checkUsernameRules('ab');
    expect(short.valid).toBe(false);
    expect(short.details.correctLength).toBe(false);
    expect(short.message).toBe('Username must be at least 3 characters');
    const long = checkUsernameRules(`a${'b'.repeat(30)}`);
    expect(long.details.correctLength).toBe(false);
    expect(long.message).toBe('Username must be at most 30 characters');
  });

  it('requires a leading ASCII letter', () => {
    expect(checkUsernameRules('1abc').message).toBe('Username must start with a letter');
    expect(checkUsernameRules('_abc').details.validFormat).toBe(false);
    expect(checkUsernameRules('-abc').details.validFormat).toBe(false);
    expect(checkUsernameRules('éabc').details.validFormat).toBe(false);
  });

  it('allows letters, digits, _ and - after the first letter and nothing else', () => {
    expect(checkUsernameRules('John_Doe-42').valid).toBe(true);
    for (const name of ['john doe', 'john.doe', 'john@doe', 'jöhn', 'john!']) {
      const result = checkUsernameRules(name);
      expect(result.details.validFormat).toBe(false);
      expect(result.message).toBe(
        'Username may only contain letters, digits, underscores (_) and hyphens (-)',
      );
    }
  });

  it('rejects reserved names whatever their case', () => {
    const result = checkUsernameRules('Admin');
    expect(result).toMatchObject({ valid: false, message: 'Username is reserved' });
    expect(result.details).toMatchObject({ correctLength: true, validFormat: true, notReserved: false });
  });

  it('reports a valid name with every detail true and a constant requirement sentence', () => {
    const result = checkUsernameRules('alice-bob-kgnx');
    expect(result).toMatchObject({ valid: true, message: 'Username is valid' });
    expect(result.details).toMatchObject({ correctLength: true, validFormat: true, notReserved: true });
    expect(result.details.formatRequirement).toBe(checkUsernameRules('x').details.formatRequirement);
    expect(result.details.formatRequirement).toContain('start with a letter');
  });

  it('names the first problem when several rules fail', () => {
    expect(checkUsernameRules('1').message).toBe('Username must be at least 3 characters');
  });
});

describe('generateUsername', () => {
  it('builds first-last-xxxx in lower case (SPEC example alice-bob-kgnx)', () => {
    // k=10, g=6, n=13, x=23
    expect(generateUsername('Alice', 'Bob', replay(10, 6, 13, 23))).toBe('alice-bob-kgnx');
  });

  it('strips diacritics and drops other characters', () => {
    expect(generateUsername('José', "O'Brien-Smith", alwaysZero)).toBe('jose-obriensmith-aaaa');
    expect(generateUsername('Zoë', 'Ångström', alwaysZero)).toBe('zoe-angstrom-aaaa');
    expect(toUsernameSlug('ﬁona')).toBe('fiona');
  });

  it('falls back to user-xxxx when no name part survives cleaning', () => {
    expect(generateUsername('李', '王', alwaysZero)).toBe('user-aaaa');
    expect(generateUsername('', '   ', alwaysZero)).toBe('user-aaaa');
  });

  it('uses the remaining part when one part is empty', () => {
    expect(generateUsername('Jukne', '', alwaysZero)).toBe('jukne-aaaa');
    expect(generateUsername('', 'Bob', alwaysZero)).toBe('bob-aaaa');
  });

  it('prefixes user- when the name would start with a digit', () => {
    expect(generateUsername('42', 'Bob', alwaysZero)).toBe('user-42-bob-aaaa');
  });

  it('truncates long names to stay within 30 characters', () => {
    const name = generateUsername(
      'Maximilianthelongestfirstname',
      'Wolfeschlegelsteinhausenbergerdorff',
      alwaysZero,
    );
    expect(name.length).toBe(USERNAME_MAX_LENGTH);
    // The longer part is trimmed first, so both keep a recognisable prefix.
    expect(name).toBe('maximilianth-wolfeschlege-aaaa');
    expect(checkUsernameRules(name).valid).toBe(true);
  });

  it('survives a random source that misbehaves', () => {
    expect(generateUsername('Alice', 'Bob', () => 1000)).toBe('alice-bob-zzzz');
    expect(generateUsername('Alice', 'Bob', () => -1)).toBe('alice-bob-aaaa');
  });

  it('always produces a valid lower-case name (property, arbitrary unicode names)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'binary' }),
        arbitraryRandom,
        (first, last, random) => {
          const name = generateUsername(first, last, random);
          expect(checkUsernameRules(name).valid).toBe(true);
          expect(name).toBe(name.toLowerCase());
          expect(name).toMatch(/-[a-z]{4}$/);
        },
      ),
    );
  });
});

describe('usernameCandidates', () => {
  it('returns 12 distinct valid candidates by default, none equal to the base', () => {
    const candidates = usernameCandidates(
      'john_doe',
      { firstName: 'John', lastName: 'Doe' },
      replay(3, 1, 4, 1, 5, 9, 2, 6),
    );
    expect(candidates).toHaveLength(12);
    expect(new Set(candidates.map(usernameKey)).size).toBe(12);
    for (const candidate of candidates) {
      expect(checkUsernameRules(candidate).valid).toBe(true);
      expect(usernameKey(candidate)).not.toBe('john_doe');
    }
  });

  it('derives candidates from the wanted name and the person’s names', () => {
    const candidates = usernameCandidates('johnny', { firstName: 'John', lastName: 'Doe' }, alwaysZero, 20);
    expect(candidates.some((candidate) => /^johnny\d+$/.test(candidate))).toBe(true);
    expect(candidates).toContain('johnny_dev');
    expect(candidates).toContain('john_doe');
  });

  it('trims long name combinations to 30 characters instead of dropping them', () => {
    const long = 'Abcdefghijklmnopqrstuvwxyz';
    const candidates = usernameCandidates('zed', { firstName: long, lastName: long }, alwaysZero, 30);
    expect(candidates).toContain('abcdefghijklmnopqrstuvwxyz_abc');
  });

  it('never suggests the base in another case', () => {
    const candidates = usernameCandidates('JohnDoe', { firstName: 'john', lastName: 'doe' }, alwaysZero, 30);
    expect(candidates.map(usernameKey)).not.toContain('johndoe');
  });

  it('keeps the case of the wanted name', () => {
    expect(usernameCandidates('JohnDoe', {}, alwaysZero)[0]).toMatch(/^JohnDoe\d+$/);
  });

  it('still fills the list from an unusable base with no names and a constant random source', () => {
    const candidates = usernameCandidates('@@!!', {}, alwaysZero, 12);
    expect(candidates).toHaveLength(12);
    for (const candidate of candidates) expect(checkUsernameRules(candidate).valid).toBe(true);
  });

  it('honours count and caps it', () => {
    expect(usernameCandidates('alice', {}, alwaysZero, 3)).toHaveLength(3);
    expect(usernameCandidates('alice', {}, alwaysZero, 0)).toEqual([]);
    expect(usernameCandidates('alice', {}, alwaysZero, 10_000)).toHaveLength(100);
  });

  it('suggests non-reserved variants of a reserved base', () => {
    const candidates = usernameCandidates('admin', {}, alwaysZero);
    expect(candidates).toHaveLength(12);
    for (const candidate of candidates) expect(isReservedUsername(candidate)).toBe(false);
  });

  it('produces only valid, distinct candidates other than the base (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.record(
          { firstName: fc.string({ unit: 'grapheme' }), lastName: fc.string({ unit: 'grapheme' }) },
          { requiredKeys: [] },
        ),
        arbitraryRandom,
        fc.integer({ min: 0, max: 20 }),
        (base, context, random, count) => {
          const candidates = usernameCandidates(base, context, random, count);
          expect(candidates).toHaveLength(count);
          const keys = candidates.map(usernameKey);
          expect(new Set(keys).size).toBe(count);
          expect(keys).not.toContain(usernameKey(base));
          for (const candidate of candidates) expect(checkUsernameRules(candidate).valid).toBe(true);
        },
      ),
    );
  });
});

describe('usernameSchema', () => {
  it('trims and accepts a valid name', () => {
    expect(usernameSchema.parse('  John_Doe ')).toBe('John_Doe');
  });

  it('reports every failed rule as its own issue', () => {
    const result = usernameSchema.safeParse('1');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'Username must be at least 3 characters',
      'Username must start with a letter',
    ]);
  });

  it('rejects reserved names and non-strings', () => {
    expect(usernameSchema.safeParse('root').error?.issues[0]?.message).toBe('Username is reserved');
    expect(usernameSchema.safeParse(42).success).toBe(false);
  });
});

describe('usernameLookupSchema', () => {
  it('accepts and strips a leading @', () => {
    expect(usernameLookupSchema.parse('@john_doe')).toBe('john_doe');
    expect(usernameLookupSchema.parse(' john_doe ')).toBe('john_doe');
  });

  it('checks length and format but not the reserved list', () => {
    expect(usernameLookupSchema.parse('@admin')).toBe('admin');
    expect(usernameLookupSchema.safeParse('@ab').success).toBe(false);
    expect(usernameLookupSchema.safeParse('@john doe').success).toBe(false);
  });
});
