// The supply catalogue and the warehouse register at the service level: the catalogue's search and refusals; the
// warehouse's district from its point, its scope (a district user sees only its district's and its unit's),
// agreements required and their commitments kept, stale versions refused, removal that deactivates a used one; the
// register's import (all or none) and export; the demo loaded once.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../contracts/imports.ts';
import type { WarehouseInput } from '../../../contracts/logistics.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { ctxAs } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { SEED_ITEMS } from './catalogue.seed.ts';
import * as cat from './catalogue.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import type { LogisticsInternal } from './module.ts';
import { loadStockDemo } from './stock.demo.ts';
import { exportWarehouses } from './stock.export.ts';
import * as stock from './stock.service.ts';
import { WAREHOUSE_COLUMNS, warehouseImport } from './warehouses.import.ts';
import * as svc from './warehouses.service.ts';

let t: TestPlatform;
let deps: LogisticsDeps;
let city: RequestCtx;
let huancui: RequestCtx;
let wendeng: RequestCtx;

const HUANCUI = [122.116, 37.507];
const WENDENG = [122.054, 37.196];

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<LogisticsInternal>('logistics').deps;
  city = await ctxAs(t.platform, 'department_staff', 'yjj', 'department');
  huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
});
afterAll(() => t.stop());

function input(name: string, over: Partial<WarehouseInput> = {}): WarehouseInput {
  return {
    name,
    tier: 'district',
    reserveType: 'government',
    location: { type: 'Point', coordinates: HUANCUI },
    ...over,
  };
}

