import { readFileSync } from 'node:fs';
import { checkPassword } from '@userhub/core';
import { describe, expect, it } from 'vitest';
import { type Answer, type HttpMethod, type Json, type RestUser, useTestServer } from './harness.js';
import { type Dialect, dialectOf, expectEnvelope } from './rest-http.js';

/**
 * Replays every request example of both seed documents over plain HTTP (SPEC §5): the
 * state each example assumes is built through the public API, the request is sent as the
 * seed shows it (live values substituted for placeholders and ids), and the answer must
 * carry the status, the dialect's envelope and every key of the seed's response example,
 * recursively, except the private keys public views deliberately withhold (which must
 * then really be absent).
 */

interface Fixture {
  readonly name: string;
  readonly version: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams: Record<string, string>;
  readonly query: Record<string, string>;
  readonly requestBody: Record<string, Json> | null;
  readonly status: number;
  readonly responseBody: Record<string, Json>;
  readonly auth: 'owner' | 'viewer' | 'none' | 'invalid';
  readonly note?: string;
  readonly supersededBy?: string;
}

function loadFixtures(file: string): Fixture[] {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as Fixture[];
}

const FIXTURE_FILES = ['classic-dialect.json', 'profile-dialect.json'].map((file) => ({
  file,
  entries: loadFixtures(file),
}));

/* ------------------------------------------------------------------ withheld keys */

type PublicView = 'classicUser' | 'profileCard';

/**
 * THE allow-list of keys a seed example shows but this service deliberately withholds
 * from public views (SPEC §4: never email, phone, street address, password or 2FA data;
 * SPEC §7: a public profile is an allow-listed subset). Where a view is replayed, each of
 * these keys is skipped in the key comparison AND asserted absent from the answer.
 */
const WITHHELD: Readonly<Record<PublicView, ReadonlyArray<{ key: string; reason: string }>>> = {
  // Another user in the classic dialect: `GET /v1/account/user/{id}` and each item of `GET /v1/account/user`.
  classicUser: [
    { key: 'email', reason: 'an email address is private (SPEC §4)' },
    {
      key: 'emailVerifiedAt',
      reason: 'account-verification detail of the owner, not part of the public allow-list',
    },
    { key: 'phoneNumber', reason: 'the (SMS) phone number is private (SPEC §4)' },
    {
      key: 'profile.contact.address',
      reason: 'the street address is private; only country/state/city are public',
    },
    { key: 'profile.contact.phone', reason: 'a contact phone is private (SPEC §4)' },
    { key: 'twoFa', reason: 'two-factor data is private (SPEC §4)' },
    { key: 'kyc', reason: 'identity-verification (KYC) state is private account data' },
    { key: 'kycStatus', reason: 'identity-verification (KYC) state is private account data' },
    {
      key: 'updatedAt',
      reason:
        'the public allow-list (core PUBLIC_PROFILE_FIELDS) has no last-edit time: it would tell others when the owner was last active',
    },
  ],
  // The profile dialect's public card: `GET /api/v1/profile/id/{userId}` and `/u/{username}`.
  profileCard: [
    { key: 'email', reason: 'private, owner only (seed: "private — only visible to owner")' },
    { key: 'phoneNumber', reason: 'private, owner only' },
    { key: 'securityStrength', reason: 'security data is private (SPEC §4)' },
    { key: 'isTwoFactorEnabled', reason: 'two-factor data is private (SPEC §4)' },
  ],
};

/** Where a successful answer of a route carries public views (paths relative to the response body). */
const PUBLIC_VIEWS: Readonly<Record<string, ReadonlyArray<{ view: PublicView; at: string }>>> = {
  'GET /v1/account/user/{id}': [{ view: 'classicUser', at: 'data' }],
  'GET /v1/account/user': [{ view: 'classicUser', at: 'data.data[]' }],
  'GET /api/v1/profile/id/{userId}': [{ view: 'profileCard', at: 'data' }],
  'GET /api/v1/profile/u/{username}': [{ view: 'profileCard', at: 'data' }],
};

/* ------------------------------------------------------------------ the scene */

const DEFAULT_PASSWORD = 'Correct-Horse-9-Battery';
/** Contact details that must never reach a public view: given to the subject of a public-view example. */
const PRIVATE_CONTACT = {
  country: 'Tanzania',
  city: 'Arusha',
  address: '12 Hidden Lane, Flat 3',
  phone: '+255723456789',
};

