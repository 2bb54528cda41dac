import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  type HttpMethod,
  type Json,
  newPhoneNumber,
  OTP_SENDS_PER_WINDOW,
  REST_DIALECTS,
  type SendOptions,
  TOTP_PERIOD_SECONDS,
  totpCodeAt,
  uniqueUser,
  useTestServer,
  wrongCode,
} from './harness.js';

/**
 * Every REST operation answers what `/openapi.json` says it answers: each operation is called
 * for real, at least once with success and once with an error, and every answer's status must
 * be one the operation documents and its body must match that status's schema (ajv, with the
 * formats: date-time, email, uri).
 */

const t = useTestServer({ mail: true, sms: true, clock: true });

// ajv-formats is CommonJS; its default export is the plugin under ESM interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Operation {
  readonly responses: Record<string, { content?: { 'application/json'?: { schema: Json } } }>;
}
type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};

let doc: OpenApiDocument;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const validators = new Map<string, ValidateFunction>();
/** Operation (`GET /v1/account`) → the outcomes seen: `success` and/or `error`. */
const seen = new Map<string, Set<'success' | 'error'>>();

const OPERATIONS = [
  ...new Set(REST_DIALECTS.flatMap(({ routes }) => routes.map((r) => `${r.method} ${r.path}`))),
];

/** Replaces each `$ref` to a component with the component itself, so one schema stands alone. */
function inline(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(inline);
  if (schema === null || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/')) {
    return inline(doc.components.schemas[schema.$ref.slice('#/components/schemas/'.length)]);
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inline(value)]));
}

function validatorFor(operation: string, status: number): ValidateFunction {
  const key = `${operation} ${status}`;
  const known = validators.get(key);
  if (known !== undefined) return known;
  const [method, path] = operation.split(' ') as [string, string];
  const response = doc.paths[path]?.[method.toLowerCase()]?.responses[String(status)];
  const schema = response?.content?.['application/json']?.schema;
  expect(schema, `${operation} documents no JSON body for ${status}`).toBeDefined();
  const validate = ajv.compile(inline(schema));
  validators.set(key, validate);
  return validate;
}

/** Asserts the answer is documented for the operation, status and body alike, and records it. */
function conforms(operation: string, answer: Answer): Answer {
  const [method, path] = operation.split(' ') as [string, string];
  const documented = Object.keys(doc.paths[path]?.[method.toLowerCase()]?.responses ?? {});
  expect(documented, `${operation} answered ${answer.status}: ${answer.text.slice(0, 300)}`).toContain(
    String(answer.status),
  );
  const validate = validatorFor(operation, answer.status);
  expect(
    validate(answer.body) ? [] : validate.errors,
    `${operation} ${answer.status}: ${answer.text}`,
  ).toEqual([]);
  const outcomes = seen.get(operation) ?? new Set();
  outcomes.add(answer.status < 400 ? 'success' : 'error');
  seen.set(operation, outcomes);
  return answer;
}

/** Sends to the operation (`{name}` filled from `params`) and checks the answer against the document. */
async function call(
  operation: string,
  options: SendOptions & { params?: Record<string, string>; expect?: number } = {},
): Promise<Answer> {
  const [method, template] = operation.split(' ') as [HttpMethod, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(options.params?.[name] ?? ''),
  );
  const answer = conforms(operation, await t.http.rest(method, path, options));
  if (options.expect !== undefined) expect(answer.status, answer.text).toBe(options.expect);
  return answer;
}

const totp = (secret: string) => totpCodeAt(decodeBase32IgnorePadding(secret), t.clock.now());
/** A fresh TOTP step: the server refuses a step it already accepted. */
const nextStep = () => t.clock.advance(TOTP_PERIOD_SECONDS * 1000);

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  const response = await fetch(`${t.url}/openapi.json`);
  doc = (await response.json()) as OpenApiDocument;
});

