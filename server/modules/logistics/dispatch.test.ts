// Norms, gaps, procurement and dispatch orders (part C) at the service level: the default norms are assumptions and a
// save is checked field by field; the gap of a known small case; the procurement's quantities and cost; a plan's
// orders made once; loading issues the stock, and a short line refuses the whole loading; the state rules; a
// delivery updates the plan's progress; a late order raises one alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DispatchOrder,
  Norms,
  NormsInput,
  Shipment,
  WarehouseInput,
  WarehouseTier,
} from '../../../contracts/logistics.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { putItem } from './catalogue.service.ts';
import * as gaps from './gaps.service.ts';
import { computeGaps, type Holding, procurementOf } from './gaps.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import type { LogisticsInternal } from './module.ts';
import * as norms from './norms.service.ts';
import * as orders from './orders.service.ts';
import { listStock, receive } from './stock.service.ts';
import { createWarehouse } from './warehouses.service.ts';

let t: TestPlatform;
let deps: LogisticsDeps;
let staff: RequestCtx;
let viewer: RequestCtx;
let duty: RequestCtx;

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<LogisticsInternal>('logistics').deps;
  staff = await seededCtx(t.platform, 'department_staff');
  viewer = await seededCtx(t.platform, 'viewer');
  duty = await seededCtx(t.platform, 'duty_officer');
});
afterAll(async () => {
  await t?.stop();
});

const small: Norms = {
  relief: [{ itemCode: '1100401', perPersonPerDay: 6, basis: '测试', assumption: true }],
  reserve: [
    { itemCode: '1120100', tier: 'city', perThousand: 2, basis: '测试', assumption: true },
    { itemCode: '1120100', tier: 'district', perThousand: 1, basis: '测试', assumption: true },
    { itemCode: '1110203', tier: 'district', perThousand: 5, basis: '测试', assumption: true },
  ],
  population: [
    { districtCode: '371000', people: 30_000, basis: '测试' },
    { districtCode: '371002', people: 10_000, basis: '测试' },
    { districtCode: '371003', people: 20_500, basis: '测试' },
  ],
};

