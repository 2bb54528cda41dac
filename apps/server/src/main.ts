import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { ensureAppSecret } from './security/app-secret.js';

const config = await ensureAppSecret(loadConfig());
const built = await buildApp({ config });
const { app } = built;

let shuttingDown = false;
async function shutDown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  app.log.info({ signal }, 'shutting down');
  try {
    await built.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutDown('SIGTERM'));
process.once('SIGINT', () => void shutDown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
app.log.info(
  { database: config.databaseUrl === undefined ? `pglite at ${config.dataDir}` : 'postgres' },
  'userhub is ready',
);
