/** Worker entry: the risk grid computed off the event loop (grid.ts), its typed arrays moved back, not copied. */
import { workerTask } from '../../platform/workers/worker-task.ts';
import { computeGrid, type GridInput, type GridOutput } from './grid.ts';

export default workerTask((input: GridInput): GridOutput => computeGrid(input));
