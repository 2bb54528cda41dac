import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dedupeTagNames,
  MAX_TAGS_PER_USER,
  normalizeTagKey,
  TAG_NAME_MAX_LENGTH,
  tagColor,
  tagNameSchema,
  tagsInputSchema,
} from './tags.js';

describe('normalizeTagKey', () => {
  it('trims, lower-cases and collapses inner whitespace', () => {
    expect(normalizeTagKey('  Web   Dev ')).toBe('web dev');
    expect(normalizeTagKey('Node.JS\t\nBackend')).toBe('node.js backend');
    expect(normalizeTagKey('DevOps')).toBe('devops');
  });

  it('gives composed and decomposed accents the same key', () => {
    expect(normalizeTagKey('Caf\u00e9')).toBe(normalizeTagKey('Cafe\u0301'));
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        const key = normalizeTagKey(name);
        expect(normalizeTagKey(key)).toBe(key);
      }),
    );
  });
});

describe('tagColor', () => {
  it('is a fixed #RRGGBB for a given key', () => {
    expect(tagColor('product')).toBe(tagColor('product'));
    expect(tagColor('product')).toMatch(/^#[0-9A-F]{6}$/);
    expect(tagColor('product')).not.toBe(tagColor('writing'));
  });

  it('is FNV-1a of the key, low 24 bits (pinned so colours never shift between releases)', () => {
    // Published FNV-1a 32-bit test vectors: '' → 0x811c9dc5, 'a' → 0xe40c292c, 'foobar' → 0xbf9cf968.
    expect(tagColor('')).toBe('#1C9DC5');
    expect(tagColor('a')).toBe('#0C292C');
    expect(tagColor('foobar')).toBe('#9CF968');
  });

  it('is deterministic and always #RRGGBB in upper-case hex (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (key) => {
        expect(tagColor(key)).toMatch(/^#[0-9A-F]{6}$/);
        expect(tagColor(key)).toBe(tagColor(key));
      }),
    );
  });
});

describe('tagNameSchema', () => {
  it('trims and accepts 1 to 40 characters', () => {
    expect(tagNameSchema.parse(' React ')).toBe('React');
    expect(tagNameSchema.parse('x')).toBe('x');
    expect(tagNameSchema.parse('x'.repeat(TAG_NAME_MAX_LENGTH))).toHaveLength(40);
  });

  it('rejects empty, 41 characters and control characters', () => {
    expect(tagNameSchema.safeParse('  ').error?.issues[0]?.message).toBe('Tag must not be empty');
    expect(tagNameSchema.safeParse('x'.repeat(41)).error?.issues[0]?.message).toBe(
      'Tag must be at most 40 characters',
    );
    expect(tagNameSchema.safeParse('a\u0000b').success).toBe(false);
  });
});

describe('tagsInputSchema', () => {
  it('keeps the first of names that share a key', () => {
    expect(tagsInputSchema.parse(['React', 'react ', 'Web  Dev', 'web dev', 'Go'])).toEqual([
      'React',
      'Web  Dev',
      'Go',
    ]);
    expect(dedupeTagNames(['b', 'A', 'a', 'B'])).toEqual(['b', 'A']);
  });

  it('accepts 20 tags and rejects 21', () => {
    const names = Array.from({ length: MAX_TAGS_PER_USER + 1 }, (_, i) => `tag${i}`);
    expect(tagsInputSchema.parse(names.slice(0, 20))).toHaveLength(20);
    expect(tagsInputSchema.safeParse(names).error?.issues[0]?.message).toBe(
      'A profile can have at most 20 tags',
    );
  });

  it('accepts an empty list (removes every tag)', () => {
    expect(tagsInputSchema.parse([])).toEqual([]);
  });
});
