// The coverage analysis refuses an area above its cell budget before any work, naming the limit; the whole of
// Weihai fits the default budget with room to spare.
import { polygonToCells } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { RequestCtx } from '../platform/core/context.ts';
import { ctxAs } from '../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../test/helpers.ts';
import { districtPolygons } from './boundaries.repository.ts';
import { COVERAGE_MAX_CELLS, coverage, estimateCoverageCells } from './geo.service.ts';
import type { GeoInternal } from './module.ts';

const box = (lon: number, lat: number, d: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('coverage budget', () => {
  let t: TestPlatform;
  const deps = (maxCells?: number) => {
    const g = t.module<GeoInternal>('geo');
    return { db: t.platform.db, networks: g.networks, closures: g.closures, coverageMaxCells: maxCells };
  };
  let ctx: RequestCtx;
  beforeAll(async () => {
    t = await startTestPlatform();
    ctx = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
  });
  afterAll(() => t?.stop());

  it('admits the whole of Weihai, and estimates its cells within a few per cent of H3 itself', async () => {
    const polygons: unknown[] = [];
    for (const d of await districtPolygons(t.platform.db.kysely)) {
      const g = JSON.parse(d.geojson) as { type: string; coordinates: unknown[] };
      if (g.type === 'Polygon') polygons.push(g.coordinates);
      else polygons.push(...g.coordinates);
    }
    const weihai = { type: 'MultiPolygon' as const, coordinates: polygons };
    const e = estimateCoverageCells(weihai);
    let exact = 0;
    for (const p of polygons) exact += polygonToCells(p as number[][][], 9, true).length;
    expect(exact).toBeGreaterThan(80_000);
    expect(Math.abs(e!.cells - exact) / exact).toBeLessThan(0.05);
    expect(e!.cells * 1.5).toBeLessThan(COVERAGE_MAX_CELLS);
  });

  it('refuses a 2°×2° box before any work, with the limit in cells and km² in the message', async () => {
    const err = await refusal(
      coverage(deps(), ctx, { origins: [[122.1, 37.5]], minutes: 10, area: box(121, 36.5, 2) }),
    );
    expect(err.code).toBe('AREA_TOO_LARGE');
    expect(err.status).toBe(400);
    expect(err.details).toMatchObject({ field: 'area', max: COVERAGE_MAX_CELLS });
    expect(err.details.cells as number).toBeGreaterThan(500_000);
    expect(err.details.maxKm2 as number).toBeGreaterThan(9_000);
    expect(err.details.maxKm2 as number).toBeLessThan(11_000);
    const en = err.message_('en');
    expect(en).toContain(String(COVERAGE_MAX_CELLS));
    expect(en).toContain(String(err.details.maxKm2));
  });

  it('follows the configured budget, for drawn areas and district codes alike', async () => {
    const small = deps(1_000);
    const drawn = await refusal(
      coverage(small, ctx, { origins: [[122.1, 37.5]], minutes: 10, area: box(122, 37.4, 0.1) }),
    );
    expect(drawn.details).toMatchObject({ field: 'area', max: 1_000 });
    const district = await refusal(coverage(small, ctx, { origins: [[122.1, 37.5]], minutes: 10, area: '371002' }));
    expect(district.code).toBe('AREA_TOO_LARGE');
    // within the budget the request goes on to the engine (here: no network loaded)
    const fits = await refusal(
      coverage(small, ctx, { origins: [[122.1, 37.5]], minutes: 10, area: box(122, 37.4, 0.01) }),
    );
    expect(fits.code).toBe('NO_ROAD_NETWORK');
  });
});
