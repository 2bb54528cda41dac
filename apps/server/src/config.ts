import { isIP } from 'node:net';
import { DEFAULT_DELETION_GRACE_DAYS, DEFAULT_USERNAME_HOLD_DAYS } from '@userhub/core';
import { z } from 'zod';

/**
 * The only module that reads `process.env`. Everything else receives a `Config`,
 * so tests build one in code and nothing depends on the ambient environment.
 *
 * Messages are written to follow the variable's name on one line
 * (`PORT: must be a whole number from 0 to 65535, got "abc"`), see `loadConfig`.
 */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be a whole number from ${min} to ${max}`);

const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
    .default('development'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// connection URL' })
    .optional(),
  DATA_DIR: z.string().min(1, 'must name a folder').default('./.data'),
  PORT: wholeNumber(0, 65_535).default(3000),
  HOST: z
    .string()
    .min(1, 'must name an address to listen on, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  /** SPEC §9: where users reach the service and its web app; links in mails point here. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://accounts.example.com' })
    .optional(),
  /** The name mails and the start-up summary speak of. */
  PRODUCT_NAME: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(60, 'must be at most 60 characters')
    .default('userhub'),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z
    .string()
    .min(3, 'must be a sender address such as no-reply@example.com')
    .default('no-reply@localhost'),
  SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /**
   * The outbox queue this instance queues into and sends from. Instances of one deployment
   * share it; deployments that share a database but not a mail server keep theirs apart.
   */
  OUTBOX_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -')
    .default('default'),
  SERVICE_TOKEN: z.string().min(32, 'must be at least 32 characters so it cannot be guessed').optional(),
  /** SPEC §9: bearer token that unlocks `/metrics`; unset, there is no `/metrics`. */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters so it cannot be guessed').optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  /** `auto`: readable lines in development on a terminal, JSON (one object per line) otherwise. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { error: 'must be auto, pretty or json' }).default('auto'),
  /** Honour X-Forwarded-For when running behind a reverse proxy (client address for rate limits and audit). */
  TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** Browser origins allowed to call the API cross-origin, comma-separated; unset: none. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must list http(s) origins, comma-separated' }))),
  /** Upper bound on argon2 hashes running at once; the rest queue (SPEC §3). */
  PASSWORD_HASH_CONCURRENCY: wholeNumber(1, 64).default(2),
  /** Milliseconds a client has to send a whole request (headers and body); slower ones get 408. */
  REQUEST_TIMEOUT_MS: wholeNumber(100, 600_000).default(30_000),
  /** SPEC §9: days a deleted account waits before it is erased; 0 erases at once. */
  DELETION_GRACE_DAYS: wholeNumber(0, 365).default(DEFAULT_DELETION_GRACE_DAYS),
  /** WebAuthn relying party id: a registrable domain (never an IP address); default: PUBLIC_URL's host. */
  WEBAUTHN_RP_ID: z.string().min(1).optional(),
  /** The origin passkey ceremonies run on; default: PUBLIC_URL's origin. */
  WEBAUTHN_ORIGIN: z.url({ protocol: /^https?$/, error: 'must be an http(s) origin' }).optional(),
  /** SPEC §9: days a changed username stays held for its previous owner; 0 frees it at once. */
  USERNAME_HOLD_DAYS: wholeNumber(0, 3650).default(DEFAULT_USERNAME_HOLD_DAYS),
});

type EnvName = keyof z.infer<typeof envSchema>;

/** Variables whose value may carry a credential: an error names them but never echoes the value. */
const SECRET_VARIABLES: ReadonlySet<EnvName> = new Set([
  'DATABASE_URL',
  'SMTP_URL',
  'SMS_WEBHOOK_URL',
  'SERVICE_TOKEN',
  'METRICS_TOKEN',
  'APP_SECRET',
]);

export type LogFormat = 'auto' | 'pretty' | 'json';

export interface Config {
  readonly env: 'development' | 'test' | 'production';
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  /** Without a trailing slash. */
  readonly publicUrl: string;
  /** True when PUBLIC_URL was left to its default (it then follows the port actually bound). */
  readonly isPublicUrlDefault: boolean;
  readonly productName: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly smsWebhookUrl: string | undefined;
  readonly outboxQueue: string;
  readonly serviceToken: string | undefined;
  readonly metricsToken: string | undefined;
  readonly appSecret: string | undefined;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly logFormat: LogFormat;
  readonly trustProxy: boolean;
  readonly corsOrigins: readonly string[];
  readonly passwordHashConcurrency: number;
  readonly requestTimeoutMs: number;
  readonly deletionGraceDays: number;
  readonly webauthnRpId: string;
  readonly webauthnOrigin: string;
  readonly usernameHoldDays: number;
}

/** A configuration problem, worded as one line that names the variable and what it must be. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * SPEC §9: PUBLIC_URL defaults to the server's own address on its port. A loopback or
 * wildcard address is named `localhost`: a WebAuthn relying party id cannot be an IP address,
 * so passkeys work on the default set-up only under that name.
 */
const LOOPBACK_OR_ANY = new Set(['127.0.0.1', '::1', '0.0.0.0', '::']);
export function defaultPublicUrl(host: string, port: number): string {
  const reachableHost = LOOPBACK_OR_ANY.has(host) ? 'localhost' : host;
  return `http://${reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost}:${port}`;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'configuration') as EnvName;
      const value = env[name];
      const got = value === undefined || SECRET_VARIABLES.has(name) ? '' : `, got ${JSON.stringify(value)}`;
      return `${name}: ${issue.message}${got}`;
    });
    throw new ConfigError(problems.join('; '));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.APP_SECRET === undefined) {
    throw new ConfigError(
      'APP_SECRET: is required when NODE_ENV=production (it encrypts TOTP secrets at rest); set it to a random string of at least 32 characters',
    );
  }
  const publicUrl = (e.PUBLIC_URL ?? defaultPublicUrl(e.HOST, e.PORT)).replace(/\/+$/, '');
  const webauthnRpId = e.WEBAUTHN_RP_ID ?? new URL(publicUrl).hostname;
  // WebAuthn forbids IP addresses as RP ids, and browsers refuse passkey ceremonies for them.
  if (isIpAddress(webauthnRpId)) {
    throw new ConfigError(
      `WEBAUTHN_RP_ID: ${webauthnRpId} is an IP address; passkeys need a domain name (use localhost in development)`,
    );
  }
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    isPublicUrlDefault: e.PUBLIC_URL === undefined,
    productName: e.PRODUCT_NAME,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    smsWebhookUrl: e.SMS_WEBHOOK_URL,
    outboxQueue: e.OUTBOX_QUEUE,
    serviceToken: e.SERVICE_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    appSecret: e.APP_SECRET,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS.map((origin) => new URL(origin).origin),
    passwordHashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    deletionGraceDays: e.DELETION_GRACE_DAYS,
    webauthnRpId,
    webauthnOrigin: new URL(e.WEBAUTHN_ORIGIN ?? publicUrl).origin,
    usernameHoldDays: e.USERNAME_HOLD_DAYS,
  };
}

function isIpAddress(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}
