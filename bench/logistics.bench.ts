// Issue 13 part 5, relief plans: the service's whole answer (warehouses read, supply read, the travel-time matrix in
// a worker thread with the emergency profile, every item solved exactly by the min-cost flow, the greedy plan beside
// it, the JSON) on the ~100k-edge grid the forces and dispatch benches build, 15 items with explicit needs.
// - a city: 100 warehouses × 500 places × 15 items, matrix included: ≤ 3 s;
// - a province: 200 warehouses × 2,000 places × 15 items: matrix ≤ 2 s, plan ≤ 30 s.
// Beside each, the greedy nearest-warehouse-first plan's unmet need and total delivery time (Σ quantity × arrival).
// Plans are dry runs (nothing kept) but for one kept province plan, timed apart (its answer stored as jsonb).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Plan, PlanRequest } from '../contracts/logistics.ts';
import { SUPPLY_CODES } from '../contracts/supply-codes.ts';
import { loadConfig } from '../server/config.ts';
import type { GeoApi } from '../server/geo/index.ts';
import { gridNetwork, seededRandom } from '../server/geo/road/grid-network.ts';
import { METERS_PER_DEGREE } from '../server/geo/road/road-geometry.ts';
import type { LogisticsInternal } from '../server/modules/logistics/module.ts';
import { makePlan } from '../server/modules/logistics/plans.service.ts';
import { receive } from '../server/modules/logistics/stock.service.ts';
import { createWarehouse } from '../server/modules/logistics/warehouses.service.ts';
import { MODULES } from '../server/modules.ts';
import { systemCtx } from '../server/platform/core/context.ts';
import { bringUp, createPlatform } from '../server/platform/platform.ts';
import { ctxAs } from '../server/test/factories.ts';
import { ADMIN_PASSWORD } from './lib/anlan.ts';
import { fmt, log, median, type Report, verdict } from './lib/report.ts';

const COLS = 224;
const ROWS = 224;
const SPACING_M = 120;
const ORIGIN: [number, number] = [121.9, 37.3];
const ITEMS = 15;
const SCALES = [
  { key: 'city', warehouses: 100, places: 500, planMs: 3000, matrixMs: null as number | null, runs: 3 },
  { key: 'province', warehouses: 200, places: 2000, planMs: 30_000, matrixMs: 2000 as number | null, runs: 2 },
];