interface Scene {
  readonly entry: Fixture;
  readonly dialect: Dialect;
  readonly routeKey: string;
  readonly status: number;
  readonly httpStatus: string | undefined;
  readonly success: boolean;
  /** The user the example shows (the caller for own-account routes). */
  subject?: RestUser;
  /** Whose session the request carries (`owner` or `viewer`). */
  caller?: RestUser;
  token?: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, Json> | null;
  /** Array paths where an empty answer is acceptable although the example's array is not. */
  readonly mayBeEmpty: string[];
  /** Strings (private values of the subject) that a public answer must not contain. */
  readonly secrets: string[];
  /** Route-specific assertions on the answer (and on the state it left). */
  readonly checks: Array<(answer: Answer) => Promise<void> | void>;
}

/** The users each test creates are erased after it, so seed names like `john_doe` are free again. */
const server = useTestServer({ mail: true, eraseRestUsersAfterEach: true });

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const clone = <T>(value: T): T => (value === null ? value : structuredClone(value));

/** What the seed's example shows as the user (its `data`, or the first item of a list). */
function exampleUser(entry: Fixture, routeKey: string): Record<string, Json> | undefined {
  const data = entry.responseBody.data;
  const user = routeKey === 'GET /v1/account/user' ? data?.data?.[0] : data;
  if (!isObject(user)) return undefined;
  return 'userName' in user || 'firstName' in user || '_id' in user ? user : undefined;
}

/** A seed name when it satisfies the name rules (1–30 characters); the seed's "Jukne" has an empty last name. */
function usableName(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length >= 1 && value.trim().length <= 30
    ? value
    : undefined;
}

/** The field of the request body that carries the caller's current password, if any. */
function currentPasswordField(body: Record<string, Json> | null): string | undefined {
  if (body === null) return undefined;
  return ['currentPassword', 'oldPassword', 'password'].find((field) => typeof body[field] === 'string');
}

/** The classic update that gives a subject the profile the example shows (`PATCH /v1/account/update`). */
function classicProfileOf(user: Record<string, Json>, publicView: boolean): Record<string, Json> {
  const profile = isObject(user.profile) ? user.profile : {};
  const talent = isObject(profile.talent) ? profile.talent : undefined;
  const update: Record<string, Json> = {
    profile: {
      contact: isObject(profile.contact) ? profile.contact : publicView ? PRIVATE_CONTACT : undefined,
      bio: isObject(profile.bio) ? profile.bio : undefined,
      talent:
        talent === undefined
          ? undefined
          : { about: talent.about, availability: talent.availability, tags: talent.tags },
    },
    socials: isObject(user.socials) ? user.socials : undefined,
  };
  return JSON.parse(JSON.stringify(update));
}

/** The profile-dialect update that gives a subject the display fields the example shows. */
function profileDisplayOf(user: Record<string, Json>): Record<string, Json> {
  const pictures = Array.isArray(user.profilePictureUrls)
    ? user.profilePictureUrls
    : typeof user.profilePictureUrl === 'string'
      ? [user.profilePictureUrl]
      : undefined;
  const update: Record<string, Json> = {
    bio: typeof user.bio === 'string' ? user.bio : undefined,
    location: typeof user.location === 'string' ? user.location : undefined,
    profilePictureUrls: pictures,
  };
  return JSON.parse(JSON.stringify(update));
}

const ME_PATH: Record<Dialect, string> = { classic: '/v1/account', profile: '/api/v1/profile/me' };

