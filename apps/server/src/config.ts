import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The only module that reads `process.env`. Everything else receives a `Config`,
 * so tests build one in code and nothing depends on the ambient environment.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('no-reply@localhost'),
  SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  SERVICE_TOKEN: z
    .string()
    .min(32, 'SERVICE_TOKEN must be at least 32 characters so it cannot be guessed')
    .optional(),
  APP_SECRET: z.string().min(32, 'APP_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Honour X-Forwarded-For when running behind a reverse proxy (client address for rate limits and audit). */
  TRUST_PROXY: z
    .enum(['true', 'false'])
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
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'CORS_ORIGINS must list http(s) origins' }))),
  /** Upper bound on argon2 hashes running at once; the rest queue (SPEC §3). */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Where users reach the service and its web app; links in mails point here (SPEC §9). */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) URL' }).optional(),
  /** WebAuthn relying party id: a registrable domain (never an IP address); default: PUBLIC_URL's host. */
  WEBAUTHN_RP_ID: z.string().min(1).optional(),
  /** The origin passkey ceremonies run on; default: PUBLIC_URL's origin. */
  WEBAUTHN_ORIGIN: z
    .url({ protocol: /^https?$/, error: 'WEBAUTHN_ORIGIN must be an http(s) origin' })
    .optional(),
});

export interface Config {
  readonly env: 'development' | 'test' | 'production';
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly smsWebhookUrl: string | undefined;
  readonly serviceToken: string | undefined;
  readonly appSecret: string | undefined;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly trustProxy: boolean;
  readonly corsOrigins: readonly string[];
  readonly passwordHashConcurrency: number;
  /** No trailing slash: `${publicUrl}/reset-password?token=…`. */
  readonly publicUrl: string;
  readonly webauthnRpId: string;
  readonly webauthnOrigin: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.APP_SECRET === undefined) {
    throw new ConfigError(
      'APP_SECRET is required when NODE_ENV=production (it encrypts TOTP secrets at rest)',
    );
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
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
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    smsWebhookUrl: e.SMS_WEBHOOK_URL,
    serviceToken: e.SERVICE_TOKEN,
    appSecret: e.APP_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS.map((origin) => new URL(origin).origin),
    passwordHashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
    publicUrl,
    webauthnRpId,
    webauthnOrigin: new URL(e.WEBAUTHN_ORIGIN ?? publicUrl).origin,
  };
}

function isIpAddress(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}