export async function logisticsBench(report: Report, workDir: string): Promise<void> {
  const dataDir = mkdtempSync(join(workDir, 'logistics-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ANLAN_DEMO: '0',
    LOG_LEVEL: 'silent',
    MQTT_PORT: '0',
  });
  const booted = await createPlatform(config, MODULES);
  await bringUp(booted);
  try {
    const p = booted.platform;
    const net = gridNetwork({ cols: COLS, rows: ROWS, spacingM: SPACING_M, origin: ORIGIN, seed: 3 });
    log(`logistics: installing grid100k (${net.segFrom.length} segments)…`);
    await p.module<GeoApi>('geo').installNetwork(systemCtx(), net, {
      name: 'grid100k',
      synthetic: true,
      source: 'generated grid (benchmark)',
      attribution: '',
    });
    const kx = 1 / (METERS_PER_DEGREE * Math.cos((ORIGIN[1] * Math.PI) / 180));
    const w = (COLS - 1) * SPACING_M * kx;
    const h = ((ROWS - 1) * SPACING_M) / METERS_PER_DEGREE;
    const rand = seededRandom(13);
    const somewhere = (): [number, number] => [
      ORIGIN[0] + w * (0.01 + 0.98 * rand()),
      ORIGIN[1] + h * (0.01 + 0.98 * rand()),
    ];
    const deps = p.module<LogisticsInternal>('logistics').deps;
    const keeper = await ctxAs(p, 'department_staff', 'yjj', 'department');
    const planner = await ctxAs(p, 'commander', 'yjj', 'city');
    const items = SUPPLY_CODES.filter((c) => c.code.length === 7 && !c.code.endsWith('00'))
      .slice(0, ITEMS)
      .map((c) => c.code);
    const maxW = Math.max(...SCALES.map((s) => s.warehouses));
    const maxP = Math.max(...SCALES.map((s) => s.places));
    // needs first (per place and item, 20–200), then stock spread over the warehouses at 0.7–1.3 of the province's
    // need per item, so that some items run short
    const places = Array.from({ length: maxP }, (_, j) => ({ id: `P${j + 1}`, location: somewhere() }));
    const needOf = places.map(() => items.map(() => 20 + Math.floor(rand() * 181)));
    log(`logistics: registering ${maxW} warehouses with ${ITEMS} items each…`);
    const t0 = performance.now();
    const warehouseIds: string[] = [];
    const share = Array.from({ length: maxW }, () => rand());
    const shareSum = share.reduce((a, b) => a + b, 0);
    const itemFactor = items.map(() => 0.7 + 0.6 * rand());
    for (let i = 0; i < maxW; i++) {
      const wh = await createWarehouse(deps, keeper, {
        name: `bench warehouse ${i + 1}`,
        tier: i % 10 === 0 ? 'city' : 'district',
        reserveType: 'government',
        location: { type: 'Point', coordinates: somewhere() },
        loadingMinutes: 20 + (i % 4) * 10,
      });
      warehouseIds.push(wh.id);
      await receive(deps, keeper, wh.id, {
        items: items.map((code, k) => {
          const total = needOf.reduce((s, n) => s + n[k], 0) * itemFactor[k];
          return { itemCode: code, quantity: Math.max(1, Math.round((total * share[i]) / shareSum)) };
        }),
      });
    }
    log(`logistics: warehouses and stock in ${fmt.ms(performance.now() - t0)}`);
    const requestFor = (W: number, P: number, dryRun = true): PlanRequest => ({
      places: places.slice(0, P).map((pl) => ({ id: pl.id, location: { type: 'Point', coordinates: pl.location } })),
      needs: places
        .slice(0, P)
        .flatMap((pl, j) => items.map((itemCode, k) => ({ placeId: pl.id, itemCode, quantity: needOf[j][k] }))),
      warehouseIds: warehouseIds.slice(0, W),
      startAt: '2026-12-06T02:00:00.000Z',
      deadlineHours: 12,
      dryRun,
    });
    // warm-up: the worker threads map the graph on their first task
    await makePlan(deps, planner, requestFor(10, 20));
    for (const s of SCALES) {
      const runs: { whole: number; plan: Plan }[] = [];
      for (let r = 0; r < s.runs; r++) {
        const req = requestFor(s.warehouses, s.places);
        const t = performance.now();
        const plan = await makePlan(deps, planner, req);
        JSON.stringify(plan);
        runs.push({ whole: performance.now() - t, plan });
      }
      const whole = median(runs.map((r) => r.whole));
      const matrix = median(runs.map((r) => r.plan.solver.matrixMs));
      const solver = median(runs.map((r) => r.plan.solver.ms));
      const plan = runs[0].plan;
      const what = `${s.warehouses} × ${fmt.n(s.places)} × ${ITEMS} items, grid100k`;
      if (s.matrixMs !== null) {
        report.row(
          'logistics',
          `${s.key}: travel-time matrix ${s.warehouses} × ${fmt.n(s.places)}`,
          `${fmt.ms(matrix)} (median of ${s.runs})`,
          `≤ ${fmt.ms(s.matrixMs)}`,
          verdict(matrix <= s.matrixMs),
        );
      }
      report.row(
        'logistics',
        `${s.key}: proven-optimal plan, ${what}`,
        `${fmt.ms(whole)} whole answer (matrix ${fmt.ms(matrix)}, min-cost flow ${fmt.ms(solver)}); ${fmt.n(plan.shipments.length)} shipments`,
        `≤ ${fmt.ms(s.planMs)}`,
        verdict(whole <= s.planMs),
      );
      const hours = (x: number) => `${fmt.n(x / 3600)} unit·h`;
      report.row(
        'logistics',
        `${s.key}: optimal vs greedy nearest-first`,
        `unmet ${fmt.n(plan.totals.unmet)} vs ${fmt.n(plan.greedy.unmet)} of ${fmt.n(plan.totals.need)}; ` +
          `delivery ${hours(plan.totals.weightedSeconds)} vs ${hours(plan.greedy.weightedSeconds)}; ` +
          `last arrival ${fmt.n((plan.totals.lastArrivalSeconds ?? 0) / 60)} vs ` +
          `${fmt.n((plan.greedy.lastArrivalSeconds ?? 0) / 60)} min`,
        '—',
        'info',
      );
    }
    const big = SCALES[SCALES.length - 1];
    const t = performance.now();
    const kept = await makePlan(deps, planner, requestFor(big.warehouses, big.places, false));
    const keptMs = performance.now() - t;
    report.row(
      'logistics',
      `${big.key}: the same plan kept (number, jsonb answer, audit, event)`,
      `${fmt.ms(keptMs)} whole answer (matrix ${fmt.ms(kept.solver.matrixMs)}, min-cost flow ${fmt.ms(kept.solver.ms)}; ${kept.number})`,
      `≤ ${fmt.ms(big.planMs)}`,
      verdict(keptMs <= big.planMs),
    );
  } finally {
    await booted.bus.stop();
    await booted.platform.db.close();
  }
}
