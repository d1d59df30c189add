import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import type { GateTask } from './test-gate.worker.ts';
import { WorkerPool } from './worker-pool.ts';

const entry = new URL('./test-gate.worker.ts', import.meta.url);

function gate() {
  const sab = new SharedArrayBuffer(4);
  return {
    sab,
    open() {
      Atomics.store(new Int32Array(sab), 0, 1);
      Atomics.notify(new Int32Array(sab), 0);
    },
  };
}

const alice = { kind: 'user', id: 'alice' };
const bob = { kind: 'user', id: 'bob' };

describe('worker pool', () => {
  let pool: WorkerPool;
  afterEach(() => pool?.close());

  const run = (owner: typeof alice, task: GateTask) => pool.run<{ doubled: number }>(owner, { entry, task });

  it('answers from a worker thread, and brings an AppError back as the same AppError', async () => {
    pool = new WorkerPool({ threads: 1, perUser: 2 });
    expect(await run(alice, { value: 21 })).toEqual({ doubled: 42 });
    const err = await run(alice, { value: 7, fail: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION');
    expect((err as AppError).details).toEqual({ field: 'value', reason: 'refused 7' });
  });

  it('refuses a user over their limit with 429 JOB_LIMIT while other users are served', async () => {
    pool = new WorkerPool({ threads: 1, perUser: 2 });
    const g = gate();
    const a1 = run(alice, { value: 1, gate: g.sab });
    const a2 = run(alice, { value: 2 });
    const refused = await run(alice, { value: 3 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('JOB_LIMIT');
    expect((refused as AppError).status).toBe(429);
    expect((refused as AppError).details).toEqual({ running: 2 });
    const b1 = run(bob, { value: 10 });
    expect(pool.stats()).toMatchObject({ running: 1, waiting: 2 });
    g.open();
    expect(await Promise.all([a1, a2, b1])).toEqual([{ doubled: 2 }, { doubled: 4 }, { doubled: 20 }]);
    // the limit counts tasks in flight: once they are done the user may ask again
    expect(await run(alice, { value: 5 })).toEqual({ doubled: 10 });
  });

  it('takes waiting tasks user by user in turn, not in order of arrival', async () => {
    pool = new WorkerPool({ threads: 1, perUser: 3 });
    const g = gate();
    const order: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name));
    const first = track('carol', run({ kind: 'user', id: 'carol' }, { value: 0, gate: g.sab }));
    const a = [track('alice1', run(alice, { value: 1 })), track('alice2', run(alice, { value: 2 }))];
    const b = track('bob1', run(bob, { value: 3 }));
    g.open();
    await Promise.all([first, ...a, b]);
    expect(order).toEqual(['carol', 'alice1', 'bob1', 'alice2']);
  });

  it('drops a waiting task whose caller has gone, freeing its place', async () => {
    pool = new WorkerPool({ threads: 1, perUser: 2 });
    const g = gate();
    const a1 = run(alice, { value: 1, gate: g.sab });
    const ac = new AbortController();
    const a2 = pool.run(alice, { entry, task: { value: 2 }, signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error('client left'));
    expect(((await a2) as Error).message).toBe('client left');
    expect(pool.stats().waiting).toBe(0);
    const a3 = run(alice, { value: 3 });
    g.open();
    expect(await Promise.all([a1, a3])).toEqual([{ doubled: 2 }, { doubled: 6 }]);
  });

  it("stops a running task whose caller has gone, failing it with the caller's reason, and goes on", async () => {
    pool = new WorkerPool({ threads: 1, perUser: 2 });
    const g = gate();
    const ac = new AbortController();
    const running = pool.run(alice, { entry, task: { value: 1, gate: g.sab }, signal: ac.signal });
    const failed = running.catch((e: unknown) => e);
    // wait until the task is on a thread, then leave
    while (pool.stats().running === 0) await Promise.resolve();
    const reason = new AppError('BAD_REQUEST', { reason: 'the client left before the answer' });
    ac.abort(reason);
    expect(await failed).toBe(reason);
    g.open();
    expect(await run(alice, { value: 4 })).toEqual({ doubled: 8 });
  });
});