/** Builds the state the example assumes, through the public API only. */
async function prepare(entry: Fixture, file: Fixture[]): Promise<Scene> {
  const routeKey = `${entry.method} ${entry.path}`;
  const outcome =
    entry.supersededBy === undefined ? entry : file.find((other) => other.name === entry.supersededBy);
  if (outcome === undefined) throw new Error(`${entry.name}: supersededBy names no entry`);
  const dialect = dialectOf(entry.path);
  const scene: Scene = {
    entry,
    dialect,
    routeKey,
    status: outcome.status,
    httpStatus:
      typeof outcome.responseBody.httpStatus === 'string' ? outcome.responseBody.httpStatus : undefined,
    success: outcome.status < 400,
    pathParams: { ...entry.pathParams },
    query: { ...entry.query },
    body: clone(entry.requestBody),
    mayBeEmpty: [],
    secrets: [],
    checks: [],
  };

  // The seed's own password when the example carries a real one; a placeholder is replaced.
  const passwordField = currentPasswordField(scene.body);
  const seedPassword = passwordField === undefined ? undefined : (scene.body![passwordField] as string);
  const password =
    seedPassword !== undefined && checkPassword(seedPassword, { email: '', username: null }).ok
      ? seedPassword
      : DEFAULT_PASSWORD;
  if (passwordField !== undefined) scene.body![passwordField] = password;

  // The viewer first, so the subject is the newest user (lists are newest first).
  if (entry.auth === 'viewer') scene.caller = await server.users.signUpOverRest(scene.dialect, {});

  const shown = scene.success ? exampleUser(entry, routeKey) : undefined;
  if (entry.auth === 'owner' || shown !== undefined) {
    const bodyEmail = typeof scene.body?.email === 'string' ? scene.body.email : undefined;
    const shownEmail =
      typeof shown?.email === 'string' && !shown.email.includes('*') ? shown.email : undefined;
    // A request that changes the username starts from another one (the sign-up generates it).
    const changesUsername = scene.body !== null && 'userName' in scene.body;
    scene.subject = await server.users.signUpOverRest(scene.dialect, {
      password,
      ...((bodyEmail ?? shownEmail) ? { email: bodyEmail ?? shownEmail } : {}),
      ...(!changesUsername && typeof shown?.userName === 'string' ? { username: shown.userName } : {}),
      ...(usableName(shown?.firstName) ? { firstName: shown!.firstName } : {}),
      ...(usableName(shown?.lastName) ? { lastName: shown!.lastName } : {}),
      ...(usableName(shown?.middleName) ? { middleName: shown!.middleName } : {}),
    });
    if (entry.auth === 'owner') scene.caller = scene.subject;
  }

  if (entry.auth === 'owner' || entry.auth === 'viewer') scene.token = scene.caller!.token;
  if (entry.auth === 'invalid') scene.token = 'not-a-session-token-of-this-server';

  const subject = scene.subject;
  const views = scene.success ? (PUBLIC_VIEWS[routeKey] ?? []) : [];
  if (subject !== undefined && shown !== undefined && entry.method === 'GET') {
    // The subject shows what the example shows (non-empty tags, pictures, …).
    if (dialect === 'classic') {
      const update = classicProfileOf(shown, views.length > 0);
      const answer = await server.http.rest('PATCH', '/v1/account/update', {
        token: subject.token,
        json: update,
      });
      expectEnvelope('classic', answer, 202);
      const contact = update.profile?.contact;
      if (views.length > 0 && isObject(contact)) scene.secrets.push(contact.address, contact.phone);
    } else {
      const update = profileDisplayOf(shown);
      if (Object.keys(update).length > 0) {
        const answer = await server.http.rest('PUT', '/api/v1/profile/update', {
          token: subject.token,
          json: update,
        });
        expectEnvelope('profile', answer, 200);
      }
    }
  }
  if (views.length > 0 && subject !== undefined) scene.secrets.push(subject.email);

  // The follow relations the example's `relationship` shows between the caller and the subject.
  const relationship = shown?.relationship;
  if (
    isObject(relationship) &&
    subject !== undefined &&
    scene.caller !== undefined &&
    scene.caller !== subject
  ) {
    if (relationship.isBlocked === true || relationship.isBlockedBy === true) {
      throw new Error(`${entry.name}: blocked relationships need a setup of their own`);
    }
    if (relationship.isFollowing === true) {
      await server.client(scene.caller.token).social.follow.mutate({ userId: subject.id });
    }
    if (relationship.isFollowedBy === true) {
      await server.client(subject.token).social.follow.mutate({ userId: scene.caller.id });
    }
  }

  // Path params name the users created here (a seed id such as 67f8eb57… names no user).
  if (scene.success && subject !== undefined) {
    for (const name of Object.keys(scene.pathParams)) {
      if (name === 'id' || name === 'userId') scene.pathParams[name] = subject.id;
      if (name === 'username') scene.pathParams[name] = subject.userName;
    }
  }

  await ROUTE_SETUP[routeKey]?.(scene);
  return scene;
}

