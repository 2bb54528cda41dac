import { defineProject } from 'vitest/config';
import { sourceResolve } from '../../vitest.shared.js';

export default defineProject({
  resolve: sourceResolve,
  ssr: { resolve: { conditions: sourceResolve.conditions, externalConditions: ['@userhub/source'] } },
  test: {
    name: 'sdk',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
