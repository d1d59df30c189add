import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// End-to-end tests drive Debian's Chromium against a server that `scripts/e2e.mjs` starts;
// they read ANLAN_URL and ANLAN_ADMIN_PASSWORD from the environment.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['verbose'],
  },
});
