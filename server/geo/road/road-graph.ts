/**
 * The compiled road graph: everything the engine answers from, as typed arrays (so that it saves and loads as
 * views on one buffer) plus a little metadata.
 *
 * Base graph: one compressed-sparse-row graph shared by the profiles. Nodes 0…nodeCount-1 are the network's
 * vertices; nodes nodeCount… are copies of turn-restricted via vertices (node splitting: a copy per incoming
 * segment that has restrictions, with only its allowed outgoing arcs), so every search works unchanged. Each arc
 * names its segment and direction (`seg * 2 + dir`, dir 1 = against the way); each profile has its own arc times
 * (NO_ARC where it may not drive). Times are integer milliseconds, lengths integer centimetres, so that every
 * algorithm adds the same integers and the contraction hierarchy answers exactly what Dijkstra answers.
 *
 * Contraction hierarchy per profile (time metric), in its own node numbering (CH id = contraction rank): for each
 * node the arcs to higher-ranked neighbours, flagged UP_OUT (arc node → head) and/or UP_IN (arc head → node);
 * a shortcut stores its middle node, an original arc its segment and direction.
 */
import type { NetworkMeta, Profile } from './network.ts';

export const GRAPH_FORMAT_VERSION = 1;

/** arc time of a profile that may not use the arc */
export const NO_ARC = 0xffffffff;
/** CH arc flags in the two top bits of `upHead` */
export const UP_OUT = 0x40000000;
export const UP_IN = 0x80000000;
export const UP_NODE = 0x3fffffff;
/** vertex coordinates are stored as integers of 1e-7 degree, shape points as steps of 1e-6 degree */
export const COORD_SCALE = 1e7;
export const SHAPE_SCALE = 1e6;

export interface GraphMeta extends NetworkMeta {
  id: string;
  builtAt: string;
  /** whether the network's turn restrictions were compiled in */
  turnRestrictions: boolean;
  /** restrictions compiled / ignored because they did not fit the network (segments not meeting at the via node) */
  restrictionsUsed: number;
  restrictionsIgnored: number;
  /** [minLon, minLat, maxLon, maxLat] of the vertices */
  bbox: [number, number, number, number];
  /** box the spatial index quantises its coordinates to */
  spatialBox: [number, number, number, number];
  profiles: Profile[];
  shortcuts: Partial<Record<Profile, number>>;
}

export interface ProfileGraph {
  /** travel time of each base arc, ms; NO_ARC where this profile may not drive it */
  arcMs: Uint32Array;
  /** CH id of each base node */
  rank: Uint32Array;
  /** upward CH arcs of CH node r: upFirst[r] … upFirst[r+1]-1 */
  upFirst: Uint32Array;
  /** head CH id | UP_OUT | UP_IN */
  upHead: Uint32Array;
  upMs: Uint32Array;
  /** ≥ 0: the shortcut's middle CH node; < 0: an original arc, -1 - (seg * 2 + dir) of its UP_OUT direction */
  upMid: Int32Array;
}

export interface RoadGraph {
  meta: GraphMeta;
  /** vertices of the network */
  nodeCount: number;
  segmentCount: number;
  /** base graph nodes: vertices + copies of restricted via vertices */
  graphNodeCount: number;
  nodeLon: Int32Array;
  nodeLat: Int32Array;
  segFrom: Uint32Array;
  segTo: Uint32Array;
  segCm: Uint32Array;
  segClass: Uint8Array;
  /** bit 2p: profile p may drive forward, bit 2p+1: backward (p = index in meta.profiles) */
  segAccess: Uint8Array;
  /**
   * intermediate shape points of segment i (vertices excluded): shapeStart[i] … shapeStart[i+1]-1, each the step
   * in 1e-6 degree from the previous point, the first from the segment's first vertex (rounded to 1e-6 degree)
   */
  shapeStart: Uint32Array;
  shapeDLon: Int16Array;
  shapeDLat: Int16Array;
  /** original vertex of each copy node (node nodeCount + i), ascending */
  copyOf: Uint32Array;
  firstOut: Uint32Array;
  arcHead: Uint32Array;
  arcSeg: Uint32Array;
  profiles: Partial<Record<Profile, ProfileGraph>>;
  /** Flatbush index over segment boxes (Uint16 coordinates quantised to meta.spatialBox) */
  spatial: Uint8Array;
}

/** Bytes held by the graph's typed arrays. */
export function graphBytes(g: RoadGraph): number {
  let n = 0;
  for (const a of graphArrays(g)) n += a[1].byteLength;
  return n;
}

type AnyTyped = Int32Array | Uint32Array | Int16Array | Uint8Array | Float64Array;

/** Every typed array of the graph with a stable name (used by the binary format). */
export function graphArrays(g: RoadGraph): [string, AnyTyped][] {
  const out: [string, AnyTyped][] = [
    ['nodeLon', g.nodeLon],
    ['nodeLat', g.nodeLat],
    ['segFrom', g.segFrom],
    ['segTo', g.segTo],
    ['segCm', g.segCm],
    ['segClass', g.segClass],
    ['segAccess', g.segAccess],
    ['shapeStart', g.shapeStart],
    ['shapeDLon', g.shapeDLon],
    ['shapeDLat', g.shapeDLat],
    ['copyOf', g.copyOf],
    ['firstOut', g.firstOut],
    ['arcHead', g.arcHead],
    ['arcSeg', g.arcSeg],
    ['spatial', g.spatial],
  ];
  const first = g.profiles[g.meta.profiles[0]];
  for (const p of g.meta.profiles) {
    const pg = g.profiles[p]!;
    // profiles contracted in the same node order share one rank array
    if (pg !== first && pg.rank === first?.rank) out.push([`${p}.arcMs`, pg.arcMs]);
    else out.push([`${p}.arcMs`, pg.arcMs], [`${p}.rank`, pg.rank]);
    out.push(
      [`${p}.upFirst`, pg.upFirst],
      [`${p}.upHead`, pg.upHead],
      [`${p}.upMs`, pg.upMs],
      [`${p}.upMid`, pg.upMid],
    );
  }
  return out;
}

export function profileGraph(g: RoadGraph, profile: Profile): ProfileGraph {
  const pg = g.profiles[profile];
  if (!pg) throw new Error(`profile ${profile} is not in this road graph`);
  return pg;
}

export function profileIndex(g: RoadGraph, profile: Profile): number {
  const i = g.meta.profiles.indexOf(profile);
  if (i < 0) throw new Error(`profile ${profile} is not in this road graph`);
  return i;
}

/** The original vertex a base node stands for. */
export function vertexOf(g: RoadGraph, node: number): number {
  return node < g.nodeCount ? node : g.copyOf[node - g.nodeCount];
}

/** Base nodes standing for vertex v: v itself and its copies. */
export function nodesOfVertex(g: RoadGraph, v: number): number[] {
  const out = [v];
  const c = g.copyOf;
  if (c.length === 0) return out;
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < c.length && c[i] === v; i++) out.push(g.nodeCount + i);
  return out;
}

/** The arc leaving base node `node` along `segDir` (seg * 2 + dir), or -1. */
export function findArc(g: RoadGraph, node: number, segDir: number): number {
  for (let a = g.firstOut[node], e = g.firstOut[node + 1]; a < e; a++) if (g.arcSeg[a] === segDir) return a;
  return -1;
}
