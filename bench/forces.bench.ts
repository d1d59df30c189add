// Issue "rescue forces", fire coverage: what a commander waits for when asking whether the 5-minute goal is met —
// the service's whole answer (teams read, per-station coverage in a worker thread, first-arrival districts, cells by
// district in PostGIS, GeoJSON of covered and uncovered cells) and its JSON — for 30 stations over generated grids of
// ~100k and ~1M edges (the road bench's grids), built-up land a 15 × 15 km square in the middle. Targets: ≤ 200 ms
// on 100k edges, ≤ 2 s on 1M. Median of 5 after one warm-up per worker thread. `BENCH_FORCES_GRIDS=grid100k` picks grids.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config.ts';
import type { GeoApi } from '../server/geo/index.ts';
import { gridNetwork } from '../server/geo/road/grid-network.ts';
import { METERS_PER_DEGREE } from '../server/geo/road/road-geometry.ts';
import { fireCoverage } from '../server/modules/forces/analyses.service.ts';
import { createTeam } from '../server/modules/forces/forces.service.ts';
import type { ForcesInternal } from '../server/modules/forces/module.ts';
import { MODULES } from '../server/modules.ts';
import { systemCtx } from '../server/platform/core/context.ts';
import { bringUp, createPlatform } from '../server/platform/platform.ts';
import { ctxAs } from '../server/test/factories.ts';
import { ADMIN_PASSWORD } from './lib/anlan.ts';
import { fmt, log, median, type Report, verdict } from './lib/report.ts';

const GRIDS = [
  { key: 'grid100k', cols: 224, rows: 224, targetMs: 200 },
  { key: 'grid1m', cols: 708, rows: 708, targetMs: 2000 },
];
const SPACING_M = 120;
const ORIGIN: [number, number] = [121.9, 37.3];
const STATIONS = 30;
const SIDE_KM = 15;

export async function forcesBench(report: Report, workDir: string): Promise<void> {
  const pick = process.env.BENCH_FORCES_GRIDS?.split(',');
  for (const grid of GRIDS.filter((g) => !pick || pick.includes(g.key))) {
    const dataDir = mkdtempSync(join(workDir, `forces-${grid.key}-`));
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
      const net = gridNetwork({ cols: grid.cols, rows: grid.rows, spacingM: SPACING_M, origin: ORIGIN, seed: 3 });
      log(`forces: installing ${grid.key} (${net.segFrom.length} segments)…`);
      const t0 = performance.now();
      await p.module<GeoApi>('geo').installNetwork(systemCtx(), net, {
        name: grid.key,
        synthetic: true,
        source: 'generated grid (benchmark)',
        attribution: '',
      });
      log(`forces: ${grid.key} installed in ${fmt.ms(performance.now() - t0)}`);
      // the square of built-up land in the middle of the grid, 30 stations on a 6 × 5 lattice inside it
      const kx = 1 / (METERS_PER_DEGREE * Math.cos((ORIGIN[1] * Math.PI) / 180));
      const ky = 1 / METERS_PER_DEGREE;
      const mid: [number, number] = [
        ORIGIN[0] + ((grid.cols - 1) * SPACING_M * kx) / 2,
        ORIGIN[1] + ((grid.rows - 1) * SPACING_M * ky) / 2,
      ];
      const half = (SIDE_KM * 1000) / 2;
      const [x0, x1] = [mid[0] - half * kx, mid[0] + half * kx];
      const [y0, y1] = [mid[1] - half * ky, mid[1] + half * ky];
      const area = {
        type: 'Polygon' as const,
        coordinates: [
          [
            [x0, y0],
            [x1, y0],
            [x1, y1],
            [x0, y1],
            [x0, y0],
          ],
        ],
      };
      const deps = p.module<ForcesInternal>('forces').deps;
      const ctx = await ctxAs(p, 'commander', 'yjj', 'city');
      const ids: string[] = [];
      for (let i = 0; i < STATIONS; i++) {
        const cx = x0 + ((x1 - x0) * ((i % 6) + 0.5)) / 6;
        const cy = y0 + ((y1 - y0) * (Math.floor(i / 6) + 0.5)) / 5;
        const t = await createTeam(deps, ctx, {
          name: `bench ${i + 1}`,
          type: 'fire_rescue',
          stationClass: 'class1',
          location: { type: 'Point', coordinates: [cx, cy] },
        });
        ids.push(t.id);
      }
      const ask = async () => {
        const s = performance.now();
        const r = await fireCoverage(deps, ctx, { minutes: 5, turnoutMinutes: 1, areas: area, teamIds: ids });
        const bytes = JSON.stringify(r).length;
        return { ms: performance.now() - s, r, bytes };
      };
      // one warm-up per worker thread: each thread keeps its own caches of the graph's cells
      const warm = await ask();
      for (let i = 1; i < config.workerThreads; i++) await ask();
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push((await ask()).ms);
      const ms = median(runs);
      const cells =
        (warm.r.covered as { features: unknown[] }).features.length +
        (warm.r.uncovered as { features: unknown[] }).features.length;
      report.row(
        'forces',
        `fire coverage, ${STATIONS} stations, ${grid.key} (${fmt.n(net.segFrom.length)} segments)`,
        `${fmt.ms(ms)} median (first ${fmt.ms(warm.ms)}); ${fmt.n(cells)} cells, covered ${fmt.pct(warm.r.coveredShare)}, reply ${fmt.mb(warm.bytes)}`,
        `≤ ${grid.targetMs} ms`,
        verdict(ms <= grid.targetMs),
      );
    } finally {
      await booted.bus.stop();
      await booted.platform.db.close();
    }
  }
}
