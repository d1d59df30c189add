import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { type DomainEvent, EventBus, emitEvent } from './events.ts';

let t: TestPlatform;
let db: TestPlatform['platform']['db'];
beforeAll(async () => {
  t = await startTestPlatform();
  db = t.platform.db;
  // The platform's own bus would deliver these too; stop it so that only the buses under test read the outbox.
  await t.bus.stop();
});
afterAll(() => t?.stop());

const visibility = { permission: 'incidents.read' };

describe('the outbox', () => {
  it('delivers what was committed, even if the process died before delivering it, exactly once', async () => {
    await db.transaction((trx) =>
      emitEvent(trx, new Date(), {
        type: 'test.happened',
        entity: 'test',
        entityId: 'a',
        payload: { n: 1 },
        visibility,
      }),
    );
    // A rolled-back change emits nothing.
    await expect(
      db.transaction(async (trx) => {
        await emitEvent(trx, new Date(), {
          type: 'test.happened',
          entity: 'test',
          entityId: 'b',
          payload: { n: 2 },
          visibility,
        });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');

    // "After the crash": a new bus on the same database delivers what the old one had not.
    const got: DomainEvent[] = [];
    const bus = new EventBus(db, (err) => {
      throw err;
    });
    bus.subscribe('test.happened', (e) => {
      got.push(e);
    });
    await bus.start();
    await bus.stop();
    expect(got.map((e) => e.payload)).toEqual([{ n: 1 }]);

    // And the next one does not deliver it again.
    const again: DomainEvent[] = [];
    const bus2 = new EventBus(db, () => undefined);
    bus2.subscribe('*', (e) => {
      again.push(e);
    });
    await bus2.start();
    await emitEvent(db.kysely, new Date(), {
      type: 'test.happened',
      entity: 'test',
      entityId: 'c',
      payload: { n: 3 },
      visibility,
    });
    await bus2.kick();
    await bus2.stop();
    expect(again.map((e) => e.payload)).toEqual([{ n: 3 }]);
  });
});
