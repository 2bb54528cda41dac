/** The server's public surface for other packages: the router type the SDK is typed by, and the app builder. */

export { type BuiltApp, buildApp } from './app.js';
export { type Config, loadConfig } from './config.js';
export type { AppRouter } from './routers/_app.js';
export type { UserhubErrorData } from './trpc/init.js';
