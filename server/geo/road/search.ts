/**
 * Searches on the compiled graph.
 *
 * - Plain graph: bounded multi-source Dijkstra (isochrones, coverage), one-to-many Dijkstra (matrix rows around
 *   closures), A* (distance metric, and the time metric when a closure forbids the hierarchy's path).
 * - Contraction hierarchy (time metric): bidirectional upward search with stall-on-demand for routes, bucket-based
 *   many-to-many for matrices; paths are unpacked to segments through the shortcuts' middle nodes.
 *
 * Closures (`closed[seg] !== 0`) only make paths longer, so a hierarchy answer whose unpacked path uses no closed
 * segment is still optimal; otherwise the plain graph answers, skipping closed arcs.
 *
 * Scratch arrays are kept per graph (WeakMap), stamped per search so that no search clears them.
 * Seeds let a search start or end inside a segment: each seed is a base node with the partial cost to reach it.
 * The base graph is edge-based (road-graph.ts): a node is a segment direction, an arc a turn into the next one.
 */

import { MinHeap } from './heap.ts';
import type { Profile } from './network.ts';
import {
  COORD_SCALE,
  findArc,
  hasHierarchy,
  NO_ARC,
  nodesOfSd,
  type ProfileGraph,
  profileGraph,
  type RoadGraph,
  sdOf,
  shortcutMid,
  UP_IN,
  UP_NODE,
  UP_OUT,
  vertexOf,
} from './road-graph.ts';
import { grown } from './typed.ts';

/** Where a search starts or ends: base nodes with the time (ms) and length (cm) to get there from the point. */
export interface Seeds {
  nodes: number[];
  ms: number[];
  cm: number[];
}

export type Metric = 'time' | 'distance';

class Space {
  dist: Float64Array;
  private auxArray: Float64Array | undefined;
  stamp: Uint32Array;
  parent: Int32Array;
  parentNode: Int32Array;
  round = 0;
  heap = new MinHeap(1024);

  constructor(n: number) {
    this.dist = new Float64Array(n);
    this.stamp = new Uint32Array(n);
    this.parent = new Int32Array(n);
    this.parentNode = new Int32Array(n);
  }

  /** a second label per node (length, or A*'s lower bound), allocated on first use */
  get aux(): Float64Array {
    if (!this.auxArray) this.auxArray = new Float64Array(this.dist.length);
    return this.auxArray;
  }

  begin(): number {
    if (this.round === 0xfffffffe) {
      this.stamp.fill(0);
      this.round = 0;
    }
    this.heap.clear();
    return ++this.round;
  }

  bytes(): number {
    return this.dist.byteLength + (this.auxArray?.byteLength ?? 0) + this.stamp.byteLength + this.parent.byteLength * 2;
  }
}

export class SearchContext {
  private spaces: (Space | undefined)[] = [];
  /** nodes settled by the last bounded search, in order */
  settled = new Int32Array(1024);
  settledCount = 0;
  // buckets of the many-to-many search
  bucketHead: Int32Array;
  bucketStamp: Uint32Array;
  bucketRound = 0;
  itemTarget = new Int32Array(1024);
  itemMs = new Float64Array(1024);
  itemNext = new Int32Array(1024);
  itemParent = new Int32Array(1024);
  itemParentNode = new Int32Array(1024);
  itemNode = new Int32Array(1024);
  /** the item of the same target at the item's parent node (-1: none), its path's cm down to the target (-1: not yet
   * known) and the target seed it ends at (chRowCm) */
  itemUp = new Int32Array(1024);
  itemCm = new Float64Array(1024);
  itemSeed = new Int32Array(1024);
  itemCount = 0;
  /** the bucket item a node got in the current backward search of chManyToMany */
  nodeItem = new Int32Array(0);
  // chRowCm's forward labels: cm from the row's source up to a node and the source seed it starts at (stamped)
  fwdStamp = new Uint32Array(0);
  fwdCm = new Float64Array(0);
  fwdSeed = new Int32Array(0);
  fwdRound = 0;
  /**
   * entryCm of each hierarchy entry per profile, filled as matrices need them (NO_ARC: not yet): 4 bytes an entry,
   * allocated on a profile's first matrix. An entry is traversed one way only (its flag), unless it has both flags
   * (none in real networks), which are not kept.
   */
  entryLengths = new Map<ProfileGraph, Uint32Array>();
  /** chRowCm's stack */
  cmStack = new Int32Array(64);
  private vmax = new Map<Profile, number>();

  constructor(readonly g: RoadGraph) {
    this.bucketHead = new Int32Array(0);
    this.bucketStamp = new Uint32Array(0);
  }

  space(i: 0 | 1 | 2): Space {
    let s = this.spaces[i];
    if (!s) this.spaces[i] = s = new Space(this.g.graphNodeCount);
    return s;
  }

  /** per-node stamps: "already listed" in the current bounded search */
  mark = new Uint32Array(0);
  markRound = 0;

  nextMark(): number {
    if (this.mark.length !== this.g.graphNodeCount) {
      this.mark = new Uint32Array(this.g.graphNodeCount);
      this.markRound = 0;
    }
    if (this.markRound === 0xfffffffe) {
      this.mark.fill(0);
      this.markRound = 0;
    }
    return ++this.markRound;
  }

  pushSettled(x: number): void {
    if (this.settledCount === this.settled.length) {
      this.settled = grown(this.settled, this.settled.length * 2);
    }
    this.settled[this.settledCount++] = x;
  }

  /** fastest speed of the profile in cm per ms (for A* on time), Infinity when some arc takes no time */
  maxSpeed(profile: Profile): number {
    let v = this.vmax.get(profile);
    if (v === undefined) {
      const pg = profileGraph(this.g, profile);
      v = 0;
      // from the segments' own times: an arc's time adds the turn to it, so this bounds every piece of a path
      for (let sd = 0; sd < pg.sdMs.length; sd++) {
        const ms = pg.sdMs[sd];
        if (ms === NO_ARC) continue;
        const cm = this.g.segCm[sd >>> 1];
        if (ms === 0) {
          if (cm > 0) v = Number.POSITIVE_INFINITY;
          continue;
        }
        if (cm / ms > v) v = cm / ms;
      }
      this.vmax.set(profile, v);
    }
    return v;
  }

  /** bytes of scratch memory held */
  bytes(): number {
    let n = this.settled.byteLength + this.bucketHead.byteLength + this.bucketStamp.byteLength + this.mark.byteLength;
    n += this.nodeItem.byteLength + this.fwdStamp.byteLength + this.fwdCm.byteLength + this.fwdSeed.byteLength;
    for (const a of this.entryLengths.values()) n += a.byteLength;
    for (const s of this.spaces) if (s) n += s.bytes();
    return n + this.itemMs.byteLength * 5.5;
  }

  growItems(): void {
    const n = this.itemTarget.length * 2;
    this.itemTarget = grown(this.itemTarget, n);
    this.itemMs = grown(this.itemMs, n);
    this.itemNext = grown(this.itemNext, n);
    this.itemParent = grown(this.itemParent, n);
    this.itemParentNode = grown(this.itemParentNode, n);
    this.itemNode = grown(this.itemNode, n);
    this.itemUp = grown(this.itemUp, n);
    this.itemCm = grown(this.itemCm, n);
    this.itemSeed = grown(this.itemSeed, n);
  }
}

