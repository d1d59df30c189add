/**
 * The compiled road graph: everything the engine answers from, as typed arrays (so that it saves and loads as
 * views on one buffer) plus a little metadata.
 *
 * Base graph: one compressed-sparse-row graph shared by the profiles. Nodes 0…nodeCount-1 are the network's
 * vertices; nodes nodeCount… are copies of turn-restricted via vertices (node splitting: a copy per incoming
 * segment that has restrictions, with only its allowed outgoing arcs), so every search works unchanged. Each arc
 * names its segment and direction (`seg * 2 + dir`, dir 1 = against the way); its head is the vertex it drives to,
 * or, when flagged ARC_TO_COPY, the copy node of that vertex for this segDir (side table copyInSd/copyInNode); each
 * profile has its own arc times (NO_ARC where it may not drive). Times are integer milliseconds, lengths integer centimetres, so that every
 * algorithm adds the same integers and the contraction hierarchy answers exactly what Dijkstra answers.
 *
 * Contraction hierarchy (time metrics), in its own node numbering (CH id = contraction rank): for each node the
 * arcs to higher-ranked neighbours, flagged UP_OUT (arc node → head) and/or UP_IN (arc head → node); a shortcut
 * stores its middle node, an original arc its segment and direction. One topology (rank, upFirst, upHead, upMid:
 * the same arrays in every ProfileGraph) serves all profiles; each profile has its own weights (upMs), NO_ARC on
 * the entries it cannot use. There may be parallel entries (same head and flag, different middles), each the best
 * for some profile: unpacking takes the one of least weight in the profile.
 */
import type { NetworkMeta, Profile } from './network.ts';

export const GRAPH_FORMAT_VERSION = 3;

/** arc time of a profile that may not use the arc */
export const NO_ARC = 0xffffffff;
/** arcSeg flag: the arc's head is a copy node (look it up with copyHead) */
export const ARC_TO_COPY = 0x80000000;
/** arcSeg mask: seg * 2 + dir */
export const ARC_SD = 0x7fffffff;
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
  /** weight (ms) of each entry in this profile, NO_ARC where this profile cannot use it */
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
   * in 1e-5 degree (≈ 1 m) from the previous point, the first from the segment's first vertex (rounded to 1e-5 degree)
   */
  shapeStart: Uint32Array;
  shapeDLon: Int8Array;
  shapeDLat: Int8Array;
  /** original vertex of each copy node (node nodeCount + i), ascending */
  copyOf: Uint32Array;
  firstOut: Uint32Array;
  /** seg * 2 + dir of each arc, | ARC_TO_COPY when its head is a copy node */
  arcSeg: Uint32Array;
  /** segDirs driving into a copy node, ascending, and that copy node */
  copyInSd: Uint32Array;
  copyInNode: Uint32Array;
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

export const PROFILE_FIELDS = ['arcMs', 'rank', 'upFirst', 'upHead', 'upMs', 'upMid'] as const;

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
    ['arcSeg', g.arcSeg],
    ['copyInSd', g.copyInSd],
    ['copyInNode', g.copyInNode],
    ['spatialOrder', g.spatialOrder],
    ['spatialBoxes', g.spatialBoxes],
  ];
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
  for (let a = g.firstOut[node], e = g.firstOut[node + 1]; a < e; a++) if ((g.arcSeg[a] & ARC_SD) === segDir) return a;
  return -1;
}

/** The head node of arc a. */
export function arcHead(g: RoadGraph, a: number): number {
  const sd = g.arcSeg[a];
  if (sd >= ARC_TO_COPY) return copyHead(g, sd);
  return sd & 1 ? g.segFrom[sd >>> 1] : g.segTo[sd >>> 1];
}

/** The copy node an arc flagged ARC_TO_COPY (its arcSeg value `flagged`) drives into. */
export function copyHead(g: RoadGraph, flagged: number): number {
  const sd = flagged & ARC_SD;
  const t = g.copyInSd;
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < sd) lo = mid + 1;
    else hi = mid;
  }
  if (lo === t.length || t[lo] !== sd) throw new Error(`road graph is inconsistent: no copy node for segDir ${sd}`);
  return g.copyInNode[lo];
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
