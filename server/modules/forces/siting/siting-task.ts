/**
 * Siting off the event loop: HiGHS blocks its thread for up to the time limit, so the service hands the problem to
 * a worker thread (`platform.workers`) and awaits the plan. The problem travels packed into three typed arrays whose
 * buffers are moved, not copied (a 20,000-cell problem with 2,000 candidates is a few MB).
 */

import { siblingModule } from '../../../platform/core/source-file.ts';
import type { TaskOwner, WorkerPool } from '../../../platform/workers/worker-pool.ts';
import type { CoverPlan, CoverProblem } from './mclp.ts';

/** A CoverProblem as transferable arrays: candidate j covers members[offsets[j] .. offsets[j+1]). */
export interface PackedProblem {
  weights: Float64Array<ArrayBuffer>;
  offsets: Int32Array<ArrayBuffer>;
  members: Int32Array<ArrayBuffer>;
}

export type SitingQuestion =
  | { kind: 'max-cover'; k: number; timeLimitSec?: number }
  | { kind: 'min-sites'; targetWeight: number; timeLimitSec?: number };

export interface SitingTask {
  problem: PackedProblem;
  question: SitingQuestion;
}

export type SitingPlan = CoverPlan & { feasible?: boolean };

export function packProblem(p: CoverProblem): PackedProblem {
  const offsets = new Int32Array(p.sets.length + 1);
  p.sets.forEach((s, j) => {
    offsets[j + 1] = offsets[j] + s.length;
  });
  const members = new Int32Array(offsets[p.sets.length]);
  p.sets.forEach((s, j) => {
    members.set(s, offsets[j]);
  });
  return { weights: Float64Array.from(p.weights), offsets, members };
}

/** Views on the packed arrays (no copy). */
export function unpackProblem(p: PackedProblem): CoverProblem {
  const sets: Int32Array[] = [];
  for (let j = 0; j + 1 < p.offsets.length; j++) sets.push(p.members.subarray(p.offsets[j], p.offsets[j + 1]));
  return { weights: p.weights, sets };
}

const entry = siblingModule(import.meta.url, './siting.worker');

/**
 * Solves in a worker thread on behalf of `owner` (counted against their limit: JOB_LIMIT when over it). The caller's
 * `signal` (the client left) drops a waiting task and stops a running one.
 */
export function runSiting(
  workers: WorkerPool,
  owner: TaskOwner,
  problem: CoverProblem,
  question: SitingQuestion,
  signal?: AbortSignal,
): Promise<SitingPlan> {
  const packed = packProblem(problem);
  const task: SitingTask = { problem: packed, question };
  return workers.run<SitingPlan>(owner, {
    entry,
    task,
    transferList: [packed.weights.buffer, packed.offsets.buffer, packed.members.buffer],
    signal,
  });
}
