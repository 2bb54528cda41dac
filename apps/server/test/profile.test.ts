import {
  LIMITED_PUBLIC_PROFILE_FIELDS,
  normalizeTagKey,
  type ProfileUpdateInput,
  PUBLIC_PROFILE_FIELDS,
  tagColor,
} from '@userhub/core';
import type { UserhubClient } from '@userhub/sdk';
import { describe, expect, it } from 'vitest';
import { expectError, MINUTE_MS, newPhoneNumber, SECOND_MS, useTestServer } from './harness.js';
import { ALICE_SEED_UPDATE, expectFull, idsOf, uniqueMarker } from './helpers.js';

/**
 * The clock is moved by hand: presence windows and list ordering are tested without sleeping.
 * Mail and SMS sinks let a test verify an email address and a phone number the way a user does.
 */
const server = useTestServer({ clock: true, mail: true, sms: true });
const { clock } = server;

/** Sends an input the types would refuse (the point of the test), and returns the error. */
function rejectedUpdate(client: UserhubClient, input: unknown) {
  return expectError(client.profile.update.mutate(input as ProfileUpdateInput));
}

describe('profile.me', () => {
  it('returns the fresh account: completeness, no tags, zero stats, four achievements, presence, strength', async () => {
    const user = await server.users.signUp({ firstName: 'Ada', lastName: 'Lovelace' });
    const me = await user.client.profile.me.query();
    expect(me.id).toBe(user.id);
    expect(me.email).toBe(user.email);
    // Only "full name" of the ten completeness items is present.
    expect(me.profileCompleteness).toBe(10);
    expect(me.tags).toEqual([]);
    expect(me.stats).toEqual({ followers: 0, following: 0, posts: 0, shops: 0, events: 0 });
    expect(me.achievements.map(({ type, value, total }) => ({ type, value, total }))).toEqual([
      { type: 'five-star', value: 0, total: 20 },
      { type: 'referral', value: 0, total: 10 },
      { type: 'review', value: 0, total: 60 },
      { type: 'squad', value: 0, total: 10 },
    ]);
    expect(me.presence).toBe('ONLINE');
    expect(me.securityStrength).toMatchObject({
      score: 15,
      level: 'VERY_WEAK',
      recommendations: [
        'Verify your email address',
        'Verify your phone number',
        'Enable two-factor authentication',
      ],
    });
    expect(me.twoFactor).toEqual({ enabled: false, method: null });
    expect(me.contact).toEqual({ country: null, state: null, city: null, address: null, phone: null });
    expect(me.isAccountLocked).toBe(false);
  });

  it('shows referral progress: each sign-up with the referral code moves the referral achievement', async () => {
    const referrer = await server.users.signUp();
    const { referralCode } = await referrer.client.profile.me.query();
    await server.users.signUp({ referralCode });
    await server.users.signUp({ referralCode });
    const me = await referrer.client.profile.me.query();
    expect(me.achievements.find((a) => a.type === 'referral')).toMatchObject({ value: 2, total: 10 });
    expect(me.achievements.find((a) => a.type === 'five-star')?.value).toBe(0);
  });

  it('computes security strength from the stored account state', async () => {
    const user = await server.users.signUp();
    await server.users.verifyEmail(user);
    await server.users.verifyPhone(user, newPhoneNumber());
    const me = await user.client.profile.me.query();
    expect(me.securityStrength).toMatchObject({
      score: 65,
      level: 'MEDIUM',
      recommendations: ['Enable two-factor authentication'],
    });
  });

  it('reports presence: OFFLINE after five idle minutes, ONLINE again once a session is used', async () => {
    const owner = await server.users.signUp();
    const viewer = await server.users.signUp();
    expect(expectFull(await viewer.client.profile.byId.query({ userId: owner.id })).presence).toBe('ONLINE');

    clock.advance(6 * MINUTE_MS);
    expect(expectFull(await viewer.client.profile.byId.query({ userId: owner.id })).presence).toBe('OFFLINE');

    expect((await owner.client.profile.me.query()).presence).toBe('ONLINE');
    expect(expectFull(await viewer.client.profile.byId.query({ userId: owner.id })).presence).toBe('ONLINE');
  });

  it('requires a session', async () => {
    const error = await expectError(server.client().profile.me.query());
    expect(error.code).toBe('UNAUTHORIZED');
  });
});

