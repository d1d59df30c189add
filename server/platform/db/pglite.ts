import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

const NUMERIC = 1700;

/**
 * PGlite is one connection in one process. Kysely's driver hands that connection to one user at a time
 * (a request's query, or a whole transaction), so a transaction never interleaves with other requests' queries.
 */
class Lock {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(readonly pg: PGlite) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.pg.query<R>(q.sql, q.parameters as unknown[]);
    const affected = res.affectedRows;
    return {
      rows: res.rows,
      numAffectedRows:
        affected !== undefined && /^\s*(insert|update|delete|merge)/i.test(q.sql) ? BigInt(affected) : undefined,
    };
  }
  // biome-ignore lint/correctness/useYield: streaming is not used; Kysely requires the method
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on PGlite');
  }
}

class PgliteDriver implements Driver {
  readonly lock = new Lock();
  #releases = new WeakMap<DatabaseConnection, () => void>();
  constructor(readonly pg: PGlite) {}
  async init(): Promise<void> {
    await this.pg.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    const conn = new PgliteConnection(this.pg);
    this.#releases.set(conn, release);
    return conn;
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await (conn as PgliteConnection).pg.exec(`begin${iso}`);
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await (conn as PgliteConnection).pg.exec('commit');
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await (conn as PgliteConnection).pg.exec('rollback');
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    this.#releases.get(conn)?.();
  }
  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

/** Opens (creating if needed) the embedded PostgreSQL + PostGIS database in dir. */
export async function openPglite(dir: string): Promise<Db> {
  mkdirSync(dir, { recursive: true });
  const pg = new PGlite(dir, {
    extensions: { postgis },
    parsers: { [NUMERIC]: (v: string) => Number(v) },
  });
  await pg.waitReady;
  const driver = new PgliteDriver(pg);
  const kysely = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return {
    engine: 'pglite',
    kysely,
    transaction: (fn) => kysely.transaction().execute(fn),
    async execScript(sql) {
      const release = await driver.lock.acquire();
      try {
        await pg.exec(sql);
      } finally {
        release();
      }
    },
    close: () => kysely.destroy(),
  };
}
