/**
 * Worker-thread entry of station siting: unpacks the moved problem and runs the exact solver. The HiGHS runtime is
 * loaded by the first task of each thread and kept (highs-solver.ts), so later tasks start solving at once.
 */
import { workerTask } from '../../../platform/workers/worker-task.ts';
import { solveMaxCover, solveMinSites } from './mclp.ts';
import { type SitingPlan, type SitingTask, unpackProblem } from './siting-task.ts';

export default workerTask(async (t: SitingTask): Promise<SitingPlan> => {
  const problem = unpackProblem(t.problem);
  const q = t.question;
  return q.kind === 'max-cover'
    ? solveMaxCover(problem, q.k, { timeLimitSec: q.timeLimitSec })
    : solveMinSites(problem, q.targetWeight, { timeLimitSec: q.timeLimitSec });
});
