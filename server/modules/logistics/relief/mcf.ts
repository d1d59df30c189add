/**
 * One item's transportation problem, solved exactly: sources (warehouses) with integer supplies, sinks (places) with
 * integer needs, arcs source → sink with an integer cost (arrival seconds) where the goods arrive in time. Goal, in
 * this order: (1) the least unmet need, (2) the least Σ quantity × cost. Pure; typed arrays; no dependencies.
 *
 * Method: the primal network simplex on the uncapacitated network
 *   sources S, sinks P, one root node r;
 *   real arcs s → p (cost c_sp ≥ 0);
 *   a "surplus" arc s → r (cost 0) per source: supply left in the warehouse;
 *   an "unmet" arc r → p (cost M) per sink: need nobody delivers;
 * root supply = Σ need − Σ supply, so the network is balanced and the starting tree (every source on its surplus
 * arc, every sink on its unmet arc) is a feasible, strongly feasible spanning tree: no phase 1 and no artificial
 * arcs. Pivots choose the entering arc by block search (the most negative reduced cost of a block of ≈ √m arcs) and
 * the leaving arc by the strongly-feasible rule (the last blocking arc met going round the cycle from its apex in the
 * direction of flow), which rules out cycling under degeneracy. The tree is kept as parent pointers, depths and
 * child lists; a pivot re-hangs one subtree and shifts its potentials.
 *
 * Why M makes the goal lexicographic: let f be optimal for M·unmet + cost, and suppose some flow g leaves less
 * unmet. g − f is a circulation in f's residual network and splits into simple cycles; one of them must lower the
 * unmet total, so it passes backwards along one unmet arc (−M). A simple cycle visits the root once, so its other
 * root arc is a surplus arc backwards (cost 0) — a cycle through a second unmet arc would change nothing unmet —
 * and the rest of it is a path among sources and sinks of at most W + P arcs each costing at most maxCost in
 * absolute value. With M = (W + P) · maxCost + 1 that cycle costs less than 0, and sending flow round it would make
 * f cheaper: a contradiction. So f leaves the least unmet need, and among such flows M·unmet is constant and f has
 * the least cost. All numbers stay integers below 2^53 (potentials are tree-path costs, |π| ≤ M + (W + P)·maxCost),
 * so every comparison is exact. At the end `certify` checks the optimality conditions afresh (every reduced cost ≥ 0
 * on arcs without flow, = 0 on arcs with flow; every node balanced): the answer is proven, not assumed.
 */

export interface TransportProblem {
  /** per source: whole units available (≥ 0) */
  supply: ArrayLike<number>;
  /** per sink: whole units needed (≥ 0) */
  demand: ArrayLike<number>;
  /** the arcs: source index, sink index, integer cost ≥ 0 (arrival seconds) */
  from: Int32Array;
  to: Int32Array;
  cost: Float64Array | Int32Array | Uint32Array;
}

export interface TransportSolution {
  /** per arc of the problem: units sent */
  flow: Float64Array;
  /** per sink: need not delivered */
  unmet: Float64Array;
  /** per source: supply left */
  left: Float64Array;
  unmetTotal: number;
  /** Σ flow × cost over the arcs */
  cost: number;
  pivots: number;
}

const NONE = -1;

