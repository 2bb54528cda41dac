import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { ensureAppSecret } from './security/app-secret.js';

describe('loadConfig', () => {
  it('applies the defaults of SPEC §8', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: './.data',
      port: 3000,
      host: '127.0.0.1',
      smtpUrl: undefined,
      mailFrom: 'no-reply@localhost',
      serviceToken: undefined,
      corsOrigins: [],
      trustProxy: false,
    });
  });

  it('reads DELETION_GRACE_DAYS: 14 by default, 0 to erase at once, never negative or a fraction', () => {
    expect(loadConfig({}).deletionGraceDays).toBe(14);
    expect(loadConfig({ DELETION_GRACE_DAYS: '0' }).deletionGraceDays).toBe(0);
    expect(() => loadConfig({ DELETION_GRACE_DAYS: '-1' })).toThrow(
      'DELETION_GRACE_DAYS: must be a whole number from 0 to 365, got "-1"',
    );
    expect(() => loadConfig({ DELETION_GRACE_DAYS: '1.5' })).toThrow(ConfigError);
  });

  it('holds a changed username for 30 days unless USERNAME_HOLD_DAYS says otherwise (SPEC §9)', () => {
    expect(loadConfig({}).usernameHoldDays).toBe(30);
    expect(loadConfig({ USERNAME_HOLD_DAYS: '0' }).usernameHoldDays).toBe(0);
    expect(loadConfig({ USERNAME_HOLD_DAYS: '90' }).usernameHoldDays).toBe(90);
    expect(() => loadConfig({ USERNAME_HOLD_DAYS: 'a month' })).toThrow(
      'USERNAME_HOLD_DAYS: must be a whole number from 0 to 3650, got "a month"',
    );
  });

  it('names every invalid variable and its rule', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', SERVICE_TOKEN: 'short', CORS_ORIGINS: 'ftp://files.example.com' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT: must be a whole number from 0 to 65535, got "eighty"');
    expect(message).toContain('SERVICE_TOKEN: must be at least 32 characters');
    expect(message).toContain('CORS_ORIGINS: must list http(s) origins');
    expect(message).not.toContain('\n');
    // A token is named but never echoed: the message may reach a shared terminal or log.
    expect(message).not.toContain('"short"');
  });

  it('requires APP_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^APP_SECRET: is required when NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 's'.repeat(32) }).appSecret).toBe('s'.repeat(32));
  });

  it('defaults PUBLIC_URL to the server address on its port and trims a trailing slash', () => {
    expect(loadConfig({ PORT: '4100' }).publicUrl).toBe('http://localhost:4100');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '80' }).publicUrl).toBe('http://localhost:80');
    const configured = loadConfig({ PUBLIC_URL: 'https://accounts.example.com/' });
    expect(configured.publicUrl).toBe('https://accounts.example.com');
    expect(configured.isPublicUrlDefault).toBe(false);
    expect(() => loadConfig({ PUBLIC_URL: 'accounts.example.com' })).toThrow(
      /^PUBLIC_URL: must be an http\(s\) URL/,
    );
  });

  it('reads PRODUCT_NAME, METRICS_TOKEN and LOG_FORMAT', () => {
    const config = loadConfig({ PRODUCT_NAME: 'Acme ID', METRICS_TOKEN: 'm'.repeat(32), LOG_FORMAT: 'json' });
    expect(config).toMatchObject({ productName: 'Acme ID', metricsToken: 'm'.repeat(32), logFormat: 'json' });
    expect(loadConfig({})).toMatchObject({
      productName: 'userhub',
      metricsToken: undefined,
      logFormat: 'auto',
    });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
      /^METRICS_TOKEN: must be at least 32 characters/,
    );
  });

  it('rejects a DATABASE_URL that is not a PostgreSQL URL without echoing it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/app' })).toThrow(
      /^DATABASE_URL: must be a postgres:\/\/ connection URL$/,
    );
  });

  it('normalises CORS origins to their origin part', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com/, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });
});

describe('ensureAppSecret', () => {
  it('generates a development secret into DATA_DIR once and reuses it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'userhub-secret-'));
    try {
      const first = await ensureAppSecret(loadConfig({ DATA_DIR: dataDir }));
      const second = await ensureAppSecret(loadConfig({ DATA_DIR: dataDir }));
      expect(first.appSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(second.appSecret).toBe(first.appSecret);
      const file = path.join(dataDir, 'app-secret');
      expect((await readFile(file, 'utf8')).trim()).toBe(first.appSecret);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps a configured APP_SECRET', async () => {
    const config = loadConfig({ APP_SECRET: 'k'.repeat(40), DATA_DIR: '/nonexistent/never-written' });
    expect((await ensureAppSecret(config)).appSecret).toBe('k'.repeat(40));
  });
});
