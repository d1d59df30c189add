import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshDatabase } from '../../test/template.ts';
import { openPostgres } from './postgres.ts';

describe('the PostgreSQL driver', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(() => fresh?.drop());

  it('survives the server ending its idle connections (restart, failover) and answers the next query', async () => {
    const { databaseUrl } = fresh;
    const db = await openPostgres(databaseUrl!);
    // the pool reports each idle connection the server ends (postgres.ts logs it): the test waits for those reports
    let reports = 0;
    let reported: () => void = () => undefined;
    const log = vi.spyOn(console, 'error').mockImplementation((msg: unknown) => {
      if (String(msg).includes('PostgreSQL closed an idle connection')) {
        reports++;
        reported();
      }
    });
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
      const count = ended.rowCount ?? 0;
      await new Promise<void>((resolve) => {
        reported = () => reports >= count && resolve();
        reported();
      });
      const rows = await db.kysely.selectFrom('schema_migrations').select('name').execute();
      expect(rows.length).toBeGreaterThanOrEqual(5);
    } finally {
      log.mockRestore();
      await db.close();
    }
  });
});