describe('every operation answers only what the document says', () => {
  it.each(OPERATIONS.filter((op) => !op.startsWith('GET ')))(
    '%s: a non-JSON body is 415, malformed JSON 400, an oversized body 413',
    async (operation) => {
      await call(operation, { raw: 'hello', contentType: 'text/plain', expect: 415 });
      await call(operation, { raw: '{"broken":', contentType: 'application/json', expect: 400 });
      await call(operation, {
        raw: JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) }),
        contentType: 'application/json',
        expect: 413,
      });
    },
  );

  it.each(
    REST_DIALECTS.flatMap(({ routes }) => routes)
      .filter((route) => route.auth === 'bearer')
      .map((route) => `${route.method} ${route.path}`),
  )(
    '%s: without a valid session token is 401 (or 422 first, for a body it cannot read)',
    async (operation) => {
      const answer = await call(operation, {
        token: 'not-a-session-token',
        ...(operation.startsWith('GET ') ? {} : { json: {} }),
      });
      expect([401, 422], answer.text).toContain(answer.status);
    },
  );

  it('the classic dialect, from sign-up to account deletion', async () => {
    const fields = uniqueUser();
    const signUp = await call('POST /v1/auth/signup', { json: fields, expect: 201 });
    await call('POST /v1/auth/signup', { json: fields, expect: 409 });
    await call('POST /v1/auth/signup', { json: { ...fields, email: 'not-an-email' }, expect: 422 });
    const id: string = signUp.body.data.user._id;
    const userName: string = signUp.body.data.user.userName;
    let token: string = signUp.body.data.token;
    t.secrets.add(token);

    await call('POST /v1/auth/login', {
      json: { login: fields.email, password: 'Wrong-9-password' },
      expect: 401,
    });
    token = (
      await call('POST /v1/auth/login', { json: { login: userName, password: fields.password }, expect: 200 })
    ).body.data.token;

    await call('GET /v1/account', { token, expect: 200 });
    await call('PATCH /v1/account/update', {
      token,
      json: { firstName: 'Ann', isPrivate: false },
      expect: 202,
    });
    await call('PATCH /v1/account/update', { token, json: { firstName: 42 }, expect: 422 });
    await call('GET /v1/account/user/{id}', { params: { id }, expect: 200 });
    await call('GET /v1/account/user/{id}', { params: { id: UNKNOWN_ID }, token, expect: 404 });
    await call('GET /v1/account/user', { query: { search: 'Ann', limit: '5' }, token, expect: 200 });
    await call('GET /v1/account/user', { query: { owner: 'true' }, expect: 401 });
    await call('GET /v1/account/user', { query: { limit: 'many' }, expect: 422 });

    // Two-factor with an authenticator app: initiate, activate, sign in with it, deactivate.
    await call('POST /v1/account/initiate/2fa', { token, json: { type: 'sms' }, expect: 422 });
    const started = await call('POST /v1/account/initiate/2fa', {
      token,
      json: { type: 'google_auth' },
      expect: 202,
    });
    const secret: string = started.body.data.secret;
    await call('POST /v1/account/activate/2fa', {
      token,
      json: { code: wrongCode(totp(secret)) },
      expect: 400,
    });
    await call('POST /v1/account/activate/2fa', { token, json: { code: totp(secret) }, expect: 200 });
    await call('POST /v1/account/initiate/2fa', { token, json: { type: 'google_auth' }, expect: 400 });

    const challenge = await call('POST /v1/auth/login', {
      json: { login: fields.email, password: fields.password },
      expect: 200,
    });
    expect(challenge.body.data.status).toBe('two_factor_required');
    const challengeToken: string = challenge.body.data.challengeToken;
    await call('POST /v1/auth/2fa', {
      json: { challengeToken: 'x'.repeat(43), code: '123456' },
      expect: 401,
    });
    nextStep();
    token = (await call('POST /v1/auth/2fa', { json: { challengeToken, code: totp(secret) }, expect: 200 }))
      .body.data.token;

    await call('POST /v1/account/2fa/email', { token, json: { password: 'Wrong-9-password' }, expect: 401 });
    await call('POST /v1/account/2fa/email', { token, json: { password: fields.password }, expect: 200 });
    await call('POST /v1/account/deactivate/2fa', {
      token,
      json: { code: wrongCode(totp(secret)) },
      expect: 400,
    });
    nextStep();
    await call('POST /v1/account/deactivate/2fa', { token, json: { code: totp(secret) }, expect: 200 });

    const newPassword = 'Another-Horse-7-Staple';
    await call('PUT /v1/account/password/change', {
      token,
      json: { oldPassword: 'Wrong-9-password', newPassword },
      expect: 401,
    });
    await call('PUT /v1/account/password/change', {
      token,
      json: { oldPassword: fields.password, newPassword },
      expect: 202,
    });
    token = (
      await call('POST /v1/auth/login', { json: { login: userName, password: newPassword }, expect: 200 })
    ).body.data.token;
    await call('POST /v1/account/logout', { token, expect: 200 });
    token = (
      await call('POST /v1/auth/login', { json: { login: userName, password: newPassword }, expect: 200 })
    ).body.data.token;
    await call('POST /v1/account/delete-account', {
      token,
      json: { password: fields.password },
      expect: 401,
    });
    await call('POST /v1/account/delete-account', { token, json: { password: newPassword }, expect: 200 });
  });

  it('deletion with a grace period and "this wasn\'t me": cancel a scheduled deletion, report a notice', async () => {
    const user = await t.users.signUp();
    await call('POST /v1/account/delete-account', {
      token: user.token,
      json: { password: user.password },
      expect: 200,
    });
    await call('POST /api/v1/auth/signin', {
      json: { login: user.email, password: user.password },
      expect: 423,
    });
    await call('POST /api/v1/account/cancel-deletion', {
      json: { login: user.email, password: 'Wrong-9-password' },
      expect: 401,
    });
    const { token } = (
      await call('POST /api/v1/account/cancel-deletion', {
        json: { login: user.email, password: user.password },
        expect: 200,
      })
    ).body.data;

    const mailsBefore = t.mail.messagesTo(user.email).length;
    const newPassword = `${user.password}n`;
    t.secrets.add(newPassword);
    await t.client(token).account.changePassword.mutate({
      currentPassword: user.password,
      newPassword,
      confirmPassword: newPassword,
    });
    const notice = await t.mail.waitForMessageTo(user.email, mailsBefore + 1);
    const notMeToken = /not-me\?token=([A-Za-z0-9_-]+)/.exec(notice.text)?.[1];
    expect(notMeToken, notice.text).toBeDefined();
    t.secrets.add(notMeToken!);
    await call('POST /api/v1/account/not-me', { json: { token: 'x'.repeat(32) }, expect: 400 });
    await call('POST /api/v1/account/not-me', { json: { token: notMeToken }, expect: 200 });
    await call('POST /api/v1/auth/signin', {
      json: { login: user.email, password: newPassword },
      expect: 423,
    });
  });

  it('the profile dialect: profiles, credentials, verification, two-factor, recovery, deactivation', async () => {
    const fields = uniqueUser();
    await call('POST /api/v1/auth/signup', { json: { email: fields.email }, expect: 422 });
    const signUp = await call('POST /api/v1/auth/signup', { json: fields, expect: 201 });
    const userId: string = signUp.body.data.user.userId;
    let userName: string = signUp.body.data.user.userName;
    let email = fields.email;
    let password = fields.password;
    const signIn = async () =>
      (await call('POST /api/v1/auth/signin', { json: { login: email, password }, expect: 200 })).body.data
        .token as string;
    await call('POST /api/v1/auth/signin', {
      json: { login: email, password: 'Wrong-9-password' },
      expect: 401,
    });
    let token = await signIn();

    // Profiles.
    await call('GET /api/v1/profile/me', { token, expect: 200 });
    await call('GET /api/v1/profile/id/{userId}', { params: { userId }, expect: 200 });
    await call('GET /api/v1/profile/id/{userId}', { params: { userId: UNKNOWN_ID }, expect: 404 });
    await call('GET /api/v1/profile/u/{username}', {
      params: { username: `@${userName}` },
      token,
      expect: 200,
    });
    await call('GET /api/v1/profile/u/{username}', { params: { username: 'nobody_here_42' }, expect: 404 });
    await call('GET /api/v1/profile/u/{username}', { params: { username: 'a' }, expect: 422 });
    await call('GET /api/v1/profile/validate-username/{username}', {
      params: { username: 'fresh_name_1' },
      expect: 200,
    });
    await call('GET /api/v1/profile/validate-username/{username}', {
      params: { username: 'x'.repeat(300) },
      expect: 422,
    });
    await call('PUT /api/v1/profile/update', {
      token,
      json: { bio: 'Builds things', profilePictureUrls: ['https://images.example.org/me.png'] },
      expect: 200,
    });
    await call('PUT /api/v1/profile/update', { token, json: { bio: 7 }, expect: 422 });
    await call('PUT /api/v1/profile/update-basic-info', { token, json: { firstName: 'Bea' }, expect: 200 });
    await call('PUT /api/v1/profile/update-basic-info', {
      token,
      json: { email: 'other@example.org' },
      expect: 422,
    });

    // Username and password; each change ends every session.
    const other = await t.users.signUpOverRest('profile');
    await call('POST /api/v1/account/username/change', {
      token,
      json: { username: other.userName },
      expect: 409,
    });
    userName = `renamed_${Date.now().toString(36)}`;
    await call('POST /api/v1/account/username/change', { token, json: { username: userName }, expect: 200 });
    token = await signIn();
    for (const operation of ['POST /api/v1/account/password/change', 'PUT /api/v1/profile/change-password']) {
      const newPassword = `${password}x`;
      await call(operation, {
        token,
        json: { currentPassword: 'Wrong-9-password', newPassword, confirmPassword: newPassword },
        expect: 401,
      });
      await call(operation, {
        token,
        json: { currentPassword: password, newPassword, confirmPassword: newPassword },
        expect: 200,
      });
      password = newPassword;
      token = await signIn();
    }

    // Email verification, on this user (v2 paths) and on the other (v1 paths).
    const users = [
      { token, email, paths: ['/api/v1/account/email/request-verification', '/api/v1/account/email/verify'] },
      {
        token: other.token,
        email: other.email,
        paths: ['/api/v1/profile/request-email-verification', '/api/v1/profile/verify-email'],
      },
    ];
    for (const user of users) {
      const [request, verify] = user.paths as [string, string];
      const sent = await call(`POST ${request}`, { token: user.token, expect: 200 });
      const tempToken: string = sent.body.data.tempToken;
      const code = t.mail.latestCodeTo(user.email);
      await call(`POST ${verify}`, {
        token: user.token,
        json: { tempToken, otpCode: wrongCode(code) },
        expect: 400,
      });
      await call(`POST ${verify}`, { token: user.token, json: { tempToken, otpCode: code }, expect: 200 });
      await call(`POST ${request}`, { token: user.token, expect: 400 });
    }
    await call('GET /api/v1/account/security-info', { token, expect: 200 });
    await call('GET /api/v1/profile/security-info', { token: other.token, expect: 200 });

    // Two-factor by email: enable, sign in with it, disable; v1 paths on the other user.
    await call('POST /api/v1/account/2fa/disable', { token, json: { password }, expect: 400 });
    await call('POST /api/v1/account/2fa/enable', { token, json: { password }, expect: 200 });
    await call('POST /api/v1/account/2fa/enable', { token, json: { password }, expect: 400 });
    const challenge = await call('POST /api/v1/auth/signin', {
      json: { login: email, password },
      expect: 200,
    });
    const challengeToken: string = challenge.body.data.challengeToken;
    await call('POST /api/v1/auth/signin/2fa', {
      json: { challengeToken: 'x'.repeat(43), code: '123456' },
      expect: 401,
    });
    token = (
      await call('POST /api/v1/auth/signin/2fa', {
        json: { challengeToken, code: t.mail.latestCodeTo(email) },
        expect: 200,
      })
    ).body.data.token;
    await call('POST /api/v1/account/2fa/disable', {
      token,
      json: { password: 'Wrong-9-password' },
      expect: 401,
    });
    await call('POST /api/v1/account/2fa/disable', { token, json: { password }, expect: 200 });
    await call('POST /api/v1/profile/enable-2fa', {
      token: other.token,
      json: { password: 'Wrong-9-password' },
      expect: 401,
    });
    await call('POST /api/v1/profile/enable-2fa', {
      token: other.token,
      json: { password: other.password },
      expect: 200,
    });
    await call('POST /api/v1/profile/disable-2fa', {
      token: other.token,
      json: { password: other.password },
      expect: 200,
    });
    await call('POST /api/v1/profile/disable-2fa', {
      token: other.token,
      json: { password: other.password },
      expect: 400,
    });

    // Linking a new email address and a phone number.
    const newEmail = uniqueUser().email;
    await call('POST /api/v1/account/link/email/initiate', {
      token,
      json: { newEmail, password: 'Wrong-9-password' },
      expect: 401,
    });
    const emailChange = await call('POST /api/v1/account/link/email/initiate', {
      token,
      json: { newEmail, password },
      expect: 200,
    });
    const emailCode = t.mail.latestCodeTo(newEmail);
    const emailTemp: string = emailChange.body.data.tempToken;
    await call('POST /api/v1/account/link/email/confirm', {
      token,
      json: { tempToken: emailTemp, otpCode: wrongCode(emailCode) },
      expect: 400,
    });
    await call('POST /api/v1/account/link/email/confirm', {
      token,
      json: { tempToken: emailTemp, otpCode: emailCode },
      expect: 200,
    });
    email = newEmail;
    const phoneNumber = newPhoneNumber();
    await call('POST /api/v1/account/link/phone/initiate', {
      token,
      json: { phoneNumber: '12' },
      expect: 422,
    });
    const phone = await call('POST /api/v1/account/link/phone/initiate', {
      token,
      json: { phoneNumber },
      expect: 200,
    });
    const phoneCode = t.sms.latestCodeTo(phoneNumber);
    const phoneTemp: string = phone.body.data.tempToken;
    await call('POST /api/v1/account/link/phone/confirm', {
      token,
      json: { tempToken: phoneTemp, otpCode: wrongCode(phoneCode) },
      expect: 400,
    });
    await call('POST /api/v1/account/link/phone/confirm', {
      token,
      json: { tempToken: phoneTemp, otpCode: phoneCode },
      expect: 200,
    });

    // Forgotten password: the mailed link sets a new one and answers a fresh session.
    const mailsBefore = t.mail.messagesTo(email).length;
    await call('POST /api/v1/account/password/forgot', { json: { email: 'nope' }, expect: 422 });
    await call('POST /api/v1/account/password/forgot', { json: { email }, expect: 200 });
    const resetMail = await t.mail.waitForMessageTo(email, mailsBefore + 1);
    const resetToken = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(resetMail.text)?.[1];
    expect(resetToken, resetMail.text).toBeDefined();
    t.secrets.add(resetToken!);
    const resetPassword = `${password}r`;
    await call('POST /api/v1/account/password/reset', {
      json: { token: 'x'.repeat(43), newPassword: resetPassword, confirmPassword: resetPassword },
      expect: 400,
    });
    token = (
      await call('POST /api/v1/account/password/reset', {
        json: { token: resetToken, newPassword: resetPassword, confirmPassword: resetPassword },
        expect: 200,
      })
    ).body.data.token;
    password = resetPassword;

    // Sign-out, then deactivation on both paths; a deactivated account cannot sign in (423).
    await call('POST /api/v1/auth/signout', { token, expect: 200 });
    token = await signIn();
    await call('DELETE /api/v1/account/deactivate', {
      token,
      json: { password: 'Wrong-9-password' },
      expect: 401,
    });
    await call('DELETE /api/v1/account/deactivate', { token, json: { password }, expect: 200 });
    await call('POST /api/v1/auth/signin', { json: { login: email, password }, expect: 423 });
    const otherToken = (
      await call('POST /api/v1/auth/signin', {
        json: { login: other.email, password: other.password },
        expect: 200,
      })
    ).body.data.token;
    await call('DELETE /api/v1/profile/deactivate', {
      token: otherToken,
      json: { password: 'nope' },
      expect: 401,
    });
    await call('DELETE /api/v1/profile/deactivate', {
      token: otherToken,
      json: { password: other.password },
      expect: 200,
    });
  });
});