const contexts = new WeakMap<RoadGraph, SearchContext>();

export function searchContext(g: RoadGraph): SearchContext {
  let c = contexts.get(g);
  if (!c) {
    c = new SearchContext(g);
    contexts.set(g, c);
  }
  return c;
}

/** the segment of base node y (a segment direction or a copy of one) */
function segOfNode(g: RoadGraph, y: number): number {
  return sdOf(g, y) >>> 1;
}

function isClosed(closed: Uint8Array | undefined, seg: number): boolean {
  return closed !== undefined && seg < closed.length && closed[seg] !== 0;
}

export function anyClosed(closed: Uint8Array | undefined): boolean {
  if (!closed) return false;
  for (let i = 0; i < closed.length; i++) if (closed[i] !== 0) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain graph

/**
 * Multi-source Dijkstra on time, bounded by `boundMs`, skipping closed arcs. Settled nodes are left in
 * ctx.settled (each once) with their times (the least over the sources) in space(0).dist.
 *
 * Many sources are searched one after the other, each pruned where an earlier one already came sooner: the same
 * labels as one search from all of them, with a small heap and local memory access (about twice as fast for 30
 * sources scattered over a large graph). With `anyOrder` (the caller needs the settled set, not its order), when
 * the first search alone settles so much that the others must overlap it, the others go as one search: the same
 * labels and settled set, in another order (about twice as fast for 30 sources over a city's centre).
 */
export function boundedReach(
  ctx: SearchContext,
  pg: ProfileGraph,
  seeds: Seeds,
  boundMs: number,
  closed?: Uint8Array,
  anyOrder = false,
  labels?: { seed: Int32Array; node: Int32Array },
): void {
  const g = ctx.g;
  const sp = ctx.space(0);
  const round = sp.begin();
  const { dist, stamp, heap } = sp;
  const { firstOut, arcHead } = g;
  const arcMs = pg.arcMs;
  const mr = ctx.nextMark();
  const mark = ctx.mark;
  ctx.settledCount = 0;
  const hasClosed = anyClosed(closed);
  // a few seeds (one origin: the segments it lies on, both ways): one search; more: one search per seed
  const n = seeds.nodes.length;
  let group = n <= 8 ? n : 1;
  for (let k = 0; k < n; k += group) {
    // the searches overlap (the first settled a good share of the graph for each of the rest): the rest as one
    if (anyOrder && k === 1 && group === 1 && ctx.settledCount * (n - 1) > g.graphNodeCount) group = n - 1;
    heap.clear();
    for (let i = k; i < Math.min(n, k + group); i++) {
      const x = seeds.nodes[i];
      const d = seeds.ms[i];
      if (d > boundMs) continue;
      if (stamp[x] !== round || d < dist[x]) {
        stamp[x] = round;
        dist[x] = d;
        if (labels) labels.node[x] = labels.seed[i];
        heap.push(d, x);
      }
    }
    while (heap.size > 0) {
      const d = heap.topKey();
      const x = heap.pop();
      if (d > dist[x]) continue;
      if (mark[x] !== mr) {
        mark[x] = mr;
        ctx.pushSettled(x);
      }
      for (let a = firstOut[x], e = firstOut[x + 1]; a < e; a++) {
        const w = arcMs[a];
        if (w === NO_ARC) continue;
        const nd = d + w;
        if (nd > boundMs) continue;
        const y = arcHead[a];
        if (hasClosed && isClosed(closed, segOfNode(g, y))) continue;
        if (stamp[y] !== round || nd < dist[y]) {
          stamp[y] = round;
          dist[y] = nd;
          // with labels: each node carries the origin whose search reached it first
          if (labels) labels.node[y] = labels.node[x];
          heap.push(nd, y);
        }
      }
    }
  }
}

/**
 * One-to-many Dijkstra on time from `src` to each target (its seeds), skipping closed arcs; stops once every
 * target is settled. Returns ms and cm (length of the fastest path found) per target, Infinity when unreachable.
 */
export function oneToMany(
  ctx: SearchContext,
  pg: ProfileGraph,
  src: Seeds,
  targets: Seeds[],
  closed?: Uint8Array,
): { ms: Float64Array; cm: Float64Array } {
  const g = ctx.g;
  const T = targets.length;
  const best = new Float64Array(T).fill(Number.POSITIVE_INFINITY);
  const bestCm = new Float64Array(T).fill(Number.POSITIVE_INFINITY);
  const sp = ctx.space(0);
  const round = sp.begin();
  const { dist, aux, stamp, heap } = sp;
  // target seeds by node
  const atNode = new Map<number, number[]>();
  for (let j = 0; j < T; j++) {
    const t = targets[j];
    for (let k = 0; k < t.nodes.length; k++) {
      const x = t.nodes[k];
      let l = atNode.get(x);
      if (!l) {
        l = [];
        atNode.set(x, l);
      }
      l.push(j, k);
    }
  }
  for (let i = 0; i < src.nodes.length; i++) {
    const x = src.nodes[i];
    if (stamp[x] !== round || src.ms[i] < dist[x]) {
      stamp[x] = round;
      dist[x] = src.ms[i];
      aux[x] = src.cm[i];
      heap.push(src.ms[i], x);
    }
  }
  const { firstOut, arcHead, segCm } = g;
  const arcMs = pg.arcMs;
  const hasClosed = anyClosed(closed);
  let found = 0;
  // the latest of the targets' times: needed only once every target is found, so it is recomputed then, and only
  // after a target improved (a scan of all targets at every improvement was T × improvements per search)
  let maxBest = 0;
  let maxStale = false;
  while (heap.size > 0) {
    const d = heap.topKey();
    if (found === T) {
      if (maxStale) {
        maxBest = 0;
        for (let k = 0; k < T; k++) if (best[k] > maxBest) maxBest = best[k];
        maxStale = false;
      }
      if (d >= maxBest) break;
    }
    const x = heap.pop();
    if (d > dist[x]) continue;
    const l = atNode.get(x);
    if (l) {
      for (let i = 0; i < l.length; i += 2) {
        const j = l[i];
        const t = targets[j];
        const c = d + t.ms[l[i + 1]];
        if (c < best[j]) {
          if (best[j] === Number.POSITIVE_INFINITY) found++;
          best[j] = c;
          bestCm[j] = aux[x] + t.cm[l[i + 1]];
          maxStale = true;
        }
      }
    }
    for (let a = firstOut[x], e = firstOut[x + 1]; a < e; a++) {
      const w = arcMs[a];
      if (w === NO_ARC) continue;
      const y = arcHead[a];
      const s = segOfNode(g, y);
      if (hasClosed && isClosed(closed, s)) continue;
      const nd = d + w;
      if (stamp[y] !== round || nd < dist[y]) {
        stamp[y] = round;
        dist[y] = nd;
        aux[y] = aux[x] + segCm[s];
        heap.push(nd, y);
      }
    }
  }
  return { ms: best, cm: bestCm };
}

export interface PlainPath {
  /** cost in the metric searched (ms or cm) */
  cost: number;
  /** index of the source seed the path starts from, and of the target seed it ends at */
  srcSeed: number;
  dstSeed: number;
  /** the base node the path starts at (a source seed's), then the nodes it drives into, in order */
  start: number;
  nodes: number[];
}

/**
 * A* from src to dst on the plain graph, on time or length, skipping closed arcs. The lower bound is the
 * straight-line (chord) distance to `toward` (the destination point), divided by the profile's top speed for time.
 */
export function plainRoute(
  ctx: SearchContext,
  profile: Profile,
  src: Seeds,
  dst: Seeds,
  metric: Metric,
  toward: [number, number],
  closed?: Uint8Array,
): PlainPath | null {
  const g = ctx.g;
  const pg = profileGraph(g, profile);
  const sp = ctx.space(0);
  const round = sp.begin();
  const { dist, aux, stamp, parent, parentNode, heap } = sp;
  const { firstOut, arcHead, segCm, nodeLon, nodeLat } = g;
  const arcMs = pg.arcMs;
  const byTime = metric === 'time';
  // heuristic: chord length in cm to the destination point, scaled; aux holds h per node (NaN = not computed)
  const vmax = byTime ? ctx.maxSpeed(profile) : 1;
  const useH = Number.isFinite(vmax) && vmax > 0;
  const hScale = useH ? 0.9999 / vmax : 0;
  const R = 637_100_000; // cm
  const rad = Math.PI / 180;
  const tLat = toward[1] * rad;
  const tLon = toward[0] * rad;
  const tx = Math.cos(tLat) * Math.cos(tLon);
  const ty = Math.cos(tLat) * Math.sin(tLon);
  const tz = Math.sin(tLat);
  const hOf = (x: number): number => {
    if (!useH) return 0;
    const v = vertexOf(g, x);
    const la = (nodeLat[v] / COORD_SCALE) * rad;
    const lo = (nodeLon[v] / COORD_SCALE) * rad;
    const cl = Math.cos(la);
    const dx = cl * Math.cos(lo) - tx;
    const dy = cl * Math.sin(lo) - ty;
    const dz = Math.sin(la) - tz;
    return Math.sqrt(dx * dx + dy * dy + dz * dz) * R * hScale;
  };
  const dstAt = new Map<number, number[]>();
  for (let k = 0; k < dst.nodes.length; k++) {
    const x = dst.nodes[k];
    let l = dstAt.get(x);
    if (!l) {
      l = [];
      dstAt.set(x, l);
    }
    l.push(k);
  }
  for (let i = 0; i < src.nodes.length; i++) {
    const x = src.nodes[i];
    const c = byTime ? src.ms[i] : src.cm[i];
    if (stamp[x] !== round || c < dist[x]) {
      stamp[x] = round;
      dist[x] = c;
      parent[x] = -1 - i;
      aux[x] = hOf(x);
      heap.push(c + aux[x], x);
    }
  }
  const hasClosed = anyClosed(closed);
  let best = Number.POSITIVE_INFINITY;
  let bestNode = -1;
  let bestSeed = -1;
  while (heap.size > 0) {
    const f = heap.topKey();
    if (f >= best) break;
    const x = heap.pop();
    const d = dist[x];
    if (f > d + aux[x]) continue;
    const l = dstAt.get(x);
    if (l) {
      for (const k of l) {
        const c = d + (byTime ? dst.ms[k] : dst.cm[k]);
        if (c < best) {
          best = c;
          bestNode = x;
          bestSeed = k;
        }
      }
    }
    for (let a = firstOut[x], e = firstOut[x + 1]; a < e; a++) {
      const ms = arcMs[a];
      if (ms === NO_ARC) continue;
      const y = arcHead[a];
      const s = segOfNode(g, y);
      if (hasClosed && isClosed(closed, s)) continue;
      const nd = d + (byTime ? ms : segCm[s]);
      if (stamp[y] !== round) {
        stamp[y] = round;
        aux[y] = hOf(y);
      } else if (nd >= dist[y]) continue;
      dist[y] = nd;
      parent[y] = a;
      parentNode[y] = x;
      heap.push(nd + aux[y], y);
    }
  }
  if (bestNode < 0) return null;
  const nodes: number[] = [];
  let x = bestNode;
  while (parent[x] >= 0) {
    nodes.push(x);
    x = parentNode[x];
  }
  nodes.reverse();
  return { cost: best, srcSeed: -1 - parent[x], dstSeed: bestSeed, start: x, nodes };
}

// ---------------------------------------------------------------------------------------------------------------
// Contraction hierarchy

/** Bidirectional upward search; returns the best time (ms) and the meeting CH node, or null. */
export function chRoute(
  ctx: SearchContext,
  pg: ProfileGraph,
  src: Seeds,
  dst: Seeds,
): { ms: number; meet: number } | null {
  const F = ctx.space(1);
  const B = ctx.space(2);
  const fr = F.begin();
  const br = B.begin();
  for (let i = 0; i < src.nodes.length; i++) seed(F, fr, src.nodes[i], src.ms[i]);
  for (let i = 0; i < dst.nodes.length; i++) seed(B, br, dst.nodes[i], dst.ms[i]);
  const { upFirst, upHead, upMs } = pg;
  let best = Number.POSITIVE_INFINITY;
  let meet = -1;
  for (;;) {
    const fk = F.heap.size > 0 ? F.heap.topKey() : Number.POSITIVE_INFINITY;
    const bk = B.heap.size > 0 ? B.heap.topKey() : Number.POSITIVE_INFINITY;
    if (fk >= best && bk >= best) break;
    const forward = fk <= bk;
    const S = forward ? F : B;
    const O = forward ? B : F;
    const d = S.heap.topKey();
    const x = S.heap.pop();
    const sd = S.dist;
    if (d > sd[x]) continue;
    if (O.stamp[x] === O.round) {
      const c = d + O.dist[x];
      if (c < best) {
        best = c;
        meet = x;
      }
    }
    // a node's entries are OUT only, both, IN only (contraction.ts): each loop scans the run with its flag
    const s0 = upFirst[x];
    const s1 = upFirst[x + 1];
    const stamp = S.stamp;
    const sr = S.round;
    if (stalled(upHead, upMs, s0, s1, forward ? UP_IN : UP_OUT, stamp, sr, sd, d)) continue;
    const par = S.parent;
    const parNode = S.parentNode;
    const heap = S.heap;
    // forward: the OUT run from the first entry up; backward: the IN run from the last entry down
    const flag = forward ? UP_OUT : UP_IN;
    const step = forward ? 1 : -1;
    for (let e = forward ? s0 : s1 - 1, left = s1 - s0; left > 0; left--, e += step) {
      const h = upHead[e];
      if ((h & flag) === 0) break;
      const w = upMs[e];
      if (w === NO_ARC) continue;
      const nd = d + w;
      // a label no less than the best meeting so far cannot be part of a better path
      if (nd >= best) continue;
      const y = h & UP_NODE;
      if (stamp[y] !== sr || nd < sd[y]) {
        stamp[y] = sr;
        sd[y] = nd;
        par[y] = e;
        parNode[y] = x;
        heap.push(nd, y);
      }
    }
  }
  return meet < 0 ? null : { ms: best, meet };
}

/**
 * Stall-on-demand: whether an entry of the node (entries s0 … s1-1) with `flag` reaches it from a labelled node for
 * less than d. A node's entries are OUT only, both, IN only: OUT runs from the first entry, IN from the last.
 */
function stalled(
  upHead: Uint32Array,
  upMs: Uint32Array,
  s0: number,
  s1: number,
  flag: number,
  stamp: Uint32Array,
  round: number,
  dist: Float64Array,
  d: number,
): boolean {
  const step = flag === UP_OUT ? 1 : -1;
  for (let e = step > 0 ? s0 : s1 - 1, left = s1 - s0; left > 0; left--, e += step) {
    const h = upHead[e];
    if ((h & flag) === 0) return false;
    const w = upMs[e];
    if (w === NO_ARC) continue;
    const y = h & UP_NODE;
    if (stamp[y] === round && dist[y] + w < d) return true;
  }
  return false;
}

function seed(S: Space, round: number, x: number, d: number): void {
  if (S.stamp[x] !== round || d < S.dist[x]) {
    S.stamp[x] = round;
    S.dist[x] = d;
    S.parent[x] = -1;
    S.parentNode[x] = -1;
    S.heap.push(d, x);
  }
}

/**
 * The entry at CH node `at` whose head is `head` with flag `flag` and the least weight in this profile (the
 * hierarchy is shared by the profiles, so there may be parallel entries, each best for some profile).
 */
function findEntry(pg: ProfileGraph, at: number, head: number, flag: number): number {
  const { upFirst, upHead, upMs } = pg;
  let best = -1;
  let bestMs = NO_ARC;
  // only the run with the flag (OUT from the first entry, IN from the last); the first of equal least weights
  if (flag === UP_OUT) {
    for (let e = upFirst[at], end = upFirst[at + 1]; e < end; e++) {
      const h = upHead[e];
      if ((h & UP_OUT) === 0) break;
      if ((h & UP_NODE) === head && upMs[e] < bestMs) {
        best = e;
        bestMs = upMs[e];
      }
    }
  } else {
    for (let e = upFirst[at + 1] - 1, start = upFirst[at]; e >= start; e--) {
      const h = upHead[e];
      if ((h & UP_IN) === 0) break;
      if ((h & UP_NODE) === head && upMs[e] !== NO_ARC && upMs[e] <= bestMs) {
        best = e;
        bestMs = upMs[e];
      }
    }
  }
  if (best < 0) throw new Error(`contraction hierarchy is inconsistent at ${at} → ${head}`);
  return best;
}

/** shortcutHalves' answer: the entries from → mid (at mid, IN) and mid → to (at mid, OUT) */
let halfFirst = -1;
let halfSecond = -1;
/** the profile graph whose halves `halfTable` holds */
let halfPg: ProfileGraph | undefined;
let halfTable: Int32Array = new Int32Array(0);
const halfTables = new WeakMap<ProfileGraph, Int32Array>();

/**
 * The two entries shortcut `e` (at node `at`, middle `mid`, traversed up = at → head, else head → at) unpacks to,
 * into halfFirst (from → mid) and halfSecond (mid → to): findEntry's answers, kept per profile graph for entries
 * traversed one way only (8 bytes an entry, outside the graph, allocated on first use) so that unpacking a path does
 * not scan the middle's entries again.
 */
function shortcutHalves(pg: ProfileGraph, e: number, at: number, mid: number, up: boolean): void {
  const flags = pg.upHead[e] & (UP_IN | UP_OUT);
  const head = pg.upHead[e] & UP_NODE;
  const from = up ? at : head;
  const to = up ? head : at;
  if (flags !== (up ? UP_OUT : UP_IN)) {
    halfFirst = findEntry(pg, mid, from, UP_IN);
    halfSecond = findEntry(pg, mid, to, UP_OUT);
    return;
  }
  if (pg !== halfPg) {
    let t = halfTables.get(pg);
    if (!t) {
      t = new Int32Array(2 * pg.upHead.length).fill(-1);
      halfTables.set(pg, t);
    }
    halfPg = pg;
    halfTable = t;
  }
  const k = 2 * e;
  const f = halfTable[k];
  if (f >= 0) {
    halfFirst = f;
    halfSecond = halfTable[k + 1];
    return;
  }
  halfFirst = findEntry(pg, mid, from, UP_IN);
  halfSecond = findEntry(pg, mid, to, UP_OUT);
  halfTable[k] = halfFirst;
  halfTable[k + 1] = halfSecond;
}

/**
 * Appends the base nodes CH arc `e` (stored at node `at`) drives into to out: `up` = traversed at → head, else
 * head → at.
 */
export function unpackEntry(pg: ProfileGraph, e: number, at: number, up: boolean, out: number[]): void {
  const { upHead } = pg;
  let sp = 0;
  unpackStack[sp++] = e;
  unpackStack[sp++] = at;
  unpackStack[sp++] = up ? 1 : 0;
  while (sp > 0) {
    const cup = unpackStack[--sp] === 1;
    const cat = unpackStack[--sp];
    const ce = unpackStack[--sp];
    const mid = shortcutMid(pg, ce);
    const head = upHead[ce] & UP_NODE;
    if (mid < 0) {
      // an original arc drives into the node it is traversed to
      out.push(cup ? head : cat);
      continue;
    }
    // up: at → mid → head; down: head → mid → at. Push the second half first.
    shortcutHalves(pg, ce, cat, mid, cup);
    const second = halfSecond; // mid → to
    const first = halfFirst; // from → mid
    if (sp + 6 > unpackStack.length) {
      unpackStack = grown(unpackStack, unpackStack.length * 2);
    }
    unpackStack[sp++] = second;
    unpackStack[sp++] = mid;
    unpackStack[sp++] = 1;
    unpackStack[sp++] = first;
    unpackStack[sp++] = mid;
    unpackStack[sp++] = 0;
  }
}

/** unpackEntry's stack of (entry, node, up) triples, shared (searches run one at a time) */
let unpackStack = new Int32Array(192);

/** The base nodes the last chRoute's path drives into, in order, and the CH nodes where it starts and ends. */
export function chPath(
  ctx: SearchContext,
  pg: ProfileGraph,
  meet: number,
): { nodes: number[]; start: number; end: number } {
  const F = ctx.space(1);
  const B = ctx.space(2);
  const entries: number[] = [];
  const lows: number[] = [];
  let x = meet;
  while (F.parent[x] >= 0) {
    entries.push(F.parent[x]);
    lows.push(F.parentNode[x]);
    x = F.parentNode[x];
  }
  const start = x;
  const nodes: number[] = [];
  for (let i = entries.length - 1; i >= 0; i--) unpackEntry(pg, entries[i], lows[i], true, nodes);
  x = meet;
  while (B.parent[x] >= 0) {
    const e = B.parent[x];
    const p = B.parentNode[x];
    unpackEntry(pg, e, p, false, nodes);
    x = p;
  }
  return { nodes, start, end: x };
}

/**
 * Many-to-many on the hierarchy: backward searches from the targets fill buckets, then one forward search per
 * source scans them. `onRow(i, ms, meetItem)` is called per source while its forward search is still in
 * space(1) (for path unpacking); ms[j] is Infinity where target j is unreachable. With `timesOnly` the bucket items
 * keep only target and time: meetItem[j] is then good for no path (chMatrixPath, chRowCm, matrixPathClosed).
 */
export function chManyToMany(
  ctx: SearchContext,
  pg: ProfileGraph,
  sources: Seeds[],
  targets: Seeds[],
  onRow: (i: number, ms: Float64Array, meetItem: Int32Array) => void,
  timesOnly = false,
): void {
  const G = ctx.g.graphNodeCount;
  if (ctx.bucketHead.length !== G) {
    ctx.bucketHead = new Int32Array(G);
    ctx.bucketStamp = new Uint32Array(G);
    ctx.bucketRound = 0;
    ctx.nodeItem = new Int32Array(G);
  }
  if (ctx.bucketRound === 0xfffffffe) {
    ctx.bucketStamp.fill(0);
    ctx.bucketRound = 0;
  }
  const bround = ++ctx.bucketRound;
  ctx.itemCount = 0;
  const { upFirst, upHead, upMs } = pg;
  const B = ctx.space(2);
  for (let j = 0; j < targets.length; j++) {
    const br = B.begin();
    const t = targets[j];
    for (let k = 0; k < t.nodes.length; k++) seed(B, br, t.nodes[k], t.ms[k]);
    const { dist, stamp, heap } = B;
    while (heap.size > 0) {
      const d = heap.topKey();
      const x = heap.pop();
      if (d > dist[x]) continue;
      const s0 = upFirst[x];
      const s1 = upFirst[x + 1];
      if (stalled(upHead, upMs, s0, s1, UP_OUT, stamp, br, dist, d)) continue;
      // bucket item
      if (ctx.itemCount === ctx.itemTarget.length) ctx.growItems();
      const it = ctx.itemCount++;
      ctx.itemTarget[it] = j;
      ctx.itemMs[it] = d;
      if (!timesOnly) {
        ctx.itemParent[it] = B.parent[x];
        ctx.itemParentNode[it] = B.parentNode[x];
        ctx.itemNode[it] = x;
        ctx.itemCm[it] = -1;
        ctx.itemUp[it] = B.parent[x] >= 0 ? parentItem(ctx, B.parentNode[x], j) : -1;
        ctx.nodeItem[x] = it;
      }
      if (ctx.bucketStamp[x] !== bround) {
        ctx.bucketStamp[x] = bround;
        ctx.itemNext[it] = -1;
      } else ctx.itemNext[it] = ctx.bucketHead[x];
      ctx.bucketHead[x] = it;
      for (let e = s1 - 1; e >= s0; e--) {
        const h = upHead[e];
        if ((h & UP_IN) === 0) break;
        const w = upMs[e];
        if (w === NO_ARC) continue;
        const y = h & UP_NODE;
        const nd = d + w;
        if (stamp[y] !== br || nd < dist[y]) {
          stamp[y] = br;
          dist[y] = nd;
          B.parent[y] = e;
          B.parentNode[y] = x;
          heap.push(nd, y);
        }
      }
    }
  }
  const F = ctx.space(1);
  const T = targets.length;
  const row = new Float64Array(T);
  const meetItem = new Int32Array(T);
  const { itemTarget, itemMs, itemNext, bucketHead, bucketStamp } = ctx;
  for (let i = 0; i < sources.length; i++) {
    row.fill(Number.POSITIVE_INFINITY);
    meetItem.fill(-1);
    const fr = F.begin();
    const s = sources[i];
    for (let k = 0; k < s.nodes.length; k++) seed(F, fr, s.nodes[k], s.ms[k]);
    const { dist, stamp, heap } = F;
    while (heap.size > 0) {
      const d = heap.topKey();
      const x = heap.pop();
      if (d > dist[x]) continue;
      const s0 = upFirst[x];
      const s1 = upFirst[x + 1];
      if (stalled(upHead, upMs, s0, s1, UP_IN, stamp, fr, dist, d)) continue;
      if (bucketStamp[x] === bround) {
        for (let it = bucketHead[x]; it >= 0; it = itemNext[it]) {
          const j = itemTarget[it];
          const c = d + itemMs[it];
          if (c < row[j]) {
            row[j] = c;
            meetItem[j] = it;
          }
        }
      }
      for (let e = s0; e < s1; e++) {
        const h = upHead[e];
        if ((h & UP_OUT) === 0) break;
        const w = upMs[e];
        if (w === NO_ARC) continue;
        const y = h & UP_NODE;
        const nd = d + w;
        if (stamp[y] !== fr || nd < dist[y]) {
          stamp[y] = fr;
          dist[y] = nd;
          F.parent[y] = e;
          F.parentNode[y] = x;
          heap.push(nd, y);
        }
      }
    }
    onRow(i, row, meetItem);
  }
}

/**
 * Path of (source of the current row, target j) in a many-to-many search, as CH arcs: calls `up(e, at)` for the
 * forward part (from the source up to the meeting node) in order, then `down(e, at)` for the backward part
 * (meeting node down to the target). Returns the CH nodes where the path starts and ends.
 */
export function chMatrixPath(
  ctx: SearchContext,
  meetNode: number,
  item: number,
  target: number,
  visit: (e: number, at: number, up: boolean) => void,
): { start: number; end: number } {
  const F = ctx.space(1);
  const entries: number[] = [];
  const nodes: number[] = [];
  let x = meetNode;
  while (F.parent[x] >= 0) {
    entries.push(F.parent[x]);
    nodes.push(F.parentNode[x]);
    x = F.parentNode[x];
  }
  const start = x;
  for (let i = entries.length - 1; i >= 0; i--) visit(entries[i], nodes[i], true);
  let it = item;
  let end = meetNode;
  while (it >= 0 && ctx.itemParent[it] >= 0) {
    const e = ctx.itemParent[it];
    const p = ctx.itemParentNode[it];
    visit(e, p, false);
    end = p;
    // the item of the same target in p's bucket
    let next = -1;
    if (ctx.bucketStamp[p] === ctx.bucketRound) {
      for (let k = ctx.bucketHead[p]; k >= 0; k = ctx.itemNext[k]) {
        if (ctx.itemTarget[k] === target) {
          next = k;
          break;
        }
      }
    }
    it = next;
  }
  return { start, end };
}

/** the bucket item of target j at node p made by the current backward search (p settled before), or -1 */
function parentItem(ctx: SearchContext, p: number, j: number): number {
  const it = ctx.nodeItem[p];
  return it < ctx.itemCount &&
    ctx.itemNode[it] === p &&
    ctx.itemTarget[it] === j &&
    ctx.bucketStamp[p] === ctx.bucketRound
    ? it
    : -1;
}

/**
 * Lengths (cm) of the current row's cells in chManyToMany (call from onRow): for each target j met (meetItem[j] ≥ 0),
 * the segments its hierarchy path drives into (entryCm over chMatrixPath) plus the pieces of the source and target
 * seeds it starts and ends at (seedAtRank) — into out[j]. The same sums as unpacking each cell's path, with the part
 * up from the source labelled once per node for the row, the part down to a target once per bucket item.
 */
export function chRowCm(
  ctx: SearchContext,
  pg: ProfileGraph,
  src: Seeds,
  dst: Seeds[],
  meetItem: Int32Array,
  memo: Map<number, number>,
  out: Float64Array,
): void {
  const G = ctx.g.graphNodeCount;
  if (ctx.fwdStamp.length !== G) {
    ctx.fwdStamp = new Uint32Array(G);
    ctx.fwdCm = new Float64Array(G);
    ctx.fwdSeed = new Int32Array(G);
    ctx.fwdRound = 0;
  }
  if (ctx.fwdRound === 0xfffffffe) {
    ctx.fwdStamp.fill(0);
    ctx.fwdRound = 0;
  }
  const round = ++ctx.fwdRound;
  let lengths = ctx.entryLengths.get(pg);
  if (!lengths) {
    lengths = new Uint32Array(pg.upHead.length).fill(NO_ARC);
    ctx.entryLengths.set(pg, lengths);
  }
  for (let j = 0; j < meetItem.length; j++) {
    const it = meetItem[j];
    if (it < 0) continue;
    const x = ctx.itemNode[it];
    if (ctx.fwdStamp[x] !== round) forwardCm(ctx, pg, src, x, round, lengths, memo);
    if (ctx.itemCm[it] < 0) backwardCm(ctx, pg, dst[j], it, lengths, memo);
    out[j] = ctx.fwdCm[x] + ctx.itemCm[it] + src.cm[ctx.fwdSeed[x]] + dst[j].cm[ctx.itemSeed[it]];
  }
}

/** labels x and the nodes below it on its forward path (chRowCm) */
function forwardCm(
  ctx: SearchContext,
  pg: ProfileGraph,
  src: Seeds,
  x: number,
  round: number,
  lengths: Uint32Array,
  memo: Map<number, number>,
): void {
  const F = ctx.space(1);
  let sp = 0;
  let y = x;
  while (ctx.fwdStamp[y] !== round && F.parent[y] >= 0) {
    if (sp === ctx.cmStack.length) growCmStack(ctx);
    ctx.cmStack[sp++] = y;
    y = F.parentNode[y];
  }
  if (ctx.fwdStamp[y] !== round) {
    // the start of the path: a seeded node
    ctx.fwdStamp[y] = round;
    ctx.fwdCm[y] = 0;
    ctx.fwdSeed[y] = seedAtRank(src, pg, y);
  }
  while (sp > 0) {
    const z = ctx.cmStack[--sp];
    const p = F.parentNode[z];
    ctx.fwdStamp[z] = round;
    ctx.fwdCm[z] = ctx.fwdCm[p] + entryCm(ctx.g, pg, F.parent[z], p, true, memo, lengths);
    ctx.fwdSeed[z] = ctx.fwdSeed[p];
  }
}

/** labels bucket item `it` and the items below it on its backward path (chRowCm) */
function backwardCm(
  ctx: SearchContext,
  pg: ProfileGraph,
  t: Seeds,
  it: number,
  lengths: Uint32Array,
  memo: Map<number, number>,
): void {
  let sp = 0;
  let k = it;
  while (k >= 0 && ctx.itemCm[k] < 0) {
    if (sp === ctx.cmStack.length) growCmStack(ctx);
    ctx.cmStack[sp++] = k;
    k = ctx.itemParent[k] >= 0 ? ctx.itemUp[k] : -1;
  }
  while (sp > 0) {
    const z = ctx.cmStack[--sp];
    const e = ctx.itemParent[z];
    if (e < 0) {
      ctx.itemCm[z] = 0;
      ctx.itemSeed[z] = seedAtRank(t, pg, ctx.itemNode[z]);
      continue;
    }
    const p = ctx.itemParentNode[z];
    const up = ctx.itemUp[z];
    const own = entryCm(ctx.g, pg, e, p, false, memo, lengths);
    // (no item at the parent: the path ends there, as chMatrixPath has it)
    ctx.itemCm[z] = up >= 0 ? own + ctx.itemCm[up] : own;
    ctx.itemSeed[z] = up >= 0 ? ctx.itemSeed[up] : seedAtRank(t, pg, p);
  }
}

function growCmStack(ctx: SearchContext): void {
  ctx.cmStack = grown(ctx.cmStack, ctx.cmStack.length * 2);
}

// ---------------------------------------------------------------------------------------------------------------
// Vertex-level queries (benchmarks, checks): vertex ids of the NetworkData, no snapping, no geometry.
// Setting off from a vertex: along every segment leaving it (no turn to make yet); arriving: by any segment.

export function vertexSource(g: RoadGraph, pg: ProfileGraph, v: number): Seeds {
  const out: Seeds = { nodes: [], ms: [], cm: [] };
  for (let i = g.vertexFirst[v], e = g.vertexFirst[v + 1]; i < e; i++) {
    const sd = g.vertexInc[i];
    if (pg.sdMs[sd] === NO_ARC) continue;
    out.nodes.push(sd);
    out.ms.push(pg.sdMs[sd]);
    out.cm.push(g.segCm[sd >>> 1]);
  }
  return out;
}

export function vertexTarget(g: RoadGraph, v: number): Seeds {
  const out: Seeds = { nodes: [], ms: [], cm: [] };
  for (let i = g.vertexFirst[v], e = g.vertexFirst[v + 1]; i < e; i++) {
    for (const x of nodesOfSd(g, g.vertexInc[i] ^ 1)) {
      out.nodes.push(x);
      out.ms.push(0);
      out.cm.push(0);
    }
  }
  return out;
}

function checkVertex(g: RoadGraph, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= g.nodeCount) throw new RangeError(`no vertex ${v} in the road graph`);
}

