/**
 * Tests run the workspace packages from their TypeScript sources: each package's
 * `exports` has an `@userhub/source` condition pointing at `src/`, so no build is needed
 * before `pnpm test`. The rest are Vite's default server conditions.
 */
export const sourceResolve = {
  conditions: ['@userhub/source', 'module', 'node', 'development|production'],
};
