import { sql } from 'kysely';
import type { Db } from './db.ts';

const EVERY_MS = 6 * 3600_000;

/**
 * Embedded PGlite runs no autovacuum launcher, so the planner's statistics would never be refreshed:
 * analyse a minute after start (not during it: it holds the one connection) and every six hours.
 * PostgreSQL servers have autovacuum and need nothing.
 */
export function scheduleMaintenance(db: Db, onError: (err: unknown) => void): () => void {
  if (db.engine !== 'pglite') return () => undefined;
  const run = () => sql`analyze`.execute(db.kysely).catch(onError);
  let timer = setTimeout(function again() {
    void run();
    timer = setTimeout(again, EVERY_MS);
    timer.unref();
  }, 60_000);
  timer.unref();
  return () => clearTimeout(timer);
}