/** Multi-source bounded Dijkstra: how many vertices are reached within maxSeconds. */
export function reachVertices(
  g: RoadGraph,
  profile: Profile,
  sources: number[],
  maxSeconds: number,
  closed?: Uint8Array,
): { count: number } {
  const ctx = searchContext(g);
  const pg = profileGraph(g, profile);
  for (const v of sources) checkVertex(g, v);
  const seeds: Seeds = { nodes: [], ms: [], cm: [] };
  for (const v of sources) {
    const s = vertexSource(g, pg, v);
    for (let i = 0; i < s.nodes.length; i++) {
      if (isClosed(closed, s.nodes[i] >>> 1)) continue;
      seeds.nodes.push(s.nodes[i]);
      seeds.ms.push(s.ms[i]);
      seeds.cm.push(s.cm[i]);
    }
  }
  boundedReach(ctx, pg, seeds, maxSeconds * 1000, closed);
  const seen = new Set<number>(sources);
  for (let i = 0; i < ctx.settledCount; i++) seen.add(vertexOf(g, ctx.settled[i]));
  return { count: seen.size };
}

/** Travel times (seconds) between vertices, row-major sources × targets, Infinity where unreachable. */
export function matrixVertices(
  g: RoadGraph,
  profile: Profile,
  sources: number[],
  targets: number[],
  closed?: Uint8Array,
): Float64Array {
  const ctx = searchContext(g);
  const pg = profileGraph(g, profile);
  for (const v of sources) checkVertex(g, v);
  for (const v of targets) checkVertex(g, v);
  const T = targets.length;
  const out = new Float64Array(sources.length * T);
  const src = sources.map((v) => vertexSource(g, pg, v));
  const dst = targets.map((v) => vertexTarget(g, v));
  const hasClosed = anyClosed(closed);
  const redo: number[] = [];
  if (!hasHierarchy(pg)) for (let i = 0; i < sources.length; i++) redo.push(i);
  else
    chManyToMany(
      ctx,
      pg,
      src,
      dst,
      (i, row, meetItem) => {
        let crosses = false;
        if (hasClosed) {
          const memo = new Map<number, boolean>();
          for (let j = 0; j < T && !crosses; j++) {
            if (meetItem[j] < 0) continue;
            crosses = matrixPathClosed(ctx, pg, meetItem[j], j, closed!, memo);
          }
          // the first segment of a path is its source seed's, outside the hierarchy's arcs
          if (!crosses) crosses = src[i].nodes.some((x) => isClosed(closed, x >>> 1));
        }
        if (crosses) redo.push(i);
        for (let j = 0; j < T; j++) out[i * T + j] = sources[i] === targets[j] ? 0 : row[j] / 1000;
      },
      !hasClosed,
    );
  for (const i of redo) {
    const s = src[i];
    const open: Seeds = { nodes: [], ms: [], cm: [] };
    s.nodes.forEach((x, k) => {
      if (isClosed(closed, x >>> 1)) return;
      open.nodes.push(x);
      open.ms.push(s.ms[k]);
      open.cm.push(s.cm[k]);
    });
    const r = oneToMany(ctx, pg, open, dst, closed);
    for (let j = 0; j < T; j++) out[i * T + j] = sources[i] === targets[j] ? 0 : r.ms[j] / 1000;
  }
  return out;
}

