/**
 * The compiled road graph: everything the engine answers from, as typed arrays (so that it saves and loads as
 * views on one buffer) plus a little metadata.
 *
 * Base graph (edge-based, so that a route drives as a driver does): one base node per segment direction,
 * node `seg * 2 + dir` = "at the end of segment seg driven in direction dir" (dir 1 = against the way), and one arc
 * per allowed turn from a node arriving at a vertex to a node leaving it, weighted per profile by the turn's cost,
 * the signals passed and the time to drive the segment turned into (NO_ARC where the profile may not: a one-way,
 * a turn restriction, a barrier at the vertex, a U-turn where none is allowed). Nodes 2 × segmentCount … are copies
 * of segment directions made for via-way restrictions (reachable only from the restriction's first segment, without
 * its forbidden continuation). Times are integer milliseconds, lengths integer centimetres, so that every algorithm
 * adds the same integers and the contraction hierarchy answers exactly what Dijkstra answers.
 *
 * Contraction hierarchy (time metrics), on the base nodes' own ids: for each node the arcs to neighbours contracted
 * after it, flagged UP_OUT (arc node → head) and/or UP_IN (arc head → node). A shortcut stores its middle node
 * (upMid holds the middles of the shortcut entries only, in entry order; upShortcut says which entries are
 * shortcuts); an original arc stores nothing: it drives into its head (UP_OUT) or into the node it is stored at
 * (UP_IN). One topology (upFirst, upHead, upMid, upShortcut: the same arrays in every ProfileGraph) serves all
 * profiles; each profile has its own weights (upMs), NO_ARC on the entries it cannot use. There may be parallel
 * entries (same head and flag, different middles), each the best for some profile: unpacking takes the one of least
 * weight in the profile. A node's entries come UP_OUT only, then both flags, then UP_IN only (searches scan just
 * the run with their flag: forward from the first entry, backward from the last). Format version 5 (these
 * entries, no rank array); files of older versions are refused (import the network again).
 */
import type { NetworkMeta, Profile } from './network.ts';

export const GRAPH_FORMAT_VERSION = 5;

/** arc time of a profile that may not use the arc */
export const NO_ARC = 0xffffffff;
/** CH arc flags in the two top bits of `upHead` */
export const UP_OUT = 0x40000000;
export const UP_IN = 0x80000000;
export const UP_NODE = 0x3fffffff;
/** vertex coordinates are stored as integers of 1e-7 degree, shape points as steps of 1e-5 degree */
export const COORD_SCALE = 1e7;
export const SHAPE_SCALE = 1e5;
/** vertex coordinate units per shape unit */
export const SHAPE_DIVISOR = COORD_SCALE / SHAPE_SCALE;

export interface GraphMeta extends NetworkMeta {
  id: string;
  builtAt: string;
  /** whether the network's turn restrictions were compiled in */
  turnRestrictions: boolean;
  /** whether turns were modelled (costs, U-turn rules, barriers); false: a plain node-based graph's answers */
  turnModel: boolean;
  /** whether a contraction hierarchy was built (false: too many shortcuts; routes and matrices by plain search) */
  hierarchy: boolean;
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
  /** travel time of each base arc, ms (turn, signals at the vertex, the segment turned into); NO_ARC: not allowed */
  arcMs: Uint32Array;
  /** time to drive each segment direction (base nodes 0 … 2S-1), signals inside it included, ms; NO_ARC: closed */
  sdMs: Uint32Array;
  /** upward CH arcs of base node x: upFirst[x] … upFirst[x+1]-1 (no hierarchy: length 1) */
  upFirst: Uint32Array;
  /** head node | UP_OUT | UP_IN */
  upHead: Uint32Array;
  /** weight (ms) of each entry in this profile, NO_ARC where this profile cannot use it */
  upMs: Uint32Array;
  /** middle node of each shortcut entry, in entry order (see shortcutMid) */
  upMid: Int32Array;
  /**
   * which entries are shortcuts, per 32 entries b: [2b] = shortcut entries before entry 32b, [2b+1] = bit i set
   * when entry 32b + i is a shortcut
   */
  upShortcut: Uint32Array;
}

