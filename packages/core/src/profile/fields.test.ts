import { describe, expect, it } from 'vitest';
import {
  ABOUT_MAX_LENGTH,
  AVAILABILITY_VALUES,
  aboutSchema,
  availabilitySchema,
  BIO_MAX_LENGTH,
  bioSchema,
  firstNameSchema,
  HEADLINE_MAX_LENGTH,
  headlineSchema,
  LOCATION_MAX_LENGTH,
  lastNameSchema,
  locationSchema,
  middleNameSchema,
  NAME_MAX_LENGTH,
} from './fields.js';

function messagesOf(result: { error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('field limits', () => {
  it('match SPEC §2', () => {
    expect([
      NAME_MAX_LENGTH,
      BIO_MAX_LENGTH,
      HEADLINE_MAX_LENGTH,
      ABOUT_MAX_LENGTH,
      LOCATION_MAX_LENGTH,
    ]).toEqual([30, 1000, 100, 5000, 120]);
    expect(AVAILABILITY_VALUES).toEqual(['available', 'limited', 'unavailable']);
  });
});

describe.each([
  ['firstNameSchema', firstNameSchema, 'First name'],
  ['lastNameSchema', lastNameSchema, 'Last name'],
] as const)('%s', (_, schema, label) => {
  it('trims and accepts 1 and 30 characters', () => {
    expect(schema.parse('  Alice ')).toBe('Alice');
    expect(schema.parse('A')).toBe('A');
    expect(schema.parse('a'.repeat(30))).toBe('a'.repeat(30));
  });

  it('rejects empty, blank and 31 characters, naming the rule', () => {
    expect(messagesOf(schema.safeParse(''))).toEqual([`${label} is required`]);
    expect(messagesOf(schema.safeParse('   '))).toEqual([`${label} is required`]);
    expect(messagesOf(schema.safeParse('a'.repeat(31)))).toEqual([`${label} must be at most 30 characters`]);
  });

  it('counts length after trimming', () => {
    expect(schema.parse(` ${'a'.repeat(30)} `)).toBe('a'.repeat(30));
  });

  it('rejects control characters, including line breaks', () => {
    expect(messagesOf(schema.safeParse('Al\u0000ice'))).toEqual([
      `${label} must not contain control characters`,
    ]);
    expect(schema.safeParse('Al\nice').success).toBe(false);
    expect(schema.safeParse('Al\u007fice').success).toBe(false);
    expect(schema.safeParse('Al\u009bice').success).toBe(false);
  });

  it('stores markup as given rather than escaping it', () => {
    expect(schema.parse('<b>Zoë</b>')).toBe('<b>Zoë</b>');
  });

  it('rejects null (names cannot be cleared)', () => {
    expect(schema.safeParse(null).success).toBe(false);
  });
});

describe('middleNameSchema', () => {
  it('accepts up to 30 characters and rejects 31', () => {
    expect(middleNameSchema.parse('Marie')).toBe('Marie');
    expect(middleNameSchema.parse('m'.repeat(30))).toBe('m'.repeat(30));
    expect(messagesOf(middleNameSchema.safeParse('m'.repeat(31)))).toEqual([
      'Middle name must be at most 30 characters',
    ]);
  });

  it('turns null, an empty or a blank string into null', () => {
    expect(middleNameSchema.parse(null)).toBeNull();
    expect(middleNameSchema.parse('')).toBeNull();
    expect(middleNameSchema.parse('   ')).toBeNull();
  });
});

describe.each([
  ['bio', bioSchema, 'Bio', BIO_MAX_LENGTH],
  ['about', aboutSchema, 'About', ABOUT_MAX_LENGTH],
] as const)('%s (long-form text)', (_, schema, label, max) => {
  it('accepts exactly the maximum and rejects one more', () => {
    expect(schema.parse('x'.repeat(max))).toHaveLength(max);
    expect(messagesOf(schema.safeParse('x'.repeat(max + 1)))).toEqual([
      `${label} must be at most ${max} characters`,
    ]);
  });

  it('allows line breaks and tabs but no other control characters', () => {
    expect(schema.parse('line one\nline two\tindented')).toBe('line one\nline two\tindented');
    expect(messagesOf(schema.safeParse('bell\u0007'))).toEqual([
      `${label} must not contain control characters other than line breaks and tabs`,
    ]);
    expect(schema.safeParse('carriage\rreturn').success).toBe(false);
  });

  it('clears with null or an empty string', () => {
    expect(schema.parse(null)).toBeNull();
    expect(schema.parse('')).toBeNull();
  });
});

describe.each([
  ['headline', headlineSchema, 'Headline', HEADLINE_MAX_LENGTH],
  ['location', locationSchema, 'Location', LOCATION_MAX_LENGTH],
] as const)('%s (one line)', (_, schema, label, max) => {
  it('accepts exactly the maximum and rejects one more', () => {
    expect(schema.parse('x'.repeat(max))).toHaveLength(max);
    expect(messagesOf(schema.safeParse('x'.repeat(max + 1)))).toEqual([
      `${label} must be at most ${max} characters`,
    ]);
  });

  it('rejects line breaks and tabs', () => {
    expect(schema.safeParse('two\nlines').success).toBe(false);
    expect(schema.safeParse('tab\there').success).toBe(false);
  });

  it('clears with null', () => {
    expect(schema.parse(null)).toBeNull();
  });
});

describe('availabilitySchema', () => {
  it('accepts the three values and nothing else', () => {
    for (const value of AVAILABILITY_VALUES) expect(availabilitySchema.parse(value)).toBe(value);
    expect(messagesOf(availabilitySchema.safeParse('busy'))).toEqual([
      'Availability must be one of available, limited, unavailable',
    ]);
    expect(availabilitySchema.safeParse('Available').success).toBe(false);
  });
});
