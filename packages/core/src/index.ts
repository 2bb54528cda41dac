/**
 * @userhub/core — the domain rules of userhub: pure functions and zod schemas shared
 * by the server, the REST adapter and the SDK. No I/O, no environment, no clock
 * (`now` is a parameter), no ambient randomness (`RandomSource` is injected).
 */
export * from './account/account.schema.js';
export * from './account/referral-code.js';
export * from './account/username-history.schema.js';
export * from './auth/auth.schema.js';
export * from './auth/recovery.schema.js';
export * from './deletion/deletion.schema.js';
export * from './errors.js';
export * from './internal/internal.schema.js';
export * from './passkeys/passkeys.schema.js';
export * from './passkeys/sign-in-methods.js';
export * from './password/common-passwords.js';
export * from './password/policy.js';
export * from './profile/completeness.js';
export * from './profile/contact.js';
export * from './profile/fields.js';
export * from './profile/host.js';
export * from './profile/presence.js';
export * from './profile/profile.schema.js';
export * from './profile/profile-picture.js';
export * from './profile/socials.js';
export type { RandomSource } from './random.js';
export * from './request-id.js';
export * from './security/client.js';
export * from './security/strength.js';
export * from './social/social.schema.js';
export * from './tags/tags.js';
export * from './text.js';
export * from './time.js';
export * from './two-factor/two-factor.schema.js';
export * from './username/username.js';
export * from './username/username.schema.js';
