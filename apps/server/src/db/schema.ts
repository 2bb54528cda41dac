import type { AchievementType, Availability, CodePurpose, TwoFactorMethod } from '@userhub/core';
import type { ColumnType, Generated, Selectable, Updateable } from 'kysely';

/**
 * Kysely's view of the database. Column names are camelCase here and snake_case
 * in PostgreSQL; `CamelCasePlugin` translates (see connect.ts).
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  emailVerified: Generated<boolean>;
  emailVerifiedAt: Timestamp | null;
  userName: string;
  isUserNameUpdated: Generated<boolean>;
  passwordHash: string;
  passwordChangedAt: Timestamp;
  firstName: string;
  lastName: string;
  middleName: string | null;
  headline: string | null;
  bio: string | null;
  about: string | null;
  location: string | null;
  availability: Availability | null;
  isPrivate: Generated<boolean>;
  contactCountry: string | null;
  contactState: string | null;
  contactCity: string | null;
  contactAddress: string | null;
  contactPhone: string | null;
  phoneNumber: string | null;
  phoneVerified: Generated<boolean>;
  phoneVerifiedAt: Timestamp | null;
  socialGithub: string | null;
  socialTwitter: string | null;
  socialLinkedin: string | null;
  socialWebsite: string | null;
  profilePictureUrls: Generated<string[]>;
  role: Generated<string>;
  type: Generated<string>;
  accountType: Generated<string>;
  isVerified: Generated<boolean>;
  profileCompleteness: Generated<number>;
  referralCode: string;
  referredBy: string | null;
  score: Generated<number>;
  kycStatus: Generated<string>;
  walletGenerated: Generated<boolean>;
  web3Onboard: Generated<boolean>;
  postsCount: Generated<number>;
  shopsCount: Generated<number>;
  eventsCount: Generated<number>;
  twoFactorEnabled: Generated<boolean>;
  twoFactorMethod: TwoFactorMethod | null;
  twoFactorPendingMethod: TwoFactorMethod | null;
  totpSecretEncrypted: string | null;
  totpPendingSecretEncrypted: string | null;
  totpLastUsedStep: number | null;
  lockedAt: Timestamp | null;
  lockReason: string | null;
  /** Set while a deletion waits out its grace period (SPEC §9); the account is hidden meanwhile. */
  deletionScheduledFor: Timestamp | null;
  /** Set by "this wasn't me": sign-in stays shut until the password is reset. */
  passwordResetRequiredAt: Timestamp | null;
  lastLoginAt: Timestamp | null;
  /** Generated column: lower-cased names, username and headline, trigram-indexed for search. */
  searchText: ColumnType<string, never, never>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  tokenHash: string;
  userId: string;
  createdAt: CreatedAt;
  lastUsedAt: Timestamp;
  expiresAt: Timestamp;
  absoluteExpiresAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
}

export interface TwoFactorChallengesTable {
  id: Generated<string>;
  tokenHash: string;
  userId: string;
  method: TwoFactorMethod;
  /** Issue order (ties in `createdAt` included). */
  seq: Generated<string>;
  attempts: Generated<number>;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
  consumedAt: Timestamp | null;
}

export type OutboxChannel = 'mail' | 'sms';
export type OutboxBudget = 'otp_send' | 'password_reset';

export interface OutboxTable {
  id: Generated<string>;
  /** OUTBOX_QUEUE of the instance that queued it; only instances serving that queue send it. */
  queue: string;
  channel: OutboxChannel;
  /** What the message is, for logs and metrics: `code:<purpose>`, `notice:<event>`, `link:<purpose>`. */
  kind: string;
  /** The sealed message; null once it was sent or given up on. */
  payload: string | null;
  /** The send budget the request spent on it, given back if delivery finally fails. */
  budget: OutboxBudget | null;
  budgetKey: string | null;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  /** Due from then; a claimed row is pushed past its lease, so no other worker takes it meanwhile. */
  nextAttemptAt: Timestamp;
  lastError: string | null;
  /** The request that queued it: the worker's log lines about it carry that id. */
  requestId: string | null;
  createdAt: CreatedAt;
  finishedAt: Timestamp | null;
}