describe('norms', () => {
  it('the defaults are assumptions, say that the national quantities are not verified, and count the census', async () => {
    const n = await norms.normsSettings(deps, viewer);
    expect(n.defaults).toBe(true);
    expect(n.version).toBe(0);
    expect(n.relief.map((r) => r.itemCode)).toEqual(
      expect.arrayContaining(['1100401', '1100105-FBM', '1110203-MB', '1110101-MDY', '1120100-12', '1130501']),
    );
    for (const r of [...n.relief, ...n.reserve]) {
      expect(r.assumption).toBe(true);
      expect(r.basis).toContain('未核实');
    }
    expect(n.relief.find((r) => r.itemCode === '1120100-12')).toMatchObject({ once: true, perPersonPerDay: 0.2 });
    expect(n.reserve.filter((r) => r.itemCode === '1120100-12').map((r) => r.tier)).toEqual([
      'city',
      'district',
      'town',
    ]);
    // every default names an item the seeded catalogue describes (its unit is the norm's)
    const described = new Set(
      (await deps.db.kysely.selectFrom('supply_items').select('code').execute()).map((r) => r.code),
    );
    expect(n.relief.filter((r) => !described.has(r.itemCode)).map((r) => r.itemCode)).toEqual([]);
    const city = n.population.find((p) => p.districtCode === '371000');
    expect(city?.people).toBe(2_906_548);
    const districts = n.population.filter((p) => p.districtCode !== '371000');
    expect(districts.map((p) => p.districtCode)).toEqual(
      expect.arrayContaining(['371002', '371003', '371082', '371083', 'gaoqu', 'jingqu', 'lingang', 'nanhai']),
    );
    expect(districts.reduce((s, p) => s + p.people, 0)).toBe(2_906_548);
    for (const p of districts) expect(p.basis).toContain('约数');
    // what part B reads
    expect((await norms.getNorms(deps)).relief).toEqual(n.relief);
  });

  it('a save is checked field by field, needs supplies.manage and the version read', async () => {
    const input = (over: Partial<NormsInput>): NormsInput => ({ ...small, ...over });
    expect(await refusal(norms.putNorms(deps, viewer, input({})))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(
      await refusal(
        norms.putNorms(deps, staff, input({ relief: [...small.relief, { ...small.relief[0]!, perPersonPerDay: 3 }] })),
        'en',
      ),
    ).toMatchObject({ code: 'NORM_DUPLICATE', status: 400, field: 'relief.1.itemCode' });
    expect(
      await refusal(norms.putNorms(deps, staff, input({ relief: [{ ...small.relief[0]!, perPersonPerDay: -1 }] }))),
    ).toMatchObject({ code: 'VALIDATION', field: 'relief.0.perPersonPerDay' });
    expect(
      await refusal(norms.putNorms(deps, staff, input({ reserve: [{ ...small.reserve[0]!, itemCode: '1999999' }] }))),
    ).toMatchObject({ code: 'NORM_UNKNOWN_ITEM', field: 'reserve.0.itemCode' });
    expect(
      await refusal(
        norms.putNorms(deps, staff, input({ reserve: [...small.reserve, { ...small.reserve[1]!, perThousand: 9 }] })),
      ),
    ).toMatchObject({ code: 'NORM_DUPLICATE', field: 'reserve.3.tier' });
    expect(
      await refusal(
        norms.putNorms(deps, staff, input({ relief: [{ ...small.relief[0]!, assumption: false, basis: ' ' }] })),
        'zh',
      ),
    ).toMatchObject({
      code: 'NORM_BASIS_REQUIRED',
      field: 'relief.0.basis',
      message: expect.stringContaining('依据'),
    });
    const unknown = await refusal(
      norms.putNorms(deps, staff, input({ population: [{ districtCode: 'wjw', people: 5, basis: '' }] })),
      'en',
    );
    expect(unknown).toMatchObject({ code: 'NORM_UNKNOWN_DISTRICT', field: 'population.0.districtCode' });
    expect(unknown.message).toContain('wjw');

    const saved = await norms.putNorms(deps, staff, input({ version: 0 }));
    expect(saved).toMatchObject({ defaults: false, version: expect.any(Number) });
    expect(await norms.getNorms(deps)).toEqual(small);
    expect(await refusal(norms.putNorms(deps, staff, input({ version: saved.version - 1 })))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
    const audit = await deps.db.kysely
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'logistics.norms_changed')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('gaps and procurement (rules)', () => {
  const areas = {
    cityCode: '371000',
    name: (c: string) => ({ '371000': '威海市', '371002': '环翠区', '371003': '文登区' })[c] ?? c,
    kind: (c: string) => (c === '371000' ? 'city' : 'district'),
  };
  const item = (code: string) => ({ name: code, unit: '件', unitPriceYuan: code === '1120100' ? 1500 : null });

  it('a known small case: the city tier against every city warehouse, a district tier against its own', () => {
    const held: Holding[] = [
      // city tier stock in two districts counts for the city
      { districtCode: '371002', tier: 'city', itemCode: '1120100', stock: 40, committed: 0, expiringWithinYear: 0 },
      { districtCode: '371003', tier: 'city', itemCode: '1120100', stock: 10, committed: 5, expiringWithinYear: 0 },
      { districtCode: '371002', tier: 'district', itemCode: '1120100', stock: 4, committed: 0, expiringWithinYear: 0 },
      {
        districtCode: '371003',
        tier: 'district',
        itemCode: '1110203',
        stock: 120,
        committed: 0,
        expiringWithinYear: 30,
      },
      // a town warehouse: no town norm, listed with nothing required
      { districtCode: '371003', tier: 'town', itemCode: '1110203', stock: 7, committed: 0, expiringWithinYear: 7 },
    ];
    const lines = computeGaps(small, held, item, areas);
    const line = (d: string, tier: string, code: string) =>
      lines.find((l) => l.districtCode === d && l.tier === tier && l.itemCode === code);
    // 30,000 × 2 / 1000 = 60 required, 55 held
    expect(line('371000', 'city', '1120100')).toMatchObject({ required: 60, stock: 50, committed: 5, gap: 5 });
    expect(line('371000', 'city', '1120100')?.ratio).toBeCloseTo(55 / 60, 3);
    // 10,000 × 1 / 1000 = 10, 4 held; 20,500 × 1 / 1000 = 20.5 → 21, none held
    expect(line('371002', 'district', '1120100')).toMatchObject({ required: 10, stock: 4, gap: 6 });
    expect(line('371003', 'district', '1120100')).toMatchObject({ required: 21, stock: 0, gap: 21, ratio: 0 });
    // 20,500 × 5 / 1000 = 102.5 → 103, 120 held: no gap
    expect(line('371003', 'district', '1110203')).toMatchObject({ required: 103, stock: 120, gap: 0 });
    expect(line('371002', 'district', '1110203')).toMatchObject({ required: 50, gap: 50 });
    expect(line('371003', 'town', '1110203')).toMatchObject({ required: 0, stock: 7, gap: 0, ratio: null });
    expect(lines.map((l) => l.tier)).toEqual(['city', 'district', 'district', 'district', 'district', 'town']);

    const proposal = procurementOf(lines, item);
    const tents = proposal.find((p) => p.itemCode === '1120100')!;
    expect(tents).toMatchObject({ quantity: 5 + 6 + 21, rotation: 0, unitPriceYuan: 1500, costYuan: 32 * 1500 });
    expect(tents.to).toEqual([
      { districtCode: '371000', tier: 'city', quantity: 5 },
      { districtCode: '371002', tier: 'district', quantity: 6 },
      { districtCode: '371003', tier: 'district', quantity: 21 },
    ]);
    // quilts: Wendeng holds 120 of 103 but 30 expire: 103 − 90 = 13 to rotate; Huancui's gap 50; the town's 7 like
    // for like
    const quilts = proposal.find((p) => p.itemCode === '1110203')!;
    expect(quilts).toMatchObject({ quantity: 50 + 13 + 7, rotation: 13 + 7, unitPriceYuan: null, costYuan: null });
  });
});

// ————— with real warehouses and stock —————

const HUANCUI: [number, number] = [122.12, 37.5];
const WENDENG: [number, number] = [121.95, 37.15];

async function warehouse(name: string, tier: WarehouseTier, at: [number, number], over: Partial<WarehouseInput> = {}) {
  return createWarehouse(deps, staff, {
    name,
    tier,
    reserveType: 'government',
    location: { type: 'Point', coordinates: at },
    ...over,
  });
}

async function stockOf(warehouseId: string, itemCode: string): Promise<number> {
  const { items } = await listStock(deps, staff, warehouseId, { itemCode });
  return items[0]?.quantity ?? 0;
}

let planNo = 0;
/** a stored plan as part B keeps it (its answer with places, shipments and unmet), without the solver */
async function storedPlan(a: {
  startAt: Date;
  places: { id: string; name: string; at: [number, number] }[];
  shipments: Omit<Shipment, 'departAt'>[];
  unmet?: { placeId: string; itemCode: string; quantity: number }[];
}) {
  const id = deps.ids.next();
  const answer = {
    startAt: a.startAt.toISOString(),
    places: a.places.map((p) => ({ id: p.id, name: p.name, location: { type: 'Point', coordinates: p.at } })),
    shipments: a.shipments.map((s) => ({ ...s, departAt: new Date(a.startAt.getTime() + 30 * 60_000).toISOString() })),
    unmet: a.unmet ?? [],
  };
  await deps.db.kysely
    .insertInto('relief_plans')
    .values({
      id,
      number: `JZ-TEST-${++planNo}`,
      name: '测试方案',
      incident_id: null,
      district_code: null,
      owner_unit: 'yjj',
      start_at: a.startAt,
      deadline_at: new Date(a.startAt.getTime() + 12 * 3_600_000),
      feasible: true,
      request: JSON.stringify({}),
      answer: JSON.stringify(answer),
      created_by: 'test',
      created_at: a.startAt,
    })
    .execute();
  return id;
}

describe('gaps and procurement (service)', () => {
  it('counts the city tier against every city warehouse and a district tier against its own, with the cost', async () => {
    // the norms saved above: tents city 2 ‰ of 30,000, district 1 ‰; quilts district 5 ‰
    const city = await warehouse('市级救灾物资储备库（测试）', 'city', WENDENG);
    const district = await warehouse('环翠区储备库（测试）', 'district', HUANCUI);
    await receive(deps, staff, city.id, { items: [{ itemCode: '1120100', quantity: 50, batch: 'T1' }] });
    await receive(deps, staff, district.id, {
      items: [
        { itemCode: '1120100', quantity: 4, batch: 'T2' },
        { itemCode: '1110203', quantity: 60, batch: 'Q1' },
      ],
    });
    await putItem(deps, staff, '1120100', { code: '1120100', unit: '顶', unitPriceYuan: 1500 });

    const r = await gaps.gapReport(deps, viewer, {});
    const line = (d: string, tier: string, code: string) =>
      r.items.find((l) => l.districtCode === d && l.tier === tier && l.itemCode === code);
    expect(line('371000', 'city', '1120100')).toMatchObject({ required: 60, stock: 50, gap: 10, unit: '顶' });
    expect(line('371002', 'district', '1120100')).toMatchObject({ required: 10, stock: 4, gap: 6 });
    expect(line('371003', 'district', '1120100')).toMatchObject({ required: 21, stock: 0, gap: 21 });
    expect(line('371002', 'district', '1110203')).toMatchObject({ required: 50, stock: 60, gap: 0, ratio: 1.2 });
    expect(line('371002', 'district', '1120100')?.districtName).toBe('环翠区');

    const only = await gaps.gapReport(deps, viewer, { district: '371003', short: true });
    expect(only.items.map((l) => [l.tier, l.itemCode, l.gap])).toEqual([
      ['district', '1110203', 103],
      ['district', '1120100', 21],
    ]);

    const p = await gaps.procurementProposal(deps, viewer, {});
    const tents = p.items.find((l) => l.itemCode === '1120100');
    expect(tents).toMatchObject({ quantity: 10 + 6 + 21, unitPriceYuan: 1500, costYuan: 37 * 1500, rotation: 0 });
    expect(p.unpriced).toContain('1110203');
    expect(p.costYuan).toBe(37 * 1500);
    expect(await refusal(gaps.procurementProposal(deps, viewer, { year: 2001 }))).toMatchObject({
      code: 'VALIDATION',
      field: 'year',
    });
  });
});

describe('dispatch orders', () => {
  let w1: string;
  let w2: string;
  let planId: string;
  let made: DispatchOrder[];
  const start = () => new Date(Date.now() - 2 * 3_600_000);
  const order = (w: string, place: string) => made.find((o) => o.warehouseId === w && o.placeId === place)!;

  beforeAll(async () => {
    w1 = (await warehouse('文登区储备库一（测试）', 'district', WENDENG)).id;
    w2 = (await warehouse('环翠区储备库二（测试）', 'district', HUANCUI)).id;
    await receive(deps, staff, w1, {
      items: [
        { itemCode: '1100401', quantity: 200, batch: 'W-A', expiresOn: '2099-01-01' },
        { itemCode: '1100105', quantity: 40, batch: 'F-A', expiresOn: '2099-01-01' },
      ],
    });
    await receive(deps, staff, w2, { items: [{ itemCode: '1100401', quantity: 20, batch: 'W-B' }] });
    planId = await storedPlan({
      startAt: start(),
      places: [
        { id: 'P1', name: '文登区实验中学安置点', at: WENDENG },
        { id: 'P2', name: '环翠区体育馆安置点', at: HUANCUI },
      ],
      shipments: [
        { warehouseId: w1, placeId: 'P1', itemCode: '1100401', quantity: 100, etaSeconds: 3 * 3600 + 1800 },
        { warehouseId: w1, placeId: 'P1', itemCode: '1100105', quantity: 50, etaSeconds: 3 * 3600 + 1800 },
        { warehouseId: w1, placeId: 'P2', itemCode: '1100401', quantity: 30, etaSeconds: 1800 },
        { warehouseId: w2, placeId: 'P1', itemCode: '1100401', quantity: 20, etaSeconds: 4 * 3600 },
      ],
      unmet: [{ placeId: 'P2', itemCode: '1100105', quantity: 15 }],
    });
  });

  it('are made once per warehouse × place, with their lines, ETA and district', async () => {
    const r = await orders.makeOrders(deps, duty, planId);
    made = r.items;
    expect(r.total).toBe(3);
    const a = order(w1, 'P1');
    expect(a.number).toMatch(/^DY-\d{4}-\d{6}$/);
    expect(a.lines.map((l) => [l.itemCode, l.quantity])).toEqual([
      ['1100105', 50],
      ['1100401', 100],
    ]);
    expect(a).toMatchObject({ state: 'planned', placeName: '文登区实验中学安置点', late: false, version: 0 });
    expect(new Date(a.etaAt).getTime() - new Date(a.plannedDepartAt).getTime()).toBe(3 * 3_600_000);
    // P2's ETA (30 min after a start two hours ago) has passed: late before it is even loaded
    expect(order(w1, 'P2').late).toBe(true);
    const again = await refusal(orders.makeOrders(deps, duty, planId), 'en');
    expect(again).toMatchObject({ code: 'ORDERS_EXIST', status: 409 });
    expect(again.message).toContain('3');
    const listed = await orders.listOrders(deps, viewer, { planId });
    expect(listed.total).toBe(3);
    expect((await orders.listOrders(deps, viewer, { planId, late: true })).items.map((o) => o.placeId)).toEqual(['P2']);
    const row = await deps.db.kysely
      .selectFrom('dispatch_orders')
      .select(['district_code', 'owner_unit'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ district_code: '371003', owner_unit: 'yjj' });
    // a district sees the orders bound for it
    const huancui = await seededCtx(t.platform, 'district_staff');
    expect((await orders.listOrders(deps, huancui, { planId })).items.map((o) => o.placeId)).toEqual(['P2']);
    expect(await refusal(orders.getOrder(deps, huancui, a.id))).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });

  it('loading issues the stock in the same transaction; a short line refuses the whole loading', async () => {
    const a = order(w1, 'P1');
    const short = await refusal(
      orders.transitionOrder(deps, duty, a.id, { state: 'loaded', version: a.version }),
      'zh',
    );
    expect(short).toMatchObject({ code: 'STOCK_SHORT', status: 409, field: 'lines.0.quantity' });
    expect(await stockOf(w1, '1100401')).toBe(200);
    expect((await orders.getOrder(deps, duty, a.id)).state).toBe('planned');

    await receive(deps, staff, w1, { items: [{ itemCode: '1100105', quantity: 10, batch: 'F-B' }] });
    const loaded = await orders.transitionOrder(deps, duty, a.id, {
      state: 'loaded',
      version: a.version,
      vehicle: '鲁K·12345',
      driver: '王师傅',
    });
    expect(loaded).toMatchObject({ state: 'loaded', vehicle: '鲁K·12345', driver: '王师傅', version: 1 });
    expect(loaded.loadedAt).not.toBeNull();
    expect(await stockOf(w1, '1100401')).toBe(100);
    expect(await stockOf(w1, '1100105')).toBe(0);
    const moves = await deps.db.kysely
      .selectFrom('stock_movements')
      .select(['kind', 'item_code', 'quantity', 'counterpart'])
      .where('counterpart', '=', a.number)
      .execute();
    expect(moves.map((m) => [m.kind, m.item_code, m.quantity]).sort()).toEqual([
      ['issue', '1100105', -10],
      ['issue', '1100105', -40],
      ['issue', '1100401', -100],
    ]);
    made = made.map((o) => (o.id === a.id ? loaded : o));
  });

  it('moves one step at a time on the version read; delivery needs who signed, photos of this order', async () => {
    const a = order(w1, 'P1');
    const b = order(w1, 'P2');
    expect(
      await refusal(
        orders.transitionOrder(deps, duty, b.id, { state: 'delivered', version: 0, receivedBy: '张三' }),
        'en',
      ),
    ).toMatchObject({
      code: 'ORDER_STATE_STEP',
      status: 409,
      field: 'state',
    });
    expect(await refusal(orders.transitionOrder(deps, duty, a.id, { state: 'en_route', version: 0 }))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
    expect(await refusal(orders.transitionOrder(deps, viewer, a.id, { state: 'en_route', version: 1 }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const enRoute = await orders.transitionOrder(deps, duty, a.id, { state: 'en_route', version: 1 });
    expect(enRoute.departedAt).not.toBeNull();
    expect(await refusal(orders.transitionOrder(deps, duty, a.id, { state: 'cancelled', version: 2 }))).toMatchObject({
      code: 'ORDER_STATE_STEP',
    });
    expect(
      await refusal(orders.transitionOrder(deps, duty, a.id, { state: 'delivered', version: 2, receivedBy: ' ' })),
    ).toMatchObject({
      code: 'RECEIVED_BY_REQUIRED',
      field: 'receivedBy',
    });
    const photo = await t.platform.files.upload(duty, {
      entity: 'dispatch_order',
      entityId: a.id,
      name: '签收.png',
      data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
    });
    const other = await t.platform.files.upload(duty, {
      entity: 'dispatch_order',
      entityId: b.id,
      name: '别的.png',
      data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 4]),
    });
    expect(
      await refusal(
        orders.transitionOrder(deps, duty, a.id, {
          state: 'delivered',
          version: 2,
          receivedBy: '李四',
          fileIds: [photo.id, other.id],
        }),
      ),
    ).toMatchObject({ code: 'PROOF_FILE_NOT_OF_ORDER', field: 'fileIds.1' });
    const delivered = await orders.transitionOrder(deps, duty, a.id, {
      state: 'delivered',
      version: 2,
      receivedBy: '李四',
      note: '安置点管理员签收',
      fileIds: [photo.id],
    });
    expect(delivered).toMatchObject({
      state: 'delivered',
      late: false,
      proof: { receivedBy: '李四', note: '安置点管理员签收', fileIds: [photo.id] },
    });
    // a planned order may be cancelled
    const c = order(w2, 'P1');
    expect(
      (await orders.transitionOrder(deps, duty, c.id, { state: 'cancelled', version: 0, note: '道路中断' })).state,
    ).toBe('cancelled');
  });

  it('two requests at once make the orders once, and load an order once', async () => {
    const other = await storedPlan({
      startAt: start(),
      places: [{ id: 'Q1', name: '并发安置点', at: WENDENG }],
      shipments: [{ warehouseId: w1, placeId: 'Q1', itemCode: '1100401', quantity: 10, etaSeconds: 9 * 3600 }],
    });
    const both = await Promise.allSettled([orders.makeOrders(deps, duty, other), orders.makeOrders(deps, duty, other)]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: 'ORDERS_EXIST' });
    const o = (both.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ items: DispatchOrder[] }>).value
      .items[0]!;
    const before = await stockOf(w1, '1100401');
    const loads = await Promise.allSettled([
      orders.transitionOrder(deps, duty, o.id, { state: 'loaded', version: 0 }),
      orders.transitionOrder(deps, duty, o.id, { state: 'loaded', version: 0 }),
    ]);
    expect(loads.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((loads.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      code: 'VERSION_CONFLICT',
    });
    expect(await stockOf(w1, '1100401')).toBe(before - 10);
    // cancelled after loading: the goods go back to their batches, a receipt by someone who may move stock
    expect(await refusal(orders.transitionOrder(deps, staff, o.id, { state: 'cancelled', version: 1 }))).toMatchObject({
      code: 'CANCEL_NOTE_REQUIRED',
      field: 'note',
    });
    expect(
      await refusal(orders.transitionOrder(deps, duty, o.id, { state: 'cancelled', version: 1, note: '道路中断' })),
    ).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const c = await orders.transitionOrder(deps, staff, o.id, { state: 'cancelled', version: 1, note: '道路中断' });
    expect(c.state).toBe('cancelled');
    expect(await stockOf(w1, '1100401')).toBe(before);
    const { items } = await listStock(deps, staff, w1, { itemCode: '1100401' });
    expect(items[0]?.batches.find((b) => b.batch === 'W-A')).toMatchObject({
      quantity: before,
      expiresOn: '2099-01-01',
    });
  });

  it('a delivery updates what the plan still owes', async () => {
    const p = await orders.planProgress(deps, viewer, planId);
    expect(p.orders).toMatchObject({ planned: 1, delivered: 1, cancelled: 1, late: 1 });
    const owed = (place: string, item: string) => p.remaining.find((r) => r.placeId === place && r.itemCode === item);
    expect(owed('P1', '1100401')).toEqual({
      placeId: 'P1',
      itemCode: '1100401',
      need: 120,
      delivered: 100,
      remaining: 20,
    });
    expect(owed('P1', '1100105')).toMatchObject({ need: 50, delivered: 50, remaining: 0 });
    expect(owed('P2', '1100401')).toMatchObject({ need: 30, delivered: 0, remaining: 30 });
    expect(owed('P2', '1100105')).toMatchObject({ need: 15, remaining: 15 });
  });

  it('a late order raises one alarm, once, and its delivery clears it', async () => {
    const b = order(w1, 'P2');
    expect(await orders.raiseLateAlarms(deps, new Date())).toBe(1);
    expect(await orders.raiseLateAlarms(deps, new Date())).toBe(0);
    const open = await t.platform.alerts.openAlertsOf('dispatch_order', b.id);
    expect(open).toHaveLength(1);
    const alert = await deps.db.kysely
      .selectFrom('alerts')
      .select(['title_zh', 'severity'])
      .where('id', '=', open[0]!)
      .executeTakeFirst();
    expect(alert).toMatchObject({ severity: 'III' });
    await orders.transitionOrder(deps, duty, b.id, { state: 'loaded', version: 0 });
    await orders.transitionOrder(deps, duty, b.id, { state: 'en_route', version: 1 });
    const late = await orders.transitionOrder(deps, duty, b.id, { state: 'delivered', version: 2, receivedBy: '赵五' });
    expect(late.late).toBe(true);
    expect(await t.platform.alerts.openAlertsOf('dispatch_order', b.id)).toHaveLength(0);
    expect(await orders.raiseLateAlarms(deps, new Date(Date.now() + 86_400_000))).toBe(0);
  });
});
