import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** Counts as numbers (int8) and money as numbers (numeric): both fit doubles for Anlan's magnitudes. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max, types: types as pg.CustomTypesConfig });
  // An idle connection the server ends (restart, failover, pg_terminate_backend) is reported on the pool; without
  // a listener that report would stop the whole process. The pool replaces the connection at the next query.
  pool.on('error', (err) => {
    console.error(`[anlan] PostgreSQL closed an idle connection: ${err.message}`);
  });
  // Fail fast with the server's own message when the URL is wrong.
  const client = await pool.connect();
  client.release();
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    kysely,
    transaction: (fn) => kysely.transaction().execute(fn),
    async execScript(sql) {
      await pool.query(sql);
    },
    close: () => kysely.destroy(),
  };
}
