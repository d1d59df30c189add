// PGlite's one connection: single statements pass waiting transactions (a bounded number in a row, so writes cannot
// starve), and nothing ever runs inside another request's transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/template.ts';
import type { Db } from './db.ts';
import { openPglite, PriorityLock, READS_PASSING } from './pglite.ts';

describe('the PGlite lock', () => {
  it('lets single statements pass waiting transactions, at most READS_PASSING in a row', async () => {
    const lock = new PriorityLock();
    const order: string[] = [];
    const holder = await lock.acquire('write');
    const take = (name: string, kind: 'read' | 'write') =>
      lock.acquire(kind).then((release) => {
        order.push(name);
        release();
      });
    const all = [take('W1', 'write'), take('W2', 'write')];
    for (let i = 1; i <= READS_PASSING + 2; i++) all.push(take(`R${i}`, 'read'));
    expect(lock.waiting).toEqual({ reads: READS_PASSING + 2, writes: 2 });
    holder();
    await Promise.all(all);
    const reads = Array.from({ length: READS_PASSING }, (_, i) => `R${i + 1}`);
    expect(order).toEqual([...reads, 'W1', `R${READS_PASSING + 1}`, `R${READS_PASSING + 2}`, 'W2']);
  });
});

describe('PGlite under concurrent readers and writers', () => {
  let dir: string;
  let drop: () => Promise<void>;
  let db: Db;
  beforeAll(async () => {
    // a copy of the test template when there is one (no initdb: seconds less); with DATABASE_URL (`npm run test:pg`)
    // there is only the server's, and PGlite makes a new database
    if (process.env.DATABASE_URL) {
      dir = mkdtempSync(join(tmpdir(), 'anlan-pglite-lock-'));
      drop = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const fresh = await freshDatabase();
      dir = join(fresh.dataDir, 'pg');
      drop = fresh.drop;
    }
    db = await openPglite(dir);
    await db.execScript('create table t (n int)');
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('answers a read before transactions that were already waiting, never inside one', async () => {
    const order: string[] = [];
    let openFirst!: () => void;
    const firstMayEnd = new Promise<void>((r) => {
      openFirst = r;
    });
    let firstStarted!: () => void;
    const started = new Promise<void>((r) => {
      firstStarted = r;
    });
    const first = db.transaction(async (trx) => {
      await sql`insert into t values (1)`.execute(trx);
      firstStarted();
      await firstMayEnd;
      await sql`insert into t values (2)`.execute(trx);
      order.push('first committed');
    });
    await started;
    const second = db.transaction(async (trx) => {
      await sql`insert into t values (3)`.execute(trx);
      order.push('second');
    });
    const read = sql<{ n: number }>`select count(*)::int as n from t`.execute(db.kysely).then((r) => {
      order.push(`read ${r.rows[0].n}`);
    });
    openFirst();
    await Promise.all([first, second, read]);
    // the read waited for the transaction that held the connection (it saw both of its rows, not one),
    // then went before the transaction that was waiting
    expect(order).toEqual(['first committed', 'read 2', 'second']);
  });
});