export function solveTransport(p: TransportProblem): TransportSolution {
  const W = p.supply.length;
  const P = p.demand.length;
  const m0 = p.from.length;
  if (p.to.length !== m0 || p.cost.length !== m0) throw new Error('solveTransport: from, to and cost differ in length');
  for (let i = 0; i < W; i++) checkWhole(p.supply[i], `supply[${i}]`);
  for (let j = 0; j < P; j++) checkWhole(p.demand[j], `demand[${j}]`);
  // only arcs between a source that has something and a sink that needs something can carry flow
  const keep: number[] = [];
  let maxCost = 0;
  for (let a = 0; a < m0; a++) {
    const s = p.from[a];
    const t = p.to[a];
    if (s < 0 || s >= W || t < 0 || t >= P) throw new Error(`solveTransport: arc ${a} names no source or sink`);
    checkWhole(p.cost[a], `cost[${a}]`);
    if (p.supply[s] > 0 && p.demand[t] > 0) {
      keep.push(a);
      if (p.cost[a] > maxCost) maxCost = p.cost[a];
    }
  }
  const m = keep.length;
  const n = W + P + 1;
  const root = W + P;
  const M = (W + P) * maxCost + 1;
  // arcs: the kept real arcs, then the surplus arcs (source → root), then the unmet arcs (root → sink)
  const A = m + W + P;
  const src = new Int32Array(A);
  const tgt = new Int32Array(A);
  const cost = new Float64Array(A);
  const flow = new Float64Array(A);
  for (let k = 0; k < m; k++) {
    const a = keep[k];
    src[k] = p.from[a];
    tgt[k] = W + p.to[a];
    cost[k] = p.cost[a];
  }
  // the tree
  const parent = new Int32Array(n);
  const pred = new Int32Array(n);
  const up = new Uint8Array(n); // 1: the pred arc runs node → parent
  const depth = new Int32Array(n);
  const pi = new Float64Array(n);
  const firstChild = new Int32Array(n).fill(NONE);
  const nextSib = new Int32Array(n).fill(NONE);
  const prevSib = new Int32Array(n).fill(NONE);
  const addChild = (par: number, c: number) => {
    const f = firstChild[par];
    nextSib[c] = f;
    prevSib[c] = NONE;
    if (f !== NONE) prevSib[f] = c;
    firstChild[par] = c;
  };
  const removeChild = (par: number, c: number) => {
    const pv = prevSib[c];
    const nx = nextSib[c];
    if (pv !== NONE) nextSib[pv] = nx;
    else firstChild[par] = nx;
    if (nx !== NONE) prevSib[nx] = pv;
    nextSib[c] = NONE;
    prevSib[c] = NONE;
  };
  parent[root] = NONE;
  pred[root] = NONE;
  for (let i = 0; i < W; i++) {
    const a = m + i;
    src[a] = i;
    tgt[a] = root;
    flow[a] = p.supply[i];
    parent[i] = root;
    pred[i] = a;
    up[i] = 1;
    depth[i] = 1;
    pi[i] = 0; // 0 + π_i − π_root = 0
    addChild(root, i);
  }
  for (let j = 0; j < P; j++) {
    const a = m + W + j;
    const v = W + j;
    src[a] = root;
    tgt[a] = v;
    cost[a] = M;
    flow[a] = p.demand[j];
    parent[v] = root;
    pred[v] = a;
    up[v] = 0;
    depth[v] = 1;
    pi[v] = M; // M + π_root − π_v = 0
    addChild(root, v);
  }

  const block = Math.max(10, Math.ceil(Math.sqrt(A)));
  let next = 0;
  let pivots = 0;
  const path: number[] = [];
  const oldParent: number[] = [];
  const oldPred: number[] = [];
  const oldUp: number[] = [];
  const stack = new Int32Array(n);

  for (;;) {
    // ---- pricing: block search ----
    let enter = NONE;
    let best = 0;
    let scanned = 0;
    while (scanned < A) {
      const end = Math.min(scanned + block, A);
      for (; scanned < end; scanned++) {
        const a = next;
        next = next + 1 === A ? 0 : next + 1;
        const rc = cost[a] + pi[src[a]] - pi[tgt[a]];
        if (rc < best) {
          best = rc;
          enter = a;
        }
      }
      if (enter !== NONE) break;
    }
    if (enter === NONE) break;
    pivots++;
    const u = src[enter];
    const v = tgt[enter];
    // ---- the cycle's apex ----
    let a = u;
    let b = v;
    while (a !== b) {
      if (depth[a] > depth[b]) a = parent[a];
      else if (depth[b] > depth[a]) b = parent[b];
      else {
        a = parent[a];
        b = parent[b];
      }
    }
    const join = a;
    // ---- the leaving arc: flow runs join → … → u → v → … → join; the last blocking arc in that order ----
    let delta = Number.POSITIVE_INFINITY;
    let leave = NONE;
    let leaveOnU = false;
    for (let x = u; x !== join; x = parent[x]) {
      // flow runs down to x: an arc x → parent is driven backwards
      if (up[x] && flow[pred[x]] < delta) {
        delta = flow[pred[x]];
        leave = x;
        leaveOnU = true;
      }
    }
    for (let x = v; x !== join; x = parent[x]) {
      // flow runs up from x: an arc parent → x is driven backwards
      if (!up[x] && flow[pred[x]] <= delta) {
        delta = flow[pred[x]];
        leave = x;
        leaveOnU = false;
      }
    }
    if (leave === NONE) throw new Error('solveTransport: a cycle of negative cost without bound (negative costs?)');
    // ---- augment ----
    if (delta > 0) {
      flow[enter] += delta;
      for (let x = u; x !== join; x = parent[x]) flow[pred[x]] += up[x] ? -delta : delta;
      for (let x = v; x !== join; x = parent[x]) flow[pred[x]] += up[x] ? delta : -delta;
    }
    // ---- re-hang the subtree cut off by the leaving arc from the entering arc ----
    const inNode = leaveOnU ? u : v;
    const newParent = leaveOnU ? v : u;
    path.length = 0;
    oldParent.length = 0;
    oldPred.length = 0;
    oldUp.length = 0;
    for (let x = inNode; ; x = parent[x]) {
      path.push(x);
      oldParent.push(parent[x]);
      oldPred.push(pred[x]);
      oldUp.push(up[x]);
      if (x === leave) break;
    }
    for (let i = 0; i < path.length; i++) removeChild(oldParent[i], path[i]);
    parent[inNode] = newParent;
    pred[inNode] = enter;
    up[inNode] = leaveOnU ? 1 : 0;
    addChild(newParent, inNode);
    for (let i = 1; i < path.length; i++) {
      const x = path[i];
      parent[x] = path[i - 1];
      pred[x] = oldPred[i - 1];
      up[x] = oldUp[i - 1] ? 0 : 1;
      addChild(path[i - 1], x);
    }
    // ---- potentials and depths of the moved subtree ----
    const sigma = leaveOnU ? -best : best;
    let top = 0;
    stack[top++] = inNode;
    while (top > 0) {
      const y = stack[--top];
      pi[y] += sigma;
      depth[y] = depth[parent[y]] + 1;
      for (let c = firstChild[y]; c !== NONE; c = nextSib[c]) stack[top++] = c;
    }
  }

  certify(n, A, src, tgt, cost, flow, pi, W, P, p);

  const out = new Float64Array(m0);
  let total = 0;
  for (let k = 0; k < m; k++) {
    out[keep[k]] = flow[k];
    total += flow[k] * cost[k];
  }
  const unmet = new Float64Array(P);
  let unmetTotal = 0;
  for (let j = 0; j < P; j++) {
    unmet[j] = flow[m + W + j];
    unmetTotal += unmet[j];
  }
  const left = new Float64Array(W);
  for (let i = 0; i < W; i++) left[i] = flow[m + i];
  return { flow: out, unmet, left, unmetTotal, cost: total, pivots };
}