export interface RoadGraph {
  meta: GraphMeta;
  /** vertices of the network */
  nodeCount: number;
  segmentCount: number;
  /** base graph nodes: 2 × segmentCount segment directions + copies for via-way restrictions */
  graphNodeCount: number;
  nodeLon: Int32Array;
  nodeLat: Int32Array;
  segFrom: Uint32Array;
  segTo: Uint32Array;
  segCm: Uint32Array;
  /** index into ROAD_CLASSES (ferry included) */
  segClass: Uint8Array;
  /** SEG_ROUNDABOUT, … as the network gave them */
  segFlags: Uint8Array;
  /** bit 2p: profile p may drive forward, bit 2p+1: backward (p = index in meta.profiles) */
  segAccess: Uint8Array;
  /**
   * intermediate shape points of segment i (vertices excluded): shapeStart[i] … shapeStart[i+1]-1, each the step
   * in 1e-5 degree (≈ 1 m) from the previous point, the first from the segment's first vertex (rounded to 1e-5 degree)
   */
  shapeStart: Uint32Array;
  shapeDLon: Int8Array;
  shapeDLat: Int8Array;
  /** segment directions leaving vertex v: vertexInc[vertexFirst[v]] … vertexInc[vertexFirst[v+1]-1] */
  vertexFirst: Uint32Array;
  vertexInc: Uint32Array;
  /** segment direction of each copy node (node 2S + i), ascending */
  copySd: Uint32Array;
  firstOut: Uint32Array;
  /** base node each arc drives into */
  arcHead: Uint32Array;
  profiles: Partial<Record<Profile, ProfileGraph>>;
  /**
   * Spatial index of segments: a packed R-tree whose leaves are groups of SPATIAL_NODE segments (in Hilbert order of
   * their box centres) without boxes of their own. spatialOrder: the segment ids in that order (Uint16 when they
   * fit); spatialBoxes: minX, minY, maxX, maxY (Uint16, quantised outwards to meta.spatialBox) of each group, then
   * of each group of SPATIAL_NODE groups, … up to the root (see spatialLevels).
   */
  spatialOrder: Uint16Array | Uint32Array;
  spatialBoxes: Uint16Array;
}

/** Bytes held by the graph's typed arrays. */
export function graphBytes(g: RoadGraph): number {
  let n = 0;
  for (const a of graphArrays(g)) n += a[1].byteLength;
  return n;
}

type AnyTyped = Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Float64Array;

export const PROFILE_FIELDS = ['arcMs', 'sdMs', 'upFirst', 'upHead', 'upMs', 'upMid', 'upShortcut'] as const;

/** The graph's typed arrays outside the profiles, by name (the binary format stores them under these names). */
export const GRAPH_FIELDS = [
  'nodeLon',
  'nodeLat',
  'segFrom',
  'segTo',
  'segCm',
  'segClass',
  'segFlags',
  'segAccess',
  'shapeStart',
  'shapeDLon',
  'shapeDLat',
  'vertexFirst',
  'vertexInc',
  'copySd',
  'firstOut',
  'arcHead',
  'spatialOrder',
  'spatialBoxes',
] as const;

/** Every typed array of the graph with a stable name (used by the binary format). */
export function graphArrays(g: RoadGraph): [string, AnyTyped][] {
  const out: [string, AnyTyped][] = GRAPH_FIELDS.map((f) => [f, g[f]]);
  // arrays shared between profiles (the hierarchy's topology) are stored once, under the first profile's name
  const seen = new Set<AnyTyped>();
  for (const p of g.meta.profiles) {
    const pg = g.profiles[p]!;
    for (const f of PROFILE_FIELDS) {
      if (seen.has(pg[f])) continue;
      seen.add(pg[f]);
      out.push([`${p}.${f}`, pg[f]]);
    }
  }
  return out;
}

/** Whether the profile graph carries a contraction hierarchy (see CompileOptions.maxShortcutsPerNode). */
export function hasHierarchy(pg: ProfileGraph): boolean {
  return pg.upFirst.length > 1;
}

/** The middle node of CH entry e when it is a shortcut, else -1 (an original arc). */
export function shortcutMid(pg: ProfileGraph, e: number): number {
  const b = (e >>> 5) << 1;
  const bits = pg.upShortcut[b + 1];
  const i = e & 31;
  if (((bits >>> i) & 1) === 0) return -1;
  return pg.upMid[pg.upShortcut[b] + popcount(bits & ((1 << i) - 1))];
}