describe('profile.update', () => {
  it("maps the classic seed's Alice update and scores her profile completeness 90 (all but a picture)", async () => {
    const user = await server.users.signUp({ firstName: 'Someone', lastName: 'Else' });
    const me = await user.client.profile.update.mutate(ALICE_SEED_UPDATE);
    expect(me.profileCompleteness).toBe(90);
    expect(me).toMatchObject({
      firstName: 'Alice',
      lastName: 'Bob',
      headline: 'Software Engineer',
      bio: 'Builds software Products',
      about: ALICE_SEED_UPDATE.about,
      availability: 'available',
      contact: ALICE_SEED_UPDATE.contact,
      socials: ALICE_SEED_UPDATE.socials,
      profilePictureUrls: [],
    });
    expect(me.tags.map((t) => t.key)).toEqual(ALICE_SEED_UPDATE.tags);
    // The email is never touched by a profile update.
    expect(me.email).toBe(user.email);
    // Stored: a fresh read agrees with the update's answer.
    const again = await user.client.profile.me.query();
    expect(again.profileCompleteness).toBe(90);
    expect(again.tags.map((t) => t.name)).toEqual(ALICE_SEED_UPDATE.tags);
    // Others see the same score (the stored value, which the list filters on).
    expect(
      expectFull(await server.client().profile.byId.query({ userId: user.id })).profileCompleteness,
    ).toBe(90);

    // The tenth item: one picture makes the profile complete.
    const complete = await user.client.profile.update.mutate({
      profilePictureUrls: ['https://cdn.example.com/alice.png'],
    });
    expect(complete.profileCompleteness).toBe(100);
  });

  it('accepts every field of SPEC §7 in one input and stores each of them', async () => {
    const user = await server.users.signUp();
    const tag = uniqueMarker('tag');
    const input = {
      firstName: 'Grace',
      lastName: 'Hopper',
      middleName: 'Brewster',
      headline: 'Rear admiral',
      bio: 'Wrote the first compiler',
      about: 'Programming languages\nand\tCOBOL',
      location: 'Arlington, Virginia',
      availability: 'limited',
      isPrivate: true,
      contact: {
        country: 'United States',
        state: 'Virginia',
        city: 'Arlington',
        address: '1 Navy Way',
        phone: '+1 (202) 555-0143',
      },
      socials: {
        github: 'https://www.github.com/grace',
        twitter: 'https://x.com/grace',
        linkedin: 'https://www.linkedin.com/in/grace',
        website: 'http://grace.example.org/home',
      },
      tags: [`${tag}-a`, `${tag}-b`],
      profilePictureUrls: ['https://cdn.example.com/grace.webp', 'https://img.example.net/p/2.JPEG'],
    } satisfies ProfileUpdateInput;
    const updated = await user.client.profile.update.mutate(input);
    const me = await user.client.profile.me.query();
    for (const profile of [updated, me]) {
      expect(profile).toMatchObject({
        firstName: 'Grace',
        lastName: 'Hopper',
        middleName: 'Brewster',
        headline: 'Rear admiral',
        bio: 'Wrote the first compiler',
        about: 'Programming languages\nand\tCOBOL',
        location: 'Arlington, Virginia',
        availability: 'limited',
        isPrivate: true,
        // The phone is stored normalised to E.164.
        contact: { ...input.contact, phone: '+12025550143' },
        socials: input.socials,
        profilePictureUrls: input.profilePictureUrls,
        profileCompleteness: 100,
      });
      expect(profile.tags.map((t) => t.name)).toEqual(input.tags);
    }
    expect(me.updatedAt.getTime()).toBeGreaterThanOrEqual(me.createdAt.getTime());
  });

  it('stores text as given, never interpreting it as HTML', async () => {
    const user = await server.users.signUp();
    const headline = '<b>bold</b> & <script>alert(1)</script>';
    const me = await user.client.profile.update.mutate({ headline });
    expect(me.headline).toBe(headline);
    expect(expectFull(await server.client().profile.byId.query({ userId: user.id })).headline).toBe(headline);
  });

  it('treats contact and socials as partial: updating contact.city keeps contact.country', async () => {
    const user = await server.users.signUp();
    await user.client.profile.update.mutate(ALICE_SEED_UPDATE);
    const me = await user.client.profile.update.mutate({
      contact: { city: 'Leeds' },
      socials: { twitter: 'https://x.com/alice' },
    });
    expect(me.contact).toEqual({ ...ALICE_SEED_UPDATE.contact, city: 'Leeds' });
    expect(me.socials).toEqual({ ...ALICE_SEED_UPDATE.socials, twitter: 'https://x.com/alice' });
    // Fields not sent at all are untouched too.
    expect(me.headline).toBe(ALICE_SEED_UPDATE.headline);
    expect(me.tags).toHaveLength(ALICE_SEED_UPDATE.tags.length);
  });

  it('clears optional fields with null or an empty string, and completeness drops with them', async () => {
    const user = await server.users.signUp();
    await user.client.profile.update.mutate(ALICE_SEED_UPDATE);
    const me = await user.client.profile.update.mutate({
      headline: null,
      bio: '',
      contact: { address: null },
      socials: { github: null, twitter: null, linkedin: null, website: '' },
      tags: [],
    });
    expect(me).toMatchObject({ headline: null, bio: null, tags: [] });
    expect(me.contact.address).toBeNull();
    expect(me.contact.country).toBe('England');
    expect(me.socials).toEqual({ github: null, twitter: null, linkedin: null, website: null });
    // Left: full name, about, location (country + city), phone.
    expect(me.profileCompleteness).toBe(40);
  });

  describe('tags', () => {
    it('are normalised shared records with a deterministic colour and a live entryCount', async () => {
      const marker = uniqueMarker('tag');
      const first = await server.users.signUp();
      const second = await server.users.signUp();

      const mine = await first.client.profile.update.mutate({
        tags: [`  Web   Dev ${marker} `, `Rust ${marker}`],
      });
      const [webDev, rust] = mine.tags;
      expect(webDev).toMatchObject({
        name: `Web   Dev ${marker}`,
        key: `web dev ${marker}`,
        color: tagColor(`web dev ${marker}`),
        categories: [],
        isParent: false,
        type: '',
        entryCount: 1,
      });
      expect(webDev!.color).toMatch(/^#[0-9A-F]{6}$/);
      expect(webDev!.createdAt).toBeInstanceOf(Date);
      expect(rust).toMatchObject({ key: `rust ${marker}`, entryCount: 1 });

      // Another spelling of the same key is the same record, counted twice.
      const theirs = await second.client.profile.update.mutate({ tags: [`web dev ${marker.toUpperCase()}`] });
      expect(theirs.tags).toHaveLength(1);
      expect(theirs.tags[0]).toMatchObject({
        id: webDev!.id,
        key: webDev!.key,
        color: webDev!.color,
        entryCount: 2,
      });
      const reread = await first.client.profile.me.query();
      expect(reread.tags.find((t) => t.id === webDev!.id)?.entryCount).toBe(2);
      expect(reread.tags.find((t) => t.id === rust!.id)?.entryCount).toBe(1);

      // The count is live: dropping the tag lowers it for everyone.
      await second.client.profile.update.mutate({ tags: [`Go ${marker}`] });
      const afterDrop = await first.client.profile.me.query();
      expect(afterDrop.tags.find((t) => t.id === webDev!.id)?.entryCount).toBe(1);
    });

    it('survive many users creating the same new tags at once, in opposite orders', async () => {
      const users = await Promise.all(Array.from({ length: 16 }, () => server.users.signUp()));
      // On PostgreSQL, inserting shared new keys in opposite orders is how two transactions
      // deadlock; a few rounds make the interleaving that triggers it near certain.
      for (let round = 0; round < 10; round += 1) {
        const marker = uniqueMarker('tag');
        const names = Array.from({ length: 20 }, (_, i) => `c${i} ${marker}`);
        const orders = users.map((_, i) => (i % 2 === 0 ? names : [...names].reverse()));
        const outcomes = await Promise.allSettled(
          users.map((user, i) => user.client.profile.update.mutate({ tags: orders[i]! })),
        );
        expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
        const [even, odd] = [
          await users[0]!.client.profile.me.query(),
          await users[1]!.client.profile.me.query(),
        ];
        expect(even.tags.map((t) => t.name)).toEqual(names);
        expect(odd.tags.map((t) => t.name)).toEqual([...names].reverse());
        expect(even.tags.every((t) => t.entryCount === users.length)).toBe(true);
      }
      // Sixteen sign-ups (argon2 each) and rounds of contended transactions: give a loaded machine time.
    }, 120_000);

    it('keep the chosen order, drop duplicates by key (first spelling wins) and show in the public view', async () => {
      const marker = uniqueMarker('tag');
      const user = await server.users.signUp();
      const me = await user.client.profile.update.mutate({
        tags: [`Zeta ${marker}`, `React ${marker}`, `react  ${marker} `, `Alpha ${marker}`],
      });
      expect(me.tags.map((t) => t.name)).toEqual([`Zeta ${marker}`, `React ${marker}`, `Alpha ${marker}`]);
      expect(me.tags.map((t) => t.key)).toEqual(me.tags.map((t) => normalizeTagKey(t.name)));
      const view = expectFull(await server.client().profile.byId.query({ userId: user.id }));
      expect(view.tags).toEqual(me.tags);
    });

    it('refuses more than 20 tags and an empty or over-long tag, naming the field', async () => {
      const user = await server.users.signUp();
      const tooMany = await rejectedUpdate(user.client, {
        tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
      });
      expect(tooMany.code).toBe('BAD_REQUEST');
      expect(tooMany.fieldErrors.tags?.join(' ')).toMatch(/at most 20/);
      const empty = await rejectedUpdate(user.client, { tags: ['ok', '   '] });
      expect(empty.fieldErrors['tags.1']?.join(' ')).toMatch(/empty/);
      const long = await rejectedUpdate(user.client, { tags: ['x'.repeat(41)] });
      expect(long.fieldErrors['tags.0']?.join(' ')).toMatch(/at most 40/);
      expect((await user.client.profile.me.query()).tags).toEqual([]);
    });
  });

  describe('profile pictures', () => {
    it('keeps up to five in order; the first is the public profilePictureUrl', async () => {
      const user = await server.users.signUp();
      const urls = [1, 2, 3, 4, 5].map(
        (n) => `https://cdn.example.com/u/${n}.${n % 2 === 0 ? 'PNG' : 'gif'}`,
      );
      const me = await user.client.profile.update.mutate({ profilePictureUrls: urls });
      expect(me.profilePictureUrls).toEqual(urls);
      const view = expectFull(await server.client().profile.byId.query({ userId: user.id }));
      expect(view.profilePictureUrl).toBe(urls[0]);
      expect(view.profilePictureUrls).toEqual(urls);

      const sixth = await rejectedUpdate(user.client, {
        profilePictureUrls: [...urls, 'https://cdn.example.com/u/6.png'],
      });
      expect(sixth.code).toBe('BAD_REQUEST');
      expect(sixth.fieldErrors.profilePictureUrls?.join(' ')).toMatch(/at most 5/);

      const reordered = await user.client.profile.update.mutate({ profilePictureUrls: [urls[2]!, urls[0]!] });
      expect(reordered.profilePictureUrls).toEqual([urls[2], urls[0]]);
      expect((await server.client().profile.byId.query({ userId: user.id })).profilePictureUrl).toBe(urls[2]);
    });

    it.each([
      ['plain http', 'http://cdn.example.com/a.png', /https/],
      ['an IPv4 literal', 'https://169.254.169.254/latest/a.png', /IP address/],
      ['an IPv4 literal in hex', 'https://0x7f000001/a.png', /IP address/],
      ['an IPv6 literal', 'https://[::1]/a.png', /IP address/],
      ['localhost', 'https://localhost/a.png', /localhost/],
      ['a single-label host', 'https://intranet/a.png', /domain name|private network/],
      ['a user-info part', 'https://user:secret@cdn.example.com/a.png', /username or password/],
      ['an explicit port', 'https://cdn.example.com:8443/a.png', /port/],
      ['a non-image path', 'https://cdn.example.com/a.svg', /must end in/],
      ['a javascript: URL', 'javascript:alert(1)//a.png', /https/],
      ['over 500 characters', `https://cdn.example.com/${'a'.repeat(480)}.png`, /at most 500/],
    ])('refuses %s (the SSRF guard) and keeps the stored pictures', async (_what, url, rule) => {
      const user = await server.users.signUp();
      const good = 'https://cdn.example.com/good.png';
      await user.client.profile.update.mutate({ profilePictureUrls: [good] });
      const error = await rejectedUpdate(user.client, { profilePictureUrls: [good, url] });
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.reason).toBe('VALIDATION_FAILED');
      expect(error.fieldErrors['profilePictureUrls.1']?.join(' ')).toMatch(rule);
      expect((await user.client.profile.me.query()).profilePictureUrls).toEqual([good]);
    });
  });

  describe('rejections', () => {
    it.each([
      ['role', { role: 'admin' }, 'role'],
      ['email', { email: 'takeover@example.com' }, 'email'],
      ['id', { id: '00000000-0000-4000-8000-000000000000' }, 'id'],
      ['emailVerified', { emailVerified: true }, 'emailVerified'],
      ['a nested unknown key', { contact: { city: 'Leeds', zip: 'LS1' } }, 'contact.zip'],
    ])(
      'refuses an unknown key (%s) with BAD_REQUEST naming it, and changes nothing',
      async (_what, extra, path) => {
        const user = await server.users.signUp();
        const before = await user.client.profile.me.query();
        const error = await rejectedUpdate(user.client, { headline: 'Should not land', ...extra });
        expect(error.code).toBe('BAD_REQUEST');
        expect(error.reason).toBe('VALIDATION_FAILED');
        expect(Object.keys(error.fieldErrors)).toEqual([path]);
        const after = await user.client.profile.me.query();
        expect(after).toEqual(before);
        expect(after.role).toBe('user');
        expect(after.email).toBe(user.email);
        expect(after.emailVerified).toBe(false);
      },
    );

    it.each([
      ['firstName', { firstName: '   ' }, 'firstName', /required/],
      ['lastName', { lastName: 'x'.repeat(31) }, 'lastName', /at most 30/],
      ['middleName', { middleName: 'x'.repeat(31) }, 'middleName', /at most 30/],
      ['headline', { headline: 'x'.repeat(101) }, 'headline', /at most 100/],
      ['headline control characters', { headline: 'a\u0000b' }, 'headline', /control characters/],
      ['headline line break', { headline: 'one\ntwo' }, 'headline', /control characters/],
      ['bio', { bio: 'x'.repeat(1001) }, 'bio', /at most 1000/],
      ['about', { about: 'x'.repeat(5001) }, 'about', /at most 5000/],
      ['location', { location: 'x'.repeat(121) }, 'location', /at most 120/],
      ['availability', { availability: 'busy' }, 'availability', /available, limited, unavailable/],
      ['isPrivate', { isPrivate: 'yes' }, 'isPrivate', /true or false/],
      [
        'contact.phone format',
        { contact: { phone: '07700 900123' } },
        'contact.phone',
        /international format/,
      ],
      ['contact.phone number', { contact: { phone: '+44123' } }, 'contact.phone', /phone number|too short/i],
      ['contact.country', { contact: { country: 'x'.repeat(101) } }, 'contact.country', /at most 100/],
      ['contact.address', { contact: { address: 'x'.repeat(201) } }, 'contact.address', /at most 200/],
      ['socials.github', { socials: { github: 'https://gitlab.com/a' } }, 'socials.github', /github\.com/],
      ['socials.twitter', { socials: { twitter: 'https://facebook.com/a' } }, 'socials.twitter', /x\.com/],
      [
        'socials.linkedin',
        { socials: { linkedin: 'https://linked.in/a' } },
        'socials.linkedin',
        /linkedin\.com/,
      ],
      ['socials.website', { socials: { website: 'javascript:alert(1)' } }, 'socials.website', /http/],
      ['tags', { tags: 'rust' }, 'tags', /list/],
      [
        'profilePictureUrls',
        { profilePictureUrls: 'https://a.example.com/a.png' },
        'profilePictureUrls',
        /list/,
      ],
    ])(
      'refuses an invalid %s with BAD_REQUEST naming the field path and the rule',
      async (_what, input, path, rule) => {
        const user = await server.users.signUp();
        const error = await rejectedUpdate(user.client, input);
        expect(error.code).toBe('BAD_REQUEST');
        expect(error.reason).toBe('VALIDATION_FAILED');
        expect(Object.keys(error.fieldErrors)).toEqual([path]);
        expect(error.fieldErrors[path]!.join(' ')).toMatch(rule);
      },
    );

    it('reports every invalid field of one input at once', async () => {
      const user = await server.users.signUp();
      const error = await rejectedUpdate(user.client, {
        firstName: '',
        headline: 'x'.repeat(101),
        contact: { phone: 'call me' },
        socials: { github: 'https://example.com/me' },
        profilePictureUrls: ['https://127.0.0.1/a.png'],
      });
      expect(Object.keys(error.fieldErrors).sort()).toEqual(
        ['contact.phone', 'firstName', 'headline', 'profilePictureUrls.0', 'socials.github'].sort(),
      );
    });

    it('writes nothing when one field is invalid: the valid fields beside it do not land either', async () => {
      const user = await server.users.signUp();
      await user.client.profile.update.mutate({
        headline: 'Original headline',
        tags: [uniqueMarker('keep')],
        contact: { city: 'York' },
      });
      const before = await user.client.profile.me.query();
      clock.advance(SECOND_MS);

      const error = await rejectedUpdate(user.client, {
        headline: 'New headline',
        bio: 'A new bio',
        tags: ['replaced'],
        contact: { city: 'Leeds', phone: 'not a phone' },
      });
      expect(error.fieldErrors['contact.phone']).toBeDefined();

      const after = await user.client.profile.me.query();
      expect(after.headline).toBe('Original headline');
      expect(after.bio).toBeNull();
      expect(after.contact.city).toBe('York');
      expect(after.tags).toEqual(before.tags);
      expect(after.updatedAt).toEqual(before.updatedAt);
      expect(after.profileCompleteness).toBe(before.profileCompleteness);
    });

    it('requires a session', async () => {
      const error = await expectError(server.client().profile.update.mutate({ headline: 'x' }));
      expect(error.code).toBe('UNAUTHORIZED');
    });
  });
});

