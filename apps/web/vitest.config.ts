import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { sourceResolve } from '../../vitest.shared.js';

export default defineProject({
  resolve: {
    ...sourceResolve,
    // The browser tests start the real server in-process through its test harness, which
    // reaches the SDK by path (the server cannot depend on the SDK: a package cycle).
    alias: {
      '@userhub/sdk': fileURLToPath(new URL('../../packages/sdk/src/index.ts', import.meta.url)),
    },
  },
  ssr: { resolve: { conditions: sourceResolve.conditions, externalConditions: ['@userhub/source'] } },
  test: {
    name: 'web',
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // One browser and one server per file; on a small machine a browser step can take seconds.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
