import { existsSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyServerFactoryHandler } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { type BuiltApp, buildApp } from './app.js';
import { type Config, ConfigError, defaultPublicUrl } from './config.js';
import { databaseTargetFor } from './db/connect.js';
import { httpServerOptions, SHUTDOWN_GRACE_MS, SOCKET_IDLE_TIMEOUT_MS } from './http-server.js';
import { createLogger, isPrettyLogging } from './logger.js';
import { APP_SECRET_FILE, ensureAppSecret } from './security/app-secret.js';

/**
 * Start-up as an operator meets it: every failure is one line naming the variable or the
 * cause and what to do (main.ts prints it and exits 1), checked cheapest first, and the
 * port is bound before the database is opened or migrated.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** How long to wait for PostgreSQL to accept a connection before calling it unreachable. */
const DATABASE_CONNECT_TIMEOUT_MS = 5_000;

export interface RunningServer {
  readonly url: string;
  readonly built: BuiltApp;
  readonly logger: Logger;
  /** Stops taking requests, lets the running ones finish, closes the database. */
  close(): Promise<void>;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The innermost cause: a driver error wrapped by a migration error wrapped by … */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

async function bindPort(config: Config): Promise<Server> {
  const server = createServer(httpServerOptions(config.requestTimeoutMs));
  server.setTimeout(SOCKET_IDLE_TIMEOUT_MS);
  const where = `${config.host}:${config.port}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: config.host }, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    const code = errnoOf(error);
    if (code === 'EADDRINUSE')
      throw new StartupError(
        `PORT: ${where} is already in use — stop the other server or set PORT to a free port`,
      );
    if (code === 'EACCES')
      throw new StartupError(
        `PORT: not allowed to listen on ${where} (EACCES) — use a port above 1023 or run with the right to bind it`,
      );
    if (code === 'EADDRNOTAVAIL')
      throw new StartupError(
        `HOST: ${config.host} is not an address of this machine (EADDRNOTAVAIL) — use 127.0.0.1, 0.0.0.0 or one of its addresses`,
      );
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new StartupError(
        `HOST: cannot resolve "${config.host}" (${code}) — use an IP address or a known host name`,
      );
    throw new StartupError(`PORT: cannot listen on ${where} (${code ?? 'error'}): ${oneLine(String(error))}`);
  });
  return server;
}

async function checkDataDir(dataDir: string): Promise<void> {
  const absolute = path.resolve(dataDir);
  try {
    await mkdir(absolute, { recursive: true });
    await access(absolute, constants.W_OK);
  } catch (error) {
    throw new StartupError(
      `DATA_DIR: cannot write to ${absolute} (${errnoOf(error) ?? 'error'}) — choose a folder this user may write to`,
    );
  }
}

/** Describes the database without its password: `db "userhub" on 127.0.0.1:5432 as postgres`. */
export function describePostgresUrl(url: string): { where: string; database: string; user: string } {
  const parsed = new URL(url);
  return {
    where: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`,
    database:
      decodeURIComponent(parsed.pathname.replace(/^\//, '')) ||
      decodeURIComponent(parsed.username) ||
      'postgres',
    user: decodeURIComponent(parsed.username) || 'postgres',
  };
}

export function explainPostgresFailure(url: string, error: unknown): string {
  const { where, database, user } = describePostgresUrl(url);
  const cause = rootCause(error);
  const code = errnoOf(cause);
  switch (code) {
    case 'ECONNREFUSED':
      return `DATABASE_URL: cannot connect to ${where} (ECONNREFUSED) — is PostgreSQL running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DATABASE_URL: cannot resolve the host of ${where} (${code}) — check the host name`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `DATABASE_URL: cannot reach ${where} (${code}) — check the host, port and firewall`;
    case '28P01':
    case '28000':
      return `DATABASE_URL: PostgreSQL at ${where} refused user "${user}" (${code}) — check the user name and password`;
    case '3D000':
      return `DATABASE_URL: database "${database}" does not exist on ${where} — create it (createdb -h ${where.split(':')[0]} -p ${where.split(':')[1]} -U ${user} ${database})`;
    default: {
      const message = cause instanceof Error ? cause.message : String(cause);
      if (/timeout/i.test(message))
        return `DATABASE_URL: no answer from ${where} within ${DATABASE_CONNECT_TIMEOUT_MS / 1000} s — check the host, port and firewall`;
      return `DATABASE_URL: cannot use the database at ${where} (${code ?? 'error'}): ${oneLine(message)}`;
    }
  }
}

async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
  });
  // A refused connection also surfaces as an 'error' event; it is reported through connect().
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new StartupError(explainPostgresFailure(url, error));
  } finally {
    await client.end().catch(() => {});
  }
}