function checkWhole(x: number, what: string): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new Error(`solveTransport: ${what} must be a whole number ≥ 0 (${x})`);
}

/**
 * The optimality certificate: flows non-negative, every node balanced, and the potentials' reduced costs ≥ 0 on every
 * arc (complementary slackness: = 0 where flow runs). Throws when any fails — a bug, never a user's mistake.
 */
function certify(
  n: number,
  A: number,
  src: Int32Array,
  tgt: Int32Array,
  cost: Float64Array,
  flow: Float64Array,
  pi: Float64Array,
  W: number,
  P: number,
  p: TransportProblem,
): void {
  const net = new Float64Array(n);
  for (let a = 0; a < A; a++) {
    const f = flow[a];
    if (f < 0 || !Number.isSafeInteger(f)) throw new Error(`solveTransport: arc ${a} carries ${f}`);
    const rc = cost[a] + pi[src[a]] - pi[tgt[a]];
    if (rc < 0 || (f > 0 && rc !== 0)) throw new Error(`solveTransport: not optimal at arc ${a} (reduced cost ${rc})`);
    net[src[a]] += f;
    net[tgt[a]] -= f;
  }
  for (let i = 0; i < W; i++)
    if (net[i] !== p.supply[i]) throw new Error(`solveTransport: source ${i} ships ${net[i]} of ${p.supply[i]}`);
  for (let j = 0; j < P; j++)
    if (-net[W + j] !== p.demand[j]) throw new Error(`solveTransport: sink ${j} gets ${-net[W + j]} of ${p.demand[j]}`);
}
