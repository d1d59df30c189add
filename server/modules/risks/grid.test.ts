// The risk grid: the pure computation on a small synthetic city (classes at their thresholds, the normalisation, a
// cell's contributions adding up to its raw values, shelters' capacity shared by population), then the service on the
// real boundary — recompute in a worker thread, the stored cells by bbox, a cell's detail, the district figures, and
// the rules' version check.
import { cellToLatLng, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RISK_GRID_SETTINGS, type RiskGridReply, type RiskGridSettings } from '../../../contracts/risks.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import * as census from './census.service.ts';
import * as svc from './grid.service.ts';
import { cellContributions, classOf, computeGrid, type GridFeature, scoreOf } from './grid.ts';
import type { RisksInternal } from './module.ts';
import type { RisksDeps } from './risks.deps.ts';

const S: RiskGridSettings = DEFAULT_RISK_GRID_SETTINGS;
const C: [number, number] = [122.1, 37.4];
const city = {
  code: '999001',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [C[0] - 0.03, C[1] - 0.03],
        [C[0] + 0.03, C[1] - 0.03],
        [C[0] + 0.03, C[1] + 0.03],
        [C[0] - 0.03, C[1] + 0.03],
        [C[0] - 0.03, C[1] - 0.03],
      ],
    ],
  },
};
const at = (dx: number, dy: number): [number, number] => [C[0] + dx, C[1] + dy];
const f = (id: string, kind: GridFeature['kind'], p: [number, number], o: Partial<GridFeature> = {}): GridFeature => ({
  id,
  kind,
  geometry: { type: 'Point', coordinates: p },
  population: null,
  capacity: null,
  level: null,
  ...o,
});

describe('the grid computation', () => {
  it('classes scores at the thresholds: ≥ 0.6 major, ≥ 0.4 large, ≥ 0.2 general, else low', () => {
    expect([0.6, 0.5999, 0.4, 0.3999, 0.2, 0.1999, 0].map((r) => classOf(S, r))).toEqual([
      'major',
      'large',
      'large',
      'general',
      'general',
      'low',
      'low',
    ]);
    // no hazard or no exposure: no risk, whatever the vulnerability
    expect(scoreOf(S, 0, 1, 1)).toBe(0);
    expect(scoreOf(S, 1, 0, 1)).toBe(0);
    // H^1 · E^0.5 · (0.5 + 0.5·V)^0.5
    expect(scoreOf(S, 0.5, 0.64, 1)).toBeCloseTo(0.5 * 0.8 * 1, 10);
    expect(scoreOf(S, 0.5, 0.64, 0)).toBeCloseTo(0.5 * 0.8 * Math.sqrt(0.5), 10);
  });

  const features = [
    f('hz1', 'geohazard_point', at(0, 0), { level: 1 }),
    f('hz2', 'flood_zone', at(0.005, 0), {
      geometry: {
        type: 'Polygon',
        coordinates: [[at(0.004, -0.002), at(0.008, -0.002), at(0.008, 0.002), at(0.004, 0.002), at(0.004, -0.002)]],
      },
    }),
    f('p1', 'population_grid', at(0, 0), { population: 4000 }),
    f('p2', 'population_grid', at(0.01, 0.01), { population: 1000 }),
    f('p3', 'population_grid', at(-0.02, -0.02), { population: 200 }),
    f('s1', 'school', at(0.0005, 0.0005)),
    f('sh1', 'shelter', at(0.002, 0), { capacity: 3000 }),
  ];
  const out = computeGrid({ settings: S, districts: [city], features });
  const idx = (p: [number, number]) => out.h3.indexOf(latLngToCell(p[1], p[0], S.resolution));

  it('fills the city with cells of its district and normalises H and E by their 95th percentile', () => {
    expect(out.h3.length).toBeGreaterThan(20);
    expect(new Set(out.district)).toEqual(new Set(['999001']));
    const i = idx(at(0, 0));
    expect(out.rawHazard[i]).toBeGreaterThanOrEqual(2); // level 1 doubles the weight
    expect(out.h[i]).toBeLessThanOrEqual(1);
    expect(Math.max(...out.h)).toBe(1);
    expect(out.population[i]).toBe(4000);
    // the school's 500 person-equivalents: exposure and vulnerable
    expect(out.rawExposure[i]).toBe(4500);
    expect(out.vulnerable[i]).toBe(500);
    // far from every hazard: no risk
    const far = idx(at(-0.02, -0.02));
    expect(out.rawHazard[far]).toBe(0);
    expect(out.cls[far]).toBe('low');
    expect(Object.values(out.counts).reduce((a, b) => a + b, 0)).toBe(out.h3.length);
  });

  it('shares a shelter’s capacity by population, and a cell’s contributions add up to its raw values', () => {
    let total = 0;
    for (const v of out.shelter) total += v;
    expect(total).toBeCloseTo(3000, 6);
    const pops = new Map(out.h3.map((h, i) => [h, out.population[i]]));
    for (const p of [at(0, 0), at(0.005, 0), at(0.01, 0.01)]) {
      const i = idx(p);
      const parts = cellContributions(out.h3[i], features, S, () => pops);
      const sum = (part: string) => parts.filter((c) => c.part === part).reduce((a, c) => a + c.value, 0);
      expect(sum('hazard')).toBeCloseTo(out.rawHazard[i], 9);
      expect(sum('exposure')).toBeCloseTo(out.rawExposure[i], 9);
      expect(sum('vulnerability')).toBeCloseTo(out.vulnerable[i], 9);
      expect(sum('shelter')).toBeCloseTo(out.shelter[i], 9);
    }
    const centre = cellContributions(out.h3[idx(at(0, 0))], features, S, () => pops);
    expect(centre.find((c) => c.featureId === 'hz1')).toMatchObject({ part: 'hazard', value: 2 });
  });

  it('gives the cell at the hazard and the people the highest score', () => {
    const best = out.score.indexOf(Math.max(...out.score));
    const [lat, lon] = cellToLatLng(out.h3[best]);
    expect(Math.abs(lon - C[0])).toBeLessThan(0.01);
    expect(Math.abs(lat - C[1])).toBeLessThan(0.01);
  });
});