function replay(scene: Scene): Promise<Answer> {
  const path = scene.entry.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = scene.pathParams[name];
    if (value === undefined) throw new Error(`${scene.entry.name}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return server.http.rest(scene.entry.method, path, {
    ...(scene.token === undefined ? {} : { token: scene.token }),
    ...(scene.body === null ? {} : { json: scene.body }),
    query: scene.query,
  });
}

/* ------------------------------------------------------------------ route set-ups and checks */

function requireSubject(scene: Scene): RestUser {
  if (scene.subject === undefined) throw new Error(`${scene.entry.name}: the example needs a user`);
  return scene.subject;
}

/** Asserts that a new message carrying a 6-digit code reached `email` since `before` messages. */
function expectNewCode(email: string, before: number): string {
  expect(server.mail.messagesTo(email).length).toBeGreaterThan(before);
  return server.mail.latestCodeTo(email);
}

async function expectSessionEnded(scene: Scene, token: string): Promise<void> {
  const answer = await server.http.rest('GET', ME_PATH[scene.dialect], { token });
  expectEnvelope(scene.dialect, answer, 401);
}

async function expectSignIn(scene: Scene, login: string, password: string, status: number): Promise<void> {
  const answer = await server.users.signInOverRest(scene.dialect, login, password);
  expectEnvelope(scene.dialect, answer, status);
  if (status === 200) expect(answer.body.data.token).toBeTypeOf('string');
}

async function classicTwoFa(token: string): Promise<{ type: string | null; status: boolean }> {
  const answer = await server.http.rest('GET', '/v1/account', { token });
  expectEnvelope('classic', answer, 200);
  return answer.body.data.twoFa;
}

async function securityInfo(token: string): Promise<Json> {
  const answer = await server.http.rest('GET', '/api/v1/account/security-info', { token });
  expectEnvelope('profile', answer, 200);
  return answer.body.data;
}

const passwordChanged = async (scene: Scene) => {
  const subject = requireSubject(scene);
  const newPassword = scene.body!.newPassword as string;
  scene.checks.push(async () => {
    await expectSessionEnded(scene, subject.token);
    await expectSignIn(scene, subject.email, subject.password, 401);
    await expectSignIn(scene, subject.email, newPassword, 200);
  });
};

const profileCardShown = async (scene: Scene) => {
  if (!scene.success) return;
  const subject = requireSubject(scene);
  const shown = exampleUser(scene.entry, scene.routeKey)!;
  scene.checks.push((answer) => {
    const card = answer.body.data;
    expect(card.userId).toBe(subject.id);
    expect(card.userName).toBe(subject.userName);
    expect(card.isOwnProfile).toBe(shown.isOwnProfile);
    expect(card.relationship).toEqual(shown.relationship);
  });
  if (scene.routeKey === 'GET /api/v1/profile/u/{username}') {
    // SPEC §2: lookups accept a leading @.
    scene.checks.push(async () => {
      const at = await server.http.rest('GET', `/api/v1/profile/u/@${subject.userName}`, {
        ...(scene.token === undefined ? {} : { token: scene.token }),
      });
      expectEnvelope('profile', at, 200);
      expect(at.body.data.userId).toBe(subject.id);
    });
  }
};

const twoFactorEnabledWithPassword = async (scene: Scene) => {
  const subject = requireSubject(scene);
  scene.checks.push(async () => expect((await securityInfo(subject.token)).isTwoFactorEnabled).toBe(true));
};

const twoFactorDisabledWithPassword = async (scene: Scene) => {
  const subject = requireSubject(scene);
  const enable = await server.http.rest('POST', '/api/v1/account/2fa/enable', {
    token: subject.token,
    json: { password: subject.password },
  });
  expectEnvelope('profile', enable, 200);
  expect((await securityInfo(subject.token)).isTwoFactorEnabled).toBe(true);
  scene.checks.push(async () => expect((await securityInfo(subject.token)).isTwoFactorEnabled).toBe(false));
};

const emailVerificationRequested = async (scene: Scene) => {
  const subject = requireSubject(scene);
  const before = server.mail.messagesTo(subject.email).length;
  scene.checks.push((answer) => {
    expectNewCode(subject.email, before);
    expect(answer.body.data.email).toContain('***');
    expect(answer.body.data.email).not.toBe(subject.email);
  });
};

const emailVerified = async (scene: Scene) => {
  const subject = requireSubject(scene);
  const before = server.mail.messagesTo(subject.email).length;
  const requested = await server.http.rest('POST', '/api/v1/profile/request-email-verification', {
    token: subject.token,
  });
  expectEnvelope('profile', requested, 200);
  scene.body = {
    ...scene.body,
    tempToken: requested.body.data.tempToken,
    otpCode: expectNewCode(subject.email, before),
  };
  scene.checks.push((answer) => expect(answer.body.data.isEmailVerified).toBe(true));
};

const accountDeactivated = async (scene: Scene) => {
  const subject = requireSubject(scene);
  scene.checks.push(async () => {
    await expectSessionEnded(scene, subject.token);
    const card = await server.http.rest('GET', `/api/v1/profile/id/${subject.id}`);
    expectEnvelope('profile', card, 404);
    await expectSignIn(scene, subject.email, subject.password, 423);
  });
};

/** Per route (`METHOD path`): what the example needs beyond its users, and what must hold afterwards. */
const ROUTE_SETUP: Readonly<Record<string, (scene: Scene) => Promise<void>>> = {
  // ---- classic (seeds/000)
  'GET /v1/account': async (scene) => {
    const subject = requireSubject(scene);
    const shown = exampleUser(scene.entry, scene.routeKey)!;
    scene.checks.push((answer) => {
      expect(answer.body.data._id).toBe(subject.id);
      expect(answer.body.data.email).toBe(subject.email);
      // SPEC §2: the seed's Alice has everything but a picture: 90.
      expect(answer.body.data.profileCompleteness).toBe(shown.profileCompleteness);
    });
  },
  'GET /v1/account/user/{id}': async (scene) => {
    const subject = requireSubject(scene);
    scene.checks.push((answer) => expect(answer.body.data._id).toBe(subject.id));
  },
  'GET /v1/account/user': async (scene) => {
    const subject = requireSubject(scene);
    const shown = exampleUser(scene.entry, scene.routeKey)!;
    // Other users on the page (the viewer) carry no tags; the subject's must be there (checked below).
    scene.mayBeEmpty.push('data.data[].profile.talent.tags', 'data.data[].profile.talent.tagsIds');
    // The seed lists without filters; on a database other test files fill at the same time the
    // subject may not be among the newest twelve, so the replay narrows to the subject's name.
    scene.query.search = subject.userName;
    scene.checks.push((answer) => {
      const item = (answer.body.data.data as Json[]).find((user) => user._id === subject.id);
      expect(item, 'the example user is listed').toBeDefined();
      expect(item.profile.talent.tagsIds).toHaveLength(shown.profile.talent.tags.length);
      expect(item.isBookmarked).toBe(false);
      expect(item.bookmarkId).toBe('');
    });
  },
  'POST /v1/account/logout': async (scene) => {
    const subject = requireSubject(scene);
    scene.checks.push(() => expectSessionEnded(scene, subject.token));
  },
  'PUT /v1/account/password/change': passwordChanged,
  'POST /v1/account/initiate/2fa': async (scene) => {
    const subject = requireSubject(scene);
    const before = server.mail.messagesTo(subject.email).length;
    scene.checks.push(() => {
      expectNewCode(subject.email, before);
    });
  },
  'POST /v1/account/activate/2fa': async (scene) => {
    const subject = requireSubject(scene);
    const before = server.mail.messagesTo(subject.email).length;
    const initiated = await server.http.rest('POST', '/v1/account/initiate/2fa', {
      token: subject.token,
      json: { type: 'email' },
    });
    expectEnvelope('classic', initiated, 202);
    scene.body = { ...scene.body, code: expectNewCode(subject.email, before) };
    scene.checks.push(async () =>
      expect(await classicTwoFa(subject.token)).toMatchObject({ status: true, type: 'email' }),
    );
  },
  'POST /v1/account/deactivate/2fa': async (scene) => {
    const subject = requireSubject(scene);
    let before = server.mail.messagesTo(subject.email).length;
    const initiated = await server.http.rest('POST', '/v1/account/initiate/2fa', {
      token: subject.token,
      json: { type: 'email' },
    });
    expectEnvelope('classic', initiated, 202);
    const activated = await server.http.rest('POST', '/v1/account/activate/2fa', {
      token: subject.token,
      json: { code: expectNewCode(subject.email, before) },
    });
    expectEnvelope('classic', activated, 200);
    expect((await classicTwoFa(subject.token)).status).toBe(true);
    before = server.mail.messagesTo(subject.email).length;
    const sent = await server.http.rest('POST', '/v1/account/2fa/email', {
      token: subject.token,
      query: { emailType: 'two_fa' },
      json: { password: subject.password },
    });
    expectEnvelope('classic', sent, 200);
    scene.body = { ...scene.body, code: expectNewCode(subject.email, before) };
    scene.checks.push(async () => expect((await classicTwoFa(subject.token)).status).toBe(false));
  },
  'POST /v1/account/2fa/email': async (scene) => {
    const subject = requireSubject(scene);
    const before = server.mail.messagesTo(subject.email).length;
    scene.checks.push(() => {
      expectNewCode(subject.email, before);
    });
  },
  'POST /v1/account/delete-account': async (scene) => {
    const subject = requireSubject(scene);
    scene.checks.push(async (answer) => {
      // Scheduled (SPEC §9): the answer names the date, the sessions end, sign-in names the date too.
      const scheduledFor = answer.body.data.scheduledFor;
      expect(new Date(scheduledFor).getTime()).toBeGreaterThan(Date.now());
      await expectSessionEnded(scene, subject.token);
      const refused = await server.users.signInOverRest(scene.dialect, subject.email, subject.password);
      expectEnvelope(scene.dialect, refused, 423);
      expect(refused.body.data).toEqual({ scheduledFor });
    });
  },
  'PATCH /v1/account/update': async (scene) => {
    const subject = requireSubject(scene);
    const tags = scene.body!.profile.talent.tags as string[];
    scene.checks.push((answer) => {
      expect(answer.body.data.email).toBe(subject.email);
      expect(answer.body.data.profile.talent.tags).toEqual(tags);
      expect(answer.body.data.profile.talent.tagsIds).toHaveLength(tags.length);
    });
  },

  // ---- profile (seeds/002), v1 and v2
  'GET /api/v1/profile/me': async (scene) => {
    if (!scene.success) return;
    const subject = requireSubject(scene);
    scene.checks.push((answer) => {
      expect(answer.body.data).toMatchObject({
        id: subject.id,
        userId: subject.id,
        email: subject.email,
        isOwnProfile: true,
        relationship: null,
      });
    });
  },
  'GET /api/v1/profile/id/{userId}': profileCardShown,
  'GET /api/v1/profile/u/{username}': profileCardShown,
  'PUT /api/v1/profile/update': async (scene) => {
    const subject = requireSubject(scene);
    if (scene.success) {
      scene.checks.push((answer) => {
        expect(answer.body.data.userName).toBe(subject.userName);
        expect(answer.body.data.email).toBe(subject.email);
      });
      return;
    }
    const before = await server.http.rest('GET', '/api/v1/profile/me', { token: subject.token });
    scene.checks.push(async (answer) => {
      // The field map names exactly the fields the example names.
      expect(Object.keys(answer.body.data).sort()).toEqual(Object.keys(scene.entry.responseBody.data).sort());
      const after = await server.http.rest('GET', '/api/v1/profile/me', { token: subject.token });
      expect(after.body.data.firstName).toBe(before.body.data.firstName);
      expect(after.body.data.profilePictureUrls).toEqual(before.body.data.profilePictureUrls);
    });
  },
  'PUT /api/v1/profile/update-basic-info': async (scene) => {
    const subject = requireSubject(scene);
    const newUserName = scene.body!.userName as string;
    expect(newUserName).not.toBe(subject.userName);
    scene.checks.push(async (answer) => {
      expect(answer.body.message).toBe(scene.entry.responseBody.message);
      expect(answer.body.data.userName).toBe(newUserName);
      expect(answer.body.data.email).toBe(subject.email);
      // A new username ends every session: sign in again, with the new username.
      await expectSessionEnded(scene, subject.token);
      await expectSignIn(scene, newUserName, subject.password, 200);
    });
  },
  'PUT /api/v1/profile/change-password': passwordChanged,
  'POST /api/v1/account/password/change': passwordChanged,
  'GET /api/v1/profile/validate-username/{username}': async (scene) => {
    // The example's name must be taken by someone else (the caller's own name counts as available).
    const name = scene.entry.pathParams.username!;
    scene.pathParams.username = name;
    await server.users.signUpOverRest(scene.dialect, { username: name });
    scene.checks.push((answer) => {
      const data = answer.body.data;
      expect(data).toMatchObject({ available: false, valid: true });
      expect(data.details.notTaken).toBe(false);
      expect(data.suggestions.length).toBeGreaterThan(0);
      expect(data.suggestions).not.toContain(name);
    });
  },
  'POST /api/v1/profile/request-email-verification': emailVerificationRequested,
  'POST /api/v1/account/email/request-verification': emailVerificationRequested,
  'POST /api/v1/profile/verify-email': emailVerified,
  'POST /api/v1/account/email/verify': emailVerified,
  'POST /api/v1/profile/enable-2fa': twoFactorEnabledWithPassword,
  'POST /api/v1/account/2fa/enable': twoFactorEnabledWithPassword,
  'POST /api/v1/profile/disable-2fa': twoFactorDisabledWithPassword,
  'POST /api/v1/account/2fa/disable': twoFactorDisabledWithPassword,
  'DELETE /api/v1/profile/deactivate': accountDeactivated,
  'DELETE /api/v1/account/deactivate': accountDeactivated,
};

/* ------------------------------------------------------------------ key comparison */

function withheldAt(scene: Scene, path: string): boolean {
  const views = scene.success ? (PUBLIC_VIEWS[scene.routeKey] ?? []) : [];
  return views.some(({ view, at }) => WITHHELD[view].some(({ key }) => `${at}.${key}` === path));
}

/**
 * Every key of the example must be in the answer, recursively: objects by key; for arrays,
 * the first example element's keys against every element of the answer, which must not be
 * empty when the example's is not (unless the scene says the set-up could not fill it).
 */
function missingKeys(scene: Scene, example: Json, actual: Json, path: string, problems: string[]): void {
  if (Array.isArray(example)) {
    if (!Array.isArray(actual)) {
      problems.push(`${path}: expected an array, got ${JSON.stringify(actual)}`);
      return;
    }
    if (example.length === 0) return;
    if (actual.length === 0) {
      if (!scene.mayBeEmpty.includes(path)) problems.push(`${path}: empty, the example's is not`);
      return;
    }
    for (const element of actual) missingKeys(scene, example[0], element, `${path}[]`, problems);
    return;
  }
  if (!isObject(example)) return;
  if (!isObject(actual)) {
    problems.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
    return;
  }
  for (const [key, value] of Object.entries(example)) {
    const child = path === '' ? key : `${path}.${key}`;
    if (withheldAt(scene, child)) continue; // asserted absent in expectWithheldAbsent
    if (!Object.hasOwn(actual, key)) {
      problems.push(`${child}: missing`);
      continue;
    }
    missingKeys(scene, value, actual[key], child, problems);
  }
}

