import { describe, expect, it } from 'vitest';
import { checkSocialUrl, SOCIAL_URL_MAX_LENGTH, socialsSchema } from './socials.js';

describe('checkSocialUrl', () => {
  it('accepts each network on its own host, with or without www.', () => {
    expect(checkSocialUrl('github', 'https://github.com/tester')).toBeNull();
    expect(checkSocialUrl('github', 'https://www.github.com/tester')).toBeNull();
    expect(checkSocialUrl('twitter', 'https://twitter.com/tester')).toBeNull();
    expect(checkSocialUrl('twitter', 'https://x.com/tester')).toBeNull();
    expect(checkSocialUrl('twitter', 'https://www.x.com/tester')).toBeNull();
    expect(checkSocialUrl('linkedin', 'https://linkedin.com/tester')).toBeNull();
    expect(checkSocialUrl('linkedin', 'https://www.linkedin.com/in/tester')).toBeNull();
    expect(checkSocialUrl('website', 'https://mywebsite.com')).toBeNull();
  });

  it('accepts http as well as https', () => {
    expect(checkSocialUrl('github', 'http://github.com/tester')).toBeNull();
    expect(checkSocialUrl('website', 'http://example.org/me')).toBeNull();
  });

  it('rejects a link on another host, including look-alikes', () => {
    expect(checkSocialUrl('github', 'https://gitlab.com/tester')).toBe('GitHub link must be on github.com');
    expect(checkSocialUrl('github', 'https://github.com.evil.io/tester')).not.toBeNull();
    expect(checkSocialUrl('github', 'https://evilgithub.com/tester')).not.toBeNull();
    expect(checkSocialUrl('github', 'https://gist.github.com/tester')).not.toBeNull();
    expect(checkSocialUrl('twitter', 'https://facebook.com/tester')).toBe(
      'Twitter link must be on twitter.com or x.com',
    );
    expect(checkSocialUrl('linkedin', 'https://linkedin.evil.com/x')).toBe(
      'LinkedIn link must be on linkedin.com',
    );
  });

  it('rejects other schemes, including javascript:', () => {
    expect(checkSocialUrl('website', 'javascript:alert(1)')).toBe('Website must use http or https');
    expect(checkSocialUrl('website', 'ftp://example.com')).toBe('Website must use http or https');
  });

  it('rejects credentials and non-URLs', () => {
    expect(checkSocialUrl('website', 'https://me:pw@example.com')).toBe(
      'Website must not contain a username or password',
    );
    expect(checkSocialUrl('website', 'example.com')).toBe('Website must be a valid absolute URL');
  });

  it('accepts 300 characters and rejects 301', () => {
    const prefix = 'https://example.com/';
    expect(checkSocialUrl('website', prefix + 'a'.repeat(SOCIAL_URL_MAX_LENGTH - prefix.length))).toBeNull();
    expect(checkSocialUrl('website', prefix + 'a'.repeat(SOCIAL_URL_MAX_LENGTH - prefix.length + 1))).toBe(
      'Website must be at most 300 characters',
    );
  });
});

describe('socialsSchema', () => {
  it('accepts the seed socials', () => {
    const socials = {
      github: 'https://github.com/tester',
      twitter: 'https://twitter.com/tester',
      linkedin: 'https://linkedin.com/tester',
      website: 'https://mywebsite.com',
    };
    expect(socialsSchema.parse(socials)).toEqual(socials);
  });

  it('accepts a partial update; null or an empty string clears a link', () => {
    expect(socialsSchema.parse({ github: null, website: '' })).toEqual({ github: null, website: null });
    expect(socialsSchema.parse({})).toEqual({});
  });

  it('reports the failing link at its path', () => {
    const result = socialsSchema.safeParse({ twitter: 'https://github.com/tester' });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['twitter'],
      message: 'Twitter link must be on twitter.com or x.com',
    });
  });

  it('rejects unknown networks', () => {
    expect(socialsSchema.safeParse({ facebook: 'https://facebook.com/x' }).success).toBe(false);
  });
});
