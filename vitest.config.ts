import { defineConfig } from 'vitest/config';

// Lets an editor or `pnpm vitest` at the root run every package's suite at once;
// `pnpm test` goes through turbo, which runs each package's own config.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
