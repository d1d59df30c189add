import { defineConfig } from 'vitest/config';

// Integration tests open a real PostgreSQL (embedded PGlite by default, a server with DATABASE_URL):
// each test file gets its own copy of one migrated template database (server/test/global-setup.ts).
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'contracts/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
