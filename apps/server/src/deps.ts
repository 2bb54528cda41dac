import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/schema.js';
import type { Mailer, SmsSender } from './messaging/index.js';
import type { Metrics } from './metrics.js';
import type { OneTimeCodes } from './security/one-time-codes.js';
import type { PasswordHasher } from './security/password-hasher.js';
import type { RateLimits } from './security/rate-limits.js';
import type { SecretBox } from './security/secret-box.js';
import type { Outbox } from './services/outbox.js';

/** Everything a service needs from the outside world, built once in app.ts. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly hasher: PasswordHasher;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly rateLimits: RateLimits;
  readonly codes: OneTimeCodes;
  /** Encrypts TOTP keys at rest. */
  readonly totpSecrets: SecretBox;
  /** Prometheus series (SPEC §9); counted whether or not `/metrics` is exposed. */
  readonly metrics: Metrics;
  /** Every mail and SMS leaves through here: queued in the database, sent by the worker. */
  readonly outbox: Outbox;
}
