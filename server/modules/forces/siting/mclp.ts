/**
 * Station siting as the maximal covering location problem (MCLP): choose k candidate sites so that the demand they
 * reach within the time standard weighs most, and its converse, the fewest sites that reach a target weight. Pure: the
 * coverage sets come from the caller (the road network's isochrones), the answer is a list of candidate indices.
 *
 * Solved exactly as a MIP by HiGHS after a reduction that keeps the optimum value (identical demand rows merged,
 * uncovered or weightless cells dropped, candidates whose cover lies inside another's dropped), with the greedy
 * solution as its start. Greedy alone is here too: it is the start, the fallback, and the figure a planner compares.
 */
import type { Highs, Model } from 'highs';
import { highsRuntime, statusText } from './highs-solver.ts';

export interface CoverProblem {
  /** weight of each demand cell (population or km²); cells already covered by existing stations are NOT given */
  weights: Float64Array;
  /** per candidate: the indices (into weights) of the demand cells it covers, ascending */
  sets: Int32Array[];
}

export interface CoverPlan {
  /** candidate indices, in the order of their marginal gain (greedy order over the chosen set) */
  chosen: number[];
  /** weight each chosen candidate adds, in that order (sum = objective) */
  marginalGains: number[];
  /** covered weight */
  objective: number;
  /** proven upper bound on the covered weight (max problem) / lower bound on the number of sites (min problem) */
  bound: number;
  /** relative gap between objective and bound (0 = proven optimal) */
  gap: number;
  optimal: boolean;
  /** HiGHS model status text ('Optimal', 'Time limit reached' …) */
  status: string;
  seconds: number;
}

export interface SolveOptions {
  /** HiGHS stops here and reports its best plan with the proven bound; default 30 s */
  timeLimitSec?: number;
  /** further HiGHS options, applied last (tuning and diagnostics: `{ output_flag: true }` prints the solver's log) */
  highsOptions?: Record<string, string | number | boolean>;
  /** receives HiGHS' log lines (diagnostics; the worker does not pass it) */
  onLog?: (line: string) => void;
}

const DEFAULT_TIME_LIMIT_SEC = 30;
/** greedy covers at least this share of the optimum (Nemhauser, Wolsey, Fisher 1978) */
const GREEDY_RATIO = 1 - 1 / Math.E;

const now = () => performance.now();

/** Throws on malformed input: a silent wrong index would place a station on the wrong cell. */
function checkProblem(p: CoverProblem): void {
  const m = p.weights.length;
  for (let i = 0; i < m; i++) {
    const w = p.weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} is ${w}: weights are finite and ≥ 0`);
  }
  p.sets.forEach((s, j) => {
    for (let t = 0; t < s.length; t++) {
      if (s[t] < 0 || s[t] >= m) throw new RangeError(`candidate ${j} covers cell ${s[t]}, outside 0..${m - 1}`);
      if (t > 0 && s[t] <= s[t - 1]) throw new RangeError(`candidate ${j}'s cells are not strictly ascending`);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Greedy

/** Max-heap of candidates by a gain that may be stale (only ever too high); ties by the lower index, so runs repeat. */
class GainHeap {
  readonly #ids: number[] = [];
  constructor(readonly gain: Float64Array) {}
  get size(): number {
    return this.#ids.length;
  }
  #above(a: number, b: number): boolean {
    const ga = this.gain[a];
    const gb = this.gain[b];
    return ga > gb || (ga === gb && a < b);
  }
  push(j: number): void {
    const h = this.#ids;
    h.push(j);
    let i = h.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.#above(h[i], h[up])) break;
      [h[i], h[up]] = [h[up], h[i]];
      i = up;
    }
  }
  peek(): number {
    return this.#ids[0];
  }
  pop(): number {
    const h = this.#ids;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      this.#sift(0);
    }
    return top;
  }
  /** The top's gain was lowered: move it down. */
  sinkTop(): void {
    this.#sift(0);
  }
  #sift(i: number): void {
    const h = this.#ids;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < h.length && this.#above(h[l], h[best])) best = l;
      if (r < h.length && this.#above(h[r], h[best])) best = r;
      if (best === i) return;
      [h[i], h[best]] = [h[best], h[i]];
      i = best;
    }
  }
}

function gainOver(p: CoverProblem, j: number, covered: Uint8Array): number {
  let g = 0;
  for (const i of p.sets[j]) if (!covered[i]) g += p.weights[i];
  return g;
}

