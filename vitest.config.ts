import { defineConfig } from 'vitest/config';

// Integration tests open a real PostgreSQL (embedded PGlite by default, a server with DATABASE_URL):
// each test file gets its own copy of one migrated template database (server/test/global-setup.ts).
// `*.pg-test.ts` files need a PostgreSQL server with extensions PGlite lacks (e.g. pgRouting): they run only when
// DATABASE_URL is set, i.e. in `npm run test:pg`, never skipped inside `npm test`.
const serverOnly = process.env.DATABASE_URL ? ['server/**/*.pg-test.ts'] : [];

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'contracts/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', ...serverOnly],
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
