/**
 * NetworkData → RoadGraph: integer coordinates and lengths, the edge-based base graph (turns.ts: one node per
 * segment direction, one arc per allowed turn, per-profile times), the contraction hierarchy shared by the profiles,
 * and the spatial index of segments.
 */
import { contractGraph } from './contraction.ts';
import { type NetworkData, type NetworkMeta, PROFILES, type Profile, type TurnRestriction } from './network.ts';
import {
  COORD_SCALE,
  type ProfileGraph,
  type RoadGraph,
  SHAPE_DIVISOR,
  SHAPE_SCALE,
  SPATIAL_NODE,
  spatialLevels,
} from './road-graph.ts';
import { buildTurns } from './turns.ts';

/** A turn restriction as the importer may give it: limited to some profiles (e.g. `except=emergency`). */
export type ProfileRestriction = TurnRestriction & { appliesTo?: readonly Profile[] };

export interface CompileOptions {
  /** compile the network's turn restrictions (default true); false matches tools that ignore them */
  turnRestrictions?: boolean;
  /**
   * model turns (default true): turn and signal costs, no U-turns at junctions, barriers closed; false gives the
   * answers of a node-based router (pgRouting): U-turns anywhere at no cost, no turn or signal costs, no barriers
   */
  turnModel?: boolean;
  /**
   * the contraction hierarchy is given up beyond this many shortcuts per base node (default
   * HIERARCHY_MAX_SHORTCUTS_PER_NODE); the graph then answers by plain searches (A*, Dijkstra). Infinity: always build it
   */
  maxShortcutsPerNode?: number;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

/**
 * Real street networks need 1.5–3.1 shortcuts per base node of the edge-based graph (Monaco, Andorra, central
 * Shanghai); uniform grids need 14 and more, and their contraction takes minutes to hours (a 200 × 200 grid did
 * not finish in 10 minutes). Above this the hierarchy is not worth its memory and time.
 */
export const HIERARCHY_MAX_SHORTCUTS_PER_NODE = 5;

/** What a graph compiled without a name is called (tests, tools). */
const UNNAMED: NetworkMeta & { id: string; builtAt: string } = {
  id: 'unnamed',
  name: 'unnamed network',
  synthetic: true,
  source: 'compiled in code',
  attribution: '',
  builtAt: '1970-01-01T00:00:00.000Z',
};

export function compileGraph(
  network: NetworkData,
  meta: NetworkMeta & { id: string; builtAt: string } = UNNAMED,
  opts: CompileOptions = {},
): RoadGraph {
  const progress = opts.onProgress ?? (() => {});
  const useRestrictions = opts.turnRestrictions ?? true;
  const turnModel = opts.turnModel ?? true;
  const N = network.nodeCount;
  const S = network.segmentCount;
  checkNetwork(network);
  const profiles: Profile[] = [...PROFILES];
  progress({ phase: 'graph', done: 0, total: S });

  // --- vertices, segments, shapes
  const nodeLon = new Int32Array(N);
  const nodeLat = new Int32Array(N);
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < N; i++) {
    const lon = network.nodeLon[i];
    const lat = network.nodeLat[i];
    nodeLon[i] = Math.round(lon * COORD_SCALE);
    nodeLat[i] = Math.round(lat * COORD_SCALE);
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  if (N === 0) minLon = minLat = maxLon = maxLat = 0;
  const segFrom = Uint32Array.from(network.segFrom);
  const segTo = Uint32Array.from(network.segTo);
  const segCm = new Uint32Array(S);
  const segClass = Uint8Array.from(network.segClass);
  const segAccess = new Uint8Array(S);
  let shapeDLon = new Int8Array(0);
  let shapeDLat = new Int8Array(0);
  for (let s = 0; s < S; s++) {
    segCm[s] = Math.round(network.segMeters[s] * 100);
    let bits = 0;
    for (let p = 0; p < profiles.length; p++) {
      const sp = network.speedKmh[profiles[p]];
      if (sp.forward[s] > 0) bits |= 1 << (2 * p);
      if (sp.backward[s] > 0) bits |= 1 << (2 * p + 1);
    }
    segAccess[s] = bits;
  }
  // intermediate shape points as Int8 steps of 1e-5 degree (≈ 1 m) from the previous point (the first from the segment's
  // first vertex); a longer step is split into collinear steps. Points within SHAPE_TOLERANCE_M of the line through
  // their neighbours are left out (Douglas–Peucker; 2 m is below the positional accuracy of OSM data), and lengths
  // keep the full shape's metres.
  const keep = keptShapePoints(network);
  const shapeStart = new Uint32Array(S + 1);
  const stepsOf = (dx: number, dy: number) => Math.max(1, Math.ceil(Math.max(Math.abs(dx), Math.abs(dy)) / MAX_STEP));
  for (let pass = 0; pass < 2; pass++) {
    for (let s = 0; s < S; s++) {
      let k = shapeStart[s];
      let px = Math.round(nodeLon[network.segFrom[s]] / SHAPE_DIVISOR);
      let py = Math.round(nodeLat[network.segFrom[s]] / SHAPE_DIVISOR);
      for (let i = network.shapeStart[s] + 1, e = network.shapeStart[s + 1] - 1; i < e; i++) {
        if (!keep[i]) continue;
        const lon = network.shapeLon[i];
        const lat = network.shapeLat[i];
        const x = Math.round(lon * SHAPE_SCALE);
        const y = Math.round(lat * SHAPE_SCALE);
        const n = stepsOf(x - px, y - py);
        if (pass === 0) {
          k += n;
          if (lon < minLon) minLon = lon;
          if (lon > maxLon) maxLon = lon;
          if (lat < minLat) minLat = lat;
          if (lat > maxLat) maxLat = lat;
        } else {
          let qx = px;
          let qy = py;
          for (let j = 1; j <= n; j++) {
            const rx = px + Math.round(((x - px) * j) / n);
            const ry = py + Math.round(((y - py) * j) / n);
            shapeDLon[k] = rx - qx;
            shapeDLat[k++] = ry - qy;
            qx = rx;
            qy = ry;
          }
        }
        px = x;
        py = y;
      }
      if (pass === 0) shapeStart[s + 1] = k;
    }
    if (pass === 0) {
      shapeDLon = new Int8Array(shapeStart[S]);
      shapeDLat = new Int8Array(shapeStart[S]);
    }
  }

  // --- the edge-based base graph: node sd = seg * 2 + dir ("at the end of seg driven in dir"), arcs = turns
  const base = buildTurns(network, segAccess, profiles, useRestrictions, turnModel);
  const { vertexFirst, vertexInc, firstOut, arcHead, arcMs, sdMs, copySd } = base;
  const G = 2 * S + copySd.length;
  progress({ phase: 'graph', done: S, total: S });

  // --- one contraction hierarchy for all profiles: shared topology (upFirst, upHead, upMid, upShortcut), a weight
  // array (upMs) per profile
  const profileGraphs: Partial<Record<Profile, ProfileGraph>> = {};
  const shortcuts: Partial<Record<Profile, number>> = {};
  const ch = contractGraph({
    nodeCount: G,
    firstOut,
    arcHead,
    arcMs,
    maxShortcuts: (opts.maxShortcutsPerNode ?? HIERARCHY_MAX_SHORTCUTS_PER_NODE) * G,
    onProgress: (done, total) => progress({ phase: 'contract', done, total }),
  });
  progress({ phase: 'contract', done: G, total: G });
  // without a hierarchy the profile graphs hold empty CH arrays (hasHierarchy() is false)
  const none = {
    upFirst: new Uint32Array(1),
    upHead: new Uint32Array(0),
    upMid: new Int32Array(0),
    upShortcut: new Uint32Array(0),
  };
  for (let p = 0; p < profiles.length; p++) {
    profileGraphs[profiles[p]] = {
      arcMs: arcMs[p],
      sdMs: sdMs[p],
      ...(ch ? { upFirst: ch.upFirst, upHead: ch.upHead, upMid: ch.upMid, upShortcut: ch.upShortcut } : none),
      upMs: ch ? ch.upMs[p] : new Uint32Array(0),
    };
    shortcuts[profiles[p]] = ch ? ch.shortcuts : 0;
  }

  // --- spatial index of segment boxes
  progress({ phase: 'index', done: 0, total: S });
  const padLon = Math.max(1e-6, (maxLon - minLon) * 1e-6);
  const padLat = Math.max(1e-6, (maxLat - minLat) * 1e-6);
  const spatialBox: [number, number, number, number] = [
    minLon - padLon,
    minLat - padLat,
    maxLon + padLon,
    maxLat + padLat,
  ];
  const { order: spatialOrder, boxes: spatialBoxes } = buildSpatialIndex(S, spatialBox, (s, box) => {
    segmentBox(nodeLon, nodeLat, segFrom, segTo, shapeStart, shapeDLon, shapeDLat, s, box);
  });
  progress({ phase: 'index', done: S, total: S });

  return {
    meta: {
      name: meta.name,
      synthetic: meta.synthetic,
      source: meta.source,
      attribution: meta.attribution,
      id: meta.id,
      builtAt: meta.builtAt,
      turnRestrictions: useRestrictions,
      turnModel,
      hierarchy: ch !== null,
      restrictionsUsed: base.used,
      restrictionsIgnored: base.ignored,
      bbox: [minLon, minLat, maxLon, maxLat],
      spatialBox,
      profiles,
      shortcuts,
    },
    nodeCount: N,
    segmentCount: S,
    graphNodeCount: G,
    nodeLon,
    nodeLat,
    segFrom,
    segTo,
    segCm,
    segClass,
    segFlags: Uint8Array.from(network.segFlags ?? new Uint8Array(S)),
    segAccess,
    shapeStart,
    shapeDLon,
    shapeDLat,
    vertexFirst,
    vertexInc,
    copySd,
    firstOut,
    arcHead,
    profiles: profileGraphs,
    spatialOrder,
    spatialBoxes,
  };
}

/** box of segment s in integer coordinates (1e-7 degree): minLon, minLat, maxLon, maxLat */
export function segmentBox(
  nodeLon: Int32Array,
  nodeLat: Int32Array,
  segFrom: Uint32Array,
  segTo: Uint32Array,
  shapeStart: Uint32Array,
  shapeDLon: Int8Array,
  shapeDLat: Int8Array,
  s: number,
  box: Float64Array,
): void {
  const a = segFrom[s];
  const b = segTo[s];
  let x0 = Math.min(nodeLon[a], nodeLon[b]);
  let x1 = Math.max(nodeLon[a], nodeLon[b]);
  let y0 = Math.min(nodeLat[a], nodeLat[b]);
  let y1 = Math.max(nodeLat[a], nodeLat[b]);
  let px = Math.round(nodeLon[a] / SHAPE_DIVISOR);
  let py = Math.round(nodeLat[a] / SHAPE_DIVISOR);
  for (let i = shapeStart[s], e = shapeStart[s + 1]; i < e; i++) {
    px += shapeDLon[i];
    py += shapeDLat[i];
    const x = px * SHAPE_DIVISOR;
    const y = py * SHAPE_DIVISOR;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  box[0] = x0;
  box[1] = y0;
  box[2] = x1;
  box[3] = y1;
}

const Q = 65535;
/** longest step between shape points, in 1e-6 degree (fits Int16) */
const MAX_STEP = 127;

/**
 * The spatial index (RoadGraph.spatialOrder/spatialBoxes): segments sorted by the Hilbert value of their box centre,
 * boxes (Uint16, quantised outwards to the box) of each group of SPATIAL_NODE segments and of the groups above.
 */
function buildSpatialIndex(
  count: number,
  box: [number, number, number, number],
  boxOf: (s: number, out: Float64Array) => void,
): { order: Uint16Array | Uint32Array; boxes: Uint16Array } {
  const b = new Float64Array(4);
  const sx = Q / (box[2] - box[0]);
  const sy = Q / (box[3] - box[1]);
  const q = new Uint16Array(count * 4);
  const key = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    boxOf(s, b);
    const x0 = quantLo((b[0] / COORD_SCALE - box[0]) * sx);
    const y0 = quantLo((b[1] / COORD_SCALE - box[1]) * sy);
    const x1 = quantHi((b[2] / COORD_SCALE - box[0]) * sx);
    const y1 = quantHi((b[3] / COORD_SCALE - box[1]) * sy);
    q[s * 4] = x0;
    q[s * 4 + 1] = y0;
    q[s * 4 + 2] = x1;
    q[s * 4 + 3] = y1;
    key[s] = hilbert((x0 + x1) >>> 1, (y0 + y1) >>> 1);
  }
  const sorted = new Uint32Array(count);
  for (let s = 0; s < count; s++) sorted[s] = s;
  sorted.sort((x, y) => key[x] - key[y] || x - y);
  const order = count <= 0x10000 ? Uint16Array.from(sorted) : sorted;
  const levels = spatialLevels(count);
  const total = levels.length > 0 ? levels[levels.length - 1].offset + 1 : 0;
  const boxes = new Uint16Array(total * 4);
  for (let lv = 0; lv < levels.length; lv++) {
    const { offset, count: n } = levels[lv];
    const below = lv === 0 ? count : levels[lv - 1].count;
    for (let i = 0; i < n; i++) {
      let x0 = Q;
      let y0 = Q;
      let x1 = 0;
      let y1 = 0;
      for (let c = i * SPATIAL_NODE, e = Math.min(below, c + SPATIAL_NODE); c < e; c++) {
        const o = lv === 0 ? sorted[c] * 4 : (levels[lv - 1].offset + c) * 4;
        const src = lv === 0 ? q : boxes;
        if (src[o] < x0) x0 = src[o];
        if (src[o + 1] < y0) y0 = src[o + 1];
        if (src[o + 2] > x1) x1 = src[o + 2];
        if (src[o + 3] > y1) y1 = src[o + 3];
      }
      const o = (offset + i) * 4;
      boxes[o] = x0;
      boxes[o + 1] = y0;
      boxes[o + 2] = x1;
      boxes[o + 3] = y1;
    }
  }
  return { order, boxes };
}

/** position of (x, y) (0 … 65535 each) along a Hilbert curve */
function hilbert(x: number, y: number): number {
  let d = 0;
  for (let s = 0x8000; s > 0; s >>>= 1) {
    const rx = (x & s) !== 0 ? 1 : 0;
    const ry = (y & s) !== 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = 0xffff - x;
        y = 0xffff - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return d;
}

export function quantLo(x: number): number {
  return Math.max(0, Math.min(Q, Math.floor(x)));
}

export function quantHi(x: number): number {
  return Math.max(0, Math.min(Q, Math.ceil(x)));
}

function checkNetwork(n: NetworkData): void {
  const S = n.segmentCount;
  const bad = (what: string) => {
    throw new Error(`road network is inconsistent: ${what}`);
  };
  if (n.nodeLon.length < n.nodeCount || n.nodeLat.length < n.nodeCount) bad('vertex arrays shorter than nodeCount');
  if (n.segFrom.length < S || n.segTo.length < S || n.segMeters.length < S) bad('segment arrays shorter than count');
  if (n.shapeStart.length < S + 1) bad('shapeStart shorter than segmentCount + 1');
  for (let s = 0; s < S; s++) {
    if (n.segFrom[s] >= n.nodeCount || n.segTo[s] >= n.nodeCount) bad(`segment ${s} names a missing vertex`);
    if (n.shapeStart[s + 1] - n.shapeStart[s] < 2) bad(`segment ${s} has fewer than 2 shape points`);
  }
  for (const p of PROFILES) {
    const sp = n.speedKmh[p];
    if (!sp || sp.forward.length < S || sp.backward.length < S) bad(`speeds of profile ${p} missing`);
  }
}

/** How far (m) a shape point may lie from the simplified line and still be left out. */
export const SHAPE_TOLERANCE_M = 2;

/** Douglas–Peucker per segment: 1 for the shape points to keep (both ends always). */
function keptShapePoints(n: NetworkData): Uint8Array {
  const keep = new Uint8Array(n.shapeLon.length);
  const stack: number[] = [];
  for (let s = 0; s < n.segmentCount; s++) {
    const first = n.shapeStart[s];
    const last = n.shapeStart[s + 1] - 1;
    keep[first] = 1;
    keep[last] = 1;
    if (last - first < 2) continue;
    const ky = 111_320;
    const kx = ky * Math.cos((n.shapeLat[first] * Math.PI) / 180);
    stack.push(first, last);
    while (stack.length) {
      const b = stack.pop() as number;
      const a = stack.pop() as number;
      const ax = n.shapeLon[a] * kx;
      const ay = n.shapeLat[a] * ky;
      const dx = n.shapeLon[b] * kx - ax;
      const dy = n.shapeLat[b] * ky - ay;
      const len2 = dx * dx + dy * dy;
      let worst = -1;
      let worstD = SHAPE_TOLERANCE_M;
      for (let i = a + 1; i < b; i++) {
        const px = n.shapeLon[i] * kx - ax;
        const py = n.shapeLat[i] * ky - ay;
        const t = len2 > 0 ? Math.max(0, Math.min(1, (px * dx + py * dy) / len2)) : 0;
        const d = Math.hypot(px - t * dx, py - t * dy);
        if (d > worstD) {
          worstD = d;
          worst = i;
        }
      }
      if (worst >= 0) {
        keep[worst] = 1;
        stack.push(a, worst, worst, b);
      }
    }
  }
  return keep;
}
