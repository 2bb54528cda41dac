import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The workspace packages are bundled from their TypeScript sources (`@userhub/source`),
// so the app never waits on, or goes stale against, their `dist/`.
export default defineConfig({
  plugins: [react()],
  resolve: {
    conditions: ['@userhub/source', 'module', 'browser', 'development|production'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 4500,
    proxy: { '/trpc': 'http://127.0.0.1:3000' },
  },
});