/** the shortcut bits of a node's entries, as shortcutMid reads them: [count before, bits] per 32 entries */
export function shortcutIndex(isShortcut: (e: number) => boolean, count: number): Uint32Array {
  const out = new Uint32Array(2 * Math.ceil(count / 32));
  let before = 0;
  for (let b = 0; b * 32 < count; b++) {
    out[2 * b] = before;
    let bits = 0;
    for (let i = 0; i < 32 && b * 32 + i < count; i++) {
      if (!isShortcut(b * 32 + i)) continue;
      bits |= 1 << i;
      before++;
    }
    out[2 * b + 1] = bits >>> 0;
  }
  return out;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
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

/** The segment direction (seg * 2 + dir) a base node stands for. */
export function sdOf(g: RoadGraph, node: number): number {
  const two = g.segmentCount * 2;
  return node < two ? node : g.copySd[node - two];
}

/** The vertex a base node stands at (the end of its segment direction). */
export function vertexOf(g: RoadGraph, node: number): number {
  const sd = sdOf(g, node);
  return sd & 1 ? g.segFrom[sd >>> 1] : g.segTo[sd >>> 1];
}

/** Base nodes standing for segment direction sd: sd itself and its copies. */
export function nodesOfSd(g: RoadGraph, sd: number): number[] {
  const out = [sd];
  const c = g.copySd;
  if (c.length === 0) return out;
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid] < sd) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < c.length && c[i] === sd; i++) out.push(2 * g.segmentCount + i);
  return out;
}

/** The arc from base node `node` into base node `head`, or -1. */
export function findArc(g: RoadGraph, node: number, head: number): number {
  for (let a = g.firstOut[node], e = g.firstOut[node + 1]; a < e; a++) if (g.arcHead[a] === head) return a;
  return -1;
}

/** segments per leaf group and children per node of the spatial index */
export const SPATIAL_NODE = 16;

/** The spatial index's levels, leaves first: offset (in boxes) of each level's first box, and its box count. */
export function spatialLevels(segmentCount: number): { offset: number; count: number }[] {
  const levels: { offset: number; count: number }[] = [];
  if (segmentCount === 0) return levels;
  let offset = 0;
  let count = Math.ceil(segmentCount / SPATIAL_NODE);
  for (;;) {
    levels.push({ offset, count });
    if (count === 1) return levels;
    offset += count;
    count = Math.ceil(count / SPATIAL_NODE);
  }
}

/**
 * Segments that may meet the box (quantised coordinates, as meta.spatialBox): every segment whose box meets it,
 * and others of the same leaf groups unless `meets` (called only for members of groups not inside the box) says
 * their box does not. Optionally only those passing `filter` (called first).
 */
export function spatialSearch(
  g: RoadGraph,
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
  filter?: (s: number) => boolean,
  meets?: (s: number) => boolean,
): number[] {
  const out: number[] = [];
  const levels = spatialLevels(g.segmentCount);
  if (levels.length === 0) return out;
  const { spatialBoxes: boxes, spatialOrder: order } = g;
  const S = g.segmentCount;
  const stack: number[] = [levels.length - 1, 0];
  while (stack.length > 0) {
    const i = stack.pop()!;
    const lv = stack.pop()!;
    const b = (levels[lv].offset + i) * 4;
    if (boxes[b] > maxX || boxes[b + 1] > maxY || boxes[b + 2] < minX || boxes[b + 3] < minY) continue;
    if (lv === 0) {
      const inside = boxes[b] >= minX && boxes[b + 1] >= minY && boxes[b + 2] <= maxX && boxes[b + 3] <= maxY;
      for (let k = i * SPATIAL_NODE, e = Math.min(S, k + SPATIAL_NODE); k < e; k++) {
        const s = order[k];
        if ((!filter || filter(s)) && (inside || !meets || meets(s))) out.push(s);
      }
    } else {
      for (let c = i * SPATIAL_NODE, e = Math.min(levels[lv - 1].count, c + SPATIAL_NODE); c < e; c++)
        stack.push(lv - 1, c);
    }
  }
  return out;
}