/** Whether the path of the current row to target j (meeting at bucket item `item`) uses a closed segment. */
export function matrixPathClosed(
  ctx: SearchContext,
  pg: ProfileGraph,
  item: number,
  target: number,
  closed: Uint8Array,
  memo: Map<number, boolean>,
): boolean {
  const meet = ctx.itemNode[item];
  let hit = false;
  chMatrixPath(ctx, meet, item, target, (e, at, up) => {
    if (!hit && entryClosed(ctx.g, pg, e, at, up, closed, memo)) hit = true;
  });
  return hit;
}

/** whether CH arc e (at node `at`, direction `up`) drives into a closed segment; memoised per query */
export function entryClosed(
  g: RoadGraph,
  pg: ProfileGraph,
  e: number,
  at: number,
  up: boolean,
  closed: Uint8Array,
  memo: Map<number, boolean>,
): boolean {
  const key = e * 2 + (up ? 1 : 0);
  const m = memo.get(key);
  if (m !== undefined) return m;
  const mid = shortcutMid(pg, e);
  const head = pg.upHead[e] & UP_NODE;
  let r: boolean;
  if (mid < 0) r = isClosed(closed, segOfNode(g, up ? head : at));
  else {
    const from = up ? at : head;
    const to = up ? head : at;
    r =
      entryClosed(g, pg, findEntry(pg, mid, from, UP_IN), mid, false, closed, memo) ||
      entryClosed(g, pg, findEntry(pg, mid, to, UP_OUT), mid, true, closed, memo);
  }
  memo.set(key, r);
  return r;
}

