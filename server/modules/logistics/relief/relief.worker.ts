/**
 * Worker-thread entry of the relief plan: the exact plan and the greedy one on the same input, off the main thread
 * (a province's 15 items take seconds of solver time). The reply leaves as JSON bytes moved to the main thread.
 */
import { moved, workerTask } from '../../../platform/workers/worker-task.ts';
import { greedyPlan } from './greedy.ts';
import { type ReliefInput, type ReliefPlan, type ReliefTotals, reliefPlan } from './relief-plan.ts';

export interface ReliefAnswer {
  best: ReliefPlan;
  greedy: ReliefTotals;
  /** the exact plan's solver time */
  ms: number;
}

export function answerRelief(input: ReliefInput): ReliefAnswer {
  const t0 = performance.now();
  const best = reliefPlan(input);
  const ms = performance.now() - t0;
  return { best, greedy: greedyPlan(input).totals, ms };
}

export default workerTask((input: ReliefInput) => moved(new TextEncoder().encode(JSON.stringify(answerRelief(input)))));
