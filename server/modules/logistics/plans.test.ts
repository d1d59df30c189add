// Relief plans through the service with the real repositories, stock (part A) and the geo door: no network refused;
// the plan on a hand-made road network; a closure in force sends another warehouse; a deadline too short leaves the
// need unmet and says no warehouse would help; needs from the norms; an agreement's lead time; the refusals naming
// their fields; kept plans listed, read and drawn as routes (one HTTP round trip).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanRequest, WarehouseInput } from '../../../contracts/logistics.ts';
import { type GeoApi, NetworkBuilder } from '../../geo/index.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { ctxAs, seededCtx } from '../../test/factories.ts';
import { refusal, startTestApp, type TestApp } from '../../test/helpers.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import type { LogisticsInternal } from './module.ts';
import * as plans from './plans.service.ts';
import { receive } from './stock.service.ts';
import { createWarehouse } from './warehouses.service.ts';

// 文登区, inland: a main road eastwards (60 km/h, a kilometre a minute) from km 0 to km 10, and a detour 1 km north
// of it from km 1 to km 6: closing the main road between km 3 and 4 sends a truck at km 2 the long way (9 km).
const LAT = 37.15;
const LON = 121.95;
const KM_LON = 1 / (111.32 * Math.cos((LAT * Math.PI) / 180));
const KM_LAT = 1 / 111.32;
const at = (x: number, y = 0): [number, number] => [LON + x * KM_LON, LAT + y * KM_LAT];
const point = (x: number, y = 0) => ({ type: 'Point' as const, coordinates: at(x, y) });

function network() {
  const b = new NetworkBuilder(() => 60);
  const main: number[] = [];
  const v: number[] = [];
  for (let i = 0; i <= 40; i++) v.push(b.vertex(...at(i / 4)));
  for (let i = 0; i < 40; i++) main.push(b.add(v[i], v[i + 1], 'primary', '主路', false, 60));
  const up = [v[4], b.vertex(...at(1, 0.5)), b.vertex(...at(1, 1))];
  const along = [up[2]];
  for (let i = 5; i <= 24; i++) along.push(b.vertex(...at(i / 4, 1)));
  const down = [along[along.length - 1], b.vertex(...at(6, 0.5)), v[24]];
  for (const line of [up, along, down])
    for (let i = 0; i + 1 < line.length; i++) b.add(line[i], line[i + 1], 'secondary', '绕行路', false, 60);
  return { net: b.build(), main };
}

const WATER = '1100401';
const NOODLES = '1100105';
const TENT = '1120100';
const START = '2026-12-06T02:00:00.000Z';

