/**
 * `pnpm seed [--users N]`: fills the development database (PGlite under DATA_DIR, or
 * DATABASE_URL) with N realistic users (default 300) through the services. Safe to run
 * again: existing seed users are kept, only missing ones are added.
 */
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ensureAppSecret } from '../src/security/app-secret.js';
import { describeStartupFailure } from '../src/startup.js';
import { SEED_PASSWORD, seedEmail, seedUsers } from './seed-users.js';

function readArguments(): { users?: string | boolean | undefined } {
  try {
    return parseArgs({ options: { users: { type: 'string', default: '300' } } }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message} (usage: pnpm seed --users N)\n`);
    process.exit(1);
  }
}
const values = readArguments();
const users = Number(values.users);
if (!Number.isInteger(users) || users < 1 || users > 100_000) {
  process.stderr.write(`--users: must be a whole number from 1 to 100000, got "${values.users}"\n`);
  process.exit(1);
}

try {
  const config = await ensureAppSecret({ ...loadConfig(), logLevel: 'warn' });
  const built = await buildApp({ config });
  try {
    const started = Date.now();
    const report = await seedUsers(built, { users });
    process.stdout.write(
      `${report.created} users created, ${report.existing} already there, ${report.follows} follows in place ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s). Sign in as ${seedEmail(1)} / ${SEED_PASSWORD}\n`,
    );
  } finally {
    await built.close();
  }
} catch (error) {
  process.stderr.write(`${describeStartupFailure(error)}\n`);
  process.exit(1);
}
