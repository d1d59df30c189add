/**
 * A worker entry for the pool's tests: holds its thread until the test opens the gate (a shared Int32 set to 1),
 * then answers — so a test decides when a task ends, without sleeps.
 */
import { AppError } from '../../errors.ts';
import { workerTask } from './worker-task.ts';

export interface GateTask {
  value: number;
  gate?: SharedArrayBuffer;
  fail?: boolean;
}

export default workerTask((t: GateTask) => {
  if (t.gate) Atomics.wait(new Int32Array(t.gate), 0, 0);
  if (t.fail) throw new AppError('VALIDATION', { field: 'value', reason: `refused ${t.value}` });
  return { doubled: t.value * 2 };
});