/**
 * Length in cm of the segments CH arc e (at node `at`, direction `up`) drives into. Memoised per query in `memo`;
 * with `lengths` (SearchContext.entryLengths, one per profile) an entry used in one direction only keeps its length
 * there across queries, and so do the entries it unpacks to.
 */
export function entryCm(
  g: RoadGraph,
  pg: ProfileGraph,
  e: number,
  at: number,
  up: boolean,
  memo: Map<number, number>,
  lengths?: Uint32Array,
): number {
  const kept = lengths !== undefined && (pg.upHead[e] & (UP_IN | UP_OUT)) !== (UP_IN | UP_OUT);
  const key = e * 2 + (up ? 1 : 0);
  if (kept) {
    if (lengths[e] !== NO_ARC) return lengths[e];
  } else {
    const m = memo.get(key);
    if (m !== undefined) return m;
  }
  const mid = shortcutMid(pg, e);
  const head = pg.upHead[e] & UP_NODE;
  let r: number;
  if (mid < 0) r = g.segCm[segOfNode(g, up ? head : at)];
  else {
    const from = up ? at : head;
    const to = up ? head : at;
    r =
      entryCm(g, pg, findEntry(pg, mid, from, UP_IN), mid, false, memo, lengths) +
      entryCm(g, pg, findEntry(pg, mid, to, UP_OUT), mid, true, memo, lengths);
  }
  if (!kept) memo.set(key, r);
  else if (r < NO_ARC) lengths[e] = r;
  return r;
}

