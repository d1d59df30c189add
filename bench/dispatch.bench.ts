// Issue 12 part 5, dispatch: nearest teams among 2,000 teams on the ~100k-edge grid the forces bench builds — the
// service's whole answer (incident read, teams read, one backward search from the incident with the emergency
// profile, estimates, sorting) for 50 queries at incidents spread over the grid. Target: ≤ 50 ms per query (p99).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config.ts';
import type { GeoApi } from '../server/geo/index.ts';
import { gridNetwork, seededRandom } from '../server/geo/road/grid-network.ts';
import { METERS_PER_DEGREE } from '../server/geo/road/road-geometry.ts';
import { nearestTeams } from '../server/modules/forces/dispatch.service.ts';
import { createTeam } from '../server/modules/forces/forces.service.ts';
import type { ForcesInternal } from '../server/modules/forces/module.ts';
import { MODULES } from '../server/modules.ts';
import { systemCtx } from '../server/platform/core/context.ts';
import { bringUp, createPlatform } from '../server/platform/platform.ts';
import { ctxAs, makeIncident } from '../server/test/factories.ts';
import { ADMIN_PASSWORD } from './lib/anlan.ts';
import { fmt, log, type Report, verdict } from './lib/report.ts';

const COLS = 224;
const ROWS = 224;
const SPACING_M = 120;
const ORIGIN: [number, number] = [121.9, 37.3];
const TEAMS = 2000;
const INCIDENTS = 10;
const QUERIES = 50;
const TARGET_MS = 50;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export async function dispatchBench(report: Report, workDir: string): Promise<void> {
  const dataDir = mkdtempSync(join(workDir, 'dispatch-'));
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
    log(`dispatch: installing grid100k (${net.segFrom.length} segments)…`);
    await p.module<GeoApi>('geo').installNetwork(systemCtx(), net, {
      name: 'grid100k',
      synthetic: true,
      source: 'generated grid (benchmark)',
      attribution: '',
    });
    const kx = 1 / (METERS_PER_DEGREE * Math.cos((ORIGIN[1] * Math.PI) / 180));
    const ky = 1 / METERS_PER_DEGREE;
    const w = (COLS - 1) * SPACING_M * kx;
    const h = (ROWS - 1) * SPACING_M * ky;
    const rand = seededRandom(12);
    const somewhere = (): [number, number] => [
      ORIGIN[0] + w * (0.01 + 0.98 * rand()),
      ORIGIN[1] + h * (0.01 + 0.98 * rand()),
    ];
    const deps = p.module<ForcesInternal>('forces').deps;
    const ctx = await ctxAs(p, 'commander', 'yjj', 'city');
    log(`dispatch: registering ${TEAMS} teams…`);
    const t0 = performance.now();
    for (let i = 0; i < TEAMS; i++) {
      await createTeam(deps, ctx, {
        name: `bench team ${i + 1}`,
        type: i % 4 === 0 ? 'fire_rescue' : 'professional',
        ...(i % 4 === 0 ? { stationClass: 'class1' as const } : {}),
        location: { type: 'Point', coordinates: somewhere() },
      });
    }
    log(`dispatch: teams registered in ${fmt.ms(performance.now() - t0)}`);
    const incidents: string[] = [];
    for (let i = 0; i < INCIDENTS; i++)
      incidents.push((await makeIncident(p, ctx, { location: { type: 'Point', coordinates: somewhere() } })).id);
    // warm-up: the reversed graph is built on the first search
    const first = performance.now();
    await nearestTeams(deps, ctx, incidents[0], {});
    const firstMs = performance.now() - first;
    const runs: number[] = [];
    let items = 0;
    for (let i = 0; i < QUERIES; i++) {
      const s = performance.now();
      const r = await nearestTeams(deps, ctx, incidents[i % INCIDENTS], {});
      JSON.stringify(r);
      runs.push(performance.now() - s);
      items += r.items.length;
    }
    const p50 = pct(runs, 50);
    const p99 = pct(runs, 99);
    report.row(
      'dispatch',
      `nearest teams, ${TEAMS} teams, grid100k (${fmt.n(net.segFrom.length)} segments)`,
      `p50 ${fmt.ms(p50)}, p99 ${fmt.ms(p99)} over ${QUERIES} queries (first ${fmt.ms(firstMs)}); ${items / QUERIES} items each`,
      `≤ ${TARGET_MS} ms`,
      verdict(p99 <= TARGET_MS),
    );
  } finally {
    await booted.bus.stop();
    await booted.platform.db.close();
  }
}