/** The values at a path such as `data.data[]` (`[]` expands an array). */
function valuesAt(root: Json, path: string): Json[] {
  let values: Json[] = [root];
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    values = values.flatMap((value) => (isObject(value) && Object.hasOwn(value, name) ? [value[name]] : []));
    if (part.endsWith('[]')) values = values.flatMap((value) => (Array.isArray(value) ? value : []));
  }
  return values;
}

/** The privacy half of the allow-list: each withheld key is really absent where it is withheld. */
function expectWithheldAbsent(scene: Scene, answer: Answer): void {
  const views = scene.success ? (PUBLIC_VIEWS[scene.routeKey] ?? []) : [];
  for (const { view, at } of views) {
    const roots = valuesAt(answer.body, at);
    expect(roots.length, `public views at ${at}`).toBeGreaterThan(0);
    for (const root of roots) {
      for (const { key } of WITHHELD[view]) {
        expect(valuesAt(root, key), `${at}.${key} must be withheld`).toEqual([]);
      }
    }
  }
  for (const secret of scene.secrets) expect(answer.text).not.toContain(secret);
}

/* ------------------------------------------------------------------ the replay */

describe.each(FIXTURE_FILES)('$file', ({ entries }) => {
  it.each(entries)('$name', async (entry) => {
    const scene = await prepare(entry, entries);
    const answer = await replay(scene);

    expectEnvelope(scene.dialect, answer, scene.status, scene.httpStatus);
    const problems: string[] = [];
    missingKeys(scene, entry.responseBody, answer.body, '', problems);
    expect(problems, answer.text.slice(0, 2000)).toEqual([]);
    expectWithheldAbsent(scene, answer);
    for (const check of scene.checks) await check(answer);
  });
});
