// Stock by batch and its ledger, at the service level: receipts, issues earliest expiry first (expired batches never),
// a short line refusing the whole document, parallel issues that never oversell (run on PostgreSQL too), transfers
// keeping batches and totals, stocktakes, agreements' calls, what the other parts read (supplyFor, holdings,
// itemInfo, issueInTx), and the expiry alarm raised once per batch and threshold.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../contracts/imports.ts';
import type { WarehouseInput } from '../../../contracts/logistics.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { ctxAs } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import type { LogisticsInternal } from './module.ts';
import { RECEIPT_COLUMNS, receiptImport } from './stock.import.ts';
import * as stock from './stock.service.ts';
import { dayAfter } from './stock.service.ts';
import { createWarehouse } from './warehouses.service.ts';

let t: TestPlatform;
let deps: LogisticsDeps;
let keeper: RequestCtx;
let huancui: RequestCtx;

const WATER = '1100401';
const NOODLES = '1100105';
const QUILT = '1110203';
const TENT = '1120100';

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<LogisticsInternal>('logistics').deps;
  keeper = await ctxAs(t.platform, 'department_staff', 'yjj', 'department');
  huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
});
afterAll(() => t.stop());

function warehouse(name: string, over: Partial<WarehouseInput> = {}): WarehouseInput {
  return {
    name,
    tier: 'city',
    reserveType: 'government',
    location: { type: 'Point', coordinates: [122.116, 37.507] },
    capacityM3: 1000,
    ...over,
  };
}

const today = () => dayAfter(deps.clock.now(), 0);
const inDays = (n: number) => dayAfter(deps.clock.now(), n);

async function ledger(warehouseId: string, itemCode: string) {
  return t.platform.db.kysely
    .selectFrom('stock_movements')
    .select(['kind', 'batch', 'quantity', 'balance', 'seq'])
    .where('warehouse_id', '=', warehouseId)
    .where('item_code', '=', itemCode)
    .orderBy('seq')
    .execute();
}

async function onHand(warehouseId: string, itemCode: string) {
  const r = await sql<{ n: number | null }>`select sum(quantity)::int8 as n from stock_batches
    where warehouse_id = ${warehouseId} and item_code = ${itemCode}`.execute(t.platform.db.kysely);
  return Number(r.rows[0]?.n ?? 0);
}

/** each movement's balance is the previous balance plus its quantity, and the last is what the shelves hold */
async function expectLedgerAddsUp(warehouseId: string, itemCode: string) {
  const rows = await ledger(warehouseId, itemCode);
  let balance = 0;
  for (const r of rows) {
    balance += Number(r.quantity);
    expect(Number(r.balance)).toBe(balance);
  }
  expect(balance).toBe(await onHand(warehouseId, itemCode));
}

