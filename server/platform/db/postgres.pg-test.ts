import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/template.ts';
import { openPostgres } from './postgres.ts';

describe('the PostgreSQL driver', () => {
  const fresh = freshDatabase();
  afterAll(async () => (await fresh).drop());

  it('survives the server ending its idle connections (restart, failover) and answers the next query', async () => {
    const { databaseUrl } = await fresh;
    const db = await openPostgres(databaseUrl!);
    try {
      await Promise.all([1, 2, 3].map(() => db.kysely.selectFrom('settings').select('key').execute()));
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      const name = new URL(databaseUrl!).pathname.slice(1);
      const ended = await admin.query(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      await admin.end();
      expect(ended.rowCount).toBeGreaterThan(0);
      // the terminated connections report on the pool while idle; the next query gets a new one
      await new Promise((r) => setTimeout(r, 300));
      const rows = await db.kysely.selectFrom('schema_migrations').select('name').execute();
      expect(rows.length).toBeGreaterThanOrEqual(5);
    } finally {
      await db.close();
    }
  });
});
