import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import FileSequencer from './server/test/sequencer.ts';

// Integration tests open a real PostgreSQL (embedded PGlite by default, a server with DATABASE_URL):
// each test file gets its own copy of one migrated template database (server/test/global-setup.ts).
// `*.pg-test.ts` files need a PostgreSQL server with extensions PGlite lacks (e.g. pgRouting): they run only when
// DATABASE_URL is set, i.e. in `npm run test:pg`, never skipped inside `npm test`.
const serverOnly = process.env.DATABASE_URL ? ['server/**/*.pg-test.ts'] : [];

const POSTGIS_SHIM = join(import.meta.dirname, 'server', 'test', 'postgis.ts');

export default defineConfig({
  plugins: [
    {
      // PGlite's PostGIS with a bundle of what Anlan uses (server/test/postgis.ts): a second less per database opened
      name: 'anlan-test-postgis',
      enforce: 'pre',
      resolveId(id, importer) {
        if (id === '@electric-sql/pglite-postgis' && importer !== POSTGIS_SHIM) return POSTGIS_SHIM;
      },
    },
  ],
  test: {
    include: ['server/**/*.test.ts', 'contracts/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', ...serverOnly],
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Two worker processes run every file: each imports the server once, instead of once per file (that import
    // cost more than most files' tests). A file shares no state with another but the modules' caches, which are
    // keyed by database rows and tokens; each file has its own database. `npx vitest run --sequence.shuffle`
    // checks that no file or test depends on the order.
    isolate: false,
    sequence: { sequencer: FileSequencer },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