describe('receipts and issues', () => {
  it('issues the earliest expiry first, never an expired batch, and names the short line refusing the whole', async () => {
    const w = await createWarehouse(deps, keeper, warehouse('市级救灾物资储备库（测试一）'));
    const r = await stock.receive(deps, keeper, w.id, {
      items: [
        { itemCode: WATER, quantity: 50, batch: 'W-LATE', expiresOn: inDays(300) },
        { itemCode: WATER, quantity: 30, batch: 'W-SOON', expiresOn: inDays(20) },
        { itemCode: QUILT, quantity: 40, batch: 'Q-1' },
      ],
    });
    expect(r.docNo).toMatch(/^WZ-\d{4}-\d{6}$/);
    expect(r.movements.map((m) => m.balance)).toEqual([50, 80, 40]);
    // a batch received a month ago that is now past its expiry
    const clock = deps.clock as { now: () => Date };
    const real = clock.now;
    const expired = inDays(-3);
    clock.now = () => new Date(real().getTime() - 30 * 86_400_000);
    try {
      await stock.receive(deps, keeper, w.id, {
        items: [{ itemCode: WATER, quantity: 10, batch: 'W-OLD', expiresOn: expired }],
      });
    } finally {
      clock.now = real;
    }

    const out = await stock.issue(deps, keeper, w.id, {
      recipient: '环翠区安置点',
      items: [{ itemCode: WATER, quantity: 40 }],
    });
    expect(out.movements.map((m) => [m.batch, m.quantity])).toEqual([
      ['W-SOON', -30],
      ['W-LATE', -10],
    ]);
    expect(out.movements.every((m) => m.counterpart === '环翠区安置点' && m.operator.name === keeper.actor.name)).toBe(
      true,
    );

    const lines = (await stock.listStock(deps, keeper, w.id, {})).items;
    const water = lines.find((l) => l.itemCode === WATER)!;
    expect(water).toMatchObject({ quantity: 50, expired: 10 });
    expect(water.batches.map((b) => [b.batch, b.quantity, b.expired])).toEqual([
      ['W-OLD', 10, true],
      ['W-LATE', 40, false],
    ]);

    // 41 asked, 40 usable: the whole document is refused, the quilts in it untouched, nothing in the ledger
    const before = await ledger(w.id, QUILT);
    const no = await refusal(
      stock.issue(deps, keeper, w.id, {
        items: [
          { itemCode: QUILT, quantity: 5 },
          { itemCode: WATER, quantity: 41 },
        ],
      }),
      'zh',
    );
    expect(no).toMatchObject({ code: 'STOCK_SHORT', status: 409, field: 'items.1.quantity' });
    expect(no.message).toContain('可用 40');
    expect(no.message).toContain('已过期 10');
    expect(await onHand(w.id, QUILT)).toBe(40);
    expect(await ledger(w.id, QUILT)).toEqual(before);
    await expectLedgerAddsUp(w.id, WATER);

    // supplied to plans: what is not expired
    const s = await stock.supplyFor(deps, { warehouseIds: [w.id], at: deps.clock.now() });
    expect(s.map((x) => [x.itemCode, x.quantity])).toEqual([
      [WATER, 40],
      [QUILT, 40],
    ]);
    expect(s[0]).toMatchObject({ leadTimeHours: 0, reserveType: 'government', districtCode: '371002' });
  });

  it('refuses an unknown item, an expired receipt and a local code under no standard code, naming the line', async () => {
    const w = await createWarehouse(
      deps,
      keeper,
      warehouse('市级储备库（测试二）', { location: { type: 'Point', coordinates: [122.054, 37.196] } }),
    );
    expect(
      await refusal(stock.receive(deps, keeper, w.id, { items: [{ itemCode: '1100401-X9', quantity: 1 }] })),
    ).toMatchObject({ code: 'SUPPLY_UNKNOWN_CODE', field: 'items.0.itemCode' });
    expect(
      await refusal(stock.receive(deps, keeper, w.id, { items: [{ itemCode: '3999999', quantity: 1 }] })),
    ).toMatchObject({ code: 'SUPPLY_UNKNOWN_CODE', field: 'items.0.itemCode' });
    expect(
      await refusal(
        stock.receive(deps, keeper, w.id, {
          items: [
            { itemCode: WATER, quantity: 1 },
            { itemCode: WATER, quantity: 1, expiresOn: inDays(-1) },
          ],
        }),
      ),
    ).toMatchObject({ code: 'STOCK_RECEIPT_EXPIRED', field: 'items.1.expiresOn' });
    expect(await refusal(stock.issue(deps, keeper, w.id, { items: [{ itemCode: WATER, quantity: 0 }] }))).toMatchObject(
      { code: 'VALIDATION', field: 'items.0.quantity' },
    );
    // a district's staff moves no stock of the city's warehouse
    expect(
      await refusal(stock.receive(deps, huancui, w.id, { items: [{ itemCode: WATER, quantity: 1 }] })),
    ).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });
});