export interface TagsTable {
  id: Generated<string>;
  name: string;
  key: string;
  color: string;
  categories: Generated<string[]>;
  isParent: Generated<boolean>;
  type: Generated<string>;
  /** How many users carry the tag, kept by triggers on `user_tags`. */
  entryCount: Generated<number>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface UserTagsTable {
  userId: string;
  tagId: string;
  position: number;
}

export interface FollowsTable {
  followerId: string;
  followeeId: string;
  createdAt: CreatedAt;
}

export interface BlocksTable {
  blockerId: string;
  blockedId: string;
  createdAt: CreatedAt;
}

export interface BookmarksTable {
  id: Generated<string>;
  ownerId: string;
  targetId: string;
  createdAt: CreatedAt;
}

export interface AchievementsTable {
  id: Generated<string>;
  userId: string;
  type: AchievementType;
  value: Generated<number>;
  total: number;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
}

export interface OneTimeCodesTable {
  id: Generated<string>;
  userId: string;
  purpose: CodePurpose;
  target: string;
  codeHash: string;
  tempTokenHash: string;
  attempts: Generated<number>;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
  consumedAt: Timestamp | null;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  userId: string;
  codeHash: string;
  createdAt: CreatedAt;
  usedAt: Timestamp | null;
}

export interface AuditEventsTable {
  id: Generated<string>;
  userId: string;
  type: string;
  ip: string | null;
  userAgent: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  createdAt: CreatedAt;
}

/** One per security notice mailed: the "this wasn't me" link's token (only its hash). */
export interface NotMeTokensTable {
  id: Generated<string>;
  userId: string;
  tokenHash: string;
  /** The notice's event, e.g. `email_changed`. */
  event: string;
  /** What to undo: for an email change, `{previousEmail, newEmail}`. */
  details: ColumnType<Record<string, unknown>, string, string>;
  createdAt: ColumnType<Date, Date | string, never>;
  expiresAt: Timestamp;
  consumedAt: Timestamp | null;
}

export interface PasswordResetTokensTable {
  id: Generated<string>;
  userId: string;
  tokenHash: string;
  createdAt: ColumnType<Date, Date | string, never>;
  expiresAt: Timestamp;
  consumedAt: Timestamp | null;
}

export interface PasskeysTable {
  id: Generated<string>;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  /** int8: pg answers a string, PGlite a bigint; read it through Number(). */
  counter: ColumnType<string | number | bigint, number, number>;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: ColumnType<Date, Date | string, never>;
  lastUsedAt: Timestamp | null;
}

export interface WebauthnChallengesTable {
  id: Generated<string>;
  userId: string | null;
  purpose: string;
  challenge: string;
  createdAt: ColumnType<Date, Date | string, never>;
  expiresAt: Timestamp;
  consumedAt: Timestamp | null;
}

export interface UsernameHistoryTable {
  id: Generated<string>;
  /** int8 identity: the order of the changes. */
  seq: ColumnType<string | number | bigint, never, never>;
  userId: string;
  userName: string;
  changedAt: ColumnType<Date, Date | string, never>;
  heldUntil: Timestamp;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  twoFactorChallenges: TwoFactorChallengesTable;
  outbox: OutboxTable;
  tags: TagsTable;
  userTags: UserTagsTable;
  follows: FollowsTable;
  blocks: BlocksTable;
  bookmarks: BookmarksTable;
  achievements: AchievementsTable;
  oneTimeCodes: OneTimeCodesTable;
  recoveryCodes: RecoveryCodesTable;
  auditEvents: AuditEventsTable;
  passwordResetTokens: PasswordResetTokensTable;
  notMeTokens: NotMeTokensTable;
  passkeys: PasskeysTable;
  webauthnChallenges: WebauthnChallengesTable;
  usernameHistory: UsernameHistoryTable;
}

export type UserRow = Selectable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