describe('rate limits', () => {
  it('a code request past the budget is the documented 429 with Retry-After', async () => {
    const user = await t.users.signUpOverRest('profile');
    let answer: Answer | undefined;
    for (let sent = 0; sent <= OTP_SENDS_PER_WINDOW; sent++) {
      answer = await call('POST /api/v1/account/link/phone/initiate', {
        token: user.token,
        json: { phoneNumber: newPhoneNumber() },
      });
    }
    expect(answer!.status, answer!.text).toBe(429);
    expect(Number(answer!.headers.get('retry-after'))).toBeGreaterThan(0);
    const documented = doc.paths['/api/v1/account/link/phone/initiate']?.post?.responses['429'] as Json;
    expect(documented.headers['Retry-After']).toBeDefined();
  });
});

describe('username history and the data export (SPEC §9)', () => {
  it('answers the history, the export file and their errors as documented', async () => {
    const fields = uniqueUser();
    const signUp = await call('POST /api/v1/auth/signup', { json: fields, expect: 201 });
    const oldName: string = signUp.body.data.user.userName;
    const newName = `renamed_${Date.now().toString(36)}`;
    await call('POST /api/v1/account/username/change', {
      token: signUp.body.data.token,
      json: { username: newName },
      expect: 200,
    });
    const signIn = await call('POST /api/v1/auth/signin', {
      json: { login: fields.email, password: fields.password },
      expect: 200,
    });
    const token: string = signIn.body.data.token;

    const history = await call('GET /api/v1/account/username/history', { token, expect: 200 });
    expect(history.body.data).toEqual([expect.objectContaining({ userName: oldName })]);
    await call('GET /api/v1/account/username/history', { expect: 401 });
    const redirected = await call('GET /api/v1/profile/u/{username}', {
      params: { username: oldName },
      expect: 200,
    });
    expect(redirected.body.data).toMatchObject({ userName: newName, redirectedFrom: oldName });

    const viaHeader = await call('GET /api/v1/account/export', {
      token,
      headers: { 'x-password': fields.password },
      expect: 200,
    });
    expect(viaHeader.headers.get('content-disposition')).toMatch(`userhub-export-${newName}.json`);
    await call('GET /api/v1/account/export', { token, expect: 422 });
    await call('POST /api/v1/account/export', { token, json: { password: fields.password }, expect: 200 });
    await call('POST /api/v1/account/export', { token, json: {}, expect: 422 });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await call('POST /api/v1/account/export', {
        token,
        json: { password: 'Wrong-9-password' },
        expect: 401,
      });
    }
    await call('GET /api/v1/account/export', {
      token,
      headers: { 'x-password': fields.password },
      expect: 429,
    });
  });
});

describe('coverage', () => {
  it('called every documented operation with a success and with an error', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...OPERATIONS].sort());
    const missing = OPERATIONS.flatMap((operation) =>
      (['success', 'error'] as const)
        .filter((outcome) => !seen.get(operation)?.has(outcome))
        .map((outcome) => `${operation}: no ${outcome}`),
    );
    // A new route lands here until one of the scenarios above calls it, once succeeding and once failing.
    expect(missing, 'operations this file never called').toEqual([]);
  });
});