describe('parallel issues', () => {
  it('never oversell: of 20 issues of 10 against 105, exactly 10 go through and the rest are refused whole', async () => {
    const w = await createWarehouse(deps, keeper, warehouse('市级储备库（并发）'));
    await stock.receive(deps, keeper, w.id, {
      items: [
        { itemCode: TENT, quantity: 40, batch: 'T-A', expiresOn: inDays(100) },
        { itemCode: TENT, quantity: 35, batch: 'T-B', expiresOn: inDays(200) },
        { itemCode: TENT, quantity: 30, batch: 'T-C' },
      ],
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => stock.issue(deps, keeper, w.id, { items: [{ itemCode: TENT, quantity: 10 }] })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'STOCK_SHORT' });
    expect(await onHand(w.id, TENT)).toBe(5);
    const batches = await t.platform.db.kysely
      .selectFrom('stock_batches')
      .select(['batch', 'quantity'])
      .where('warehouse_id', '=', w.id)
      .orderBy('batch')
      .execute();
    expect(batches.map((b) => [b.batch, Number(b.quantity)])).toEqual([
      ['T-A', 0],
      ['T-B', 0],
      ['T-C', 5],
    ]);
    await expectLedgerAddsUp(w.id, TENT);
  });
});

describe('transfers, adjustments, stocktakes', () => {
  it('moves batches with their expiry into the other warehouse in one document, the totals kept', async () => {
    const a = await createWarehouse(deps, keeper, warehouse('市级储备库（调出）'));
    const b = await createWarehouse(
      deps,
      keeper,
      warehouse('文登区储备库（调入）', {
        tier: 'district',
        location: { type: 'Point', coordinates: [122.054, 37.196] },
      }),
    );
    expect(b.district?.code).toBe('371003');
    await stock.receive(deps, keeper, a.id, {
      items: [
        { itemCode: NOODLES, quantity: 20, batch: 'N-1', expiresOn: inDays(40), producedOn: inDays(-100) },
        { itemCode: NOODLES, quantity: 20, batch: 'N-2', expiresOn: inDays(90) },
      ],
    });
    const doc = await stock.transfer(deps, keeper, a.id, {
      toWarehouseId: b.id,
      items: [{ itemCode: NOODLES, quantity: 25 }],
    });
    expect(doc.movements.map((m) => [m.kind, m.warehouseId === a.id ? 'a' : 'b', m.batch, m.quantity])).toEqual([
      ['transfer_out', 'a', 'N-1', -20],
      ['transfer_out', 'a', 'N-2', -5],
      ['transfer_in', 'b', 'N-1', 20],
      ['transfer_in', 'b', 'N-2', 5],
    ]);
    expect(new Set(doc.movements.map((m) => m.docNo)).size).toBe(1);
    expect((await onHand(a.id, NOODLES)) + (await onHand(b.id, NOODLES))).toBe(40);
    const there = (await stock.listStock(deps, keeper, b.id, {})).items[0]!;
    expect(there.batches.map((x) => [x.batch, x.expiresOn, x.producedOn])).toEqual([
      ['N-1', inDays(40), inDays(-100)],
      ['N-2', inDays(90), null],
    ]);
    await expectLedgerAddsUp(a.id, NOODLES);
    await expectLedgerAddsUp(b.id, NOODLES);
    expect(
      await refusal(
        stock.transfer(deps, keeper, a.id, { toWarehouseId: a.id, items: [{ itemCode: NOODLES, quantity: 1 }] }),
      ),
    ).toMatchObject({ code: 'STOCK_SAME_WAREHOUSE', field: 'toWarehouseId' });
  });

  it('reports a stocktake’s differences without writing, applies them as one adjustment, writes off a batch', async () => {
    const w = await createWarehouse(deps, keeper, warehouse('市级储备库（盘点）'));
    await stock.receive(deps, keeper, w.id, {
      items: [
        { itemCode: QUILT, quantity: 100, batch: 'Q-A' },
        { itemCode: QUILT, quantity: 50, batch: 'Q-B' },
      ],
    });
    const dry = await stock.stocktake(deps, keeper, w.id, {
      items: [
        { itemCode: QUILT, batch: 'Q-A', counted: 97 },
        { itemCode: QUILT, batch: 'Q-B', counted: 50 },
      ],
    });
    expect(dry).toMatchObject({ applied: false, docNo: null });
    expect(dry.differences.map((d) => [d.batch, d.book, d.counted, d.difference])).toEqual([
      ['Q-A', 100, 97, -3],
      ['Q-B', 50, 50, 0],
    ]);
    expect(await onHand(w.id, QUILT)).toBe(150);
    const done = await stock.stocktake(deps, keeper, w.id, {
      apply: true,
      items: [{ itemCode: QUILT, batch: 'Q-A', counted: 97 }],
    });
    expect(done.applied).toBe(true);
    expect(await onHand(w.id, QUILT)).toBe(147);
    const off = await stock.adjust(deps, keeper, w.id, {
      kind: 'writeoff',
      reason: '受潮霉变',
      items: [{ itemCode: QUILT, batch: 'Q-B', quantity: 5 }],
    });
    expect(off.movements.map((m) => [m.kind, m.quantity, m.balance, m.note])).toEqual([
      ['writeoff', -5, 142, '受潮霉变'],
    ]);
    expect(
      await refusal(stock.stocktake(deps, keeper, w.id, { items: [{ itemCode: QUILT, batch: 'Q-X', counted: 1 }] })),
    ).toMatchObject({ code: 'STOCK_UNKNOWN_BATCH', field: 'items.0.batch' });
    expect(
      await refusal(
        stock.adjust(deps, keeper, w.id, {
          kind: 'writeoff',
          reason: '损坏',
          items: [{ itemCode: QUILT, batch: 'Q-B', quantity: 46 }],
        }),
      ),
    ).toMatchObject({ code: 'STOCK_SHORT', field: 'items.0.quantity' });
    await expectLedgerAddsUp(w.id, QUILT);
  });
});

