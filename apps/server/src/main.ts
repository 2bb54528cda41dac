import { loadConfig } from './config.js';
import { describeStartupFailure, type RunningServer, startServer } from './startup.js';

/** A bad setting or a failed start is one line on stderr and exit code 1, never a stack trace. */
let running: RunningServer;
try {
  running = await startServer(loadConfig());
} catch (error) {
  process.stderr.write(`${describeStartupFailure(error)}\n`);
  process.exit(1);
}

let shuttingDown = false;
async function shutDown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  running.logger.info({ signal }, 'shutting down');
  try {
    await running.close();
    process.exit(0);
  } catch (error) {
    running.logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.once('SIGTERM', () => void shutDown('SIGTERM'));
process.once('SIGINT', () => void shutDown('SIGINT'));
