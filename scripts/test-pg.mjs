// `npm run test:pg`: every suite of `npm test` (server, contracts, web) against the PostgreSQL + PostGIS server at
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), plus the `*.pg-test.ts` files, which need a
// server (vitest.config.ts), e.g. the comparison with pgRouting (postgis and pgrouting extensions, osm2pgrouting,
// osmium). Each test file gets its own database, copied from a migrated template; the role needs CREATEDB.
import { spawnSync } from 'node:child_process';

const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
console.log(`[test:pg] PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//…@')}`);
// `npm run test:pg -- server/geo/road/pgrouting` runs only the files matching the paths given; other arguments
// (--reporter, --sequence.shuffle …) go to Vitest as they are.
const r = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url },
});
process.exit(r.status ?? 1);