describe('agreements and what the other parts read', () => {
  it('calls an agreement’s commitment, supplies what is left with the lead time, and sums holdings', async () => {
    const market = await createWarehouse(
      deps,
      keeper,
      warehouse('某超市协议储备（测试）', {
        tier: 'district',
        reserveType: 'agreement',
        location: { type: 'Point', coordinates: [122.054, 37.196] },
        agreement: { partner: '某超市', leadTimeHours: 4, items: [{ itemCode: WATER, quantity: 500 }] },
      }),
    );
    const doc = await t.platform.db.transaction((trx) =>
      stock.issueInTx(trx, deps, keeper, market.id, [{ itemCode: WATER, quantity: 120 }], { counterpart: 'DY-TEST' }),
    );
    expect(doc.movements.map((m) => [m.kind, m.batch, m.quantity, m.balance, m.counterpart])).toEqual([
      ['call', null, -120, 380, 'DY-TEST'],
    ]);
    const s = await stock.supplyFor(deps, { warehouseIds: [market.id], itemCodes: [WATER], at: deps.clock.now() });
    expect(s).toEqual([
      expect.objectContaining({ itemCode: WATER, quantity: 380, leadTimeHours: 4, reserveType: 'agreement' }),
    ]);
    expect(
      await refusal(
        t.platform.db.transaction((trx) =>
          stock.issueInTx(trx, deps, keeper, market.id, [{ itemCode: TENT, quantity: 1 }], {}),
        ),
      ),
    ).toMatchObject({ code: 'STOCK_SHORT', field: 'items.0.quantity' });
    expect(
      await refusal(stock.receive(deps, keeper, market.id, { items: [{ itemCode: WATER, quantity: 1 }] })),
    ).toMatchObject({ code: 'WAREHOUSE_NO_STOCK_KEPT' });

    const h = await stock.holdings(deps, deps.clock.now());
    const wendeng = h.find((x) => x.districtCode === '371003' && x.tier === 'district' && x.itemCode === WATER);
    expect(wendeng).toMatchObject({ committed: 380 });
    const info = await stock.itemInfo(deps, [WATER, '1100401-NOPE', '1130501']);
    expect(info.get('1130501')).toMatchObject({ name: '折叠床' });
    expect(info.has('1100401-NOPE')).toBe(false);
  });
});