interface Picks {
  chosen: number[];
  gains: number[];
  covered: number;
}

/**
 * Lazy greedy: a candidate's gain only falls as cells get covered, so a stale gain is an upper bound and the top of
 * the heap, once refreshed and still on top, is the true best. Stops after `limit` picks, when nothing adds weight,
 * or once `target` is reached. `among` restricts the candidates (ordering a given set by marginal gain).
 */
function greedyPicks(p: CoverProblem, limit: number, o: { among?: number[]; target?: number } = {}): Picks {
  const gain = new Float64Array(p.sets.length);
  const heap = new GainHeap(gain);
  const covered = new Uint8Array(p.weights.length);
  for (const j of o.among ?? p.sets.keys()) {
    gain[j] = gainOver(p, j, covered);
    heap.push(j);
  }
  const out: Picks = { chosen: [], gains: [], covered: 0 };
  while (out.chosen.length < limit && heap.size && !(o.target !== undefined && out.covered >= o.target)) {
    const j = heap.peek();
    const fresh = gainOver(p, j, covered);
    if (fresh < gain[j]) {
      gain[j] = fresh;
      heap.sinkTop();
      continue;
    }
    heap.pop();
    if (!(fresh > 0)) break; // the best adds nothing, so does every other
    for (const i of p.sets[j]) covered[i] = 1;
    out.chosen.push(j);
    out.gains.push(fresh);
    out.covered += fresh;
  }
  return out;
}

/** The weight of the cells at least one candidate covers: no plan reaches more. */
function coverableWeight(p: CoverProblem): number {
  const seen = new Uint8Array(p.weights.length);
  let w = 0;
  for (const s of p.sets)
    for (const i of s)
      if (!seen[i]) {
        seen[i] = 1;
        w += p.weights[i];
      }
  return w;
}

/** Sum of the k largest single-candidate weights: a bound on any k sites, often tighter than greedy's own. */
function topKBound(p: CoverProblem, k: number): number {
  const solo = p.sets.map((s) => s.reduce((a, i) => a + p.weights[i], 0)).sort((a, b) => b - a);
  return solo.slice(0, k).reduce((a, b) => a + b, 0);
}

const relGap = (hi: number, lo: number) => (hi > 0 ? Math.max(0, hi - lo) / hi : 0);

/**
 * The classic greedy (each step the candidate adding most weight). Its bound is the least of objective/(1−1/e),
 * the coverable weight and the k largest single covers; optimal only when the objective meets that bound. Fewer than
 * k sites come back when further sites would add nothing.
 */
