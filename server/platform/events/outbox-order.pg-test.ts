// PostgreSQL servers run transactions side by side (PGlite has one connection): the outbox must deliver an event
// whose transaction took the lower sequence number but committed after the bus had read a higher one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { type DomainEvent, EventBus, emitEvent } from './events.ts';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(() => t.stop());

const event = (title: string) => ({
  type: 'position.reported',
  entity: 'test',
  entityId: title,
  payload: { title },
  visibility: { permission: 'incidents.read' },
});

describe('the outbox on a server with concurrent writers', () => {
  it('delivers an event committed after a later-numbered one was already read, with no audit lock held', async () => {
    const db = t.platform.db;
    const got: DomainEvent[] = [];
    const bus = new EventBus(db, (err) => {
      throw err;
    });
    bus.subscribe('position.reported', (e) => {
      got.push(e);
    });
    await bus.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let written!: () => void;
    const slowWrote = new Promise<void>((r) => {
      written = r;
    });
    // The slow writer takes the lower seq and stays open …
    const slow = db.transaction(async (trx) => {
      await emitEvent(trx, new Date(), event('slow'));
      written();
      await gate;
    });
    await slowWrote;
    // … while a quick one takes the next seq, commits, and is delivered.
    await db.transaction((trx) => emitEvent(trx, new Date(), event('quick')));
    await bus.kick();
    expect(got.map((e) => e.entityId)).toEqual(['quick']);
    // Then the slow one commits: its event must still arrive.
    release();
    await slow;
    await bus.kick();
    await bus.stop();
    expect(got.map((e) => e.entityId)).toEqual(['quick', 'slow']);
    expect(got[1].seq).toBeLessThan(got[0].seq);
  });
});
