/**
 * Contraction hierarchy for one profile's time metric.
 *
 * Nodes are contracted one at a time, least important first. Importance = edge difference (shortcuts added −
 * arcs removed) + contracted neighbours + level (depth), kept in a heap with lazy updates: the popped node's
 * priority is recomputed and it is contracted only if it is still the least (re-prioritising the neighbours after
 * each contraction as well cost 4× the time for no fewer shortcuts or smaller searches on grids). Contracting v adds a shortcut u → w (middle node v) for each in-neighbour u and
 * out-neighbour w unless a witness search from u (not through v, limited in settled nodes) finds a path no longer
 * than u → v → w. A limited witness search only adds superfluous shortcuts, never wrong ones.
 *
 * The result is the upward graph: for each node (in rank order) the arcs to higher-ranked neighbours, both
 * directions in one entry when they have the same weight and origin.
 */
import { IndexedHeap, MinHeap } from './heap.ts';
import { NO_ARC, UP_IN, UP_OUT } from './road-graph.ts';

export interface ContractionInput {
  nodeCount: number;
  firstOut: Uint32Array;
  arcHead: Uint32Array;
  arcSeg: Uint32Array;
  arcMs: Uint32Array;
  /** contract in this order (rank of each node) instead of computing one */
  rank?: Uint32Array;
  onProgress?: (done: number, total: number) => void;
}

export interface ContractionResult {
  rank: Uint32Array;
  upFirst: Uint32Array;
  upHead: Uint32Array;
  upMs: Uint32Array;
  upMid: Int32Array;
  shortcuts: number;
}

/** witness searches stop after settling this many nodes */
const SETTLE_LIMIT = 120;
const WEIGHT_EDGE_DIFF = 2;
const WEIGHT_CONTRACTED = 1;
const WEIGHT_LEVEL = 1;

