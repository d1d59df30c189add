// Issue 9 §2: an incident at sea off Weihai (the demo's oil spill at 122.30, 37.45) is the city's, in the waters of
// the district they are assigned to, seen by that district; "outside the city" only where it is.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs, incidentInput, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import * as svc from './incidents.service.ts';

let t: TestPlatform;
let deps: svc.IncidentDeps;
let duty: RequestCtx;
let huancui: RequestCtx;
let wendeng: RequestCtx;

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<{ deps: svc.IncidentDeps }>('incidents').deps;
  duty = await seededCtx(t.platform, 'duty_officer');
  huancui = await seededCtx(t.platform, 'district_staff');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
  await t.module<{ loadDemoSeaAreas(): Promise<string> }>('geo').loadDemoSeaAreas();
});
afterAll(() => t?.stop());

const at = (ctx: RequestCtx, lng: number, lat: number, title = '海上溢油') =>
  svc.createIncident(deps, ctx, incidentInput({ title, location: { type: 'Point', coordinates: [lng, lat] } }));

describe('incidents at sea', () => {
  it('places the demo oil spill in Huancui’s waters, not outside the city', async () => {
    const spill = await at(duty, 122.3, 37.45);
    expect(spill.districtStatus).toBe('sea');
    expect(spill.district).toEqual({ code: '371002', name: '环翠区' });
    // off Shidao (Rongcheng) and off Rushan's coast
    expect((await at(duty, 122.6, 36.8)).district?.code).toBe('371082');
    expect((await at(duty, 121.6, 36.7)).district?.code).toBe('371083');
  });

  it('draws water only: the land of the districts and the neighbouring cities is cut out of the drawn areas', async () => {
    const db = t.platform.db.kysely;
    const water = await db
      .selectFrom('sea_areas')
      .select(sql<number>`sum(st_area(geom))`.as('a'))
      .executeTakeFirstOrThrow();
    // the four drawn rectangles cover 1.91 square degrees; with the land cut out about a sixth less is left
    expect(Number(water.a)).toBeGreaterThan(1.2);
    expect(Number(water.a)).toBeLessThan(1.8);
    const geo = t.module<{ seaAreaAt(lng: number, lat: number): Promise<unknown> }>('geo');
    // Weihai's old town and Rongcheng's centre lie inside the drawn rectangles, on land: no sea area there
    expect(await geo.seaAreaAt(122.12, 37.5)).toBeUndefined();
    expect(await geo.seaAreaAt(122.42, 37.16)).toBeUndefined();
    expect(await geo.seaAreaAt(122.3, 37.45)).toMatchObject({ code: 'sea-371002', approximate: true });
  });

  it('keeps land first: a point on the coast is the district’s land, inside', async () => {
    const land = await at(duty, 122.12, 37.5);
    expect(land.districtStatus).toBe('inside');
    expect(land.district?.code).toBe('371002');
  });

  it('is outside the city beyond the city’s waters (the Yellow Sea far off, Shanghai)', async () => {
    expect((await at(duty, 124.5, 36.5)).districtStatus).toBe('outside');
    expect((await at(duty, 121.47, 31.23)).districtStatus).toBe('outside');
  });

  it('is seen by the district the waters are assigned to, and reported there by its staff only', async () => {
    const spill = await at(huancui, 122.3, 37.5, '环翠海域船舶碰撞');
    expect((await svc.getIncident(deps, huancui, spill.id)).districtStatus).toBe('sea');
    expect(await refusal(svc.getIncident(deps, wendeng, spill.id))).toMatchObject({ code: 'OUT_OF_SCOPE' });
    // Wendeng's staff may not place a report in Huancui's waters
    expect(await refusal(at(wendeng, 122.3, 37.5))).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
  });

  it('filters the register by the city’s waters', async () => {
    const r = await svc.listIncidents(deps, duty, { district: 'sea', limit: 100 });
    expect(r.total).toBeGreaterThanOrEqual(4);
    expect(r.items.every((i) => i.districtStatus === 'sea')).toBe(true);
    const huancuiAll = await svc.listIncidents(deps, duty, { district: '371002', limit: 100 });
    expect(huancuiAll.items.some((i) => i.districtStatus === 'sea')).toBe(true);
  });
});
