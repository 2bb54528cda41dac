import type { TestProject } from 'vitest/node';
import { startTestServer, type TestServer } from '../../../apps/server/test/harness.js';

let server: TestServer | undefined;

/**
 * One real userhub server (PGlite, or PostgreSQL when DATABASE_URL is set) for the DOM tests,
 * started in Node outside the simulated browser so that the database does not see a `window`.
 */
export async function setup(project: TestProject): Promise<void> {
  // The DOM tests' page origin (vitest.config.ts), allowed as a deployment lists its frontends.
  const pageOrigin = new URL(String(project.config.environmentOptions?.happyDOM?.url)).origin;
  server = await startTestServer({ env: { CORS_ORIGINS: pageOrigin } });
  project.provide('userhubUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    userhubUrl: string;
  }
}
