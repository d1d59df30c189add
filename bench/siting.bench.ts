// Issue "rescue forces", station siting: the maximal covering location problem solved exactly by HiGHS (WASM) on
// random geometric instances — candidate sites and demand cells on a plane, a site covering the cells within a radius
// (about 2 % of them each, as a 15-minute isochrone covers a slice of a city). Targets: (a) k = 5 of 500 candidates
// over 10,000 cells proven optimal within 10 s; (b) 2,000 candidates over 20,000 cells, the best plan within 60 s
// with its proven gap. Greedy's objective and gap are printed beside both; then, as figures, the fewest sites reaching
// 50 % and 80 % of the weight of (a)'s instance. `BENCH_SITING_SEED` changes the instances.
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../server/geo/road/grid-network.ts';
import {
  type CoverProblem,
  greedyMaxCover,
  reduceCover,
  solveMaxCover,
  solveMinSites,
} from '../server/modules/forces/siting/mclp.ts';
import { fmt, log, type Report, verdict } from './lib/report.ts';

/**
 * Seeded instance on the unit square: cells with heavy-tailed weights (a few dense blocks, many sparse ones, like
 * population), candidates covering the cells within the radius that holds `coverShare` of the square's area.
 */
export function geometricInstance(seed: number, candidates: number, cells: number, coverShare = 0.02): CoverProblem {
  const rnd = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const cx = Float64Array.from({ length: cells }, rnd);
  const cy = Float64Array.from({ length: cells }, rnd);
  const weights = Float64Array.from({ length: cells }, () => Math.round(20 * Math.exp(1.2 * gauss())));
  const radius = Math.sqrt(coverShare / Math.PI);
  // cells bucketed in a grid of radius-sized squares: a candidate looks at its 3 × 3 neighbourhood only
  const g = Math.ceil(1 / radius);
  const bucket = (x: number, y: number) => Math.min(g - 1, Math.floor(y * g)) * g + Math.min(g - 1, Math.floor(x * g));
  const buckets: number[][] = Array.from({ length: g * g }, () => []);
  for (let i = 0; i < cells; i++) buckets[bucket(cx[i], cy[i])].push(i);
  const sets = Array.from({ length: candidates }, () => {
    const x = rnd();
    const y = rnd();
    const bx = Math.min(g - 1, Math.floor(x * g));
    const by = Math.min(g - 1, Math.floor(y * g));
    const hit: number[] = [];
    for (let yy = Math.max(0, by - 1); yy <= Math.min(g - 1, by + 1); yy++)
      for (let xx = Math.max(0, bx - 1); xx <= Math.min(g - 1, bx + 1); xx++)
        for (const i of buckets[yy * g + xx]) if ((cx[i] - x) ** 2 + (cy[i] - y) ** 2 <= radius * radius) hit.push(i);
    return Int32Array.from(hit.sort((a, b) => a - b));
  });
  return { weights, sets };
}

interface Case {
  name: string;
  candidates: number;
  cells: number;
  k: number;
  timeLimitSec: number;
  /** PASS needs a proof of optimality within this many seconds; without it, a plan and its gap within the limit */
  provenWithinSec?: number;
}