/** The index of the seed standing at base node `node` with the least time, or -1. */
export function seedOf(seeds: Seeds, node: number): number {
  let k = -1;
  for (let i = 0; i < seeds.nodes.length; i++)
    if (seeds.nodes[i] === node && (k < 0 || seeds.ms[i] < seeds.ms[k])) k = i;
  return k;
}

/** Time (ms) of each arc along a path of base nodes from `start`: the arcs' own times, turns included. */
export function pathArcMs(g: RoadGraph, pg: ProfileGraph, start: number, nodes: number[]): number[] {
  const out: number[] = [];
  let prev = start;
  for (const x of nodes) {
    const a = findArc(g, prev, x);
    out.push(a >= 0 ? pg.arcMs[a] : NO_ARC);
    prev = x;
  }
  return out;
}

/** Shortest path between two vertices by time or length: seconds and metres, or null when unreachable. */
export function routeVertices(
  g: RoadGraph,
  profile: Profile,
  from: number,
  to: number,
  metric: Metric,
  closed?: Uint8Array,
): { seconds: number; meters: number } | null {
  checkVertex(g, from);
  checkVertex(g, to);
  if (from === to) return { seconds: 0, meters: 0 };
  const ctx = searchContext(g);
  const pg = profileGraph(g, profile);
  const src = vertexSource(g, pg, from);
  const dst = vertexTarget(g, to);
  if (metric === 'time' && hasHierarchy(pg)) {
    const r = chRoute(ctx, pg, src, dst);
    if (!r) return null;
    const path = chPath(ctx, pg, r.meet);
    const startNode = src.nodes[seedAtRank(src, pg, path.start)];
    const crosses =
      anyClosed(closed) &&
      (isClosed(closed, startNode >>> 1) || path.nodes.some((x) => isClosed(closed, segOfNode(g, x))));
    if (!crosses) {
      let cm = g.segCm[startNode >>> 1];
      for (const x of path.nodes) cm += g.segCm[segOfNode(g, x)];
      return { seconds: r.ms / 1000, meters: cm / 100 };
    }
  }
  const open: Seeds = { nodes: [], ms: [], cm: [] };
  src.nodes.forEach((x, k) => {
    if (isClosed(closed, x >>> 1)) return;
    open.nodes.push(x);
    open.ms.push(src.ms[k]);
    open.cm.push(src.cm[k]);
  });
  const toward: [number, number] = [g.nodeLon[to] / COORD_SCALE, g.nodeLat[to] / COORD_SCALE];
  const p = plainRoute(ctx, profile, open, dst, metric, toward, closed);
  if (!p) return null;
  let ms = open.ms[p.srcSeed];
  let cm = open.cm[p.srcSeed];
  for (const x of p.nodes) cm += g.segCm[segOfNode(g, x)];
  for (const t of pathArcMs(g, pg, p.start, p.nodes)) ms += t;
  return { seconds: ms / 1000, meters: cm / 100 };
}

