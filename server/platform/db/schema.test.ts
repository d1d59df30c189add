import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareSchema,
  readDbColumns,
  readTypedTables,
  SCHEMA_FILE,
  SELF_TEST_FILE,
  type TypedTables,
} from '../../test/schema-check.ts';
import { freshDatabase } from '../../test/template.ts';
import type { Db } from './db.ts';
import { openDb } from './index.ts';

// Deliberately wrong copies of the real type, read by the same program: the check must name each fault.
const WRONG = `
import type { Generated } from 'kysely';
import type { Database } from './schema.ts';
export interface Wrong extends Omit<Database, 'settings' | 'users' | 'api_tokens'> {
  users: Omit<Database['users'], 'phone' | 'version' | 'password_hash'> & {
    nickname: string;
    version: string;
    password_hash: Generated<string>;
  };
  api_tokens: Omit<Database['api_tokens'], 'last_used_at'> & { last_used_at: Date };
  ghosts: { id: string };
}
`;

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let typed: TypedTables;
let wrong: TypedTables;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = await openDb(fresh);
  const read = readTypedTables(
    [
      { file: SCHEMA_FILE, name: 'Database' },
      { file: SELF_TEST_FILE, name: 'Wrong' },
    ],
    { [SELF_TEST_FILE]: WRONG },
  );
  typed = read.get('Database')!;
  wrong = read.get('Wrong')!;
});
afterAll(async () => {
  await db?.close();
  await fresh?.drop();
});

describe('the Database type', () => {
  it('matches the migrated database: every table and column, its type and nullability, and no untyped table', async () => {
    // the platform's tables and every module's, merged by declaration
    expect([...typed.keys()]).toEqual(expect.arrayContaining(['users', 'audit_log', 'jobs', 'incidents', 'closures']));
    expect(compareSchema(typed, await readDbColumns(db.kysely))).toEqual([]);
  });

  it('names a column or table added in SQL and missing from the type', async () => {
    const faults = await db
      .transaction(async (trx) => {
        await sql`alter table incidents add column weather text`.execute(trx);
        await sql`create table untyped_things (id integer primary key)`.execute(trx);
        const f = compareSchema(typed, await readDbColumns(trx));
        // roll the change back: the next test reads the database as migrated
        throw Object.assign(new Error('rollback'), { faults: f });
      })
      .catch((e: { faults?: string[] }) => e.faults);
    expect(faults).toEqual([
      'table untyped_things: in the database but not in the Database type',
      'incidents.weather: in the database but not in the Database type',
    ]);
  });

  it('names each fault of a type that differs from the database', async () => {
    const faults = compareSchema(wrong, await readDbColumns(db.kysely));
    expect(faults).toEqual(
      expect.arrayContaining([
        'table settings: in the database but not in the Database type',
        'table ghosts: in the Database type but not in the database',
        'users.phone: in the database but not in the Database type',
        'users.nickname: in the Database type (string) but not in the database',
        'api_tokens.last_used_at: nullable in the database, but its type Date has no null',
        'users.version: typed string, but the database has int4 (read as number)',
        'users.password_hash: typed Generated<string> (may be left out of an insert), but has no default',
      ]),
    );
    expect(faults).toHaveLength(7);
  });
});
