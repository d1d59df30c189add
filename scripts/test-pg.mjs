// `npm run test:pg`: the same suites against the PostgreSQL + PostGIS server at DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres). Each test file gets its own database, copied from a
// migrated template; the role needs CREATEDB. Files named `*.pg-test.ts` run only here (vitest.config.ts), e.g.
// the comparison with pgRouting, which needs the postgis and pgrouting extensions and osm2pgrouting / osmium.
import { spawnSync } from 'node:child_process';

const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
console.log(`[test:pg] PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//…@')}`);
// `npm run test:pg -- server/geo/road/pgrouting` runs only the files matching the paths given; otherwise all of server/.
const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith('-') && (a.includes('/') || a.endsWith('.ts')));
const r = spawnSync('npx', ['vitest', 'run', ...(paths.length ? [] : ['server']), ...args], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url },
});
process.exit(r.status ?? 1);
