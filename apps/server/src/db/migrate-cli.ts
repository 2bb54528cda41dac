import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { databaseTargetFor, openDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

const config = loadConfig();
const logger = createLogger(config);
const handle = await openDatabase(databaseTargetFor(config.databaseUrl, config.dataDir));
try {
  const { applied } = await migrateToLatest(handle.db);
  logger.info(
    { applied, database: handle.kind },
    applied.length ? 'migrations applied' : 'schema up to date',
  );
} finally {
  await handle.close();
}
