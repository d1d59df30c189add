import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../platform/workers/worker-pool.ts';
import { type CoverProblem, greedyMaxCover, reduceCover, solveMaxCover, solveMinSites } from './mclp.ts';
import { runSiting } from './siting-task.ts';

/** mulberry32: a seeded generator, so every instance here is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * n candidates, m cells; each candidate covers a random `density` share of cells; some weights 0, a candidate maybe
 * empty. Overlapping covers (density 0.3) are where greedy goes wrong, so the exact solver is what is tested.
 */
function randomProblem(seed: number, n: number, m: number, density = 0.3): CoverProblem {
  const r = rng(seed);
  const weights = Float64Array.from({ length: m }, () => (r() < 0.1 ? 0 : Math.round(r() * 1000) / 10));
  const sets = Array.from({ length: n }, () => {
    const s: number[] = [];
    if (r() < 0.08) return new Int32Array(0);
    for (let i = 0; i < m; i++) if (r() < density) s.push(i);
    return Int32Array.from(s);
  });
  return { weights, sets };
}

/** The weight a set of candidates covers, counted here independently of the solver. */
function coveredBy(p: CoverProblem, chosen: number[]): number {
  const cells = new Set<number>();
  for (const j of chosen) for (const i of p.sets[j]) cells.add(i);
  let w = 0;
  for (const i of cells) w += p.weights[i];
  return w;
}

function* subsets(n: number, k: number, from = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let j = from; j <= n - (k - acc.length); j++) yield* subsets(n, k, j + 1, [...acc, j]);
}

/** The best weight any k candidates cover, by trying every k-subset. */
function enumeratedOptimum(p: CoverProblem, k: number): number {
  let best = 0;
  for (const s of subsets(p.sets.length, Math.min(k, p.sets.length))) best = Math.max(best, coveredBy(p, s));
  return best;
}