describe('the grid service', () => {
  let t: TestPlatform;
  let deps: RisksDeps;
  let cmd: RequestCtx;
  const A: [number, number] = [122.116, 37.505];
  beforeAll(async () => {
    t = await startTestPlatform();
    deps = t.module<RisksInternal>('risks').deps;
    cmd = await seededCtx(t.platform, 'commander');
    const fc = (features: unknown[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
    const pt = (p: [number, number], properties: Record<string, unknown>) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties,
    });
    const load = async (kind: census.CensusImportOptions['kind'], features: unknown[]) => {
      const file = await census.readUpload({ name: 'x.geojson', data: fc(features) });
      const r = await census.runCensusImport(deps, cmd, file, { mode: 'commit', kind, name: kind, datum: 'wgs84' });
      expect(r.errors).toEqual([]);
    };
    await load('geohazard_point', [pt(A, { name: '隐患', level: 2 }), pt([122.05, 37.45], { name: '山里' })]);
    await load('population_grid', [pt(A, { population: 6000 }), pt([122.12, 37.51], { population: 3000 })]);
    await load('hospital', [pt([122.117, 37.506], { name: '医院' })]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('recomputes in a worker, stores the cells in one swap and answers them by bbox and class', async () => {
    expect((await svc.status(deps, cmd)).stale).toBe(true);
    const viewer = await seededCtx(t.platform, 'viewer');
    expect((await refusal(svc.recompute(deps, viewer))).code).toBe('FORBIDDEN');
    const st = await svc.computeAndStore(deps, cmd);
    expect(st.stale).toBe(false);
    expect(st.resolution).toBe(8);
    expect(st.featureCount).toBe(5);
    expect(st.cellCount).toBeGreaterThan(5000);
    expect(st.counts.major).toBeGreaterThan(0);
    const all = (await svc.grid(deps, cmd, { minClass: 'low', limit: 200_000 })) as RiskGridReply;
    expect(all.total).toBe(st.cellCount);
    const hot = latLngToCell(A[1], A[0], 8);
    const red = (await svc.grid(deps, cmd, {
      minClass: 'major',
      bbox: `${A[0] - 0.01},${A[1] - 0.01},${A[0] + 0.01},${A[1] + 0.01}`,
    })) as RiskGridReply;
    expect(red.items.map((c) => c.h3)).toContain(hot);
    const gj = await svc.grid(deps, cmd, { format: 'geojson', minClass: 'major' });
    expect('features' in gj && gj.features[0].geometry.type).toBe('Polygon');
  });

  it('names what contributes to a cell, adding up to its raw values, and sums the districts', async () => {
    const hot = latLngToCell(A[1], A[0], 8);
    const d = await svc.cellDetail(deps, cmd, hot);
    expect(d.district).toBe('371002');
    expect(d.districtName).toBe('环翠区');
    const sum = (part: string) => d.contributions.filter((c) => c.part === part).reduce((a, c) => a + c.value, 0);
    expect(sum('hazard')).toBeCloseTo(d.raw.hazard, 4);
    expect(sum('exposure')).toBeCloseTo(d.raw.exposure, 4);
    expect(d.contributions.find((c) => c.name === '隐患')).toMatchObject({ part: 'hazard', kind: 'geohazard_point' });
    expect((await refusal(svc.cellDetail(deps, cmd, '8831aa5001fffff'))).code).toBe('CELL_NOT_IN_GRID');
    const ds = await svc.districts(deps, cmd);
    const huancui = ds.items.find((x) => x.district === '371002');
    expect(huancui?.population).toBe(9000);
    expect(huancui?.populationMajor).toBeGreaterThan(0);
    expect(ds.items.reduce((a, x) => a + x.cells, 0)).toBe((await svc.status(deps, cmd)).cellCount);
  });

  it('changes the rules only on the version read, refuses thresholds out of order, and marks the grid stale', async () => {
    const s = await svc.getSettings(deps, cmd);
    expect(s).toMatchObject({ isDefault: true, version: 0 });
    const bad = { ...s.value, thresholds: { major: 0.3, large: 0.4, general: 0.2 } };
    expect(await refusal(svc.putSettings(deps, cmd, { value: bad, version: 0 }))).toMatchObject({
      code: 'SETTINGS_THRESHOLDS',
      field: 'value.thresholds',
    });
    const next = await svc.putSettings(deps, cmd, { value: { ...s.value, resolution: 9 }, version: 0 });
    expect(next).toMatchObject({ isDefault: false, value: { resolution: 9 } });
    expect(await refusal(svc.putSettings(deps, cmd, { value: s.value, version: 0 }))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
    expect((await svc.status(deps, cmd)).stale).toBe(true);
  });
});
