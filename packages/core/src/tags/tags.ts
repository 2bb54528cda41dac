import { z } from 'zod';
import { typeError } from '../schema-helpers.js';
import { boundedText } from '../text.js';

/** SPEC §2 "Skill tags": up to 20 tags a user, each 1–40 characters. */
export const MAX_TAGS_PER_USER = 20;
export const TAG_NAME_MAX_LENGTH = 40;

/**
 * The identity of a tag: trimmed, lower-cased, inner whitespace collapsed to one
 * space (SPEC §2), so `Web  Dev` and `web dev` are the same shared record. Unicode is
 * composed first (NFC) so `café` typed either way is one key.
 */
export function normalizeTagKey(name: string): string {
  return name.normalize('NFC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/** FNV-1a, 32-bit (offset basis 2166136261, prime 16777619): tiny, pure, well spread. */
function hashFnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The tag's colour: `#RRGGBB` (upper-case hex) derived from its key, so every server,
 * every client and every run agree on it without storing a choice.
 */
export function tagColor(key: string): string {
  const rgb = hashFnv1a(key) & 0xffffff;
  return `#${rgb.toString(16).toUpperCase().padStart(6, '0')}`;
}

/** A tag name as typed: trimmed, 1–40 characters, no control characters. */
export const tagNameSchema = boundedText({ label: 'Tag', maxLength: TAG_NAME_MAX_LENGTH }).min(1, {
  error: 'Tag must not be empty',
});

/** Keeps the first of names that share a key (`React`, `react ` → `React`). */
export function dedupeTagNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = normalizeTagKey(name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A user's full tag list in an update: at most 20 names, duplicates (by key) dropped, first kept. */
export const tagsInputSchema = z
  .array(tagNameSchema, { error: typeError('Tags', 'a list of names') })
  .max(MAX_TAGS_PER_USER, { error: `A profile can have at most ${MAX_TAGS_PER_USER} tags` })
  .transform(dedupeTagNames);
