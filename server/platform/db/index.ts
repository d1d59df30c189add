import { join } from 'node:path';
import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export type { Db, Engine, Tx } from './db.ts';
export { migrate } from './migrate.ts';
export type { Database } from './schema.ts';

/** The database of a configuration: the server at databaseUrl, else embedded PGlite in dataDir/pg. */
export function openDb(cfg: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite(join(cfg.dataDir, 'pg'));
}
