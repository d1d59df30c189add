/**
 * Worker-thread entry of the road engine. The graph is not copied: each task carries the current network's
 * SharedArrayBuffer (the graph file loaded once by the main thread), and this thread makes its typed-array views on
 * it the first time it sees that network — so a network swap reaches every worker with the next task. The closures
 * in force come with each task. The reply leaves as JSON bytes moved to the main thread, which sends them as they are.
 */
import { moved, workerTask } from '../../platform/workers/worker-task.ts';
import { answerTravel, type TravelQuestion } from '../travel.ts';
import type { RoadEngine } from './engine.ts';
import { createRoadEngine, deserializeGraph } from './road-engine.ts';
import type { SharedNetwork } from './shared-graph.ts';

export interface RoadTask {
  network: SharedNetwork;
  closed?: Uint8Array;
  question: TravelQuestion;
}

let current: { key: string; engine: RoadEngine } | null = null;

function engineOf(n: SharedNetwork): RoadEngine {
  const key = `${n.id}:${n.graph.byteLength}:${n.maxSnapMeters ?? ''}:${n.snapToleranceMeters ?? ''}`;
  if (current?.key !== key) {
    // the previous network's views go with it: its buffer is freed once no thread holds it
    current = null;
    current = {
      key,
      engine: createRoadEngine(deserializeGraph(Buffer.from(n.graph)), {
        maxSnapMeters: n.maxSnapMeters,
        snapToleranceMeters: n.snapToleranceMeters,
      }),
    };
  }
  return current.engine;
}

export default workerTask((t: RoadTask) => {
  const reply = answerTravel(engineOf(t.network), t.question, t.closed);
  return moved(new TextEncoder().encode(JSON.stringify(reply)));
});