/** The least number of candidates covering at least `target`, by trying subsets of growing size. */
function enumeratedLeastSites(p: CoverProblem, target: number): number | null {
  for (let c = 0; c <= p.sets.length; c++) {
    for (const s of subsets(p.sets.length, c)) if (coveredBy(p, s) >= target - 1e-9) return c;
  }
  return null;
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
const SEEDS = [1, 2, 3, 7, 11, 42];

describe('maximal covering: exact solver against enumeration', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: HiGHS proves the enumerated optimum for k = 1..4, and greedy never beats it`, async () => {
      const r = rng(seed * 97);
      const p = randomProblem(seed, 8 + Math.floor(r() * 5), 30 + Math.floor(r() * 31));
      for (let k = 1; k <= 4; k++) {
        const best = enumeratedOptimum(p, k);
        const plan = await solveMaxCover(p, k);
        expect(plan.optimal).toBe(true);
        expect(plan.gap).toBe(0);
        expect(plan.objective).toBeCloseTo(best, 6);
        expect(plan.bound).toBeGreaterThanOrEqual(best - 1e-6);
        expect(plan.chosen.length).toBeLessThanOrEqual(k);
        expect(new Set(plan.chosen).size).toBe(plan.chosen.length);
        // the plan's own figures agree with a count made here
        expect(coveredBy(p, plan.chosen)).toBeCloseTo(plan.objective, 6);
        expect(sum(plan.marginalGains)).toBeCloseTo(plan.objective, 6);
        // greedy order: each gain is no more than the one before it
        for (let t = 1; t < plan.marginalGains.length; t++)
          expect(plan.marginalGains[t]).toBeLessThanOrEqual(plan.marginalGains[t - 1] + 1e-9);

        const g = greedyMaxCover(p, k);
        expect(g.objective).toBeLessThanOrEqual(best + 1e-9);
        expect(g.objective).toBeGreaterThanOrEqual((1 - 1 / Math.E) * best - 1e-9);
        expect(g.bound).toBeGreaterThanOrEqual(best - 1e-9);
        expect(coveredBy(p, g.chosen)).toBeCloseTo(g.objective, 6);
        if (g.optimal) expect(g.objective).toBeCloseTo(best, 6);
      }
    });

    it(`seed ${seed}: the fewest sites reaching a target equals the enumerated least count`, async () => {
      const p = randomProblem(seed + 1000, 10, 45);
      const all = coveredBy(
        p,
        p.sets.map((_, j) => j),
      );
      for (const share of [0.3, 0.6, 0.85, 1]) {
        const target = share * all;
        const least = enumeratedLeastSites(p, target);
        const plan = await solveMinSites(p, target);
        expect(plan.feasible).toBe(true);
        expect(plan.optimal).toBe(true);
        expect(plan.chosen.length).toBe(least);
        expect(plan.bound).toBe(least);
        expect(coveredBy(p, plan.chosen)).toBeGreaterThanOrEqual(target - 1e-6);
        expect(sum(plan.marginalGains)).toBeCloseTo(plan.objective, 6);
      }
    });
  }
});

describe('maximal covering: the instances tell greedy from exact', () => {
  it('greedy falls short of the enumerated optimum on some of the seeds above, where HiGHS does not', async () => {
    let short = 0;
    for (const seed of SEEDS) {
      const r = rng(seed * 97);
      const p = randomProblem(seed, 8 + Math.floor(r() * 5), 30 + Math.floor(r() * 31));
      for (let k = 2; k <= 4; k++) {
        const best = enumeratedOptimum(p, k);
        if (greedyMaxCover(p, k).objective < best - 1e-6) {
          short++;
          expect((await solveMaxCover(p, k)).objective).toBeCloseTo(best, 6);
        }
      }
    }
    expect(short).toBeGreaterThan(0);
  });
});

describe('maximal covering: edge cases', () => {
  it('k at or above the number of candidates covers every coverable cell, proven without search', async () => {
    const p = randomProblem(5, 6, 40);
    const all = coveredBy(
      p,
      p.sets.map((_, j) => j),
    );
    for (const k of [6, 9]) {
      const plan = await solveMaxCover(p, k);
      expect(plan.objective).toBeCloseTo(all, 6);
      expect(plan.optimal).toBe(true);
      expect(greedyMaxCover(p, k).objective).toBeCloseTo(all, 6);
    }
  });

  it('k = 0, only empty sets, or only zero weights: nothing chosen, objective 0, optimal', async () => {
    const p = randomProblem(8, 9, 30);
    const none = await solveMaxCover(p, 0);
    expect(none).toMatchObject({ chosen: [], objective: 0, optimal: true });
    const empty: CoverProblem = { weights: new Float64Array([3, 4]), sets: [new Int32Array(0), new Int32Array(0)] };
    expect(await solveMaxCover(empty, 1)).toMatchObject({ chosen: [], objective: 0, optimal: true });
    expect(greedyMaxCover(empty, 1)).toMatchObject({ chosen: [], objective: 0, optimal: true });
    const weightless: CoverProblem = { weights: new Float64Array(p.weights.length), sets: p.sets };
    expect(await solveMaxCover(weightless, 3)).toMatchObject({ chosen: [], objective: 0, optimal: true });
    expect(await solveMinSites(weightless, 0)).toMatchObject({ chosen: [], feasible: true, optimal: true });
  });

  it('a target above the coverable weight is infeasible, and the plan is the fewest sites covering all it can', async () => {
    const p = randomProblem(13, 9, 40);
    const all = coveredBy(
      p,
      p.sets.map((_, j) => j),
    );
    const plan = await solveMinSites(p, all + 1);
    expect(plan.feasible).toBe(false);
    expect(plan.objective).toBeCloseTo(all, 6);
    expect(plan.chosen.length).toBe(enumeratedLeastSites(p, all));
  });

  it('the reduction merges cells with the same coverers and drops a candidate inside another', () => {
    // candidate 1 ⊂ candidate 0; cells 0 and 1 are covered by {0} alike, cells 2, 3 by {0, 1}; cell 4 by nobody.
    // Once candidate 1 is gone, cells 0–3 all have the coverers {0}: one row of weight 10.
    const p: CoverProblem = {
      weights: new Float64Array([1, 2, 3, 4, 5, 6]),
      sets: [new Int32Array([0, 1, 2, 3]), new Int32Array([2, 3]), new Int32Array([5])],
    };
    const r = reduceCover(p);
    expect(Array.from(r.keep)).toEqual([0, 2]);
    expect(Array.from(r.problem.weights).sort((a, b) => a - b)).toEqual([6, 10]);
  });

  it('refuses a cell index out of range or a set not in ascending order', async () => {
    const w = new Float64Array([1, 1]);
    await expect(solveMaxCover({ weights: w, sets: [new Int32Array([2])] }, 1)).rejects.toThrow(RangeError);
    expect(() => greedyMaxCover({ weights: w, sets: [new Int32Array([1, 0])] }, 1)).toThrow(/ascending/);
    expect(() => greedyMaxCover({ weights: new Float64Array([-1]), sets: [] }, 1)).toThrow(/≥ 0/);
  });
});

describe('maximal covering: a solve stopped by its time limit', () => {
  it('reports its best plan (no worse than greedy) with a proven bound and the gap between them', async () => {
    // 80 candidates each covering a random 8 % of 800 cells: HiGHS needs seconds of branching to prove k = 6
    const p = randomProblem(5, 80, 800, 0.08);
    const greedy = greedyMaxCover(p, 6);
    const plan = await solveMaxCover(p, 6, { timeLimitSec: 0.2 });
    expect(plan.status).toBe('Time limit reached');
    expect(plan.optimal).toBe(false);
    expect(plan.objective).toBeGreaterThanOrEqual(greedy.objective);
    expect(coveredBy(p, plan.chosen)).toBeCloseTo(plan.objective, 6);
    expect(plan.bound).toBeGreaterThan(plan.objective);
    // greedy's own bound holds too, so a stopped solve never claims less than it
    expect(plan.bound).toBeLessThanOrEqual(greedy.bound + 1e-9);
    expect(plan.gap).toBeCloseTo((plan.bound - plan.objective) / plan.bound, 12);
  });
});

describe('siting in a worker thread', () => {
  const pool = new WorkerPool({ threads: 1, perUser: 2 });
  afterAll(() => pool.close());

  it('answers max-cover and min-sites from the worker entry with the same plans as in-thread', async () => {
    const owner = { kind: 'user', id: 'planner' };
    const p = randomProblem(21, 11, 50);
    const best = enumeratedOptimum(p, 3);
    const viaWorker = await runSiting(pool, owner, p, { kind: 'max-cover', k: 3 });
    expect(viaWorker.optimal).toBe(true);
    expect(viaWorker.objective).toBeCloseTo(best, 6);
    expect(coveredBy(p, viaWorker.chosen)).toBeCloseTo(best, 6);
    // the problem's arrays were copied for the move: the caller's are intact
    expect(p.weights.byteLength).toBeGreaterThan(0);
    expect(p.sets.every((s) => s.buffer.byteLength > 0)).toBe(true);

    const target =
      0.7 *
      coveredBy(
        p,
        p.sets.map((_, j) => j),
      );
    const fewest = await runSiting(pool, owner, p, { kind: 'min-sites', targetWeight: target });
    expect(fewest.feasible).toBe(true);
    expect(fewest.chosen.length).toBe(enumeratedLeastSites(p, target));
  });
});
