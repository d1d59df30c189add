/**
 * One contraction hierarchy shared by all profiles (their time metrics).
 *
 * Nodes are contracted one at a time, least important first. Importance (as RoutingKit and Geisberger et al.'s
 * quotients) = level (hierarchy depth) + 2 × arcs added / arcs removed + original arcs (hops) the added shortcuts
 * stand for / hops of the arcs removed, kept in a heap with lazy updates: the popped node's priority is recomputed
 * and it is contracted only if it is still the least. Against the former edge difference + contracted neighbours +
 * level this scans 6–11 % fewer entries per route on Shanghai, Monaco and Andorra with about as many entries;
 * re-prioritising the neighbours after each contraction cost 3–4× the time for ≤ 2 % fewer entries, and witness
 * searches of 500 settled nodes instead of 120 changed nothing measurable, nor did hop limits (3, 5, 8: no faster,
 * up to 10 % more entries). Priorities are estimated with witness searches of 30 settled nodes, the contraction
 * itself simulates again with 120: ~1 % more entries on Shanghai, a quarter less witness work (which is still 1.35×
 * the former order's; the 100k grid gives up after 19 s instead of 29 s). Contracting v adds
 * a shortcut u → w (middle node v) for each in-neighbour u and out-neighbour w unless, for every profile, a witness
 * search from u (not through v, limited in settled nodes) finds a path no longer than u → v → w. A limited witness
 * search only adds superfluous shortcuts, never wrong ones.
 *
 * Every arc carries one weight per profile (Infinity where the profile cannot use it): the true length of its path
 * for that profile (the original arc, or the best arcs into and out of its middle node when it was contracted). An
 * arc u → w replaces the arcs u → w it is no longer than in every profile and is dropped when one of them is no
 * longer than it in every profile; otherwise both are kept (parallel arcs, with different origins).
 *
 * The result is the upward graph on the input's node ids (no renumbering: an original arc's entry then needs no
 * stored origin, it drives into its head; searches ran as fast as on contraction-rank ids): for each node the arcs
 * to neighbours contracted later, both directions in one entry when their origin and weights agree; per profile one
 * weight array (NO_ARC = unusable); the middles of the shortcut entries only. A node's entries come OUT only, then
 * both, then IN only, so that a search scans only the run with its flag.
 */
import { IndexedHeap, MinHeap } from './heap.ts';
import { NO_ARC, shortcutIndex, UP_IN, UP_OUT } from './road-graph.ts';
import { grown } from './typed.ts';

export interface ContractionInput {
  nodeCount: number;
  firstOut: Uint32Array;
  arcHead: Uint32Array;
  /** per profile: time of each base arc, NO_ARC where the profile may not drive it */
  arcMs: Uint32Array[];
  onProgress?: (done: number, total: number) => void;
  /**
   * give up (return null) once more shortcuts than this have been added: on grid-like edge-based graphs the
   * hierarchy grows to tens of entries per node and hours of work, and plain searches answer better than that
   */
  maxShortcuts?: number;
}

/** The upward graph on the input's node ids, as road-graph.ts's ProfileGraph holds it. */
export interface ContractionResult {
  upFirst: Uint32Array;
  upHead: Uint32Array;
  /** middle node of each shortcut entry, in entry order */
  upMid: Int32Array;
  /** which entries are shortcuts (shortcutIndex) */
  upShortcut: Uint32Array;
  /** per profile (as in the input): weight of each upward entry, NO_ARC where the profile cannot use it */
  upMs: Uint32Array[];
  shortcuts: number;
}

/** witness searches stop after settling this many nodes */
const SETTLE_LIMIT = 120;
/** ... when they only estimate a priority (the node's contraction then simulates again with SETTLE_LIMIT) */
const ESTIMATE_SETTLE_LIMIT = 30;
/** priority = level + WEIGHT_ARCS × arcs added / arcs removed + WEIGHT_HOPS × hops added / hops removed */
const WEIGHT_ARCS = 2;
const WEIGHT_HOPS = 1;
const OUT = 1;
const IN = 2;
const INF = Number.POSITIVE_INFINITY;

