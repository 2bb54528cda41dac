import { defineProject } from 'vitest/config';
import { sourceResolve } from '../../vitest.shared.js';

export default defineProject({
  resolve: sourceResolve,
  ssr: { resolve: { conditions: sourceResolve.conditions, externalConditions: ['@userhub/source'] } },
  test: {
    name: 'core',
    include: ['src/**/*.test.ts'],
    // Property tests run a hundred cases each; on a loaded 2-core CI machine the 5 s default is too tight.
    testTimeout: 20_000,
  },
});
