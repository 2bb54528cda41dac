import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * In development APP_SECRET may be left unset: one is generated into DATA_DIR once and
 * reused, so encrypted TOTP secrets survive restarts. Production requires it (config.ts).
 */
/** The file under DATA_DIR that holds the development secret. */
export const APP_SECRET_FILE = 'app-secret';

export async function ensureAppSecret(config: Config): Promise<Config> {
  if (config.appSecret !== undefined) return config;
  const file = path.resolve(config.dataDir, APP_SECRET_FILE);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return { ...config, appSecret: existing };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return { ...config, appSecret: (await readFile(file, 'utf8')).trim() };
}
