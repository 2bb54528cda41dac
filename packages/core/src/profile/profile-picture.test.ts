import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkProfilePictureUrl,
  MAX_PROFILE_PICTURES,
  PROFILE_PICTURE_URL_MAX_LENGTH,
  profilePictureUrlSchema,
  profilePictureUrlsSchema,
} from './profile-picture.js';

const ok = 'https://cdn.example.com/avatars/alice.png';

describe('checkProfilePictureUrl', () => {
  it('accepts https image URLs with any of the allowed extensions, in any case', () => {
    for (const extension of ['jpg', 'jpeg', 'png', 'gif', 'webp', 'JPG', 'Png', 'WEBP']) {
      expect(checkProfilePictureUrl(`https://images.example.com/a/b.${extension}`)).toBeNull();
    }
    expect(checkProfilePictureUrl(ok)).toBeNull();
  });

  it('ignores the query string and fragment when checking the extension', () => {
    expect(checkProfilePictureUrl('https://cdn.example.com/a.jpg?w=200#top')).toBeNull();
    expect(checkProfilePictureUrl('https://cdn.example.com/a.php?file=a.jpg')).toMatch(/must end in/);
  });

  it('accepts internationalised domain names', () => {
    expect(checkProfilePictureUrl('https://bücher.de/cover.jpg')).toBeNull();
  });

  it('rejects other schemes', () => {
    expect(checkProfilePictureUrl('http://cdn.example.com/a.png')).toBe('Profile picture URL must use https');
    for (const url of [
      'ftp://cdn.example.com/a.png',
      'data:image/png;base64,AAAA.png',
      'javascript:alert(1)//.png',
    ]) {
      expect(checkProfilePictureUrl(url)).not.toBeNull();
    }
  });

  it('rejects paths without an image extension', () => {
    for (const url of [
      'https://cdn.example.com/a',
      'https://cdn.example.com/a.svg',
      'https://cdn.example.com/a.png/',
      'https://cdn.example.com/a.pngx',
    ]) {
      expect(checkProfilePictureUrl(url)).toBe(
        'Profile picture URL must end in .jpg, .jpeg, .png, .gif, .webp',
      );
    }
  });

  it('accepts 500 characters and rejects 501', () => {
    const prefix = 'https://cdn.example.com/';
    const at = (length: number) => `${prefix}${'a'.repeat(length - prefix.length - 4)}.png`;
    expect(at(PROFILE_PICTURE_URL_MAX_LENGTH)).toHaveLength(500);
    expect(checkProfilePictureUrl(at(500))).toBeNull();
    expect(checkProfilePictureUrl(at(501))).toBe('Profile picture URL must be at most 500 characters');
  });

  it('rejects a user-info part', () => {
    expect(checkProfilePictureUrl('https://user:secret@cdn.example.com/a.png')).toBe(
      'Profile picture URL must not contain a username or password',
    );
    expect(checkProfilePictureUrl('https://user@cdn.example.com/a.png')).not.toBeNull();
  });

  it('rejects IP literals in every spelling', () => {
    for (const host of [
      '127.0.0.1',
      '0x7f.1',
      '2130706433',
      '0177.0.0.1',
      '127.1',
      '0x7f000001',
      '10.0.0.1',
      '169.254.169.254',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '[fd00::1]',
    ]) {
      expect(checkProfilePictureUrl(`https://${host}/a.png`)).toBe(
        'Profile picture URL must use a domain name, not an IP address',
      );
    }
  });

  it('rejects localhost and private-network names', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      'localhost.',
      'app.localhost',
      'printer.local',
      'metadata.google.internal',
      'nas.home.arpa',
    ]) {
      expect(checkProfilePictureUrl(`https://${host}/a.png`)).toBe(
        'Profile picture URL must not point to localhost or a private network name',
      );
    }
  });

  it('rejects single-label hosts and malformed labels', () => {
    for (const host of ['intranet-cdn', 'cdn', 'a_b.example.com', '-bad.example.com']) {
      expect(checkProfilePictureUrl(`https://${host}/a.png`)).toBe(
        'Profile picture URL must use a fully qualified public domain name',
      );
    }
  });

  it('rejects an explicit port', () => {
    expect(checkProfilePictureUrl('https://cdn.example.com:8443/a.png')).toBe(
      'Profile picture URL must not specify a port',
    );
  });

  it('rejects strings that are not absolute URLs', () => {
    for (const url of ['', 'cdn.example.com/a.png', '/a.png', 'https://', 'https://exa mple.com/a.png']) {
      expect(checkProfilePictureUrl(url)).not.toBeNull();
    }
  });

  it('rejects every IPv4 literal, including the non-dotted-decimal forms (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended()), (ip) => {
        expect(checkProfilePictureUrl(`https://${ip}/a.png`)).not.toBeNull();
      }),
    );
  });

  it('rejects every IPv6 literal (property)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(checkProfilePictureUrl(`https://[${ip}]/a.png`)).not.toBeNull();
        expect(checkProfilePictureUrl(`https://${ip}/a.png`)).not.toBeNull();
      }),
    );
  });
});

describe('profilePictureUrlSchema', () => {
  it('trims and accepts a valid URL', () => {
    expect(profilePictureUrlSchema.parse(`  ${ok} `)).toBe(ok);
  });

  it('reports the failed rule', () => {
    expect(profilePictureUrlSchema.safeParse('http://cdn.example.com/a.png').error?.issues[0]?.message).toBe(
      'Profile picture URL must use https',
    );
  });
});

describe('profilePictureUrlsSchema', () => {
  it('accepts 0 to 5 URLs in order and rejects 6', () => {
    const urls = Array.from({ length: 6 }, (_, i) => `https://cdn.example.com/${i}.png`);
    expect(profilePictureUrlsSchema.parse([])).toEqual([]);
    expect(profilePictureUrlsSchema.parse(urls.slice(0, MAX_PROFILE_PICTURES))).toEqual(urls.slice(0, 5));
    expect(profilePictureUrlsSchema.safeParse(urls).error?.issues[0]?.message).toBe(
      'A profile can have at most 5 pictures',
    );
  });

  it('reports a bad entry at its index', () => {
    const result = profilePictureUrlsSchema.safeParse([ok, 'https://localhost/a.png']);
    expect(result.error?.issues[0]?.path).toEqual([1]);
  });
});