describe('relief plans', () => {
  let t: TestApp;
  let deps: LogisticsDeps;
  let commander: RequestCtx;
  let viewer: RequestCtx;
  let mainRoad: number[];
  const w: Record<string, string> = {};

  const warehouse = (name: string, x: number, over: Partial<WarehouseInput> = {}): WarehouseInput => ({
    name,
    tier: 'district',
    reserveType: 'government',
    location: point(x),
    loadingMinutes: 10,
    ...over,
  });
  const request = (over: Partial<PlanRequest> = {}): PlanRequest => ({
    places: [
      { id: 'A', name: '五里铺安置点', location: point(5) },
      { id: 'B', name: '东村', location: point(8) },
    ],
    needs: [
      { placeId: 'A', itemCode: WATER, quantity: 100 },
      { placeId: 'B', itemCode: WATER, quantity: 50 },
    ],
    startAt: START,
    dryRun: true,
    ...over,
  });
  const plan = (over: Partial<PlanRequest> = {}, ctx = commander) => plans.makePlan(deps, ctx, request(over));

  beforeAll(async () => {
    t = await startTestApp();
    deps = t.platform.module<LogisticsInternal>('logistics').deps;
    commander = await seededCtx(t.platform, 'commander');
    viewer = await seededCtx(t.platform, 'viewer');
    const keeper = await ctxAs(t.platform, 'department_staff', 'yjj', 'department');
    w.west = (await createWarehouse(deps, keeper, warehouse('西库 km2', 2))).id;
    w.east = (await createWarehouse(deps, keeper, warehouse('东库 km9', 9))).id;
    w.partner = (
      await createWarehouse(
        deps,
        keeper,
        warehouse('协议企业 km5', 5, {
          reserveType: 'agreement',
          agreement: { partner: '文登某食品公司', leadTimeHours: 2, items: [{ itemCode: NOODLES, quantity: 500 }] },
        }),
      )
    ).id;
    await receive(deps, keeper, w.west, { items: [{ itemCode: WATER, quantity: 120 }] });
    await receive(deps, keeper, w.east, {
      items: [
        { itemCode: WATER, quantity: 100 },
        { itemCode: TENT, quantity: 5 },
      ],
    });
  });
  afterAll(() => t?.stop());

  it('without a road network, refuses rather than promise arrivals on straight lines', async () => {
    expect(await refusal(plan())).toMatchObject({ code: 'NO_ROAD_NETWORK' });
    const { net, main } = network();
    mainRoad = main;
    await t.platform.module<GeoApi>('geo').installNetwork(systemCtx(), net, {
      name: 'relief test roads',
      synthetic: true,
      source: 'test',
      attribution: 'test',
    });
  });

  it('ships from the warehouses that arrive soonest, all of the need in time', async () => {
    const p = await plan();
    expect(p.feasibleWithinDeadline).toBe(true);
    expect(p.solver.status).toBe('optimal');
    expect(p.unmet).toEqual([]);
    const byPair = p.shipments.map((s) => [s.warehouseId, s.placeId, s.quantity]);
    // west (km 2) → A (km 5) 3 min; east (km 9) → B (km 8) 1 min; the east keeps 50 over
    expect(byPair).toEqual([
      [w.east, 'B', 50],
      [w.west, 'A', 100],
    ]);
    const a = p.shipments.find((s) => s.placeId === 'A');
    expect(a?.departAt).toBe('2026-12-06T02:10:00.000Z');
    // 10 minutes' loading and about 3 minutes' drive
    expect(a?.etaSeconds).toBeGreaterThan(600 + 170);
    expect(a?.etaSeconds).toBeLessThan(600 + 200);
    expect(p.totals).toMatchObject({ need: 150, delivered: 150, unmet: 0 });
    expect(p.greedy.unmet).toBeGreaterThanOrEqual(p.totals.unmet);
    expect(p.greedy.weightedSeconds).toBeGreaterThanOrEqual(p.totals.weightedSeconds);
    expect(p.id).toBeNull();
  });

  it('a closure in force sends the other warehouse; cleared, the plan comes back', async () => {
    const admin = (await t.login('admin', 'Admin-pass-1')).token;
    const c = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: { roadIds: mainRoad.slice(12, 16), cause: '桥梁受损' },
    });
    expect(c.statusCode).toBe(201);
    const during = await plan({ needs: [{ placeId: 'A', itemCode: WATER, quantity: 80 }] });
    // west now drives 9 km round the detour; east's 4 km is sooner
    expect(during.shipments.map((s) => [s.warehouseId, s.placeId, s.quantity])).toEqual([[w.east, 'A', 80]]);
    const cleared = await t.api('POST', `/api/v1/closures/${c.json().id}/clear`, { token: admin });
    expect(cleared.statusCode).toBe(200);
    const after = await plan({ needs: [{ placeId: 'A', itemCode: WATER, quantity: 80 }] });
    expect(after.shipments.map((s) => s.warehouseId)).toEqual([w.west]);
  });

  it('more need than stock: the shortfall is unmet, and the extra stock is asked where it would arrive soonest', async () => {
    const p = await plan({
      needs: [
        { placeId: 'A', itemCode: WATER, quantity: 200 },
        { placeId: 'B', itemCode: WATER, quantity: 50 },
        { placeId: 'B', itemCode: TENT, quantity: 8 },
      ],
    });
    expect(p.feasibleWithinDeadline).toBe(false);
    expect(p.totals).toMatchObject({ need: 258, delivered: 225, unmet: 33 });
    // all the water goes (220), the 30 short at A, whose soonest warehouse is the west one; tents: 5 of 8 from the east
    expect(p.unmet).toEqual([
      { placeId: 'A', itemCode: WATER, quantity: 30 },
      { placeId: 'B', itemCode: TENT, quantity: 3 },
    ]);
    expect(p.extraStock).toEqual([
      { warehouseId: w.west, itemCode: WATER, quantity: 30, placeIds: ['A'] },
      { warehouseId: w.east, itemCode: TENT, quantity: 3, placeIds: ['B'] },
    ]);
  });

  it('a deadline too short: everything unmet, no warehouse would help, a place off the roads said so', async () => {
    const p = await plan({
      places: [
        { id: 'A', location: point(5) },
        { id: 'B', location: point(8) },
        { id: 'far', name: '北山', location: point(5, 30) },
      ],
      needs: [
        { placeId: 'A', itemCode: WATER, quantity: 10 },
        { placeId: 'far', itemCode: WATER, quantity: 10 },
      ],
      deadlineHours: 0.25,
      loadingMinutes: 20,
    });
    expect(p.feasibleWithinDeadline).toBe(false);
    expect(p.shipments).toEqual([]);
    expect(p.totals).toMatchObject({ need: 20, delivered: 0, unmet: 20, lastArrivalSeconds: null });
    expect(p.extraStock).toEqual([{ warehouseId: null, itemCode: WATER, quantity: 20, placeIds: ['A', 'far'] }]);
    expect(p.unreachablePlaces).toEqual(['far']);
    expect(p.deadlineAt).toBe('2026-12-06T02:15:00.000Z');
  });

  it('an agreement reserve serves after its lead time; a loading time per warehouse counts', async () => {
    const p = await plan({
      needs: [{ placeId: 'A', itemCode: NOODLES, quantity: 300 }],
      loadingMinutes: { [w.partner]: 30 },
    });
    expect(p.shipments).toHaveLength(1);
    expect(p.shipments[0]).toMatchObject({
      warehouseId: w.partner,
      quantity: 300,
      departAt: '2026-12-06T04:30:00.000Z',
    });
    const late = await plan({ needs: [{ placeId: 'A', itemCode: NOODLES, quantity: 300 }], deadlineHours: 2 });
    expect(late.totals.unmet).toBe(300);
    expect(late.extraStock[0].warehouseId).not.toBe(w.partner);
  });

  it('counts the needs from the relief norms × people × days when none are given', async () => {
    const p = await plan({
      places: [{ id: 'A', location: point(5), people: 7 }],
      needs: undefined,
      itemCodes: [WATER, TENT],
      days: 2,
    });
    // water 6 bottles a day × 7 × 2 days; tents 0.2 each, once: 1.4 → 2
    expect(p.totals.need).toBe(84 + 2);
    expect(p.totals.delivered).toBe(86);
  });

  it('a large plan is solved in a worker thread, to the same answer as in this one', async () => {
    const W = 30;
    const P = 800;
    let seed = 5;
    const r = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const input = () => {
      seed = 5;
      return {
        warehouses: Array.from({ length: W }, (_, i) => ({ id: `w${i}`, loadingMinutes: 20, leadTimeHours: 0 })),
        places: Array.from({ length: P }, (_, j) => `p${j}`),
        supply: Array.from({ length: W }, (_, i) => ({ warehouseId: `w${i}`, itemCode: WATER, quantity: 200 })),
        needs: Array.from({ length: P }, (_, j) => ({ placeId: `p${j}`, itemCode: WATER, quantity: 1 + (j % 17) })),
        travelSeconds: Float64Array.from({ length: W * P }, () => 600 + Math.floor(r() * 30_000)),
        startAt: new Date(START),
        deadlineSeconds: 6 * 3600,
      };
    };
    const here = await plans.solveRelief(deps, commander, input(), { inThread: true });
    const there = await plans.solveRelief(deps, commander, input(), { inThread: false });
    expect(there.best).toEqual(here.best);
    expect(there.greedy).toEqual(here.greedy);
    expect(here.best.totals.unmet).toBeGreaterThan(0);
    expect(here.greedy.unmet).toBeGreaterThanOrEqual(here.best.totals.unmet);
  });

  it('refuses what it cannot plan, naming the field', async () => {
    expect(
      await refusal(
        plan({
          needs: [
            { placeId: 'A', itemCode: WATER, quantity: 1 },
            { placeId: 'Z', itemCode: WATER, quantity: 1 },
          ],
        }),
      ),
    ).toMatchObject({ code: 'PLAN_UNKNOWN_PLACE', status: 400, field: 'needs.1.placeId' });
    const ghost = '00000000-0000-4000-8000-000000000001';
    expect(await refusal(plan({ loadingMinutes: { [ghost]: 5 } }))).toMatchObject({
      code: 'PLAN_UNKNOWN_WAREHOUSE',
      field: `loadingMinutes.${ghost}`,
    });
    expect(await refusal(plan({ warehouseIds: [w.west, ghost] }))).toMatchObject({
      code: 'PLAN_UNKNOWN_WAREHOUSE',
      field: 'warehouseIds.1',
    });
    expect(
      await refusal(
        plan({
          places: [
            { id: 'A', location: point(5) },
            { id: 'A', location: point(6) },
          ],
        }),
      ),
    ).toMatchObject({ code: 'PLAN_DUPLICATE_PLACE', field: 'places.1.id' });
    expect(
      await refusal(plan({ places: [{ id: 'A', location: { type: 'Point', coordinates: [200, 37] } }] })),
    ).toMatchObject({ code: 'COORDINATES_OUT_OF_RANGE', field: 'places.0.location' });
    expect(await refusal(plan({ needs: undefined }))).toMatchObject({ code: 'PLAN_NO_NEED', field: 'places' });
    expect(await refusal(plan({ deadlineHours: 0 }))).toMatchObject({ code: 'VALIDATION', field: 'deadlineHours' });
    expect(await refusal(plan({}, viewer))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const en = await refusal(plan({ needs: [{ placeId: 'Z', itemCode: WATER, quantity: 1 }] }), 'en');
    expect(en.message).toContain('needs.0.placeId');
  });

  it('keeps a plan with its number, lists it, reads it back and draws its routes by road (HTTP)', async () => {
    const token = (await t.login('test_commander', 'User-pass-123')).token;
    const res = await t.api('POST', '/api/v1/logistics/plan', {
      token,
      body: { ...request(), dryRun: false, name: '演练方案' },
    });
    expect(res.statusCode).toBe(201);
    const kept = res.json();
    expect(kept.number).toMatch(/^JZ-\d{4}-\d{6}$/);
    expect(res.headers.location).toBe(`/api/v1/logistics/plans/${kept.id}`);
    const list = await t.api('GET', '/api/v1/logistics/plans', { token });
    expect(list.json().items[0]).toMatchObject({
      id: kept.id,
      number: kept.number,
      name: '演练方案',
      places: 2,
      shipments: 2,
      feasibleWithinDeadline: true,
      totals: { need: 150, delivered: 150 },
    });
    expect((await t.api('GET', `/api/v1/logistics/plans/${kept.id}`, { token })).json().shipments).toEqual(
      kept.shipments,
    );
    const routes = (await t.api('GET', `/api/v1/logistics/plans/${kept.id}/routes`, { token })).json();
    expect(routes.features).toHaveLength(2);
    const toA = routes.features.find((f: { properties: { placeId: string } }) => f.properties.placeId === 'A');
    expect(toA.properties).toMatchObject({
      warehouseName: '西库 km2',
      straight: false,
      items: [{ itemCode: WATER, quantity: 100 }],
    });
    expect(toA.properties.meters).toBeCloseTo(3000, -2);
    expect(toA.geometry.coordinates.length).toBeGreaterThan(2);
    const bad = await t.api('POST', '/api/v1/logistics/plan', {
      token,
      body: { ...request(), needs: [{ placeId: 'Q', itemCode: WATER, quantity: 1 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'PLAN_UNKNOWN_PLACE', field: 'needs.0.placeId' });
  });
});
