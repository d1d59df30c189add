import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './db.ts';

/** The platform's migrations; each module keeps its own in `<module>/migrations/` (its descriptor names it). */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');
const LOCK_KEY = 7_326_001;

/**
 * `0001_verb_object.sql` (the first five, numbered) or `YYYYMMDDHHMMSS_verb_object.sql`: a timestamp does not collide
 * between parallel branches, and sorts after the numbered ones.
 */
export const MIGRATION_NAME = /^(000[1-5]|\d{14})_[a-z0-9_]+\.sql$/;

/**
 * A first line `-- anlan:no-transaction` runs the file outside a transaction, one statement at a time (statements
 * end with `;` at the end of a line): for `create index concurrently` and the like, which refuse a transaction.
 */
export const NO_TRANSACTION = /^--\s*anlan:no-transaction\b/;

export interface Migration {
  name: string;
  path: string;
}

/** The migration files of these folders, in the one global order of their names. */
export function migrationFiles(dirs: readonly string[]): Migration[] {
  const seen = new Map<string, string>();
  const out: Migration[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.sql')) continue;
      if (!MIGRATION_NAME.test(name))
        throw new Error(`migration ${join(dir, name)}: name must match ${MIGRATION_NAME}`);
      const had = seen.get(name);
      if (had) throw new Error(`migration ${name} exists twice: ${had} and ${dir}`);
      seen.set(name, dir);
      out.push({ name, path: join(dir, name) });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Splits a no-transaction migration into its statements (one per `;` at a line's end). */
export function statementsOf(body: string): string[] {
  return body
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, '').trim().length > 0);
}

/** Applies the migration files not yet in schema_migrations, in name order. Returns their names. */
export async function migrate(db: Db, dirs: readonly string[] = [MIGRATIONS_DIR]): Promise<string[]> {
  const files = migrationFiles(dirs);
  const run = async (exec: (script: string) => Promise<void>, appliedNames: () => Promise<string[]>) => {
    await exec(
      'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(await appliedNames());
    const applied: string[] = [];
    for (const { name, path } of files) {
      if (done.has(name)) continue;
      const body = readFileSync(path, 'utf8');
      const record = `insert into schema_migrations (name) values ('${name}')`;
      try {
        if (NO_TRANSACTION.test(body)) {
          // Each statement commits on its own; a failure part-way leaves the earlier ones, so such files must be
          // written to be run again (`if not exists`).
          for (const statement of statementsOf(body)) await exec(statement);
          await exec(record);
        } else {
          await exec(`begin;\n${body}\n;\n${record};\ncommit;`);
        }
      } catch (err) {
        await exec('rollback').catch(() => undefined);
        throw new Error(`migration ${basename(path)} failed: ${(err as Error).message}`);
      }
      applied.push(name);
    }
    return applied;
  };
  if (db.engine === 'pglite') {
    return run(
      (s) => db.execScript(s),
      async () => (await db.kysely.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name),
    );
  }
  // Several API instances may start at once against one server: one migrates, the others wait on the lock.
  return db.kysely.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      return await run(
        async (s) => {
          await sql.raw(s).execute(conn);
        },
        async () => (await conn.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name),
      );
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
}
