// The road engine in a worker thread answers exactly what it answers in the main thread, on the same shared graph
// (real OSM extracts), closures included; its refusals come back as the same AppErrors.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { WorkerPool } from '../../platform/workers/worker-pool.ts';
import { readOsmNetwork } from '../osm/osm-import.ts';
import { answerTravel, type TravelQuestion } from '../travel.ts';
import type { RoadEngine } from './engine.ts';
import { seededRandom } from './grid-network.ts';
import type { LonLat } from './network.ts';
import type { RoadTask } from './road.worker.ts';
import { compileGraph, createRoadEngine, deserializeGraph, serializeGraph } from './road-engine.ts';
import type { SharedNetwork } from './shared-graph.ts';
import { TEST_META } from './test-networks.ts';

const SHARED = process.env.ANLAN_SHARED_DATA ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const entry = new URL('./road.worker.ts', import.meta.url);
const user = { kind: 'user', id: 'u1' };

async function sharedNetwork(file: string, id: string) {
  const { network } = await readOsmNetwork(join(SHARED, file));
  const bytes = serializeGraph(compileGraph(network, { ...TEST_META, id }, { turnRestrictions: true }));
  const graph = new SharedArrayBuffer(bytes.length);
  new Uint8Array(graph).set(bytes);
  const shared: SharedNetwork = { id, graph };
  // the main thread's engine on the very same memory
  return { shared, engine: createRoadEngine(deserializeGraph(Buffer.from(graph))) };
}

describe('road engine in worker threads', () => {
  let pool: WorkerPool;
  let monaco: { shared: SharedNetwork; engine: RoadEngine };
  let points: LonLat[];
  beforeAll(async () => {
    pool = new WorkerPool({ threads: 1, perUser: 4 });
    monaco = await sharedNetwork('osm/monaco.osm.pbf', 'monaco');
    const [x0, y0, x1, y1] = monaco.engine.info.bbox;
    const rand = seededRandom(7);
    points = [];
    while (points.length < 30) {
      const p: LonLat = [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)];
      try {
        points.push(monaco.engine.snap(p, 'p').point);
      } catch {
        // off the network (the sea): draw again
      }
    }
  });
  afterAll(() => pool?.close());

  async function both(q: TravelQuestion, closed?: Uint8Array) {
    const task: RoadTask = { network: monaco.shared, closed, question: q };
    const bytes = await pool.run<Uint8Array>(user, { entry, task });
    const inWorker = JSON.parse(new TextDecoder().decode(bytes));
    const here = JSON.parse(JSON.stringify(answerTravel(monaco.engine, q, closed)));
    return { inWorker, here };
  }

  it('a 30 × 30 matrix, with and without closures', async () => {
    const q: TravelQuestion = { kind: 'matrix', sources: points, targets: points, profile: 'car' };
    const open = await both(q);
    expect(open.inWorker).toEqual(open.here);
    expect(open.here.seconds.flat().filter((s: number | null) => s !== null).length).toBeGreaterThan(600);
    const closed = new Uint8Array(monaco.engine.info.segmentCount);
    for (let s = 0; s < closed.length; s += 7) closed[s] = 1;
    // the points themselves stay on open roads
    for (const p of points) closed[monaco.engine.snap(p, 'p').seg] = 0;
    const shut = await both(q, closed);
    expect(shut.inWorker).toEqual(shut.here);
    expect(shut.here).not.toEqual(open.here);
  });

  it('isochrones and coverage', async () => {
    const iso = await both({
      kind: 'isochrone',
      origins: points.slice(0, 3),
      minutes: 3,
      profile: 'emergency',
      network: { name: 'monaco', synthetic: false },
    });
    expect(iso.inWorker).toEqual(iso.here);
    expect(iso.here.areaKm2).toBeGreaterThan(0);
    const [x0, y0, x1, y1] = monaco.engine.info.bbox;
    const area = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    };
    const cov = await both({ kind: 'coverage', origins: points.slice(0, 2), minutes: 2, area, profile: 'car' });
    expect(cov.inWorker).toEqual(cov.here);
    expect(cov.here.cellCount).toBeGreaterThan(100);
    expect(cov.here.coveredShare).toBeGreaterThan(0);
  });

  it('refuses a point off the network with the same AppError, naming the field', async () => {
    const task: RoadTask = {
      network: monaco.shared,
      question: { kind: 'matrix', sources: [points[0]], targets: [[7.5, 43.6]], profile: 'car' },
    };
    const err = await pool.run(user, { entry, task }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('OFF_NETWORK');
    expect((err as AppError).field).toBe('targets.0');
  });

  it('answers from whichever network the task carries (a swap reaches the thread)', async () => {
    const andorra = await sharedNetwork('osm/andorra.osm.pbf', 'andorra');
    const [x0, y0, x1, y1] = andorra.engine.info.bbox;
    const p = andorra.engine.snap([(x0 + x1) / 2, (y0 + y1) / 2], 'p', { maxMeters: 5000 }).point;
    const q: TravelQuestion = { kind: 'matrix', sources: [p], targets: [p], profile: 'car' };
    const there = await pool.run<Uint8Array>(user, { entry, task: { network: andorra.shared, question: q } });
    expect(JSON.parse(new TextDecoder().decode(there))).toEqual(answerTravel(andorra.engine, q, undefined));
    // the same point is off Monaco's network: the thread really answers from the network it is given
    const back = await pool.run(user, { entry, task: { network: monaco.shared, question: q } }).catch((e) => e);
    expect((back as AppError).code).toBe('OFF_NETWORK');
  });
});
