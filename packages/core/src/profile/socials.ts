import { z } from 'zod';
import { typeError } from '../schema-helpers.js';
import { hasUserInfo, parseUrl } from '../url.js';

/** Bound on every social link, in characters. */
export const SOCIAL_URL_MAX_LENGTH = 300;

export const SOCIAL_NETWORKS = ['github', 'twitter', 'linkedin', 'website'] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];

/**
 * The hosts each network's link must be on (SPEC §2 "Contact and socials"); the
 * `www.` variants are allowed. `null` means any host (a personal website).
 */
export const SOCIAL_HOSTS: Readonly<Record<SocialNetwork, readonly string[] | null>> = {
  github: ['github.com'],
  twitter: ['twitter.com', 'x.com'],
  linkedin: ['linkedin.com'],
  website: null,
};

const SOCIAL_LABELS: Record<SocialNetwork, string> = {
  github: 'GitHub link',
  twitter: 'Twitter link',
  linkedin: 'LinkedIn link',
  website: 'Website',
};

function isOnHost(hostname: string, hosts: readonly string[]): boolean {
  return hosts.some((host) => hostname === host || hostname === `www.${host}`);
}

/**
 * Why `url` is not an acceptable link for `network`, or `null`. Only `http:` and
 * `https:` are accepted, which also keeps `javascript:` and `data:` links out of
 * profile pages.
 */
export function checkSocialUrl(network: SocialNetwork, url: string): string | null {
  const label = SOCIAL_LABELS[network];
  if (url.length > SOCIAL_URL_MAX_LENGTH)
    return `${label} must be at most ${SOCIAL_URL_MAX_LENGTH} characters`;
  const parsed = parseUrl(url);
  if (parsed === null) return `${label} must be a valid absolute URL`;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `${label} must use http or https`;
  if (hasUserInfo(parsed)) return `${label} must not contain a username or password`;
  const hosts = SOCIAL_HOSTS[network];
  if (hosts !== null && !isOnHost(parsed.hostname, hosts)) {
    return `${label} must be on ${hosts.join(' or ')}`;
  }
  return null;
}

/** One network's link in an update: a URL sets it, `null` or `''` clears it. */
function socialUrlSchema(network: SocialNetwork) {
  return z
    .string({ error: typeError(SOCIAL_LABELS[network], 'a string') })
    .trim()
    .superRefine((url, ctx) => {
      const problem = url === '' ? null : checkSocialUrl(network, url);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((url) => (url === '' ? null : url))
    .nullable()
    .optional();
}

/** The classic dialect's `socials`; every link optional in an update, `null` clears it. */
export const socialsSchema = z.strictObject({
  github: socialUrlSchema('github'),
  twitter: socialUrlSchema('twitter'),
  linkedin: socialUrlSchema('linkedin'),
  website: socialUrlSchema('website'),
});
export type SocialsInput = z.input<typeof socialsSchema>;
export type SocialsUpdate = z.output<typeof socialsSchema>;