/**
 * index of the seed standing at the node where a hierarchy path starts or ends, with the least time: the hierarchy
 * is on the base nodes' ids, so this is seedOf (the profile graph argument is kept for the callers)
 */
export function seedAtRank(seeds: Seeds, _pg: ProfileGraph, at: number): number {
  return seedOf(seeds, at);
}

// ---------------------------------------------------------------------------------------------------------------
// Backward search (many sources to one target)

/** The base graph's arcs by head: for node y, inArc[firstIn[y] … firstIn[y+1]) are the arcs x → y. */
interface Reverse {
  firstIn: Uint32Array;
  inArc: Uint32Array;
  inTail: Uint32Array;
}

const reverses = new WeakMap<RoadGraph, Reverse>();

/** the reversed base graph, built on first use and kept per graph (12 bytes an arc) */
export function reverseGraph(g: RoadGraph): Reverse {
  let r = reverses.get(g);
  if (r) return r;
  const n = g.graphNodeCount;
  const { firstOut, arcHead } = g;
  const arcs = firstOut[n];
  const firstIn = new Uint32Array(n + 1);
  for (let a = 0; a < arcs; a++) firstIn[arcHead[a] + 1]++;
  for (let y = 0; y < n; y++) firstIn[y + 1] += firstIn[y];
  const fill = firstIn.slice(0, n);
  const inArc = new Uint32Array(arcs);
  const inTail = new Uint32Array(arcs);
  for (let x = 0; x < n; x++) {
    for (let a = firstOut[x], e = firstOut[x + 1]; a < e; a++) {
      const k = fill[arcHead[a]]++;
      inArc[k] = a;
      inTail[k] = x;
    }
  }
  r = { firstIn, inArc, inTail };
  reverses.set(g, r);
  return r;
}

