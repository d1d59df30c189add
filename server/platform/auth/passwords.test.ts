import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { WorkQueue } from './passwords.ts';

/** A task that ends when the test says so. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, task: () => done };
}

describe('the bound on password hashing', () => {
  it('runs a few at once, queues a few more, and refuses the rest at once with the seconds to wait', async () => {
    const q = new WorkQueue(2, 3);
    const gates = Array.from({ length: 5 }, gate);
    const admitted = gates.map((g) => q.run(g.task));
    expect(q.running).toBe(2);
    expect(q.waiting).toBe(3);
    const refused = await q.run(async () => 'never').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('TOO_MANY_REQUESTS');
    expect((refused as AppError).details.seconds).toBeGreaterThanOrEqual(1);
    for (const g of gates) g.open();
    await Promise.all(admitted);
    expect(q.running).toBe(0);
    expect(q.waiting).toBe(0);
    expect(await q.run(async () => 'after')).toBe('after');
  });

  it('hands a freed slot to the next in line, in order, and frees it when a task fails', async () => {
    const q = new WorkQueue(1, 5);
    const order: number[] = [];
    const first = gate();
    const runs = [
      q.run(async () => {
        await first.task();
        throw new Error('boom');
      }),
      ...[1, 2, 3].map((k) => q.run(async () => void order.push(k))),
    ];
    first.open();
    await expect(runs[0]).rejects.toThrow('boom');
    await Promise.all(runs.slice(1));
    expect(order).toEqual([1, 2, 3]);
    expect(q.running).toBe(0);
  });
});
