import pg from 'pg';

/** The PostgreSQL server the benchmark uses (trust auth, PostGIS installed). */
export const PG_BASE = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');

export function pgUrl(database: string): string {
  return `${PG_BASE}/${database}`;
}

async function withClient<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: pgUrl(database), connectionTimeoutMillis: 3_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** null when the server answers; otherwise why not. */
export async function pgUnreachable(): Promise<string | null> {
  try {
    const v = await withClient('postgres', async (c) => (await c.query<{ v: string }>('show server_version')).rows[0]);
    return v ? null : 'no server_version';
  } catch (err) {
    return (err as Error).message;
  }
}

export async function pgServerVersion(): Promise<string> {
  return withClient('postgres', async (c) => (await c.query<{ v: string }>('select version() as v')).rows[0]?.v ?? '?');
}

export async function databaseExists(name: string): Promise<boolean> {
  return withClient(
    'postgres',
    async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1,
  );
}

/** Drops (forcing other sessions out) and creates `name`, with PostGIS. */
export async function recreateDatabase(name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await withClient('postgres', async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  await withClient(name, (c) => c.query('create extension if not exists postgis'));
}

/** The jsonb value of a settings row in `database`, if the table and row exist. */
export async function readSetting(database: string, key: string): Promise<unknown> {
  return withClient(database, async (c) => {
    const t = await c.query("select to_regclass('public.settings') as t");
    if (!t.rows[0]?.t) return undefined;
    return (await c.query<{ value: unknown }>('select value from settings where key = $1', [key])).rows[0]?.value;
  });
}
