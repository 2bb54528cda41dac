import { z } from 'zod';
import { typeError } from '../schema-helpers.js';
import { hasUserInfo, parseUrl } from '../url.js';
import { describeHostProblem } from './host.js';

/** SPEC §2 "Profile pictures": at most 5, ordered, the first is the primary. */
export const MAX_PROFILE_PICTURES = 5;
export const PROFILE_PICTURE_URL_MAX_LENGTH = 500;
export const PROFILE_PICTURE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.gif', '.webp'] as const;

const LABEL = 'Profile picture URL';

function hasImageExtension(pathname: string): boolean {
  const path = pathname.toLowerCase();
  return PROFILE_PICTURE_EXTENSIONS.some((extension) => path.endsWith(extension));
}

/**
 * Checks a profile picture URL against SPEC §2 (the SSRF guard): `https:` only, an
 * image extension on the path, at most 500 characters, no user-info part, no explicit port, and a public
 * DNS name as host (no IP literal in any spelling, no `localhost`, no single-label or
 * private-network name). Returns `null` when the URL is acceptable, else the message
 * for the first rule it breaks.
 */
export function checkProfilePictureUrl(url: string): string | null {
  if (url.length > PROFILE_PICTURE_URL_MAX_LENGTH) {
    return `${LABEL} must be at most ${PROFILE_PICTURE_URL_MAX_LENGTH} characters`;
  }
  const parsed = parseUrl(url);
  if (parsed === null) return `${LABEL} must be a valid absolute URL`;
  if (parsed.protocol !== 'https:') return `${LABEL} must use https`;
  if (hasUserInfo(parsed)) return `${LABEL} must not contain a username or password`;
  const hostProblem = describeHostProblem(parsed.hostname);
  if (hostProblem !== null) return `${LABEL} ${hostProblem}`;
  // A public image is served on 443; an explicit port only helps probe other services.
  if (parsed.port !== '') return `${LABEL} must not specify a port`;
  if (!hasImageExtension(parsed.pathname)) {
    return `${LABEL} must end in ${PROFILE_PICTURE_EXTENSIONS.join(', ')}`;
  }
  return null;
}

/** One profile picture URL, trimmed and checked with `checkProfilePictureUrl`. */
export const profilePictureUrlSchema = z
  .string({ error: typeError(LABEL, 'a string') })
  .trim()
  .superRefine((url, ctx) => {
    const problem = checkProfilePictureUrl(url);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ format: 'uri' });

/** The ordered list of a user's pictures; the first is the primary. `[]` removes them all. */
export const profilePictureUrlsSchema = z
  .array(profilePictureUrlSchema, { error: typeError('Profile pictures', 'a list of URLs') })
  .max(MAX_PROFILE_PICTURES, { error: `A profile can have at most ${MAX_PROFILE_PICTURES} pictures` });
