import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT_INDEX = path.join(WEB_ROOT, 'dist', 'index.html');

function newestChange(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** The browser tests drive the built app the server serves; build it when it is missing or older than its sources. */
export default async function buildWebAppIfStale(): Promise<void> {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((name) => path.join(WEB_ROOT, name));
  const isFresh =
    existsSync(BUILT_INDEX) && statSync(BUILT_INDEX).mtimeMs >= Math.max(...sources.map(newestChange));
  if (!isFresh) await build({ root: WEB_ROOT, logLevel: 'warn' });
}
