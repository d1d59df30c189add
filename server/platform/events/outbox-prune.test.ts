// Outbox pruning (issue 7's leftover: the outbox grew forever): events past the retention go once every durable
// consumer has read them, never before; recent events stay. A database of its own: consumers of other tests would
// hold the horizon back.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/template.ts';
import type { Clock } from '../core/ids.ts';
import { type Db, openDb } from '../db/index.ts';
import { type BusOptions, EventBus, emitEvents } from './events.ts';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshDatabase();
  db = await openDb({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl });
  drop = fresh.drop;
});
afterAll(async () => {
  await db.close();
  await drop();
});

const DAY = 86_400_000;
const visibility = { permission: 'incidents.read' };
const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
const commit = (type: string, daysAgo: number, n: number) =>
  db.transaction((trx) =>
    emitEvents(
      trx,
      at(daysAgo),
      Array.from({ length: n }, (_, i) => ({ type, entity: 'test', entityId: String(i), payload: { i }, visibility })),
    ),
  );
const count = async (type: string) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from outbox where type = ${type}`.execute(db.kysely)).rows[0].n,
  );
const errors: unknown[] = [];
const bus = (opts: BusOptions = {}) => new EventBus(db, (err) => void errors.push(err), opts);

describe('outbox pruning', () => {
  it('keeps what a durable consumer has not read, deletes what everyone has read past the retention', async () => {
    // a consumer that has seen nothing yet: created now, stopped
    const first = bus();
    first.addConsumer({ name: 'audit.mirror', types: ['old.thing'], handle: async () => undefined });
    await first.start();
    await first.settle();
    await first.stop();

    await commit('old.thing', 45, 2_500);
    await commit('recent.thing', 2, 3);
    const pruner = bus({ retentionDays: 30, pruneBatch: 1_000 });
    expect(await pruner.prune()).toBe(0);
    expect(await count('old.thing')).toBe(2_500);

    // the consumer reads them; now they go, in batches (more than one statement's worth), the recent ones stay
    const second = bus();
    let read = 0;
    second.addConsumer({ name: 'audit.mirror', types: ['old.thing'], handle: async () => void read++ });
    await second.start();
    await second.settle();
    await second.stop();
    expect(read).toBe(2_500);
    expect(await pruner.prune()).toBe(2_500);
    expect(await count('old.thing')).toBe(0);
    expect(await count('recent.thing')).toBe(3);

    // a clock 40 days on: the recent ones are past the retention too (with the template's own start-up events)
    const later: Clock = { now: () => new Date(Date.now() + 40 * DAY) };
    expect(await bus({ retentionDays: 30, clock: later }).prune()).toBeGreaterThanOrEqual(3);
    expect(await count('recent.thing')).toBe(0);
    // retention 0 keeps everything
    await commit('kept.thing', 400, 2);
    expect(await bus({ retentionDays: 0, clock: later }).prune()).toBe(0);
    expect(await count('kept.thing')).toBe(2);
    expect(errors).toEqual([]);
  });
});
