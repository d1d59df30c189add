import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { Clock } from '../core/ids.ts';
import { type Db, openDb } from '../db/index.ts';
import { type BusOptions, type DomainEvent, EventBus, emitEvent, emitEvents } from './events.ts';

let t: TestPlatform;
let db: Db;
beforeAll(async () => {
  t = await startTestPlatform();
  db = t.platform.db;
});
afterAll(() => t.stop());

const visibility = { permission: 'incidents.read' };
/** Each test its own event type and consumer names: the outbox and consumers table are shared by the file. */
const unique = (what: string) => `${what}.${randomBytes(4).toString('hex')}`;
const event = (type: string, n: number) => ({ type, entity: 'test', entityId: String(n), payload: { n }, visibility });
const ns = (es: DomainEvent[]) => es.map((e) => (e.payload as { n: number }).n);
const commit = (type: string, n: number) => db.transaction((trx) => emitEvent(trx, new Date(), event(type, n)));

const buses: EventBus[] = [];
/** What the buses reported (the platform logs these). */
const reported: string[] = [];
function bus(opts: BusOptions = {}, on: Db = db): EventBus {
  const b = new EventBus(on, (err) => void reported.push((err as Error).message), { retryDelayMs: () => 0, ...opts });
  buses.push(b);
  return b;
}
afterAll(async () => {
  for (const b of buses) await b.stop();
});

describe('the outbox', () => {
  it('delivers to a consumer what was committed while no instance ran, exactly once', async () => {
    const type = unique('test.happened');
    const name = unique('durable');
    const first = bus();
    first.addConsumer({ name, types: [type], handle: async () => undefined });
    await first.start();
    await first.settle();
    await first.stop();

    await commit(type, 1);
    // A rolled-back change emits nothing.
    await expect(
      db.transaction(async (trx) => {
        await emitEvent(trx, new Date(), event(type, 2));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');

    // "After the crash": a new instance delivers what no instance had.
    const got: DomainEvent[] = [];
    const second = bus();
    second.addConsumer({ name, types: [type], handle: async (e) => void got.push(e) });
    await second.start();
    await second.settle();
    await second.stop();
    expect(ns(got)).toEqual([1]);

    // And the next one does not deliver it again.
    const again: DomainEvent[] = [];
    const third = bus();
    third.addConsumer({ name, types: [type], handle: async (e) => void again.push(e) });
    await third.start();
    await commit(type, 3);
    await third.settle();
    await third.stop();
    expect(ns(again)).toEqual([3]);
  });

  it('takes many events in one statement (no audit row, no lock) and delivers them in order', async () => {
    const type = unique('reading.taken');
    // pages of 60: one commit of 250 is read a page at a time
    const b = bus({ batch: 60 });
    const heard: DomainEvent[] = [];
    b.subscribe(type, (e) => void heard.push(e));
    const consumed: DomainEvent[] = [];
    b.addConsumer({ name: unique('readings'), types: [type], handle: async (e) => void consumed.push(e) });
    await b.start();
    await db.transaction((trx) =>
      emitEvents(
        trx,
        new Date(),
        Array.from({ length: 250 }, (_, n) => event(type, n)),
      ),
    );
    await b.settle();
    const all = Array.from({ length: 250 }, (_, n) => n);
    expect(ns(heard)).toEqual(all);
    expect(ns(consumed)).toEqual(all);
  });

  it('retries a failing consumer, then dead-letters the event and moves on; others and streams go on meanwhile', async () => {
    const type = unique('incident.flagged');
    const failing = unique('failing');
    const fast = unique('fast');
    const b = bus({ attempts: 3 });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const tries: number[] = [];
    const failingGot: number[] = [];
    b.addConsumer({
      name: failing,
      types: [type],
      handle: async (e) => {
        const n = (e.payload as { n: number }).n;
        if (n !== 1) return void failingGot.push(n);
        tries.push(n);
        await gate;
        throw new Error('the warehouse system is down');
      },
    });
    const fastGot: DomainEvent[] = [];
    b.addConsumer({ name: fast, types: [type], handle: async (e) => void fastGot.push(e) });
    const streamed: DomainEvent[] = [];
    b.listen((e) => {
      if (e.type === type) streamed.push(e);
    });
    await b.start();
    await commit(type, 1);
    await commit(type, 2);
    await b.settle([fast]);
    // The failing consumer is stuck on its first attempt at event 1; the others have both events.
    expect(tries).toEqual([1]);
    expect(ns(fastGot)).toEqual([1, 2]);
    expect(ns(streamed)).toEqual([1, 2]);
    expect(b.ring.after(streamed[1].seq)).toBe(b.ring.end);

    release();
    await b.settle([failing]);
    expect(tries).toEqual([1, 1, 1]);
    expect(failingGot).toEqual([2]);
    const dead = await db.kysely.selectFrom('event_dead_letters').selectAll().where('consumer', '=', failing).execute();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ seq: fastGot[0].seq, type, attempts: 3, payload: { n: 1 } });
    expect(dead[0].error).toContain('the warehouse system is down');
    expect(reported).toContain(
      `event consumer ${failing}: event ${fastGot[0].seq} (${type}) failed 3 times, dead-lettered`,
    );
  });

  it('delivers each event once to a consumer with two instances on one database, and hands over on a stop', async () => {
    const type = unique('unit.moved');
    const name = unique('tracker');
    // On PostgreSQL the second instance has its own connections; PGlite is one process's database.
    const url = t.platform.config.databaseUrl;
    const db2 = url ? await openDb({ databaseUrl: url, dataDir: '' }) : db;
    try {
      const got: { by: string; n: number }[] = [];
      const a = bus();
      const b = bus({}, db2);
      a.addConsumer({ name, types: [type], handle: async (e) => void got.push({ by: 'a', n: ns([e])[0] }) });
      b.addConsumer({ name, types: [type], handle: async (e) => void got.push({ by: 'b', n: ns([e])[0] }) });
      await a.start();
      await b.start();
      for (let n = 1; n <= 10; n++) {
        await commit(type, n);
        await Promise.all([a.settle(), b.settle()]);
      }
      await a.stop();
      for (let n = 11; n <= 15; n++) await commit(type, n);
      await Promise.all([b.settle()]);
      expect(got.map((g) => g.n)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      // one instance held the consumer until it stopped, then the other took over
      const holders = got.map((g) => g.by).join('');
      expect(holders).toMatch(/^(a{10}b{5}|b{15})$/);
      await b.stop();
    } finally {
      if (db2 !== db) await db2.close();
    }
  });

  it('lets another instance take a lease over once its holder stopped without handing it over', async () => {
    const type = unique('warning.raised');
    const name = unique('notifier');
    let offset = 0;
    const clock: Clock = { now: () => new Date(Date.now() + offset) };
    const got: string[] = [];
    const a = bus({ leaseMs: 60_000, clock });
    a.addConsumer({ name, types: [type], handle: async () => void got.push('a') });
    await a.start();
    await a.settle();
    await a.stop({ releaseLeases: false }); // as if its process died

    const b = bus({ leaseMs: 60_000, clock });
    b.addConsumer({ name, types: [type], handle: async () => void got.push('b') });
    await b.start();
    await commit(type, 1);
    await b.settle();
    // the lease has not lapsed: the event waits
    expect(got).toEqual([]);
    expect(b.consumer(name)?.holdsLease).toBe(false);

    offset = 61_000;
    await b.settle();
    expect(got).toEqual(['b']);
    expect(b.consumer(name)?.holdsLease).toBe(true);
  });
});