/**
 * Many sources to one target in one backward Dijkstra from the target's seeds over the reversed graph (time, closed
 * segments skipped as the forward searches skip them). `sources[i]` are each source's seeds; the answer per source
 * is the least `seed ms + time from its node to the target`, with the length of that path. With `enough`, the search
 * stops once that many sources have an answer no unsettled node can better (the caller wants the nearest only):
 * the others are left at Infinity as if unreachable, and `complete` is false.
 */
export function manyToOneBackward(
  ctx: SearchContext,
  pg: ProfileGraph,
  sources: Seeds[],
  target: Seeds,
  closed?: Uint8Array,
  enough = Number.POSITIVE_INFINITY,
  extra?: { ms: Float64Array; cm: Float64Array },
): { ms: Float64Array; cm: Float64Array; complete: boolean } {
  const g = ctx.g;
  const rev = reverseGraph(g);
  const N = sources.length;
  const best = extra ? extra.ms : new Float64Array(N).fill(Number.POSITIVE_INFINITY);
  const bestCm = extra ? extra.cm : new Float64Array(N).fill(Number.POSITIVE_INFINITY);
  // source seeds by node: a flat list per node (node → head index into next/srcOf/seedOf)
  const head = new Map<number, number>();
  const next: number[] = [];
  const srcOf: number[] = [];
  const seedOf: number[] = [];
  for (let i = 0; i < N; i++) {
    const s = sources[i];
    for (let k = 0; k < s.nodes.length; k++) {
      const x = s.nodes[k];
      next.push(head.get(x) ?? -1);
      srcOf.push(i);
      seedOf.push(k);
      head.set(x, next.length - 1);
    }
  }
  const sp = ctx.space(0);
  const round = sp.begin();
  const { dist, aux, stamp, heap } = sp;
  const hasClosed = anyClosed(closed);
  for (let k = 0; k < target.nodes.length; k++) {
    const x = target.nodes[k];
    if (hasClosed && isClosed(closed, segOfNode(g, x))) continue;
    if (stamp[x] !== round || target.ms[k] < dist[x]) {
      stamp[x] = round;
      dist[x] = target.ms[k];
      aux[x] = target.cm[k];
      heap.push(target.ms[k], x);
    }
  }
  // the `enough` smallest answers so far (sorted ascending), to know when to stop
  const top: number[] = [];
  const note = (v: number) => {
    if (!Number.isFinite(enough)) return;
    if (top.length < enough) {
      top.push(v);
      top.sort((a, b) => a - b);
    } else if (v < top[top.length - 1]) {
      top[top.length - 1] = v;
      top.sort((a, b) => a - b);
    }
  };
  for (let i = 0; i < N; i++) if (Number.isFinite(best[i])) note(best[i]);
  const { firstIn, inArc, inTail } = rev;
  const { segCm } = g;
  const arcMs = pg.arcMs;
  let complete = true;
  while (heap.size > 0) {
    const d = heap.topKey();
    // every answer still to come costs at least d (seed times are ≥ 0)
    if (top.length >= enough && d >= top[top.length - 1]) {
      complete = false;
      break;
    }
    const x = heap.pop();
    if (d > dist[x]) continue;
    for (let h = head.get(x) ?? -1; h >= 0; h = next[h]) {
      const i = srcOf[h];
      const s = sources[i];
      const c = d + s.ms[seedOf[h]];
      if (c < best[i]) {
        best[i] = c;
        bestCm[i] = aux[x] + s.cm[seedOf[h]];
        note(c);
      }
    }
    const xCm = segCm[segOfNode(g, x)];
    for (let k = firstIn[x], e = firstIn[x + 1]; k < e; k++) {
      const w = arcMs[inArc[k]];
      if (w === NO_ARC) continue;
      const u = inTail[k];
      if (hasClosed && isClosed(closed, segOfNode(g, u))) continue;
      const nd = d + w;
      if (stamp[u] !== round || nd < dist[u]) {
        stamp[u] = round;
        dist[u] = nd;
        aux[u] = aux[x] + xCm;
        heap.push(nd, u);
      }
    }
  }
  return { ms: best, cm: bestCm, complete };
}
