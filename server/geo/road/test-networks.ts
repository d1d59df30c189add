/**
 * Small hand-made road networks for tests: vertices given in metres east/north of an origin, segments with a
 * speed (default 36 km/h = 10 m/s, so 100 m take 10 s), one-way flags, shapes and turn restrictions.
 */
import type { RoadEngine } from './engine.ts';
import type { ProfileRestriction } from './graph-compile.ts';
import {
  haversine,
  type LonLat,
  type NetworkData,
  PROFILES,
  type Profile,
  ROAD_CLASSES,
  type RoadClass,
  type TurnCosts,
} from './network.ts';
import { compileGraph, createRoadEngine, type RoadGraph } from './road-engine.ts';
import { METERS_PER_DEGREE } from './road-geometry.ts';

export const TEST_ORIGIN: LonLat = [121.5, 31.2];

export interface TestSegment {
  from: number;
  to: number;
  /** km/h both ways for both profiles (default 36) */
  kmh?: number;
  /** km/h against the way (default: kmh, or 0 when oneway) */
  backwardKmh?: number;
  oneway?: boolean;
  /** km/h for the emergency profile both ways (default: as car) */
  emergencyKmh?: number;
  /** intermediate shape points, metres */
  via?: [number, number][];
  cls?: RoadClass;
}

/** [lon, lat] of a point x metres east and y metres north of the origin. */
export function at(x: number, y: number, origin: LonLat = TEST_ORIGIN): LonLat {
  return [
    origin[0] + x / (METERS_PER_DEGREE * Math.cos((origin[1] * Math.PI) / 180)),
    origin[1] + y / METERS_PER_DEGREE,
  ];
}

export function buildNetwork(
  nodes: [number, number][],
  segments: TestSegment[],
  restrictions: ProfileRestriction[] = [],
  origin: LonLat = TEST_ORIGIN,
): NetworkData {
  const N = nodes.length;
  const S = segments.length;
  const nodeLon = new Float64Array(N);
  const nodeLat = new Float64Array(N);
  nodes.forEach(([x, y], i) => {
    [nodeLon[i], nodeLat[i]] = at(x, y, origin);
  });
  const shapeStart = new Uint32Array(S + 1);
  const lon: number[] = [];
  const lat: number[] = [];
  const segMeters = new Float32Array(S);
  const speeds = {
    car: { forward: new Float32Array(S), backward: new Float32Array(S) },
    emergency: { forward: new Float32Array(S), backward: new Float32Array(S) },
  };
  segments.forEach((s, i) => {
    shapeStart[i] = lon.length;
    const pts: LonLat[] = [[nodeLon[s.from], nodeLat[s.from]], ...(s.via ?? []).map(([x, y]) => at(x, y, origin))];
    pts.push([nodeLon[s.to], nodeLat[s.to]]);
    let m = 0;
    pts.forEach((p, k) => {
      lon.push(p[0]);
      lat.push(p[1]);
      if (k > 0) m += haversine(pts[k - 1][0], pts[k - 1][1], p[0], p[1]);
    });
    segMeters[i] = m;
    const kmh = s.kmh ?? 36;
    const back = s.backwardKmh ?? (s.oneway ? 0 : kmh);
    speeds.car.forward[i] = kmh;
    speeds.car.backward[i] = back;
    const em = s.emergencyKmh;
    speeds.emergency.forward[i] = em ?? kmh;
    speeds.emergency.backward[i] = back > 0 ? (em ?? back) : 0;
  });
  shapeStart[S] = lon.length;
  return {
    nodeCount: N,
    nodeLon,
    nodeLat,
    nodeOsmId: Float64Array.from(nodes, (_, i) => i + 1),
    nodeFlags: new Uint8Array(N),
    nodeClosed: new Uint8Array(N),
    segmentCount: S,
    segFrom: Uint32Array.from(segments, (s) => s.from),
    segTo: Uint32Array.from(segments, (s) => s.to),
    segMeters,
    segClass: Uint8Array.from(segments, (s) => ROAD_CLASSES.indexOf(s.cls ?? 'residential')),
    segWayId: Float64Array.from(segments, (_, i) => i + 1),
    segName: new Int32Array(S).fill(-1),
    names: [],
    namesEn: [],
    shapeStart,
    shapeLon: Float64Array.from(lon),
    shapeLat: Float64Array.from(lat),
    speedKmh: speeds,
    segSignals: new Uint8Array(S),
    segFlags: new Uint8Array(S),
    restrictions,
  };
}

/** A turn model in which turns, U-turns and signals cost nothing (U-turns are still allowed only at dead ends). */
export const FREE_TURNS: TurnCosts = { turnPenaltyS: 0, turnBias: 1, uturnS: 0, signalS: 0, uturnOnTwoWay: false };

/** The network with turns that cost nothing, for tests about something else that want round numbers. */
export function withoutTurnCosts(net: NetworkData): NetworkData {
  net.turnCosts = Object.fromEntries(PROFILES.map((p) => [p, FREE_TURNS])) as Record<Profile, TurnCosts>;
  return net;
}

export const TEST_META = {
  id: 'test',
  name: 'test network',
  synthetic: true,
  source: 'test',
  attribution: '',
  builtAt: '2026-01-01T00:00:00.000Z',
};

/** Compiles a network and opens an engine on it. */
export function testEngine(
  network: NetworkData,
  opts: { turnRestrictions?: boolean; turnModel?: boolean; maxSnapMeters?: number; snapToleranceMeters?: number } = {},
): { graph: RoadGraph; engine: RoadEngine } {
  const graph = compileGraph(network, TEST_META, {
    turnRestrictions: opts.turnRestrictions,
    turnModel: opts.turnModel,
  });
  return {
    graph,
    engine: createRoadEngine(graph, {
      maxSnapMeters: opts.maxSnapMeters,
      snapToleranceMeters: opts.snapToleranceMeters,
    }),
  };
}

// A cross around vertex 0 with a loop on the east side: west arm s0 (1 → 0), east s1 (0 → 2), north s2 (0 → 3),
// south s3 (0 → 4), and 2 → 5 → 3 (s4, s5) joining east and north; all two-way.
//        3 ─── s5 ─── 5
//        │            │
//        s2           s4
//        │            │
//  1 ─s0─ 0 ─── s1 ─── 2
//        │
//        s3
//        4
export const crossNodes: [number, number][] = [
  [0, 0],
  [-100, 0],
  [100, 0],
  [0, 100],
  [0, -100],
  [100, 100],
];
export const crossSegments = [
  { from: 1, to: 0 },
  { from: 0, to: 2 },
  { from: 0, to: 3 },
  { from: 0, to: 4 },
  { from: 2, to: 5 },
  { from: 5, to: 3 },
];
