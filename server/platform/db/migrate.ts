import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './db.ts';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');
const LOCK_KEY = 7_326_001;

/** Applies the numbered SQL files not yet in schema_migrations, each in its own transaction. Returns their names. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const run = async (exec: (script: string) => Promise<void>, appliedNames: () => Promise<string[]>) => {
    await exec(
      'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(await appliedNames());
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const body = readFileSync(join(dir, file), 'utf8');
      try {
        await exec(`begin;\n${body}\n;\ninsert into schema_migrations (name) values ('${file}');\ncommit;`);
      } catch (err) {
        await exec('rollback').catch(() => undefined);
        throw new Error(`migration ${file} failed: ${(err as Error).message}`);
      }
      applied.push(file);
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
