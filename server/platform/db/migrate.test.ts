import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/template.ts';
import type { Db } from './db.ts';
import { openDb } from './index.ts';
import { migrate, migrationFiles } from './migrate.ts';

// Throwaway migration folders in a temporary directory, applied to a copy of the migrated template (PGlite, or the
// PostgreSQL server in `npm run test:pg`). Names use this branch's timestamps, 20261203233000…20261203235999.
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let root: string;
let k = 0;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = await openDb(fresh);
  root = mkdtempSync(join(tmpdir(), 'anlan-migrations-'));
});
afterAll(async () => {
  await db?.close();
  await fresh?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A new migrations folder with these files. */
function folder(files: Record<string, string>): string {
  const dir = join(root, `m${++k}`);
  mkdirSync(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const exists = async (table: string) =>
  (await sql<{ t: string | null }>`select to_regclass(${table})::text as t`.execute(db.kysely)).rows[0].t !== null;
const recorded = async (name: string) =>
  (await db.kysely.selectFrom('schema_migrations').select('name').where('name', '=', name).execute()).length === 1;

describe('the migration runner', () => {
  it('applies the files of several folders in the one order of their names, each once', async () => {
    const a = folder({
      '20261203233000_create_mig_order.sql': 'create table mig_order (n serial primary key, step text not null);',
      '20261203233200_add_step_c.sql': "insert into mig_order (step) values ('c');",
      'README.md': 'not a migration',
    });
    const b = folder({ '20261203233100_add_step_b.sql': "insert into mig_order (step) values ('b');" });
    const names = [
      '20261203233000_create_mig_order.sql',
      '20261203233100_add_step_b.sql',
      '20261203233200_add_step_c.sql',
    ];
    // the folders' order does not matter: the names make one order
    expect(migrationFiles([b, a]).map((m) => m.name)).toEqual(names);
    expect(await migrate(db, [b, a])).toEqual(names);
    const steps = await db.kysely
      .selectFrom('mig_order' as never)
      .select('step' as never)
      .orderBy('n' as never)
      .execute();
    expect(steps).toEqual([{ step: 'b' }, { step: 'c' }]);
    // the real migrations stay applied, and nothing runs twice
    expect(await recorded('0001_create_org_and_access.sql')).toBe(true);
    expect(await migrate(db, [a, b])).toEqual([]);
  });

  it('refuses a name that two folders hold, before applying anything', async () => {
    const a = folder({
      '20261203233300_create_mig_dup_first.sql': 'create table mig_dup_first (id integer);',
      '20261203233310_create_mig_dup.sql': 'create table mig_dup (id integer);',
    });
    const b = folder({ '20261203233310_create_mig_dup.sql': 'create table mig_dup (id integer);' });
    await expect(migrate(db, [a, b])).rejects.toThrow(
      `migration 20261203233310_create_mig_dup.sql exists twice: ${a} and ${b}`,
    );
    expect(await exists('mig_dup_first')).toBe(false);
    expect(await recorded('20261203233300_create_mig_dup_first.sql')).toBe(false);
  });

  // (The first five files keep their four-digit numbers, `0001_…`; every new one is a timestamp.)
  it.each([
    ['20261203233400-create-mig-bad.sql', 1],
    ['20261203233400_Create_Mig_Bad.sql', 2],
    ['202612032334_create_mig_bad.sql', 3],
    ['20261203233400_.sql', 4],
    ['20261203233400_create mig bad.sql', 5],
    // a new four-digit file would sort before every timestamped one: fresh and upgraded installations would differ
    ['0006_create_mig_bad.sql', 6],
  ])('refuses the badly named %s, naming the file, before applying anything', async (name, i) => {
    const good = `2026120323339${i}_create_mig_before_bad_${i}.sql`;
    const dir = folder({ [good]: `create table mig_before_bad_${i} (id integer);` });
    writeFileSync(join(dir, name), 'create table mig_bad (id integer);');
    await expect(migrate(db, [dir])).rejects.toThrow(`migration ${join(dir, name)}: name must match`);
    expect(await exists(`mig_before_bad_${i}`)).toBe(false);
    expect(await recorded(good)).toBe(false);
  });

  it('rolls a failed migration back and does not record it; once fixed, the next start applies it', async () => {
    const dir = folder({
      '20261203233500_create_mig_ok.sql': 'create table mig_ok (id integer);',
      '20261203233510_create_mig_half.sql':
        'create table mig_half (id integer);\ninsert into mig_half values (1);\ninsert into mig_nowhere values (1);',
    });
    await expect(migrate(db, [dir])).rejects.toThrow(
      /migration 20261203233510_create_mig_half\.sql failed: .*mig_nowhere/,
    );
    // the one before it committed; the failed one left nothing, and the connection is usable
    expect(await recorded('20261203233500_create_mig_ok.sql')).toBe(true);
    expect(await exists('mig_ok')).toBe(true);
    expect(await exists('mig_half')).toBe(false);
    expect(await recorded('20261203233510_create_mig_half.sql')).toBe(false);

    writeFileSync(
      join(dir, '20261203233510_create_mig_half.sql'),
      'create table mig_half (id integer);\ninsert into mig_half values (1);',
    );
    expect(await migrate(db, [dir])).toEqual(['20261203233510_create_mig_half.sql']);
    expect(
      await db.kysely
        .selectFrom('mig_half' as never)
        .selectAll()
        .execute(),
    ).toEqual([{ id: 1 }]);
  });

  it('runs a no-transaction migration statement by statement: create index concurrently', async () => {
    const index = 'create index concurrently if not exists mig_big_v_idx on mig_big (v);';
    const dir = folder({
      '20261203233600_create_mig_big.sql':
        "create table mig_big (id integer, v text);\ninsert into mig_big values (1, 'a');",
    });
    expect(await migrate(db, [dir])).toEqual(['20261203233600_create_mig_big.sql']);
    // without the marker the runner wraps the file in a transaction, which the statement refuses
    writeFileSync(join(dir, '20261203233610_index_mig_big.sql'), `${index}\n`);
    await expect(migrate(db, [dir])).rejects.toThrow(/20261203233610_index_mig_big\.sql failed: .*transaction block/);
    expect(await recorded('20261203233610_index_mig_big.sql')).toBe(false);

    writeFileSync(
      join(dir, '20261203233610_index_mig_big.sql'),
      `-- anlan:no-transaction\n-- a large table stays writable while its index is built\n${index}\n\nanalyze mig_big;\n`,
    );
    expect(await migrate(db, [dir])).toEqual(['20261203233610_index_mig_big.sql']);
    const idx = await sql<{ valid: boolean }>`
      select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relname = 'mig_big_v_idx'`.execute(db.kysely);
    expect(idx.rows).toEqual([{ valid: true }]);
  });

  it('leaves the statements before a failed no-transaction statement, unrecorded; written to be run again, it completes', async () => {
    const dir = folder({
      '20261203233700_create_mig_nt.sql':
        '-- anlan:no-transaction\ncreate table if not exists mig_nt (id integer);\ninsert into mig_nt_missing values (1);\n',
    });
    await expect(migrate(db, [dir])).rejects.toThrow(/20261203233700_create_mig_nt\.sql failed: .*mig_nt_missing/);
    expect(await exists('mig_nt')).toBe(true);
    expect(await recorded('20261203233700_create_mig_nt.sql')).toBe(false);
    writeFileSync(
      join(dir, '20261203233700_create_mig_nt.sql'),
      '-- anlan:no-transaction\ncreate table if not exists mig_nt (id integer);\ncreate index concurrently if not exists mig_nt_idx on mig_nt (id);\n',
    );
    expect(await migrate(db, [dir])).toEqual(['20261203233700_create_mig_nt.sql']);
    expect(await recorded('20261203233700_create_mig_nt.sql')).toBe(true);
  });
});