/** Turns anything start-up threw into the one line main.ts prints. */
export function describeStartupFailure(error: unknown, config?: Pick<Config, 'databaseUrl'>): string {
  if (error instanceof StartupError || error instanceof ConfigError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const migration = /^Migration (\S+) failed$/.exec(message);
  if (migration !== null) {
    const cause = rootCause(error);
    if (config?.databaseUrl !== undefined && errnoOf(cause)?.startsWith('E'))
      return explainPostgresFailure(config.databaseUrl, cause);
    const detail = cause instanceof Error ? cause.message : String(cause);
    return `database: migration ${migration[1]} failed: ${oneLine(detail)} — the schema was left at the previous migration`;
  }
  const cause = rootCause(error);
  const detail = cause instanceof Error ? cause.message : String(cause);
  return `start-up failed: ${oneLine(detail)}`;
}

type AppSecretSource = 'APP_SECRET' | 'file' | 'generated';

export interface StartupSummary {
  readonly url: string;
  readonly webApp: string;
  readonly docs: string;
  readonly database: string;
  readonly mail: string;
  readonly sms: string;
  readonly cors: string;
  readonly appSecret: string;
  readonly metrics: string;
}

export function startupSummary(config: Config, url: string, secret: AppSecretSource): StartupSummary {
  const revealsCodes = config.env !== 'production';
  let database: string;
  if (config.databaseUrl === undefined) {
    const target = databaseTargetFor(undefined, config.dataDir);
    database = `PGlite (embedded) at ${target.kind === 'pglite' ? target.dataDir : config.dataDir}`;
  } else {
    const { where, database: name, user } = describePostgresUrl(config.databaseUrl);
    database = `PostgreSQL database "${name}" on ${where} as ${user}`;
  }
  const smtp = config.smtpUrl === undefined ? undefined : new URL(config.smtpUrl);
  const mail =
    smtp !== undefined
      ? `SMTP ${smtp.hostname}:${smtp.port || (smtp.protocol === 'smtps:' ? '465' : '587')} from ${config.mailFrom}`
      : revealsCodes
        ? 'not sent (no SMTP_URL): codes are printed here'
        : 'NOT DELIVERED (no SMTP_URL): only recipients are logged — set SMTP_URL';
  const sms =
    config.smsWebhookUrl !== undefined
      ? `webhook ${new URL(config.smsWebhookUrl).origin}`
      : revealsCodes
        ? 'not sent (no SMS_WEBHOOK_URL): codes are printed here'
        : 'NOT DELIVERED (no SMS_WEBHOOK_URL): only recipients are logged — set SMS_WEBHOOK_URL';
  const secretFile = path.resolve(config.dataDir, APP_SECRET_FILE);
  return {
    url,
    webApp: `${config.publicUrl}/`,
    docs: `${url}/docs`,
    database,
    mail,
    sms,
    cors:
      config.corsOrigins.length === 0
        ? 'no cross-origin callers (CORS_ORIGINS unset)'
        : config.corsOrigins.join(', '),
    appSecret:
      secret === 'APP_SECRET'
        ? 'from APP_SECRET'
        : secret === 'generated'
          ? `generated into ${secretFile} (development only; set APP_SECRET in production)`
          : `read from ${secretFile}`,
    metrics:
      config.metricsToken === undefined
        ? 'off (set METRICS_TOKEN to serve /metrics)'
        : `${url}/metrics (bearer METRICS_TOKEN)`,
  };
}

function summaryLines(config: Config, summary: StartupSummary): string {
  const rows: [string, string][] = [
    ['API', `${summary.url}/trpc · REST at /v1 and /api/v1`],
    ['web app', summary.webApp],
    ['docs', summary.docs],
    ['database', summary.database],
    ['mail', summary.mail],
    ['SMS', summary.sms],
    ['CORS', summary.cors],
    ['app secret', summary.appSecret],
    ['metrics', summary.metrics],
  ];
  return [
    `${config.productName} is ready at ${summary.url}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`),
  ].join('\n');
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}`;
}

/** A default PUBLIC_URL (and the passkey origin derived from it) names the port actually bound. */
function followBoundPort(loaded: Config, port: number): Config {
  const publicUrl = defaultPublicUrl(loaded.host, port);
  const isOriginDerived = loaded.webauthnOrigin === new URL(loaded.publicUrl).origin;
  return { ...loaded, publicUrl, ...(isOriginDerived ? { webauthnOrigin: new URL(publicUrl).origin } : {}) };
}

/**
 * Stops taking connections, closes idle keep-alive sockets at once and each busy one as soon
 * as its request is answered, so requests in flight finish; past SHUTDOWN_GRACE_MS the rest
 * are cut. Only then are Fastify, the mailer and the database closed, so no request runs
 * against a closed database.
 */
async function closeGracefully(server: Server, built: BuiltApp): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
  await built.close();
}

export async function startServer(loaded: Config, logger?: Logger): Promise<RunningServer> {
  const server = await bindPort(loaded);
  try {
    const address = server.address() as AddressInfo;
    let config: Config = loaded.isPublicUrlDefault ? followBoundPort(loaded, address.port) : loaded;
    if (config.databaseUrl === undefined || config.appSecret === undefined)
      await checkDataDir(config.dataDir);
    const secret: AppSecretSource =
      config.appSecret !== undefined
        ? 'APP_SECRET'
        : existsSync(path.resolve(config.dataDir, APP_SECRET_FILE))
          ? 'file'
          : 'generated';
    config = await ensureAppSecret(config);
    if (config.databaseUrl !== undefined) await checkPostgres(config.databaseUrl);

    // Connections are accepted from the moment the port is bound; until the app is ready
    // (plugins and routes registered, not merely created) they get a clear "starting" answer
    // instead of hanging, or of reaching a Fastify instance that cannot route them yet.
    const whileStarting = (_request: unknown, response: ServerResponse) => {
      response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('starting\n');
    };
    server.on('request', whileStarting);
    const log = logger ?? createLogger(config);
    let built: BuiltApp;
    try {
      let handleRequest: FastifyServerFactoryHandler | undefined;
      built = await buildApp({
        config,
        logger: log,
        serverFactory: (handler) => {
          handleRequest = handler;
          return server;
        },
      });
      await built.app.ready();
      if (handleRequest === undefined) throw new Error('the app was built without its HTTP server');
      server.off('request', whileStarting).on('request', handleRequest);
    } catch (error) {
      throw new StartupError(describeStartupFailure(error, config));
    }

    const url = urlOf(address);
    const summary = startupSummary(config, url, secret);
    if (isPrettyLogging(config)) log.info(summaryLines(config, summary));
    else log.info(summary, `${config.productName} is ready`);

    return {
      url,
      built,
      logger: log,
      close: () => closeGracefully(server, built),
    };
  } catch (error) {
    server.close();
    throw error;
  }
}
