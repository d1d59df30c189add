import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/template.ts';
import { migrate } from './migrate.ts';
import { openPostgres } from './postgres.ts';

// PostgreSQL only: several API instances start at once against one server.
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let dir: string;
beforeAll(async () => {
  fresh = await freshDatabase();
  dir = mkdtempSync(join(tmpdir(), 'anlan-migrations-'));
});
afterAll(async () => {
  await fresh?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('migrations on a PostgreSQL server', () => {
  it('are applied once when several instances start at once: one migrates, the others wait and find it done', async () => {
    writeFileSync(
      join(dir, '20261203235000_create_mig_once.sql'),
      'create table mig_once (id integer);\ninsert into mig_once values (1);',
    );
    const a = await openPostgres(fresh.databaseUrl!);
    const b = await openPostgres(fresh.databaseUrl!);
    // This test holds the runner's lock until both instances wait for it, so that they start together.
    const holder = new pg.Client({ connectionString: fresh.databaseUrl });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock(7326001)');
      const runs = [migrate(a, [dir]), migrate(b, [dir])];
      const waiting = async () =>
        Number(
          (
            await holder.query(
              "select count(*) as n from pg_locks where locktype = 'advisory' and objid = 7326001 and not granted",
            )
          ).rows[0].n,
        );
      while ((await waiting()) < 2);
      await holder.query('select pg_advisory_unlock(7326001)');
      const applied = await Promise.all(runs);
      expect(applied.map((r) => r.length).sort()).toEqual([0, 1]);
      expect(applied.flat()).toEqual(['20261203235000_create_mig_once.sql']);
      const rows = await sql<{ id: number }>`select id from mig_once`.execute(a.kysely);
      expect(rows.rows).toEqual([{ id: 1 }]);
    } finally {
      await holder.end();
      await a.close();
      await b.close();
    }
  });
});
