import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The web account center (`apps/web`) is a static single-page app served next to the API.
 * The same path from `src/` and from `dist/` reaches the web package's build output.
 */
export const DEFAULT_WEB_APP_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Paths the API owns. A client-side route never shadows them: a miss under one of these
 * stays the API's 404, not the app's index page.
 */
export const API_PATH_PREFIXES = [
  '/trpc',
  '/v1',
  '/api',
  '/docs',
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
] as const;

export function isApiPath(urlPath: string): boolean {
  return API_PATH_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/** `/assets/app.js`, `/favicon.svg`: a request for a file, which must 404 when missing, not become a page. */
function looksLikeFile(urlPath: string): boolean {
  const lastSegment = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  return lastSegment.includes('.');
}

export interface WebAppOptions {
  /** The built app (`index.html` and `assets/`); default: `apps/web/dist`. */
  readonly root?: string;
}

/**
 * Serves the built web app at `/`: its files as they are (hashed assets cached for good,
 * `index.html` revalidated every time), and `index.html` for every other GET that is not
 * an API path, so client routes such as `/u/alice` load the app. Without a build the API
 * runs alone.
 */
export async function registerWebApp(app: FastifyInstance, options: WebAppOptions = {}): Promise<void> {
  const root = options.root ?? DEFAULT_WEB_APP_ROOT;
  const indexFile = path.join(root, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.info({ root }, 'web app not built: serving the API only (pnpm build builds it)');
    return;
  }
  const indexHtml = await readFile(indexFile, 'utf8');

  await app.register(async (web) => {
    await web.register(fastifyStatic, {
      root,
      // One route per file found at start-up, so a missing file falls through to the handler below.
      wildcard: false,
      index: false,
      setHeaders: (reply, filePath) => {
        const isHashedAsset = filePath.startsWith(path.join(root, 'assets') + path.sep);
        reply.header('cache-control', isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });

    web.get('/*', async (request, reply) => {
      const urlPath = request.url.split('?')[0] ?? '/';
      if (isApiPath(urlPath) || looksLikeFile(urlPath)) return reply.callNotFound();
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    });
  });
}
