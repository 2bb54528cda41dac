// What the SDK's declarations take from the server, read from the server's compiled declarations
// file by file, so that bundling follows only the router's type and not the whole server.
export type { AppRouter } from '../../../apps/server/dist/routers/_app.js';
export type { UserhubErrorData } from '../../../apps/server/dist/trpc/init.js';
