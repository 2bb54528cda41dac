import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sourceResolve } from '../../vitest.shared.js';

export default defineProject({
  resolve: {
    ...sourceResolve,
    // The server's test harness, which the global setup starts, imports the SDK without depending on it.
    alias: { '@userhub/sdk': fileURLToPath(new URL('../sdk/src/index.ts', import.meta.url)) },
  },
  ssr: { resolve: { conditions: sourceResolve.conditions, externalConditions: ['@userhub/source'] } },
  test: {
    name: 'react',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The simulated page's origin; the server started by the global setup allows it under CORS.
    environmentOptions: { happyDOM: { url: 'http://localhost:4310' } },
    globalSetup: ['test/server.global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