export function greedyMaxCover(p: CoverProblem, k: number): CoverPlan {
  const t0 = now();
  checkProblem(p);
  const kk = Math.max(0, Math.min(Math.floor(k), p.sets.length));
  const g = greedyPicks(p, kk);
  // greedy stopped early only because nothing added weight: then every coverable cell is covered
  const full = g.chosen.length < kk;
  const bound = full ? g.covered : Math.min(g.covered / GREEDY_RATIO, coverableWeight(p), topKBound(p, kk));
  const gap = relGap(bound, g.covered);
  return {
    chosen: g.chosen,
    marginalGains: g.gains,
    objective: g.covered,
    bound,
    gap,
    optimal: gap === 0,
    status: gap === 0 ? 'Optimal' : 'Greedy',
    seconds: (now() - t0) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reduction

interface Reduced {
  problem: CoverProblem;
  /** reduced candidate → original candidate */
  keep: Int32Array;
}

/** Per cell, the candidates covering it (ascending), as offsets and members. */
function coverersOf(p: CoverProblem): { start: Int32Array; who: Int32Array } {
  const m = p.weights.length;
  const start = new Int32Array(m + 1);
  for (const s of p.sets) for (const i of s) start[i + 1]++;
  for (let i = 0; i < m; i++) start[i + 1] += start[i];
  const fill = start.slice(0, m);
  const who = new Int32Array(start[m]);
  p.sets.forEach((s, j) => {
    for (const i of s) who[fill[i]++] = j;
  });
  return { start, who };
}

/**
 * One pass: cells with no weight or no coverer go; cells covered by the same candidates become one row of their
 * summed weight; a candidate whose rows all lie in a bigger candidate's (or an equal one's of lower index) goes —
 * any plan using it does as well with the other, so neither problem's optimum changes.
 */
function reduceOnce(p: CoverProblem): Reduced {
  const n = p.sets.length;
  const { start, who } = coverersOf(p);
  const rowOf = new Map<string, number>();
  const rowWeight: number[] = [];
  const rowFirstCell: number[] = [];
  for (let i = 0; i < p.weights.length; i++) {
    if (start[i + 1] === start[i] || p.weights[i] === 0) continue;
    const key = who.subarray(start[i], start[i + 1]).join(',');
    const r = rowOf.get(key);
    if (r === undefined) {
      rowOf.set(key, rowWeight.length);
      rowWeight.push(p.weights[i]);
      rowFirstCell.push(i);
    } else rowWeight[r] += p.weights[i];
  }
  const rows = rowWeight.length;
  const rowCands = (r: number) => who.subarray(start[rowFirstCell[r]], start[rowFirstCell[r] + 1]);
  const candRows: number[][] = Array.from({ length: n }, () => []);
  for (let r = 0; r < rows; r++) for (const j of rowCands(r)) candRows[j].push(r);

  // A superset of a covers a's most exclusive row: only that row's coverers are tried, each by a merge of the two
  // ascending row lists that usually fails within a few steps.
  const contains = (b: number[], a: number[]): boolean => {
    let t = 0;
    for (const r of a) {
      while (t < b.length && b[t] < r) t++;
      if (t === b.length || b[t] !== r) return false;
    }
    return true;
  };
  const dominated = (a: number): boolean => {
    const mine = candRows[a];
    if (mine.length === 0) return true;
    let rare = mine[0];
    for (const r of mine)
      if (
        start[rowFirstCell[r] + 1] - start[rowFirstCell[r]] <
        start[rowFirstCell[rare] + 1] - start[rowFirstCell[rare]]
      )
        rare = r;
    for (const b of rowCands(rare)) {
      if (b === a) continue;
      const theirs = candRows[b];
      if ((theirs.length > mine.length || (theirs.length === mine.length && b < a)) && contains(theirs, mine))
        return true;
    }
    return false;
  };
  const keep: number[] = [];
  for (let j = 0; j < n; j++) if (!dominated(j)) keep.push(j);

  return {
    problem: { weights: Float64Array.from(rowWeight), sets: keep.map((j) => Int32Array.from(candRows[j])) },
    keep: Int32Array.from(keep),
  };
}

/** Reduces until nothing changes (dropping candidates can make rows identical, merging rows can reveal dominance). */
export function reduceCover(p: CoverProblem): Reduced {
  let cur = reduceOnce(p);
  // a pass that dropped no candidate left nothing to merge or drop: rows are merged against the same candidates
  for (let pass = 0; pass < 8 && cur.keep.length < p.sets.length; pass++) {
    const before = cur.problem.sets.length;
    const next = reduceOnce(cur.problem);
    cur = { problem: next.problem, keep: next.keep.map((t) => cur.keep[t]) };
    if (next.keep.length === before) break;
  }
  return cur;
}

// ---------------------------------------------------------------------------------------------------------------
// MIP

/**
 * The MIP of a reduced problem. Columns: x_j (binary, one per candidate), then y_r in [0,1] for each row that two or
 * more candidates cover; a row only one candidate covers needs no y (it is covered exactly when x_j = 1), its weight
 * goes on x_j. Rows: y_r − Σ_{j covers r} x_j ≤ 0, then the caller's last row.
 */
interface CoverModel {
  numCols: number;
  /** per column, its weight in the covered-weight sum */
  weightOf: Float64Array;
  /** y column of each reduced row, or −1 when folded into its only candidate */
  yCol: Int32Array;
  starts: number[];
  indices: number[];
  values: number[];
  rowLower: number[];
  rowUpper: number[];
}

function coverModel(r: CoverProblem): CoverModel {
  const n = r.sets.length;
  const rows = r.weights.length;
  const count = new Int32Array(rows);
  for (const s of r.sets) for (const i of s) count[i]++;
  const yCol = new Int32Array(rows).fill(-1);
  let numCols = n;
  for (let i = 0; i < rows; i++) if (count[i] > 1) yCol[i] = numCols++;
  const weightOf = new Float64Array(numCols);
  const coverers: number[][] = Array.from({ length: rows }, () => []);
  r.sets.forEach((s, j) => {
    for (const i of s) {
      if (yCol[i] < 0) weightOf[j] += r.weights[i];
      else coverers[i].push(j);
    }
  });
  const m: CoverModel = { numCols, weightOf, yCol, starts: [0], indices: [], values: [], rowLower: [], rowUpper: [] };
  for (let i = 0; i < rows; i++) {
    if (yCol[i] < 0) continue;
    weightOf[yCol[i]] = r.weights[i];
    for (const j of coverers[i]) {
      m.indices.push(j);
      m.values.push(-1);
    }
    m.indices.push(yCol[i]);
    m.values.push(1);
    m.starts.push(m.indices.length);
    m.rowLower.push(-Infinity);
    m.rowUpper.push(0);
  }
  return m;
}

function addRow(m: CoverModel, cols: number[], coefs: number[], lower: number, upper: number): void {
  m.indices.push(...cols);
  m.values.push(...coefs);
  m.starts.push(m.indices.length);
  m.rowLower.push(lower);
  m.rowUpper.push(upper);
}

/** Column values of a plan (reduced candidate indices): x = 1 for the chosen, y = 1 for the rows they cover. */
function startValues(r: CoverProblem, m: CoverModel, chosen: number[]): Float64Array {
  const v = new Float64Array(m.numCols);
  for (const j of chosen) {
    v[j] = 1;
    for (const i of r.sets[j]) if (m.yCol[i] >= 0) v[m.yCol[i]] = 1;
  }
  return v;
}

interface MipResult {
  /** reduced candidate indices with x = 1, or null when HiGHS has no feasible point */
  chosen: number[] | null;
  dualBound: number;
  status: string;
  optimal: boolean;
}

const finiteOr = (v: number, otherwise: number) => (Number.isFinite(v) ? v : otherwise);

function runMip(
  highs: Highs,
  r: CoverProblem,
  m: CoverModel,
  sense: 'max' | 'min',
  cost: Float64Array,
  start: number[],
  opts: SolveOptions,
): MipResult {
  const n = r.sets.length;
  const C = highs.constants;
  const model: Model = highs.createModel({
    numCols: m.numCols,
    numRows: m.rowLower.length,
    sense: sense === 'max' ? C.objectiveSense.maximize : C.objectiveSense.minimize,
    colCost: cost,
    colLower: new Float64Array(m.numCols),
    colUpper: new Float64Array(m.numCols).fill(1),
    rowLower: m.rowLower,
    rowUpper: m.rowUpper,
    matrix: {
      format: 'csr',
      numRows: m.rowLower.length,
      numCols: m.numCols,
      starts: Int32Array.from(m.starts),
      indices: Int32Array.from(m.indices),
      values: Float64Array.from(m.values),
    },
    integrality: Int32Array.from({ length: m.numCols }, (_, c) =>
      c < n ? C.variableType.integer : C.variableType.continuous,
    ),
  });
  try {
    model.options.set({
      output_flag: false,
      mip_rel_gap: 0,
      // Measured on the bench's instances: HiGHS' presolve finds nothing left after reduceCover yet takes seconds,
      // and the root LP (thousands of rows sharing dozens of candidates each) is solved several times faster by the
      // interior-point method than by dual simplex — 2,000 × 20,000 went from no root bound in 60 s to proven in 13 s.
      presolve: 'off',
      mip_lp_solver: 'ipm',
      time_limit: opts.timeLimitSec ?? DEFAULT_TIME_LIMIT_SEC,
      ...opts.highsOptions,
    });
    model.setSolution({ colValue: startValues(r, m, start) });
    const log = opts.onLog;
    const { modelStatus } = model.run(
      log
        ? {
            [C.callbackType.logging]: (e: { message: string }) => {
              log(e.message.trimEnd());
              return undefined;
            },
          }
        : undefined,
    );
    const hasPoint = Number(model.info.get('primal_solution_status')) === C.solutionStatus.feasible;
    const x = hasPoint ? model.getSolution().colValue : null;
    return {
      chosen: x ? Array.from({ length: n }, (_, j) => j).filter((j) => x[j] > 0.5) : null,
      // no bound yet (stopped before the root LP) is no information: ±∞ for the side the caller bounds
      dualBound: finiteOr(Number(model.info.get('mip_dual_bound')), sense === 'max' ? Infinity : 0),
      status: statusText(modelStatus),
      optimal: modelStatus === C.modelStatus.optimal,
    };
  } finally {
    model.dispose();
  }
}

/** A plan of original candidate indices, ordered by marginal gain; candidates that add nothing are left out. */
function planOf(p: CoverProblem, chosen: number[]): Pick<CoverPlan, 'chosen' | 'marginalGains' | 'objective'> {
  const g = greedyPicks(p, chosen.length, { among: chosen });
  return { chosen: g.chosen, marginalGains: g.gains, objective: g.covered };
}

/**
 * The k sites covering most weight, proven by HiGHS (or its best plan and proven bound when the time limit stops
 * it). Σ x ≤ k rather than = k, which has the same optimum value: fewer than k sites come back when more would add
 * nothing, and a dropped (dominated) candidate cannot make k unreachable.
 */
export async function solveMaxCover(p: CoverProblem, k: number, opts: SolveOptions = {}): Promise<CoverPlan> {
  const t0 = now();
  checkProblem(p);
  const kk = Math.max(0, Math.min(Math.floor(k), p.sets.length));
  const { problem: r, keep } = reduceCover(p);
  const back = (reduced: number[]) => reduced.map((t) => keep[t]);
  const done = (chosen: number[], bound: number, status: string, optimal: boolean): CoverPlan => {
    const plan = planOf(p, chosen);
    // the proven bound, never below what the plan covers (the dual bound carries the solver's tolerance)
    const b = Math.max(bound, plan.objective);
    const gap = optimal ? 0 : relGap(b, plan.objective);
    return { ...plan, bound: b, gap, optimal, status, seconds: (now() - t0) / 1000 };
  };
  // nothing to choose between: all that adds weight fits in k
  if (kk === 0 || r.sets.length <= kk) {
    const all = kk === 0 ? [] : back(r.sets.map((_, t) => t));
    return done(all, kk === 0 ? 0 : coverableWeight(r), 'Optimal', true);
  }
  const start = greedyPicks(r, kk).chosen;
  const m = coverModel(r);
  addRow(
    m,
    r.sets.map((_, j) => j),
    r.sets.map(() => 1),
    -Infinity,
    kk,
  );
  const highs = await highsRuntime();
  const res = runMip(highs, r, m, 'max', m.weightOf, start, opts);
  // a time limit may stop HiGHS before its root LP gives a bound: greedy's own bounds hold all the same
  const bound = Math.min(res.dualBound, greedyMaxCover(r, kk).bound);
  return done(back(res.chosen ?? start), bound, res.status, res.optimal);
}

/**
 * The fewest sites whose cover reaches `targetWeight` (bound: the proven least number of sites; objective: the
 * weight the plan covers). A target above the coverable weight is `feasible: false`, and the plan is then the
 * fewest sites covering all that can be covered.
 */
export async function solveMinSites(
  p: CoverProblem,
  targetWeight: number,
  opts: SolveOptions = {},
): Promise<CoverPlan & { feasible: boolean }> {
  const t0 = now();
  checkProblem(p);
  const { problem: r, keep } = reduceCover(p);
  const coverable = coverableWeight(r);
  // a target within rounding of the coverable weight is the coverable weight (sums of floats in another order)
  const feasible = targetWeight <= coverable * (1 + 1e-12);
  const target = Math.min(targetWeight, coverable);
  const done = (chosen: number[], bound: number, status: string, optimal: boolean) => {
    const plan = planOf(
      p,
      chosen.map((t) => keep[t]),
    );
    const sites = plan.chosen.length;
    const b = Math.min(Math.max(0, Math.ceil(bound - 1e-6)), sites);
    const gap = optimal ? 0 : sites > 0 ? (sites - b) / sites : 0;
    return { ...plan, bound: b, gap, optimal, status, seconds: (now() - t0) / 1000, feasible };
  };
  if (!(target > 0)) return done([], 0, 'Optimal', true);
  const start = greedyPicks(r, r.sets.length, { target }).chosen;
  // a single site reaching the target, or greedy reaching it with one: nothing fewer exists
  if (start.length <= 1) return done(start, start.length, 'Optimal', true);
  const m = coverModel(r);
  const cols = Array.from({ length: m.numCols }, (_, c) => c).filter((c) => m.weightOf[c] > 0);
  addRow(
    m,
    cols,
    cols.map((c) => m.weightOf[c]),
    target,
    Infinity,
  );
  const cost = new Float64Array(m.numCols);
  cost.fill(1, 0, r.sets.length);
  const highs = await highsRuntime();
  const res = runMip(highs, r, m, 'min', cost, start, opts);
  return done(res.chosen ?? start, res.dualBound, res.status, res.optimal);
}