describe('expiry alarms', () => {
  it('raises one alarm per batch and threshold, however often the check runs', async () => {
    const w = await createWarehouse(deps, keeper, warehouse('市级储备库（临期）'));
    await stock.receive(deps, keeper, w.id, {
      items: [
        { itemCode: WATER, quantity: 5, batch: 'E-SOON', expiresOn: inDays(10) },
        { itemCode: WATER, quantity: 5, batch: 'E-LATER', expiresOn: inDays(200) },
      ],
    });
    const alarms = async () =>
      (
        await t.platform.db.kysely
          .selectFrom('alerts')
          .select(['source_id', 'severity'])
          .where('source', '=', 'stock_batch')
          .where('source_id', 'like', `${w.id}/%`)
          .orderBy('raised_at')
          .execute()
      ).map((a) => `${a.source_id.split('/')[2]} ${a.severity}`);
    await stock.checkExpiry(deps);
    await stock.checkExpiry(deps);
    expect(await alarms()).toEqual(['E-SOON IV']);
    // eleven days on, the batch has expired: its second alarm, once
    const later = new Date(deps.clock.now().getTime() + 11 * 86_400_000);
    await stock.checkExpiry(deps, later);
    await stock.checkExpiry(deps, later);
    expect(await alarms()).toEqual(['E-SOON IV', 'E-SOON III']);
    expect(today()).toBe(dayAfter(deps.clock.now(), 0));
  });
});

describe('receipts from a spreadsheet', () => {
  it('writes nothing when a row is wrong, and one document for the rows without a number', async () => {
    const w = await createWarehouse(deps, keeper, warehouse('市级储备库（导入）'));
    const other = await createWarehouse(
      deps,
      keeper,
      warehouse('文登储备库（导入）', { location: { type: 'Point', coordinates: [122.054, 37.196] } }),
    );
    const file = async (rows: (string | number | null)[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Sheet1');
      ws.addRow(RECEIPT_COLUMNS.map((c) => c.zh));
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const line = (code: string, item: string, qty: number, expires: string | null) =>
      RECEIPT_COLUMNS.map((c) =>
        c.key === 'warehouse'
          ? code
          : c.key === 'itemCode'
            ? item
            : c.key === 'quantity'
              ? qty
              : c.key === 'expiresOn'
                ? expires
                : null,
      );
    const run = async (data: Buffer, ctx: RequestCtx) => {
      const { done } = await startImport(
        t.platform,
        receiptImport(deps),
        ctx,
        { name: 'r.xlsx', data },
        { mode: 'commit', datum: 'wgs84' },
      );
      const job = await done;
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      return job.result as ImportReport;
    };
    const bad = await run(
      await file([
        line(w.code, WATER, 10, inDays(100)),
        line(other.code, WATER, 5, null),
        line(w.code, '1100401-QQ', 1, null),
      ]),
      huancui,
    );
    expect(bad.imported).toBe(0);
    expect(bad.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'OUT_OF_SCOPE'],
      [4, 'SUPPLY_UNKNOWN_CODE'],
    ]);
    expect(await onHand(w.id, WATER)).toBe(0);

    const ok = await run(await file([line(w.code, WATER, 10, inDays(100)), line(w.code, QUILT, 4, null)]), huancui);
    expect(ok.imported).toBe(2);
    const numbers = await t.platform.db.kysely
      .selectFrom('stock_movements')
      .select('doc_no')
      .where('warehouse_id', '=', w.id)
      .distinct()
      .execute();
    expect(numbers).toHaveLength(1);
    expect(await onHand(w.id, WATER)).toBe(10);
  });
});
