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
import type { RoadEngine } from './engine.ts';
import { seededRandom } from './grid-network.ts';
import type { LonLat, NetworkData } from './network.ts';
import { compileGraph, createRoadEngine, type RoadGraph } from './road-engine.ts';
import { distanceToLine } from './road-geometry.ts';
import { profileGraph } from './road-graph.ts';
import { matrixVertices, oneToMany, routeVertices, searchContext, vertexSource, vertexTarget } from './search.ts';
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

describe('the turn model on osm/shanghai_center.osm: every query answers by the same rules', () => {
  let graph: RoadGraph;
  let engine: RoadEngine;
  let points: LonLat[];
  let sourceNetwork: NetworkData;
  beforeAll(async () => {
    const { network } = await readOsmNetwork(join(SHARED, 'osm/shanghai_center.osm'));
    sourceNetwork = network;
    graph = compileGraph(network, TEST_META);
    engine = createRoadEngine(graph);
    const rand = seededRandom(88);
    const [x0, y0, x1, y1] = graph.meta.bbox;
    points = [];
    // random places and vertices (junctions, where one-way carriageways meet)
    while (points.length < 24) {
      const p: LonLat =
        points.length % 2
          ? [x0 + rand() * (x1 - x0), y0 + rand() * (y1 - y0)]
          : (() => {
              const v = Math.floor(rand() * network.nodeCount);
              return [network.nodeLon[v], network.nodeLat[v]] as LonLat;
            })();
      try {
        engine.snap(p, 'p');
        points.push(p);
      } catch {
        // off the network: draw again
      }
    }
  });

  it('matrix cells equal the routes, whose legs add up', () => {
    const m = engine.matrix(points, points);
    let found = 0;
    points.forEach((a, i) => {
      points.forEach((b, j) => {
        const r = engine.route(a, b);
        expect(m.seconds[i][j]).toBe(r ? r.seconds : null);
        if (!r) return;
        found++;
        expect(m.meters[i][j]).toBeCloseTo(r.meters, 1);
        const legSeconds = r.legs.reduce((s, l) => s + l.seconds, 0);
        expect(Math.abs(legSeconds - r.seconds)).toBeLessThan(0.001 * (r.legs.length + 1));
        expect(r.segments).toEqual(r.legs.map((l) => l.seg).filter((s, k, all) => k === 0 || all[k - 1] !== s));
      });
    });
    expect(found).toBeGreaterThan(400);
  });

  it('an isochrone reaches exactly the places routes of no more time reach', () => {
    const origin = points[0];
    const minutes = 3;
    const iso = engine.isochrone([origin], minutes);
    let inside = 0;
    let outside = 0;
    for (const p of points.slice(1)) {
      const to = engine.snap(p, 'p').point;
      const r = engine.route(origin, to);
      if (!r) continue;
      const near = Math.min(...iso.roads.coordinates.map((l) => distanceToLine(l, to[0], to[1])));
      if (r.seconds <= minutes * 60 - 0.5) {
        inside++;
        expect(near).toBeLessThan(0.5);
      } else if (r.seconds >= minutes * 60 + 0.5) {
        outside++;
        expect(near).toBeGreaterThan(0.01);
      }
    }
    expect(inside + outside).toBeGreaterThan(10);
  });

  it('the contraction hierarchy answers what Dijkstra on the base graph answers, turn costs included', () => {
    const ctx = searchContext(graph);
    const pg = profileGraph(graph, 'car');
    const rand = seededRandom(3);
    const pick = () => Math.floor(rand() * graph.nodeCount);
    let reached = 0;
    for (let k = 0; k < 20; k++) {
      const s = pick();
      const targets = Array.from({ length: 10 }, pick).filter((t) => t !== s);
      const plain = oneToMany(
        ctx,
        pg,
        vertexSource(graph, pg, s),
        targets.map((t) => vertexTarget(graph, t)),
      );
      targets.forEach((t, j) => {
        const r = routeVertices(graph, 'car', s, t, 'time');
        expect(r ? r.seconds : Number.POSITIVE_INFINITY).toBe(plain.ms[j] / 1000);
        if (r) reached++;
      });
    }
    expect(reached).toBeGreaterThan(100);
  });

  it('without a hierarchy (a network that would need too many shortcuts) routes and matrices answer the same', () => {
    const flatGraph = compileGraph(sourceNetwork, TEST_META, { maxShortcutsPerNode: 0 });
    const flat = createRoadEngine(flatGraph);
    expect(flatGraph.meta.hierarchy).toBe(false);
    expect(graph.meta.hierarchy).toBe(true);
    const vs = [5, 500, 1500, 3000, 4500];
    expect(matrixVertices(flatGraph, 'car', vs, vs)).toEqual(matrixVertices(graph, 'car', vs, vs));
    expect(routeVertices(flatGraph, 'car', vs[0], vs[3], 'time')?.seconds).toBe(
      routeVertices(graph, 'car', vs[0], vs[3], 'time')?.seconds,
    );
    const sub = points.slice(0, 10);
    const m = flat.matrix(sub, sub);
    const ref = engine.matrix(sub, sub);
    expect(m.seconds).toEqual(ref.seconds);
    let found = 0;
    sub.forEach((a, i) => {
      sub.forEach((b, j) => {
        const r = flat.route(a, b);
        expect(r ? r.seconds : null).toBe(ref.seconds[i][j]);
        if (r) found++;
      });
    });
    expect(found).toBeGreaterThan(60);
  });
});
