// `npm run test:pg`: the same suites against the PostgreSQL + PostGIS server at DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres). Each test file gets its own database, copied from a
// migrated template; the role needs CREATEDB.
import { spawnSync } from 'node:child_process';

const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
console.log(`[test:pg] PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//…@')}`);
const r = spawnSync('npx', ['vitest', 'run', 'server', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url },
});
process.exit(r.status ?? 1);