describe('public views: profile.byId and profile.byUsername', () => {
  it('are readable without a session, with no relationship, bookmark or own-profile flag', async () => {
    const user = await server.users.signUp();
    await user.client.profile.update.mutate({ headline: 'Public headline' });
    const view = expectFull(await server.client().profile.byId.query({ userId: user.id }));
    expect(view).toMatchObject({
      id: user.id,
      userName: user.userName,
      headline: 'Public headline',
      isOwnProfile: false,
      relationship: null,
      bookmarkId: null,
    });
    expect(view.stats).toEqual({ followers: 0, following: 0, posts: 0, shops: 0, events: 0 });
  });

  it('find a user by username with a leading @ and in any case', async () => {
    const user = await server.users.signUp();
    const withAt = await server.client().profile.byUsername.query({ username: `@${user.userName}` });
    const upper = await server.client().profile.byUsername.query({ username: user.userName.toUpperCase() });
    expect(withAt.id).toBe(user.id);
    expect(upper.id).toBe(user.id);
    expect(withAt.userName).toBe(user.userName);
  });

  it('never contain the owner’s email, phone or street address, for any viewer, on the wire either', async () => {
    const owner = await server.users.signUp();
    const viewer = await server.users.signUp();
    await owner.client.profile.update.mutate({
      ...ALICE_SEED_UPDATE,
      profilePictureUrls: ['https://cdn.example.com/a.png'],
    });
    const verifiedPhone = newPhoneNumber();
    await server.users.verifyPhone(owner, verifiedPhone);
    const secrets = [
      owner.email,
      owner.email.split('@')[0]!,
      ALICE_SEED_UPDATE.contact.phone,
      '1234567898',
      verifiedPhone,
      verifiedPhone.slice('+44'.length),
      ALICE_SEED_UPDATE.contact.address,
      'alice bob blvd',
    ];
    const forbiddenKeys = [
      'email',
      'phoneNumber',
      'phone',
      'contact',
      'address',
      'twoFactor',
      'securityStrength',
    ];

    const views = [
      await server.client().profile.byId.query({ userId: owner.id }),
      await viewer.client.profile.byId.query({ userId: owner.id }),
      await owner.client.profile.byId.query({ userId: owner.id }),
      await viewer.client.profile.byUsername.query({ username: owner.userName }),
      ...(await viewer.client.profile.list.query({ search: owner.userName })).items.filter(
        (v) => v.id === owner.id,
      ),
    ];
    expect(views).toHaveLength(5);
    for (const view of views) {
      const text = JSON.stringify(view);
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const key of Object.keys(view)) expect(PUBLIC_PROFILE_FIELDS).toContain(key);
      for (const key of forbiddenKeys) expect(view).not.toHaveProperty(key);
      expect(expectFull(view).headline).toBe(ALICE_SEED_UPDATE.headline);
    }

    const wire = [
      await server.http.trpcQuery('profile.byId', { userId: owner.id }),
      await server.http.trpcQuery('profile.byUsername', { username: `@${owner.userName}` }, viewer.token),
      await server.http.trpcQuery('profile.list', { search: owner.userName }, viewer.token),
    ];
    for (const { status, text } of wire) {
      expect(status).toBe(200);
      expect(text).toContain(owner.id);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('mark the own profile: isOwnProfile true and relationship null; others get the four booleans', async () => {
    const owner = await server.users.signUp();
    const viewer = await server.users.signUp();
    const own = await owner.client.profile.byId.query({ userId: owner.id });
    expect(own.isOwnProfile).toBe(true);
    expect(own.relationship).toBeNull();
    const other = await viewer.client.profile.byUsername.query({ username: owner.userName });
    expect(other.isOwnProfile).toBe(false);
    expect(other.relationship).toEqual({
      isFollowing: false,
      isFollowedBy: false,
      isBlocked: false,
      isBlockedBy: false,
    });
  });

  it('answer NOT_FOUND for an unknown id or username', async () => {
    const byId = await expectError(
      server.client().profile.byId.query({ userId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(byId.code).toBe('NOT_FOUND');
    const byName = await expectError(
      server.client().profile.byUsername.query({ username: uniqueMarker('nobody') }),
    );
    expect(byName.code).toBe('NOT_FOUND');
  });

  it('answer NOT_FOUND for a deactivated user, to strangers and to followers alike', async () => {
    const owner = await server.users.signUp();
    const follower = await server.users.signUp();
    await follower.client.social.follow.mutate({ userId: owner.id });
    expect((await server.client().profile.byId.query({ userId: owner.id })).id).toBe(owner.id);

    await server.users.deactivate(owner);
    for (const client of [server.client(), follower.client]) {
      expect((await expectError(client.profile.byId.query({ userId: owner.id }))).code).toBe('NOT_FOUND');
      expect((await expectError(client.profile.byUsername.query({ username: owner.userName }))).code).toBe(
        'NOT_FOUND',
      );
    }
  });

  it('refuse a malformed id or username with BAD_REQUEST', async () => {
    const badId = await expectError(server.client().profile.byId.query({ userId: 'not-a-uuid' }));
    expect(badId.code).toBe('BAD_REQUEST');
    expect(badId.fieldErrors.userId).toBeDefined();
    const badName = await expectError(server.client().profile.byUsername.query({ username: '@1x' }));
    expect(badName.code).toBe('BAD_REQUEST');
    expect(badName.fieldErrors.username).toBeDefined();
  });

  it('show a private profile to others only as the limited card: name, username, picture', async () => {
    const owner = await server.users.signUp();
    const viewer = await server.users.signUp();
    await owner.client.profile.update.mutate({
      ...ALICE_SEED_UPDATE,
      isPrivate: true,
      profilePictureUrls: ['https://cdn.example.com/private.png', 'https://cdn.example.com/second.png'],
    });

    for (const client of [server.client(), viewer.client]) {
      for (const view of [
        await client.profile.byId.query({ userId: owner.id }),
        await client.profile.byUsername.query({ username: `@${owner.userName}` }),
      ]) {
        expect(view.visibility).toBe('limited');
        expect(Object.keys(view).sort()).toEqual([...LIMITED_PUBLIC_PROFILE_FIELDS].sort());
        expect(view).toMatchObject({
          id: owner.id,
          userName: owner.userName,
          firstName: 'Alice',
          lastName: 'Bob',
          profilePictureUrl: 'https://cdn.example.com/private.png',
          isOwnProfile: false,
        });
        const text = JSON.stringify(view);
        expect(text).not.toContain(ALICE_SEED_UPDATE.headline);
        expect(text).not.toContain('second.png');
        expect(text).not.toContain('product');
      }
    }
    // The owner still sees the full view of their own profile.
    const own = expectFull(await owner.client.profile.byId.query({ userId: owner.id }));
    expect(own.isPrivate).toBe(true);
    expect(own.headline).toBe(ALICE_SEED_UPDATE.headline);

    // Turning privacy off shows the full profile again.
    await owner.client.profile.update.mutate({ isPrivate: false });
    expect(expectFull(await viewer.client.profile.byId.query({ userId: owner.id })).headline).toBe(
      ALICE_SEED_UPDATE.headline,
    );
  });
});

describe('profile.list', () => {
  /** Signs up users whose headline carries `marker`, one clock second apart (so newest-first is checkable). */
  async function usersWithMarker(marker: string, count: number) {
    const users = [];
    for (let i = 0; i < count; i += 1) {
      clock.advance(SECOND_MS);
      const user = await server.users.signUp();
      await user.client.profile.update.mutate({ headline: `Listed ${marker} #${i}` });
      users.push(user);
    }
    return users;
  }

  it('pages from 1 with a default limit of 12, newest first, with no duplicates across pages', async () => {
    const marker = uniqueMarker();
    const users = await usersWithMarker(marker, 13);
    const newestFirst = idsOf(users).reverse();

    const first = await server.client().profile.list.query({ search: marker });
    expect(first).toMatchObject({ page: 1, limit: 12, total: 13, pages: 2 });
    expect(idsOf(first.items)).toEqual(newestFirst.slice(0, 12));

    const pages = [];
    for (let page = 1; page <= 3; page += 1) {
      const result = await server.client().profile.list.query({ search: marker, limit: 5, page });
      expect(result).toMatchObject({ page, limit: 5, total: 13, pages: 3 });
      pages.push(idsOf(result.items));
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 3]);
    expect(pages[1]).toEqual(newestFirst.slice(5, 10));
    const all = pages.flat();
    expect(new Set(all).size).toBe(13);
    expect(all).toEqual(newestFirst);

    const beyond = await server.client().profile.list.query({ search: marker, limit: 5, page: 4 });
    expect(beyond).toMatchObject({ items: [], page: 4, total: 13, pages: 3 });
  });

  it.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 101', { limit: 101 }, 'limit'],
    ['a fractional limit', { limit: 2.5 }, 'limit'],
    ['page 0', { page: 0 }, 'page'],
    ['a negative page', { page: -1 }, 'page'],
    ['completeness over 100', { completenessMin: 101 }, 'completenessMin'],
    ['a minimum above the maximum', { completenessMin: 60, completenessMax: 50 }, 'completenessMax'],
    ['an unknown filter', { owner: true }, 'owner'],
  ])('refuses %s with BAD_REQUEST', async (_what, input, path) => {
    const error = await expectError(server.client().profile.list.query(input as never));
    expect(error.code).toBe('BAD_REQUEST');
    expect(Object.keys(error.fieldErrors)).toContain(path);
  });

  it('accepts the limits 1 and 100', async () => {
    const marker = uniqueMarker();
    await usersWithMarker(marker, 2);
    const one = await server.client().profile.list.query({ search: marker, limit: 1 });
    expect(one).toMatchObject({ limit: 1, total: 2, pages: 2 });
    expect(one.items).toHaveLength(1);
    const hundred = await server.client().profile.list.query({ search: marker, limit: 100 });
    expect(hundred).toMatchObject({ limit: 100, total: 2, pages: 1 });
    expect(hundred.items).toHaveLength(2);
  });

  it('searches case-insensitively for a substring of first name, last name, username or headline', async () => {
    const marker = uniqueMarker();
    const byFirst = await server.users.signUp({ firstName: `F${marker}x` });
    const byLast = await server.users.signUp({ lastName: `L${marker}y` });
    const byUsername = await server.users.signUp({ username: `U_${marker}_z` });
    const byHeadline = await server.users.signUp();
    await byHeadline.client.profile.update.mutate({ headline: `Works on ${marker.toUpperCase()} daily` });
    const unrelated = await server.users.signUp();
    await unrelated.client.profile.update.mutate({ bio: `Mentions ${marker} only in the bio` });

    const expected = [byFirst.id, byLast.id, byUsername.id, byHeadline.id].sort();
    for (const search of [marker, marker.toUpperCase(), marker.slice(2, -2)]) {
      const result = await server.client().profile.list.query({ search });
      expect(idsOf(result.items).sort()).toEqual(expected);
      expect(result.total).toBe(4);
    }
    // LIKE wildcards in the search are literal characters.
    expect((await server.client().profile.list.query({ search: `${marker.slice(0, -1)}%` })).total).toBe(0);
    expect((await server.client().profile.list.query({ search: `${marker.slice(0, -1)}_` })).total).toBe(0);
    // A trailing backslash (LIKE's escape character) is searched for, not an error.
    expect((await server.client().profile.list.query({ search: `${marker}\\` })).total).toBe(0);
  });

  it('filters by role', async () => {
    const marker = uniqueMarker();
    const [plain, moderator] = await usersWithMarker(marker, 2);
    await server.db.grantRole(moderator!.id, 'moderator');
    const moderators = await server.client().profile.list.query({ search: marker, role: 'moderator' });
    expect(idsOf(moderators.items)).toEqual([moderator!.id]);
    expect(expectFull(moderators.items[0]!).role).toBe('moderator');
    const users = await server.client().profile.list.query({ search: marker, role: 'user' });
    expect(idsOf(users.items)).toEqual([plain!.id]);
  });

  it('filters by completeness, bounds included', async () => {
    const marker = uniqueMarker();
    const [twenty, thirty, fifty] = await usersWithMarker(marker, 3);
    await thirty!.client.profile.update.mutate({ bio: 'a bio' });
    await fifty!.client.profile.update.mutate({ bio: 'a bio', about: 'about', location: 'Paris' });
    const list = (filter: { completenessMin?: number; completenessMax?: number }) =>
      server
        .client()
        .profile.list.query({ search: marker, ...filter })
        .then((r) => idsOf(r.items).sort());

    expect(await list({ completenessMin: 30 })).toEqual([thirty!.id, fifty!.id].sort());
    expect(await list({ completenessMax: 30 })).toEqual([twenty!.id, thirty!.id].sort());
    expect(await list({ completenessMin: 30, completenessMax: 30 })).toEqual([thirty!.id]);
    expect(await list({ completenessMin: 51 })).toEqual([]);
    expect(await list({ completenessMin: 0, completenessMax: 100 })).toHaveLength(3);
  });

  it('filters a never-updated user by the completeness their own view shows', async () => {
    const marker = uniqueMarker();
    const user = await server.users.signUp({ firstName: `F${marker}` });
    // Full name only: 10, in the own view and in what others see.
    expect((await user.client.profile.me.query()).profileCompleteness).toBe(10);
    expect(
      expectFull(await server.client().profile.byId.query({ userId: user.id })).profileCompleteness,
    ).toBe(10);
    const atLeastTen = await server.client().profile.list.query({ search: marker, completenessMin: 10 });
    expect(idsOf(atLeastTen.items)).toEqual([user.id]);
    const none = await server.client().profile.list.query({ search: marker, completenessMax: 0 });
    expect(none.items).toEqual([]);
  });

  it('filters by tags, matching any of them, by normalised key', async () => {
    const marker = uniqueMarker();
    const [onlyOne, onlyTwo, both, none] = await usersWithMarker(marker, 4);
    await onlyOne!.client.profile.update.mutate({ tags: [`one ${marker}`] });
    await onlyTwo!.client.profile.update.mutate({ tags: [`two ${marker}`] });
    await both!.client.profile.update.mutate({ tags: [`two ${marker}`, `one ${marker}`] });
    await none!.client.profile.update.mutate({ tags: ['unrelated'] });

    const byOne = await server.client().profile.list.query({ tags: [`ONE   ${marker}`] });
    expect(idsOf(byOne.items).sort()).toEqual([onlyOne!.id, both!.id].sort());
    const byAny = await server.client().profile.list.query({ tags: [`one ${marker}`, `two ${marker}`] });
    expect(idsOf(byAny.items).sort()).toEqual([onlyOne!.id, onlyTwo!.id, both!.id].sort());
    expect(byAny.total).toBe(3);
    const withSearch = await server.client().profile.list.query({ search: marker, tags: [`two ${marker}`] });
    expect(idsOf(withSearch.items).sort()).toEqual([onlyTwo!.id, both!.id].sort());
  });

  it('lists only bookmarked users with bookmarkedOnly, and carries the viewer’s bookmarkId on every item', async () => {
    const marker = uniqueMarker();
    const [kept, other, alsoKept] = await usersWithMarker(marker, 3);
    const viewer = await server.users.signUp();
    const first = await viewer.client.bookmarks.add.mutate({ userId: kept!.id });
    const second = await viewer.client.bookmarks.add.mutate({ userId: alsoKept!.id });

    const all = await viewer.client.profile.list.query({ search: marker });
    const bookmarkIds = Object.fromEntries(all.items.map((item) => [item.id, item.bookmarkId]));
    expect(bookmarkIds).toEqual({
      [kept!.id]: first.bookmarkId,
      [other!.id]: null,
      [alsoKept!.id]: second.bookmarkId,
    });

    const onlyBookmarked = await viewer.client.profile.list.query({ search: marker, bookmarkedOnly: true });
    expect(idsOf(onlyBookmarked.items).sort()).toEqual([kept!.id, alsoKept!.id].sort());
    expect(onlyBookmarked.total).toBe(2);
    // Without a search, the viewer's bookmarks are still exactly these two.
    expect((await viewer.client.profile.list.query({ bookmarkedOnly: true })).total).toBe(2);

    // Someone else's bookmarks are theirs: another viewer sees no bookmarkIds.
    const stranger = await server.users.signUp();
    const strangers = await stranger.client.profile.list.query({ search: marker });
    expect(strangers.items.every((item) => item.bookmarkId === null)).toBe(true);
    expect((await stranger.client.profile.list.query({ bookmarkedOnly: true })).total).toBe(0);

    const anonymous = await expectError(server.client().profile.list.query({ bookmarkedOnly: true }));
    expect(anonymous.code).toBe('UNAUTHORIZED');
  });

  it('carries each item’s relationship to the viewer', async () => {
    const marker = uniqueMarker();
    const [followed, notFollowed] = await usersWithMarker(marker, 2);
    const viewer = await server.users.signUp();
    await viewer.client.social.follow.mutate({ userId: followed!.id });
    const result = await viewer.client.profile.list.query({ search: marker });
    const byId = new Map(result.items.map((item) => [item.id, item]));
    expect(byId.get(followed!.id)?.relationship?.isFollowing).toBe(true);
    expect(byId.get(notFollowed!.id)?.relationship?.isFollowing).toBe(false);
    expect(result.items.every((item) => item.isOwnProfile === false)).toBe(true);
  });

  it('leaves out private and deactivated users (and, for a viewer, users who blocked them)', async () => {
    const marker = uniqueMarker();
    const [visible, madePrivate, deactivated, blocker] = await usersWithMarker(marker, 4);
    const viewer = await server.users.signUp();
    await madePrivate!.client.profile.update.mutate({ isPrivate: true });
    await server.users.deactivate(deactivated!);
    await blocker!.client.social.block.mutate({ userId: viewer.id });

    const anonymous = await server.client().profile.list.query({ search: marker });
    expect(idsOf(anonymous.items).sort()).toEqual([visible!.id, blocker!.id].sort());
    expect(anonymous).toMatchObject({ total: 2, pages: 1 });

    const forViewer = await viewer.client.profile.list.query({ search: marker });
    expect(idsOf(forViewer.items)).toEqual([visible!.id]);
    expect(forViewer.total).toBe(1);
  });
});
