import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type Engine = 'pglite' | 'postgres';
/** A query runner: the database itself or an open transaction. */
export type Tx = Kysely<Database> | Transaction<Database>;

/** The one database interface; two drivers (embedded PGlite, PostgreSQL servers) stand behind it. */
export interface Db {
  readonly engine: Engine;
  readonly kysely: Kysely<Database>;
  /** Runs fn in one transaction; a throw rolls everything back. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Runs a multi-statement SQL script (migrations). */
  execScript(sql: string): Promise<void>;
  close(): Promise<void>;
}