async function runCase(report: Report, c: Case, seed: number): Promise<void> {
  const section = 'siting';
  const label = `${c.name} ${fmt.n(c.candidates)}×${fmt.n(c.cells)} k=${c.k}`;
  const p = geometricInstance(seed, c.candidates, c.cells);
  const meanShare = p.sets.reduce((a, s) => a + s.length, 0) / p.sets.length / c.cells;
  const t0 = performance.now();
  const reduced = reduceCover(p);
  const reduceMs = performance.now() - t0;
  log(
    `${label}: each candidate covers ${fmt.pct(meanShare)} of cells on average; reduced to ` +
      `${fmt.n(reduced.keep.length)} candidates × ${fmt.n(reduced.problem.weights.length)} rows in ${fmt.ms(reduceMs)}`,
  );

  const greedy = greedyMaxCover(p, c.k);
  const exact = await solveMaxCover(p, c.k, { timeLimitSec: c.timeLimitSec });
  const gapOf = (lo: number) => (exact.bound > 0 ? (exact.bound - lo) / exact.bound : 0);
  log(
    `${label}: HiGHS ${exact.status} in ${exact.seconds.toFixed(1)} s, objective ${fmt.n(exact.objective)}, ` +
      `bound ${fmt.n(exact.bound)}, gap ${(exact.gap * 100).toFixed(3)} %; greedy ${fmt.n(greedy.objective)} in ` +
      `${fmt.ms(greedy.seconds * 1000)} (${(gapOf(greedy.objective) * 100).toFixed(2)} % below HiGHS' bound; ` +
      `its own bound ${fmt.n(greedy.bound)})`,
  );
  report.data[`siting ${c.name}`] = {
    candidates: c.candidates,
    cells: c.cells,
    k: c.k,
    meanCoverShare: meanShare,
    reduced: { candidates: reduced.keep.length, rows: reduced.problem.weights.length, ms: reduceMs },
    exact: { ...exact },
    greedy: { ...greedy },
  };

  const ok = c.provenWithinSec
    ? exact.optimal && exact.seconds <= c.provenWithinSec
    : exact.seconds <= c.timeLimitSec * 1.1 && exact.objective >= greedy.objective;
  report.row(
    section,
    `${label}: HiGHS`,
    `${exact.seconds.toFixed(1)} s, ${exact.optimal ? 'optimal' : `gap ${(exact.gap * 100).toFixed(2)} %`}`,
    c.provenWithinSec ? `proven optimal ≤ ${c.provenWithinSec} s` : `best within ${c.timeLimitSec} s, with its gap`,
    verdict(ok),
  );
  report.row(
    section,
    `${label}: greedy`,
    `${fmt.n(greedy.objective)} = ${((greedy.objective / Math.max(exact.objective, 1e-9)) * 100).toFixed(2)} % of HiGHS`,
    `gap ${(gapOf(greedy.objective) * 100).toFixed(2)} % to the proven bound`,
  );
}

/** The converse question on instance (a): the fewest sites reaching a share of all weight (no target: figures). */
async function runMinSites(report: Report, seed: number, share: number, timeLimitSec: number): Promise<void> {
  const p = geometricInstance(seed, 500, 10_000);
  const target = share * p.weights.reduce((a, b) => a + b, 0);
  // greedy's picks do not depend on k, so the whole greedy order tells how many greedy needs for the target
  const order = greedyMaxCover(p, p.sets.length).marginalGains;
  let greedySites = 0;
  for (let acc = 0; greedySites < order.length && acc < target; greedySites++) acc += order[greedySites];
  const plan = await solveMinSites(p, target, { timeLimitSec });
  const label = `min sites for ${fmt.pct(share)} of weight, 500×10,000`;
  log(
    `${label}: HiGHS ${plan.chosen.length} sites (${plan.status}, proven ≥ ${plan.bound}) in ` +
      `${plan.seconds.toFixed(1)} s; greedy ${greedySites}`,
  );
  report.data[`siting min ${share}`] = { ...plan, greedySites };
  report.row(
    'siting',
    label,
    `${plan.chosen.length} sites${plan.optimal ? ', optimal' : ` (≥ ${plan.bound} proven)`}, ${plan.seconds.toFixed(1)} s`,
    `greedy ${greedySites} sites`,
  );
}

export async function sitingBench(report: Report): Promise<void> {
  const seed = Number(process.env.BENCH_SITING_SEED ?? 2026);
  await runCase(
    report,
    { name: '(a)', candidates: 500, cells: 10_000, k: 5, timeLimitSec: 30, provenWithinSec: 10 },
    seed,
  );
  await runCase(report, { name: '(b)', candidates: 2000, cells: 20_000, k: 10, timeLimitSec: 60 }, seed + 1);
  for (const share of [0.5, 0.8]) await runMinSites(report, seed, share, 30);
}
