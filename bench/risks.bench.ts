// Issue 14 (risks): the risk grid and "what is near". 100,000 synthetic census features inside Weihai's boundary
// (the geo module's), written as layers the way an import commits them; then
//  - the grid recomputed at H3 resolution 9 (~87,000 cells over the city): the whole recompute — census read from the
//    database, scores computed in a worker thread, the cells replaced in one transaction. Target ≤ 10 s.
//  - `nearby` within 5 km over those features: the service's whole answer (PostGIS index search, geodesic distances,
//    GeoJSON of each hit) and its JSON, 300 points at random on the land. Target p99 ≤ 20 ms.
// PGlite (the default database); `BENCH_RISKS_FEATURES` changes the count.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CensusKind } from '../contracts/risks.ts';
import { loadConfig } from '../server/config.ts';
import { type Checked, nearby, writeLayer } from '../server/modules/risks/census.service.ts';
import { inPolygons, type Position, polygonsOf } from '../server/modules/risks/geometry.ts';
import { computeAndStore, getSettings, putSettings } from '../server/modules/risks/grid.service.ts';
import type { RisksInternal } from '../server/modules/risks/module.ts';
import { districtAreas } from '../server/modules/risks/risks.deps.ts';
import { MODULES } from '../server/modules.ts';
import { bringUp, createPlatform } from '../server/platform/platform.ts';
import { ctxAs } from '../server/test/factories.ts';
import { ADMIN_PASSWORD } from './lib/anlan.ts';
import { fmt, log, type Report, verdict } from './lib/report.ts';

/** the mix of kinds (shares of the total): people and sites dominate, as a census does */
const MIX: [CensusKind, number][] = [
  ['population_grid', 0.6],
  ['geohazard_point', 0.1],
  ['hazardous_enterprise', 0.03],
  ['flood_zone', 0.005],
  ['forest_fire_zone', 0.002],
  ['school', 0.04],
  ['hospital', 0.01],
  ['nursing_home', 0.013],
  ['residential_area', 0.1],
  ['shelter', 0.02],
  ['prevention_work', 0.08],
];

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

export async function risksBench(report: Report, workDir: string): Promise<void> {
  const total = Number(process.env.BENCH_RISKS_FEATURES ?? 100_000);
  const dataDir = mkdtempSync(join(workDir, 'risks-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ANLAN_DEMO: '0',
    ANLAN_TIMERS: '0',
    LOG_LEVEL: 'silent',
    MQTT_PORT: '0',
  });
  const booted = await createPlatform(config, MODULES);
  await bringUp(booted);
  try {
    const p = booted.platform;
    const deps = p.module<RisksInternal>('risks').deps;
    const ctx = await ctxAs(p, 'commander', 'yjj', 'city');
    const polys = (await districtAreas(deps)).flatMap((a) => polygonsOf(a.geometry));
    const all = polys.flatMap((poly) => poly[0]);
    const box = [
      Math.min(...all.map((q) => q[0])),
      Math.min(...all.map((q) => q[1])),
      Math.max(...all.map((q) => q[0])),
      Math.max(...all.map((q) => q[1])),
    ];
    const r = rng(14);
    const onLand = (): Position => {
      for (;;) {
        const q: Position = [box[0] + r() * (box[2] - box[0]), box[1] + r() * (box[3] - box[1])];
        if (inPolygons(q, polys)) return [Math.round(q[0] * 1e6) / 1e6, Math.round(q[1] * 1e6) / 1e6];
      }
    };
    const square = (c: Position, d: number): Position[] => [
      [c[0] - d, c[1] - d],
      [c[0] + d, c[1] - d],
      [c[0] + d, c[1] + d],
      [c[0] - d, c[1] + d],
      [c[0] - d, c[1] - d],
    ];
    log(`risks: writing ${fmt.n(total)} synthetic census features…`);
    const t0 = performance.now();
    let written = 0;
    for (const [kind, share] of MIX) {
      const n = Math.round(total * share);
      const fs: Checked[] = [];
      for (let i = 0; i < n; i++) {
        const c = onLand();
        const polygon = kind === 'flood_zone' || kind === 'forest_fire_zone';
        fs.push({
          row: i + 1,
          geometry: polygon
            ? { type: 'Polygon', coordinates: [square(c, kind === 'flood_zone' ? 0.004 : 0.01)] }
            : { type: 'Point', coordinates: c },
          write: {
            kind,
            name: `${kind} ${i + 1}`,
            properties: {},
            population: kind === 'population_grid' ? Math.round(r() * 800) : null,
            capacity: kind === 'shelter' ? 500 + Math.round(r() * 3000) : null,
            hazardLevel: kind === 'geohazard_point' ? 1 + Math.floor(r() * 4) : null,
          },
        });
      }
      await writeLayer(deps, ctx, { kind, name: `bench ${kind}`, datum: 'wgs84', format: 'geojson', file: null }, fs);
      written += n;
    }
    log(`risks: ${fmt.n(written)} features written in ${fmt.ms(performance.now() - t0)}`);
    const s = await getSettings(deps, ctx);
    await putSettings(deps, ctx, { value: { ...s.value, resolution: 9 }, version: s.version });

    // the grid at resolution 9: the whole recompute, twice (the second with the worker thread warm)
    const times: number[] = [];
    let cells = 0;
    for (let i = 0; i < 2; i++) {
      const a = performance.now();
      let last = a;
      const phases: string[] = [];
      const st = await computeAndStore(deps, ctx, {
        progress: (x) => {
          if (!x.phase) return;
          const now = performance.now();
          phases.push(`${x.phase} after ${fmt.ms(now - last)}`);
          last = now;
        },
      });
      log(`risks: recompute phases: ${phases.join(', ')}, store ${fmt.ms(performance.now() - last)}`);
      times.push(performance.now() - a);
      cells = st.cellCount;
    }
    const best = Math.min(...times);
    report.row(
      'risks',
      `risk grid recompute, H3 res 9, ${fmt.n(written)} features`,
      `${fmt.ms(times[0])} first, ${fmt.ms(times[1])} again; ${fmt.n(cells)} cells`,
      '≤ 10 s',
      verdict(times[0] <= 10_000),
    );
    log(`risks: recompute ${times.map((x) => fmt.ms(x)).join(', ')} (best ${fmt.ms(best)})`);

    // nearby within 5 km from random points on the land: the service's answer and its JSON
    const points = Array.from({ length: 330 }, onLand);
    const lat: number[] = [];
    let hits = 0;
    for (const [i, q] of points.entries()) {
      const a = performance.now();
      const reply = await nearby(deps, ctx, { lon: q[0], lat: q[1], radiusM: 5000 });
      JSON.stringify(reply);
      const ms = performance.now() - a;
      if (i >= 30) {
        lat.push(ms);
        hits += reply.total;
      }
    }
    lat.sort((x, y) => x - y);
    const pct = (q: number) => lat[Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1)];
    report.row(
      'risks',
      `nearby 5 km over ${fmt.n(written)} features (limit 50)`,
      `p50 ${fmt.ms(pct(0.5))}, p99 ${fmt.ms(pct(0.99))}; ${fmt.n(Math.round(hits / lat.length))} within 5 km on average`,
      'p99 ≤ 20 ms',
      verdict(pct(0.99) <= 20),
    );
  } finally {
    await booted.bus.stop();
    await booted.platform.db.close();
  }
}