export function contractGraph(input: ContractionInput): ContractionResult | null {
  const n = input.nodeCount;
  const { firstOut, arcHead, arcMs } = input;
  const P = arcMs.length;

  // --- dynamic adjacency: per node a block of entries (neighbour, direction, origin, hops = original arcs it stands
  // for, P weights); an arc x → y is an
  // OUT entry at x and an IN entry at y. Origin ≥ 0: shortcut via that node, < 0: -1 - the head of the original arc.
  const start = new Int32Array(n);
  const len = new Int32Array(n);
  const cap = new Int32Array(n);
  let poolSize = 16;
  let poolEnd = 0;
  const usable = (a: number): boolean => {
    for (let p = 0; p < P; p++) if (arcMs[p][a] !== NO_ARC) return true;
    return false;
  };
  {
    const deg = new Int32Array(n);
    for (let u = 0; u < n; u++) {
      for (let a = firstOut[u], e = firstOut[u + 1]; a < e; a++) {
        const v = arcHead[a];
        if (v === u || !usable(a)) continue;
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
  let dir = new Uint8Array(poolSize);
  let org = new Int32Array(poolSize);
  let hop = new Int32Array(poolSize);
  let wt = new Float64Array(poolSize * P);

  function growPool(min: number): void {
    const size = Math.max(min, Math.ceil(poolSize * 1.5));
    const a = new Int32Array(size);
    a.set(nbr.subarray(0, poolEnd));
    nbr = a;
    const b = new Uint8Array(size);
    b.set(dir.subarray(0, poolEnd));
    dir = b;
    const c = new Int32Array(size);
    c.set(org.subarray(0, poolEnd));
    org = c;
    const h = new Int32Array(size);
    h.set(hop.subarray(0, poolEnd));
    hop = h;
    const d = new Float64Array(size * P);
    d.set(wt.subarray(0, poolEnd * P));
    wt = d;
    poolSize = size;
  }

  /** appends an entry to x's block: weights from w[wOff …] */
  function append(x: number, y: number, d: number, o: number, hp: number, w: Float64Array, wOff: number): void {
    if (len[x] === cap[x]) {
      const s = start[x];
      const e = s + len[x];
      const newCap = cap[x] * 2;
      if (poolEnd + newCap > poolSize) growPool(poolEnd + newCap);
      const ns = poolEnd;
      nbr.copyWithin(ns, s, e);
      dir.copyWithin(ns, s, e);
      org.copyWithin(ns, s, e);
      hop.copyWithin(ns, s, e);
      wt.copyWithin(ns * P, s * P, e * P);
      start[x] = ns;
      cap[x] = newCap;
      poolEnd += newCap;
    }
    const i = start[x] + len[x]++;
    nbr[i] = y;
    dir[i] = d;
    org[i] = o;
    hop[i] = hp;
    for (let p = 0; p < P; p++) wt[i * P + p] = w[wOff + p];
  }

  /** removes entry i of x's block (the last one takes its place) */
  function removeAt(x: number, i: number): void {
    const last = start[x] + len[x] - 1;
    if (i !== last) {
      nbr[i] = nbr[last];
      dir[i] = dir[last];
      org[i] = org[last];
      hop[i] = hop[last];
      for (let p = 0; p < P; p++) wt[i * P + p] = wt[last * P + p];
    }
    len[x]--;
  }

  /** adds arc x → y (origin o, weights w[wOff …]) unless an arc x → y is no longer in every profile */
  function addArc(x: number, y: number, o: number, hp: number, w: Float64Array, wOff: number): boolean {
    for (let i = start[x], e = i + len[x]; i < e; i++) {
      if (nbr[i] !== y || dir[i] !== OUT) continue;
      let dominated = true;
      for (let p = 0; p < P; p++) {
        if (wt[i * P + p] > w[wOff + p]) {
          dominated = false;
          break;
        }
      }
      if (dominated) return false;
    }
    for (let i = start[x]; i < start[x] + len[x]; ) {
      let dominates = nbr[i] === y && dir[i] === OUT;
      for (let p = 0; p < P && dominates; p++) if (w[wOff + p] > wt[i * P + p]) dominates = false;
      if (!dominates) {
        i++;
        continue;
      }
      const oi = org[i];
      for (let j = start[y], e = j + len[y]; j < e; j++) {
        if (nbr[j] === x && dir[j] === IN && org[j] === oi) {
          removeAt(y, j);
          break;
        }
      }
      removeAt(x, i);
    }
    append(x, y, OUT, o, hp, w, wOff);
    append(y, x, IN, o, hp, w, wOff);
    return true;
  }

  {
    const w = new Float64Array(P);
    for (let u = 0; u < n; u++) {
      for (let a = firstOut[u], e = firstOut[u + 1]; a < e; a++) {
        const v = arcHead[a];
        if (v === u || !usable(a)) continue;
        for (let p = 0; p < P; p++) w[p] = arcMs[p][a] === NO_ARC ? INF : arcMs[p][a];
        addArc(u, v, -1 - v, 1, w, 0);
      }
    }
  }

  // --- witness search (one profile)
  const dist = new Float64Array(n);
  const stamp = new Uint32Array(n);
  const target = new Uint32Array(n);
  let round = 0;
  const heap = new MinHeap(256);
  let settleLimit = SETTLE_LIMIT;

  function witness(src: number, skip: number, maxDist: number, targets: number, p: number): void {
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
      if (d > maxDist || ++settled > settleLimit) break;
      if (target[x] === round && --left === 0) break;
      for (let i = start[x], e = i + len[x]; i < e; i++) {
        if (dir[i] !== OUT) continue;
        const w = wt[i * P + p];
        if (w === INF) continue;
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

  // shortcuts found by the last simulation: from, to, P weights
  let scFrom = new Int32Array(1024);
  let scTo = new Int32Array(1024);
  let scW = new Float64Array(1024 * P);
  let scHop = new Int32Array(1024);
  let scCount = 0;
  let removedArcs = 0;
  let removedHops = 0;
  let addedHops = 0;

  function pushShortcut(u: number, w: number, hp: number, c: Float64Array, cOff: number): void {
    if (scCount === scFrom.length) {
      const a = new Int32Array(scCount * 2);
      a.set(scFrom);
      scFrom = a;
      const b = new Int32Array(scCount * 2);
      b.set(scTo);
      scTo = b;
      const d = new Float64Array(scCount * 2 * P);
      d.set(scW);
      scW = d;
      const h = new Int32Array(scCount * 2);
      h.set(scHop);
      scHop = h;
    }
    scHop[scCount] = hp;
    addedHops += hp;
    scFrom[scCount] = u;
    scTo[scCount] = w;
    for (let p = 0; p < P; p++) scW[scCount * P + p] = c[cOff + p];
    scCount++;
  }

  // neighbours of the simulated node: distinct in- and out-neighbours with their least weight per profile
  const slotStamp = new Uint32Array(n);
  const slot = new Int32Array(n);
  let slotRound = 0;
  let ins = new Int32Array(64);
  let inW = new Float64Array(64 * P);
  let outs = new Int32Array(64);
  let outW = new Float64Array(64 * P);
  let inH = new Int32Array(64);
  let outH = new Int32Array(64);
  let needed = new Uint8Array(64);
  const maxOut = new Float64Array(P);
  const cw = new Float64Array(P);

  /** gathers the distinct neighbours of v in direction d with their least weights; returns how many */
  function gather(v: number, d: number): number {
    slotRound++;
    let k = 0;
    for (let i = start[v], e = i + len[v]; i < e; i++) {
      if (dir[i] !== d) continue;
      const y = nbr[i];
      let at: number;
      if (slotStamp[y] === slotRound) at = slot[y];
      else {
        slotStamp[y] = slotRound;
        at = slot[y] = k++;
        if (k > ins.length) {
          const n2 = ins.length * 2;
          ins = grown(ins, n2);
          outs = grown(outs, n2);
          inW = grown(inW, n2);
          outW = grown(outW, n2);
          inH = grown(inH, n2);
          outH = grown(outH, n2);
          needed = new Uint8Array(ins.length);
        }
        const list = d === IN ? ins : outs;
        const lw = d === IN ? inW : outW;
        list[at] = y;
        for (let p = 0; p < P; p++) lw[at * P + p] = INF;
        (d === IN ? inH : outH)[at] = hop[i];
      }
      const lh = d === IN ? inH : outH;
      if (hop[i] < lh[at]) lh[at] = hop[i];
      const lw = d === IN ? inW : outW;
      for (let p = 0; p < P; p++) if (wt[i * P + p] < lw[at * P + p]) lw[at * P + p] = wt[i * P + p];
    }
    return k;
  }

  /** the shortcuts contracting v would need, into sc*; also counts v's arcs */
  function simulate(v: number): void {
    scCount = 0;
    removedArcs = len[v];
    removedHops = 0;
    addedHops = 0;
    for (let i = start[v], e = i + len[v]; i < e; i++) removedHops += hop[i];
    const nOut = gather(v, OUT);
    if (nOut === 0) return;
    const nIn = gather(v, IN);
    for (let p = 0; p < P; p++) {
      let m = 0;
      for (let j = 0; j < nOut; j++) {
        const b = outW[j * P + p];
        if (b !== INF && b > m) m = b;
      }
      maxOut[p] = m;
    }
    for (let i = 0; i < nIn; i++) {
      const u = ins[i];
      needed.fill(0, 0, nOut);
      let any = false;
      for (let p = 0; p < P; p++) {
        const a = inW[i * P + p];
        if (a === INF) continue;
        // out-neighbours other than u are the targets
        const r = round + 1;
        let targets = 0;
        for (let j = 0; j < nOut; j++) {
          if (outW[j * P + p] !== INF && outs[j] !== u) {
            target[outs[j]] = r;
            targets++;
          }
        }
        if (targets === 0) continue;
        witness(u, v, a + maxOut[p], targets, p);
        for (let j = 0; j < nOut; j++) {
          const b = outW[j * P + p];
          const w = outs[j];
          if (b === INF || w === u) continue;
          const c = a + b;
          if (stamp[w] !== round || dist[w] > c) {
            needed[j] = 1;
            any = true;
          }
        }
      }
      if (!any) continue;
      for (let j = 0; j < nOut; j++) {
        if (!needed[j]) continue;
        for (let p = 0; p < P; p++) cw[p] = inW[i * P + p] + outW[j * P + p];
        pushShortcut(u, outs[j], inH[i] + outH[j], cw, 0);
      }
    }
  }

  const level = new Int32Array(n);
  const rank = new Uint32Array(n);

  // upward lists, recorded in contraction order
  let recCap = Math.max(16, poolEnd);
  let recNbr = new Int32Array(recCap);
  let recDir = new Uint8Array(recCap);
  let recOrg = new Int32Array(recCap);
  let recW = new Float64Array(recCap * P);
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
      const b = new Uint8Array(recCap);
      b.set(recDir.subarray(0, recLen));
      recDir = b;
      const c = new Int32Array(recCap);
      c.set(recOrg.subarray(0, recLen));
      recOrg = c;
      const d = new Float64Array(recCap * P);
      d.set(recW.subarray(0, recLen * P));
      recW = d;
    }
    for (let i = s; i < e; i++) {
      recNbr[recLen] = nbr[i];
      recDir[recLen] = dir[i];
      recOrg[recLen] = org[i];
      for (let p = 0; p < P; p++) recW[recLen * P + p] = wt[i * P + p];
      recLen++;
    }
    // remove v from its neighbours' lists
    for (let i = s; i < e; i++) {
      const x = nbr[i];
      let removed = false;
      for (let j = start[x]; j < start[x] + len[x]; ) {
        if (nbr[j] === v) {
          removeAt(x, j);
          removed = true;
        } else j++;
      }
      if (!removed) continue;
      if (level[x] < level[v] + 1) level[x] = level[v] + 1;
    }
    len[v] = 0;
    // shortcuts found by simulate(v)
    for (let k = 0; k < scCount; k++) if (addArc(scFrom[k], scTo[k], v, scHop[k], scW, k * P)) shortcuts++;
  }

  function priority(v: number): number {
    simulate(v);
    if (removedArcs === 0) return level[v];
    return level[v] + (WEIGHT_ARCS * scCount) / removedArcs + (WEIGHT_HOPS * addedHops) / removedHops;
  }

  const progressEvery = Math.max(1, Math.floor(n / 100));
  const queue = new IndexedHeap(n);
  settleLimit = ESTIMATE_SETTLE_LIMIT;
  for (let v = 0; v < n; v++) queue.set(v, priority(v));
  let r = 0;
  const maxShortcuts = input.maxShortcuts ?? Number.POSITIVE_INFINITY;
  while (queue.size > 0) {
    if (shortcuts > maxShortcuts) return null;
    const v = queue.peek();
    const p = priority(v);
    queue.set(v, p);
    if (queue.peek() !== v) continue;
    queue.pop();
    settleLimit = SETTLE_LIMIT;
    simulate(v);
    settleLimit = ESTIMATE_SETTLE_LIMIT;
    contract(v, r++);
    if (input.onProgress && r % progressEvery === 0) input.onProgress(r, n);
  }
  recStart[n] = recLen;

  // --- the upward graph (on the input's node ids): an OUT entry and an IN entry to the same node merge when origin and weights agree
  const pair = new Int32Array(recLen).fill(-1);
  let count = recLen;
  for (let v = 0; v < n; v++) {
    for (let i = recStart[v], e = recStart[v + 1]; i < e; i++) {
      if (recDir[i] !== OUT) continue;
      for (let j = recStart[v]; j < e; j++) {
        // original arcs of opposite directions are different arcs (different origins): only shortcuts pair up
        if (recDir[j] !== IN || pair[j] >= 0 || recNbr[j] !== recNbr[i] || recOrg[i] !== recOrg[j]) continue;
        let same = true;
        for (let p = 0; p < P && same; p++) if (recW[i * P + p] !== recW[j * P + p]) same = false;
        if (!same) continue;
        pair[i] = j;
        pair[j] = i;
        count--;
        break;
      }
    }
  }
  const upFirst = new Uint32Array(n + 1);
  const upHead = new Uint32Array(count);
  const isShortcut = new Uint8Array(count);
  let shortcutEntries = 0;
  const upMs = arcMs.map(() => new Uint32Array(count));
  let k = 0;
  for (let v = 0; v < n; v++) {
    upFirst[v] = k;
    const r = rank[v];
    // entries OUT only, then both, then IN only: a search scans just the run with its flag
    for (let pass = 0; pass < 3; pass++)
      for (let i = recStart[r], e = recStart[r + 1]; i < e; i++) {
        if (recDir[i] === IN && pair[i] >= 0) continue;
        const group = recDir[i] === IN ? 2 : pair[i] >= 0 ? 1 : 0;
        if (group !== pass) continue;
        const flags = recDir[i] === OUT ? UP_OUT | (pair[i] >= 0 ? UP_IN : 0) : UP_IN;
        upHead[k] = (recNbr[i] | flags) >>> 0;
        if (recOrg[i] >= 0) {
          isShortcut[k] = 1;
          shortcutEntries++;
        }
        for (let p = 0; p < P; p++) {
          const w = recW[i * P + p];
          upMs[p][k] = w === INF ? NO_ARC : w;
        }
        k++;
      }
  }
  upFirst[n] = k;
  // the middles, in entry order
  const upMid = new Int32Array(shortcutEntries);
  let m = 0;
  for (let v = 0; v < n; v++) {
    const r = rank[v];
    for (let pass = 0; pass < 3; pass++)
      for (let i = recStart[r], e = recStart[r + 1]; i < e; i++) {
        if (recDir[i] === IN && pair[i] >= 0) continue;
        const group = recDir[i] === IN ? 2 : pair[i] >= 0 ? 1 : 0;
        if (group === pass && recOrg[i] >= 0) upMid[m++] = recOrg[i];
      }
  }
  const upShortcut = shortcutIndex((e) => isShortcut[e] === 1, count);
  return { upFirst, upHead, upMid, upShortcut, upMs, shortcuts };
}