export function contractGraph(input: ContractionInput): ContractionResult {
  const n = input.nodeCount;
  const { firstOut, arcHead, arcSeg, arcMs } = input;

  // --- dynamic adjacency: per node a block of entries (neighbour, weight out, weight in, origin out, origin in);
  // origin ≥ 0: shortcut via that node, < 0: -1 - segDir of the original arc in that direction.
  const start = new Int32Array(n);
  const len = new Int32Array(n);
  const cap = new Int32Array(n);
  let poolSize = 16;
  let poolEnd = 0;
  {
    const deg = new Int32Array(n);
    for (let u = 0; u < n; u++) {
      for (let a = firstOut[u], e = firstOut[u + 1]; a < e; a++) {
        const v = arcHead[a];
        if (arcMs[a] === NO_ARC || v === u) continue;
        deg[u]++;
        deg[v]++;
      }
    }
    let total = 0;
    for (let u = 0; u < n; u++) {
      start[u] = total;
      cap[u] = deg[u] + 2;
      total += cap[u];
    }
    poolSize = Math.max(16, Math.ceil(total * 1.6));
    poolEnd = total;
  }
  let nbr = new Int32Array(poolSize);
  let wOut = new Float64Array(poolSize);
  let wIn = new Float64Array(poolSize);
  let oOut = new Int32Array(poolSize);
  let oIn = new Int32Array(poolSize);

  function growPool(min: number): void {
    const size = Math.max(min, Math.ceil(poolSize * 1.5));
    const nn = new Int32Array(size);
    nn.set(nbr.subarray(0, poolEnd));
    nbr = nn;
    const a = new Float64Array(size);
    a.set(wOut.subarray(0, poolEnd));
    wOut = a;
    const b = new Float64Array(size);
    b.set(wIn.subarray(0, poolEnd));
    wIn = b;
    const c = new Int32Array(size);
    c.set(oOut.subarray(0, poolEnd));
    oOut = c;
    const d = new Int32Array(size);
    d.set(oIn.subarray(0, poolEnd));
    oIn = d;
    poolSize = size;
  }

  /** entry of y in x's list, created (with infinite weights) when missing */
  function entry(x: number, y: number): number {
    const s = start[x];
    const e = s + len[x];
    for (let i = s; i < e; i++) if (nbr[i] === y) return i;
    if (len[x] === cap[x]) {
      const newCap = cap[x] * 2;
      if (poolEnd + newCap > poolSize) growPool(poolEnd + newCap);
      const ns = poolEnd;
      nbr.copyWithin(ns, s, e);
      wOut.copyWithin(ns, s, e);
      wIn.copyWithin(ns, s, e);
      oOut.copyWithin(ns, s, e);
      oIn.copyWithin(ns, s, e);
      start[x] = ns;
      cap[x] = newCap;
      poolEnd += newCap;
    }
    const i = start[x] + len[x]++;
    nbr[i] = y;
    wOut[i] = Number.POSITIVE_INFINITY;
    wIn[i] = Number.POSITIVE_INFINITY;
    oOut[i] = 0;
    oIn[i] = 0;
    return i;
  }

  /** records arc x → y with weight w and origin o if it is better than what is there */
  function addArc(x: number, y: number, w: number, o: number): void {
    const i = entry(x, y);
    if (w < wOut[i]) {
      wOut[i] = w;
      oOut[i] = o;
      const j = entry(y, x);
      wIn[j] = w;
      oIn[j] = o;
    }
  }

  for (let u = 0; u < n; u++) {
    for (let a = firstOut[u], e = firstOut[u + 1]; a < e; a++) {
      const v = arcHead[a];
      const w = arcMs[a];
      if (w === NO_ARC || v === u) continue;
      addArc(u, v, w, -1 - arcSeg[a]);
    }
  }

  // --- witness search
  const dist = new Float64Array(n);
  const stamp = new Uint32Array(n);
  const target = new Uint32Array(n);
  let round = 0;
  const heap = new MinHeap(256);

  function witness(src: number, skip: number, maxDist: number, targets: number): void {
    round++;
    heap.clear();
    dist[src] = 0;
    stamp[src] = round;
    heap.push(0, src);
    let settled = 0;
    let left = targets;
    while (heap.size > 0) {
      const d = heap.topKey();
      const x = heap.pop();
      if (d > dist[x]) continue;
      if (d > maxDist || ++settled > SETTLE_LIMIT) break;
      if (target[x] === round && --left === 0) break;
      for (let i = start[x], e = i + len[x]; i < e; i++) {
        const w = wOut[i];
        if (w === Number.POSITIVE_INFINITY) continue;
        const y = nbr[i];
        if (y === skip) continue;
        const nd = d + w;
        if (nd > maxDist) continue;
        if (stamp[y] !== round || nd < dist[y]) {
          stamp[y] = round;
          dist[y] = nd;
          heap.push(nd, y);
        }
      }
    }
  }

  // shortcuts found by the last simulation: from, to, weight
  let scFrom = new Int32Array(1024);
  let scTo = new Int32Array(1024);
  let scW = new Float64Array(1024);
  let scCount = 0;
  let removedArcs = 0;

  function pushShortcut(u: number, w: number, c: number): void {
    if (scCount === scFrom.length) {
      const a = new Int32Array(scCount * 2);
      a.set(scFrom);
      scFrom = a;
      const b = new Int32Array(scCount * 2);
      b.set(scTo);
      scTo = b;
      const d = new Float64Array(scCount * 2);
      d.set(scW);
      scW = d;
    }
    scFrom[scCount] = u;
    scTo[scCount] = w;
    scW[scCount++] = c;
  }

  /** the shortcuts contracting v would need, into sc*; also counts v's arcs */
  function simulate(v: number): void {
    scCount = 0;
    removedArcs = 0;
    const s = start[v];
    const e = s + len[v];
    let maxOut = 0;
    let outs = 0;
    for (let i = s; i < e; i++) {
      if (wOut[i] !== Number.POSITIVE_INFINITY) {
        outs++;
        if (wOut[i] > maxOut) maxOut = wOut[i];
      }
      if (wIn[i] !== Number.POSITIVE_INFINITY) removedArcs++;
    }
    removedArcs += outs;
    if (outs === 0) return;
    for (let i = s; i < e; i++) {
      const a = wIn[i];
      if (a === Number.POSITIVE_INFINITY) continue;
      const u = nbr[i];
      // out-neighbours other than u are the targets
      const r = round + 1;
      let targets = 0;
      for (let j = s; j < e; j++) {
        if (wOut[j] !== Number.POSITIVE_INFINITY && nbr[j] !== u) {
          target[nbr[j]] = r;
          targets++;
        }
      }
      if (targets === 0) continue;
      witness(u, v, a + maxOut, targets);
      for (let j = s; j < e; j++) {
        const b = wOut[j];
        const w = nbr[j];
        if (b === Number.POSITIVE_INFINITY || w === u) continue;
        const c = a + b;
        if (stamp[w] !== round || dist[w] > c) pushShortcut(u, w, c);
      }
    }
  }

  const contracted = new Uint8Array(n);
  const neighbours = new Int32Array(n);
  const level = new Int32Array(n);
  const rank = new Uint32Array(n);

  // upward lists, recorded in contraction order
  let recCap = Math.max(16, poolEnd);
  let recNbr = new Int32Array(recCap);
  let recOut = new Float64Array(recCap);
  let recIn = new Float64Array(recCap);
  let recOOut = new Int32Array(recCap);
  let recOIn = new Int32Array(recCap);
  let recLen = 0;
  const recStart = new Uint32Array(n + 1);
  let shortcuts = 0;

  function contract(v: number, r: number): void {
    rank[v] = r;
    recStart[r] = recLen;
    const s = start[v];
    const e = s + len[v];
    if (recLen + (e - s) > recCap) {
      recCap = Math.max(recLen + (e - s), Math.ceil(recCap * 1.5));
      const a = new Int32Array(recCap);
      a.set(recNbr.subarray(0, recLen));
      recNbr = a;
      const b = new Float64Array(recCap);
      b.set(recOut.subarray(0, recLen));
      recOut = b;
      const c = new Float64Array(recCap);
      c.set(recIn.subarray(0, recLen));
      recIn = c;
      const d = new Int32Array(recCap);
      d.set(recOOut.subarray(0, recLen));
      recOOut = d;
      const f = new Int32Array(recCap);
      f.set(recOIn.subarray(0, recLen));
      recOIn = f;
    }
    for (let i = s; i < e; i++) {
      recNbr[recLen] = nbr[i];
      recOut[recLen] = wOut[i];
      recIn[recLen] = wIn[i];
      recOOut[recLen] = oOut[i];
      recOIn[recLen] = oIn[i];
      recLen++;
    }
    contracted[v] = 1;
    // remove v from its neighbours' lists
    for (let i = s; i < e; i++) {
      const x = nbr[i];
      const xs = start[x];
      const xe = xs + len[x] - 1;
      for (let j = xs; j <= xe; j++) {
        if (nbr[j] === v) {
          nbr[j] = nbr[xe];
          wOut[j] = wOut[xe];
          wIn[j] = wIn[xe];
          oOut[j] = oOut[xe];
          oIn[j] = oIn[xe];
          len[x]--;
          break;
        }
      }
      neighbours[x]++;
      if (level[x] < level[v] + 1) level[x] = level[v] + 1;
    }
    len[v] = 0;
    // shortcuts found by simulate(v)
    for (let k = 0; k < scCount; k++) {
      const u = scFrom[k];
      const w = scTo[k];
      const c = scW[k];
      const i = entry(u, w);
      if (c < wOut[i]) {
        wOut[i] = c;
        oOut[i] = v;
        const j = entry(w, u);
        wIn[j] = c;
        oIn[j] = v;
        shortcuts++;
      }
    }
  }

  function priority(v: number): number {
    simulate(v);
    return WEIGHT_EDGE_DIFF * (scCount - removedArcs) + WEIGHT_CONTRACTED * neighbours[v] + WEIGHT_LEVEL * level[v];
  }

  const progressEvery = Math.max(1, Math.floor(n / 100));
  if (input.rank) {
    const order = new Uint32Array(n);
    for (let v = 0; v < n; v++) order[input.rank[v]] = v;
    for (let r = 0; r < n; r++) {
      const v = order[r];
      simulate(v);
      contract(v, r);
      if (input.onProgress && r % progressEvery === 0) input.onProgress(r, n);
    }
  } else {
    const queue = new IndexedHeap(n);
    for (let v = 0; v < n; v++) queue.set(v, priority(v));
    let r = 0;
    while (queue.size > 0) {
      const v = queue.peek();
      const p = priority(v);
      queue.set(v, p);
      if (queue.peek() !== v) continue;
      queue.pop();
      contract(v, r++);
      if (input.onProgress && r % progressEvery === 0) input.onProgress(r, n);
    }
  }
  recStart[n] = recLen;

  // --- the upward graph in CH ids: merge the two directions of an entry when weight and origin agree
  let count = 0;
  for (let i = 0; i < recLen; i++) {
    const a = recOut[i];
    const b = recIn[i];
    if (a !== Number.POSITIVE_INFINITY && b !== Number.POSITIVE_INFINITY && sameOrigin(recOOut[i], recOIn[i], a, b))
      count++;
    else count += (a !== Number.POSITIVE_INFINITY ? 1 : 0) + (b !== Number.POSITIVE_INFINITY ? 1 : 0);
  }
  const upFirst = new Uint32Array(n + 1);
  const upHead = new Uint32Array(count);
  const upMs = new Uint32Array(count);
  const upMid = new Int32Array(count);
  let k = 0;
  for (let r = 0; r < n; r++) {
    upFirst[r] = k;
    for (let i = recStart[r], e = recStart[r + 1]; i < e; i++) {
      const head = rank[recNbr[i]];
      const a = recOut[i];
      const b = recIn[i];
      const oo = recOOut[i];
      const oi = recOIn[i];
      if (a !== Number.POSITIVE_INFINITY && b !== Number.POSITIVE_INFINITY && sameOrigin(oo, oi, a, b)) {
        upHead[k] = (head | UP_OUT | UP_IN) >>> 0;
        upMs[k] = a;
        upMid[k++] = oo >= 0 ? rank[oo] : oo;
        continue;
      }
      if (a !== Number.POSITIVE_INFINITY) {
        upHead[k] = (head | UP_OUT) >>> 0;
        upMs[k] = a;
        upMid[k++] = oo >= 0 ? rank[oo] : oo;
      }
      if (b !== Number.POSITIVE_INFINITY) {
        upHead[k] = (head | UP_IN) >>> 0;
        upMs[k] = b;
        // an original arc is stored by the segDir of its UP_OUT direction: the reverse of the arc head → node
        upMid[k++] = oi >= 0 ? rank[oi] : -1 - ((-1 - oi) ^ 1);
      }
    }
  }
  upFirst[n] = k;
  return { rank, upFirst, upHead, upMs, upMid, shortcuts };
}

function sameOrigin(oOut: number, oIn: number, wOut: number, wIn: number): boolean {
  if (wOut !== wIn) return false;
  if (oOut >= 0) return oOut === oIn;
  return oIn < 0 && -1 - oIn === ((-1 - oOut) ^ 1);
}