describe('the catalogue', () => {
  it('has every standard code, the seeded items described with their assumed figures, and finds by pinyin', async () => {
    const all = await cat.listItems(deps, city, { limit: 1000 });
    expect(all.total).toBe(916 + SEED_ITEMS.filter((i) => i.code.includes('-')).length);
    const water = (await cat.listItems(deps, city, { q: 'yys' })).items.find((i) => i.code === '1100401');
    expect(water).toMatchObject({ described: true, unit: '箱', unitWeightKg: 13.8 });
    expect(water?.basis).toContain('ASSUMPTION');
    const byPrefix = await cat.listItems(deps, city, { q: '11201', limit: 100 });
    expect(byPrefix.items.map((i) => i.code)).toEqual(['1120100', '1120100-12']);
    expect((await cat.listItems(deps, city, { q: '帐篷', described: true })).items.map((i) => i.code)).toEqual([
      '1120100-12',
      '1120200-12',
    ]);
    const bare = await cat.getItem(deps, city, '1120300');
    expect(bare).toMatchObject({ described: false, unit: '件', name: '高原、高寒帐篷', local: false });
  });

  it('refuses a local code under no standard code, a local item without a name, and a district user', async () => {
    expect(
      await refusal(cat.putItem(deps, city, '9990000-A', { code: '9990000-A', unit: '件', name: 'x' })),
    ).toMatchObject({ code: 'VALIDATION', field: 'code' });
    expect(
      await refusal(cat.putItem(deps, city, '1999999-A', { code: '1999999-A', unit: '件', name: 'x' })),
    ).toMatchObject({ code: 'SUPPLY_LOCAL_BASE', field: 'code', status: 400 });
    expect(await refusal(cat.putItem(deps, city, '1999999', { code: '1999999', unit: '件' }))).toMatchObject({
      code: 'SUPPLY_UNKNOWN_CODE',
      field: 'code',
    });
    expect(await refusal(cat.putItem(deps, city, '1120100-36', { code: '1120100-36', unit: '顶' }))).toMatchObject({
      code: 'SUPPLY_NAME_REQUIRED',
      field: 'name',
    });
    expect(
      await refusal(cat.putItem(deps, huancui, '1120100-36', { code: '1120100-36', unit: '顶', name: '36 m² 单帐篷' })),
    ).toMatchObject({ code: 'OUT_OF_SCOPE' });
    const tent = await cat.putItem(deps, city, '1120100-36', {
      code: '1120100-36',
      unit: '顶',
      name: '36 m² 单帐篷',
      unitPriceYuan: 5200,
    });
    expect(tent).toMatchObject({ local: true, standardCode: '1120100', standardName: '单帐篷', version: 0 });
    await cat.putItem(deps, city, '1120100-36', { ...tentInput(), version: 0 });
    expect(await refusal(cat.putItem(deps, city, '1120100-36', { ...tentInput(), version: 0 }))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
  });
});

const tentInput = () => ({ code: '1120100-36', unit: '顶', name: '36 m² 单帐篷', unitPriceYuan: 5000 });

describe('warehouses', () => {
  it('takes the district from the point and keeps a district user to its district’s and its unit’s', async () => {
    const a = await svc.createWarehouse(deps, city, input('环翠测试库'));
    const b = await svc.createWarehouse(
      deps,
      city,
      input('文登测试库', { location: { type: 'Point', coordinates: WENDENG } }),
    );
    expect(a.district?.code).toBe('371002');
    expect(b.district?.code).toBe('371003');
    expect(a.code).toMatch(/^CK-\d{4}-\d{6}$/);
    const seen = (await svc.listWarehouses(deps, huancui, { limit: 500 })).items.map((w) => w.id);
    expect(seen).toContain(a.id);
    expect(seen).not.toContain(b.id);
    expect(await refusal(svc.getWarehouse(deps, huancui, b.id))).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    expect(await refusal(stock.listStock(deps, huancui, b.id, {}))).toMatchObject({ code: 'OUT_OF_SCOPE' });
    // Huancui cannot register a warehouse in Wendeng for another unit; its own unit's there is its own
    expect(
      await refusal(
        svc.createWarehouse(
          deps,
          huancui,
          input('越界库', { location: { type: 'Point', coordinates: WENDENG }, unitCode: 'yjj' }),
        ),
      ),
    ).toMatchObject({ code: 'OUT_OF_SCOPE', field: 'location' });
    const own = await svc.createWarehouse(
      deps,
      huancui,
      input('环翠驻文登库', { location: { type: 'Point', coordinates: WENDENG } }),
    );
    expect(own).toMatchObject({ unitCode: '371002', district: { code: '371003' } });
    expect((await svc.getWarehouse(deps, huancui, own.id)).id).toBe(own.id);
    // the ledger too: Wendeng's user does not see Huancui's movements
    await stock.receive(deps, city, a.id, { items: [{ itemCode: '1100401', quantity: 3 }] });
    expect((await stock.listMovements(deps, wendeng, { limit: 500 })).items.map((m) => m.warehouseId)).not.toContain(
      a.id,
    );
    expect((await stock.listMovements(deps, huancui, { warehouseId: a.id })).total).toBe(1);
  });

  it('needs an agreement for an agreement reserve, keeps called commitments, refuses a stale version', async () => {
    expect(
      await refusal(svc.createWarehouse(deps, city, input('协议库', { reserveType: 'agreement' })), 'en'),
    ).toMatchObject({
      code: 'WAREHOUSE_AGREEMENT_REQUIRED',
      field: 'agreement',
      message: expect.stringContaining('enterprise agreement'),
    });
    const agreement = {
      partner: '某超市',
      leadTimeHours: 3,
      items: [
        { itemCode: '1100401', quantity: 100 },
        { itemCode: '1100105-FBM', quantity: 50 },
      ],
    };
    expect(
      await refusal(
        svc.createWarehouse(
          deps,
          city,
          input('协议库', {
            reserveType: 'agreement',
            agreement: { ...agreement, items: [...agreement.items, { itemCode: '1100401-ZZ', quantity: 1 }] },
          }),
        ),
      ),
    ).toMatchObject({ code: 'SUPPLY_UNKNOWN_CODE', field: 'agreement.items.2.itemCode' });
    expect(await refusal(svc.createWarehouse(deps, city, input('政府库', { agreement })))).toMatchObject({
      code: 'WAREHOUSE_AGREEMENT_NOT_ALLOWED',
      field: 'agreement',
    });
    const w = await svc.createWarehouse(deps, city, input('协议库', { reserveType: 'agreement', agreement }));
    // in code order
    expect(w.agreement?.items).toEqual([agreement.items[1], agreement.items[0]]);
    await t.platform.db.transaction((trx) =>
      stock.issueInTx(trx, deps, city, w.id, [{ itemCode: '1100401', quantity: 60 }], {}),
    );
    expect(
      await refusal(
        svc.updateWarehouse(deps, city, w.id, {
          version: w.version,
          agreement: { ...agreement, items: [{ itemCode: '1100401', quantity: 50 }] },
        }),
      ),
    ).toMatchObject({ code: 'WAREHOUSE_COMMITMENT_CALLED', field: 'agreement.items.0.quantity', status: 409 });
    const up = await svc.updateWarehouse(deps, city, w.id, {
      version: w.version,
      agreement: { ...agreement, leadTimeHours: 6 },
    });
    expect(up).toMatchObject({ version: w.version + 1, agreement: { leadTimeHours: 6 } });
    expect(await refusal(svc.updateWarehouse(deps, city, w.id, { version: w.version, name: '改名' }))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
    const s = await stock.supplyFor(deps, { warehouseIds: [w.id], at: deps.clock.now() });
    expect(s.map((x) => [x.itemCode, x.quantity, x.leadTimeHours])).toEqual([
      ['1100105-FBM', 50, 6],
      ['1100401', 40, 6],
    ]);
  });

  it('deletes a warehouse never used, deactivates one with a ledger, and moves no stock through it then', async () => {
    const unused = await svc.createWarehouse(deps, city, input('空库'));
    expect(await svc.removeWarehouse(deps, city, unused.id, unused.version)).toEqual({
      id: unused.id,
      outcome: 'deleted',
    });
    const used = await svc.createWarehouse(deps, city, input('用过的库'));
    await stock.receive(deps, city, used.id, { items: [{ itemCode: '1110202', quantity: 5 }] });
    expect(await refusal(svc.removeWarehouse(deps, city, used.id, used.version + 7))).toMatchObject({
      code: 'VERSION_CONFLICT',
    });
    expect(await svc.removeWarehouse(deps, city, used.id, used.version)).toEqual({
      id: used.id,
      outcome: 'deactivated',
    });
    expect((await svc.getWarehouse(deps, city, used.id)).active).toBe(false);
    expect(
      await refusal(stock.issue(deps, city, used.id, { items: [{ itemCode: '1110202', quantity: 1 }] })),
    ).toMatchObject({ code: 'WAREHOUSE_INACTIVE', status: 409 });
    expect(await stock.supplyFor(deps, { warehouseIds: [used.id], at: deps.clock.now() })).toEqual([]);
  });
});

type Cell = string | number | null;
const row = (cells: Record<string, Cell>): Cell[] => WAREHOUSE_COLUMNS.map((c) => cells[c.key] ?? null);

async function xlsxOf(rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function run(data: Buffer, mode: 'dry-run' | 'commit', ctx = city): Promise<ImportReport> {
  const decl = warehouseImport(deps);
  const { done } = await startImport(t.platform, decl, ctx, { name: 'w.xlsx', data }, { mode, datum: 'wgs84' });
  const job = await done;
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  return job.result as ImportReport;
}

const countWarehouses = async () =>
  Number(
    (
      await t.platform.db.kysely
        .selectFrom('warehouses')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the register’s import and export', () => {
  const head = WAREHOUSE_COLUMNS.map((c) => c.zh);
  it('refuses a file with a bad row whole, naming the row and column, and imports a good one', async () => {
    const before = await countWarehouses();
    const good = row({
      name: '导入库一',
      tier: '区县级',
      reserveType: '政府实物储备',
      lon: WENDENG[0]!,
      lat: WENDENG[1]!,
      unitCode: '371003',
    });
    const agreementRow = row({
      name: '导入协议库',
      tier: 'district',
      reserveType: '企业协议储备',
      lon: HUANCUI[0]!,
      lat: HUANCUI[1]!,
      partner: '某超市',
      leadTimeHours: 2,
      validUntil: '2030-12-31',
      agreementItems: '1100401×300、1110203-MB×20',
    });
    const bad = row({
      name: '坏行',
      tier: 'district',
      reserveType: 'agreement',
      lon: HUANCUI[0]!,
      lat: HUANCUI[1]!,
      partner: '某厂',
      agreementItems: '1100401 三百',
    });
    const refused = await run(await xlsxOf([head, good, agreementRow, bad]), 'commit');
    expect(refused.imported).toBe(0);
    expect(refused.errors.map((e) => [e.row, e.column])).toEqual([[4, '承诺物资']]);
    expect(await countWarehouses()).toBe(before);

    const ok = await run(await xlsxOf([head, good, agreementRow]), 'commit');
    expect(ok).toMatchObject({ errorCount: 0, imported: 2 });
    const listed = (await svc.listWarehouses(deps, city, { q: '导入', limit: 10 })).items;
    const ag = listed.find((w) => w.name === '导入协议库');
    expect(ag?.agreement).toMatchObject({
      partner: '某超市',
      leadTimeHours: 2,
      validUntil: '2030-12-31',
      items: [
        { itemCode: '1100401', quantity: 300 },
        { itemCode: '1110203-MB', quantity: 20 },
      ],
    });
    expect(listed.find((w) => w.name === '导入库一')?.district?.code).toBe('371003');

    // the export imports again as it is (a dry run of it finds nothing wrong)
    const { file, rows } = await exportWarehouses(deps, city, { q: '导入' });
    expect(rows).toBe(2);
    const again = await run(file, 'dry-run');
    expect(again.errors).toEqual([]);
  });
});

describe('the demo', () => {
  it('loads Weihai’s warehouses with stock once: a second load adds nothing', async () => {
    await loadStockDemo(deps);
    const n = await countWarehouses();
    expect(await loadStockDemo(deps)).toContain('already');
    expect(await countWarehouses()).toBe(n);
    const demo = await t.platform.db.kysely
      .selectFrom('warehouses')
      .select(['name', 'district_code', 'reserve_type'])
      .where('demo', '=', true)
      .execute();
    expect(demo.length).toBeGreaterThanOrEqual(10);
    expect(demo.filter((w) => !w.district_code).map((w) => w.name)).toEqual([]);
    expect(new Set(demo.map((w) => w.district_code))).toEqual(new Set(['371002', '371003', '371082', '371083']));
    const soon = await stock.listStock(
      deps,
      city,
      (await svc.listWarehouses(deps, city, { q: '环翠区救灾' })).items[0]!.id,
      {
        expiringWithinDays: 30,
      },
    );
    expect(soon.items.length).toBeGreaterThan(0);
  });
});
