// Shortest paths of our engine on real OSM extracts against an independent implementation: ngraph.path's A*
// (no heuristic, i.e. Dijkstra) on a graph built straight from the NetworkData segments with floating-point
// weights. Our side compiles without turn restrictions and without the turn model (the reference, node-based, knows
// neither: it turns round anywhere and turns cost it nothing). Equal within the rounding of
// our integer arc weights (≤ 0.5 ms and 0.5 cm per arc of either path, which may differ where two paths tie).
import { join } from 'node:path';
import createGraph from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOsmNetwork } from '../osm/osm-import.ts';
import { seededRandom } from './grid-network.ts';
import type { NetworkData } from './network.ts';
import { compileGraph, type RoadGraph } from './road-engine.ts';
import { matrixVertices, routeVertices } from './search.ts';
import { TEST_META } from './test-networks.ts';

const SHARED = process.env.ANLAN_SHARED_DATA ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');

interface Weights {
  seconds: number;
  meters: number;
}

/** directed graph of the car profile; parallel segments keep the least of each weight */
function referenceGraph(net: NetworkData) {
  const graph = createGraph<unknown, Weights>();
  const best = new Map<string, Weights & { from: number; to: number }>();
  const add = (from: number, to: number, kmh: number, meters: number) => {
    if (!(kmh > 0) || from === to) return;
    const key = `${from}>${to}`;
    const seconds = (meters * 3.6) / kmh;
    const w = best.get(key);
    if (!w) best.set(key, { from, to, seconds, meters });
    else {
      w.seconds = Math.min(w.seconds, seconds);
      w.meters = Math.min(w.meters, meters);
    }
  };
  const sp = net.speedKmh.car;
  for (let s = 0; s < net.segmentCount; s++) {
    add(net.segFrom[s], net.segTo[s], sp.forward[s], net.segMeters[s]);
    add(net.segTo[s], net.segFrom[s], sp.backward[s], net.segMeters[s]);
  }
  for (let v = 0; v < net.nodeCount; v++) graph.addNode(v);
  for (const w of best.values()) graph.addLink(w.from, w.to, { seconds: w.seconds, meters: w.meters });
  const finder = (metric: keyof Weights) =>
    ngraphPath.aStar(graph, { oriented: true, distance: (_a, _b, link) => link.data[metric] });
  const byTime = finder('seconds');
  const byLength = finder('meters');
  /** cost and number of arcs of the best path, or null */
  const cost = (from: number, to: number, metric: keyof Weights): { cost: number; arcs: number } | null => {
    if (from === to) return { cost: 0, arcs: 0 };
    const path = (metric === 'seconds' ? byTime : byLength).find(from, to);
    if (path.length === 0) return null;
    const ids = path.map((n) => Number(n.id));
    if (ids[0] !== from) ids.reverse();
    let sum = 0;
    for (let i = 0; i + 1 < ids.length; i++) sum += graph.getLink(ids[i], ids[i + 1])!.data[metric];
    return { cost: sum, arcs: ids.length - 1 };
  };
  return cost;
}

for (const file of ['osm/shanghai_center.osm', 'osm/monaco.osm.pbf']) {
  describe(`shortest paths on ${file} equal an independent implementation`, () => {
    let graph: RoadGraph;
    let reference: ReturnType<typeof referenceGraph>;
    let pairs: (readonly [number, number])[];
    beforeAll(async () => {
      const { network } = await readOsmNetwork(join(SHARED, file));
      graph = compileGraph(network, TEST_META, { turnRestrictions: false, turnModel: false });
      reference = referenceGraph(network);
      const rand = seededRandom(2026);
      const pick = () => Math.floor(rand() * network.nodeCount);
      pairs = Array.from({ length: 200 }, () => [pick(), pick()] as const);
    });

    it('200 random pairs, fastest and shortest', () => {
      let reached = 0;
      for (const [a, b] of pairs) {
        const time = reference(a, b, 'seconds');
        const ours = routeVertices(graph, 'car', a, b, 'time');
        expect(ours === null).toBe(time === null);
        if (time && ours) {
          reached++;
          expect(Math.abs(ours.seconds - time.cost)).toBeLessThanOrEqual(0.001 * time.arcs + 1e-6);
        }
        const length = reference(a, b, 'meters');
        const short = routeVertices(graph, 'car', a, b, 'distance');
        expect(short === null).toBe(length === null);
        if (length && short)
          expect(Math.abs(short.meters - length.cost)).toBeLessThanOrEqual(0.01 * length.arcs + 0.01);
      }
      // most pairs of a city extract are connected
      expect(reached).toBeGreaterThan(120);
    });

    it('a 20 × 20 matrix', () => {
      const sources = pairs.slice(0, 20).map((p) => p[0]);
      const targets = pairs.slice(0, 20).map((p) => p[1]);
      const m = matrixVertices(graph, 'car', sources, targets);
      sources.forEach((a, i) => {
        targets.forEach((b, j) => {
          const time = reference(a, b, 'seconds');
          const ours = m[i * targets.length + j];
          if (!time) expect(ours).toBe(Number.POSITIVE_INFINITY);
          else expect(Math.abs(ours - time.cost)).toBeLessThanOrEqual(0.001 * time.arcs + 1e-6);
        });
      });
    });
  });
}
