import { defineProject } from 'vitest/config';
import { sourceResolve } from '../../vitest.shared.js';

export default defineProject({
  resolve: sourceResolve,
  ssr: { resolve: { conditions: sourceResolve.conditions, externalConditions: ['@userhub/source'] } },
  test: {
    name: 'react',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  },
});
