/**
 * The demo's warehouses and stock: Weihai's city reserve in Huancui, one reserve per district and development zone,
 * two town points, an agreement supermarket and a capacity factory, with stock by batch (some batches expiring within
 * weeks, so that the alarms and the rotation have something to show). Positions are approximate, names are marked
 * 演示 and the rows `demo`; the figures are invented. Loaded once: a second run finds the demo warehouses and stops.
 */
import type { WarehouseInput } from '../../../contracts/logistics.ts';
import { systemCtx } from '../../platform/core/context.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { dayAfter, receive } from './stock.service.ts';
import { demoLoaded } from './warehouses.repository.ts';
import { createWarehouse } from './warehouses.service.ts';

const at = (lng: number, lat: number) => ({ type: 'Point' as const, coordinates: [lng, lat] });

/** [item code, quantity, days to expiry or null] per batch */
type Stock = [string, number, number | null][];

interface DemoWarehouse {
  input: WarehouseInput;
  stock: Stock;
}

/** the stock of a district reserve, scaled */
function districtStock(k: number, soon = false): Stock {
  return [
    ['1100401', Math.round(1200 * k), soon ? 12 : 320],
    ['1100401', Math.round(800 * k), 480],
    ['1100105-FBM', Math.round(600 * k), soon ? 25 : 150],
    ['1100106', Math.round(300 * k), 900],
    ['1110203-MB', Math.round(1500 * k), null],
    ['1110202', Math.round(800 * k), null],
    ['1110101-MDY', Math.round(600 * k), null],
    ['1120100-12', Math.round(60 * k), null],
    ['1130501', Math.round(400 * k), null],
    ['2070201', Math.round(300 * k), null],
  ];
}

export function demoWarehouses(): DemoWarehouse[] {
  const gov = (
    name: string,
    tier: WarehouseInput['tier'],
    lng: number,
    lat: number,
    unitCode: string,
    capacityM3: number,
    stock: Stock,
    extra: Partial<WarehouseInput> = {},
  ): DemoWarehouse => ({
    input: {
      name,
      tier,
      reserveType: 'government',
      location: at(lng, lat),
      capacityM3,
      areaM2: Math.round(capacityM3 / 5),
      unitCode,
      manager: '值班保管员',
      phones: ['0631-5200000'],
      loadingMinutes: tier === 'city' ? 45 : 30,
      notes: '演示数据，位置和数量均为虚构',
      ...extra,
    },
    stock,
  });
  return [
    gov('威海市救灾物资储备库（演示）', 'city', 122.105, 37.49, 'yjj', 12_000, [
      ['1100401', 6000, 400],
      ['1100401', 3000, 20],
      ['1100105-FBM', 3000, 120],
      ['1100106', 2000, 700],
      ['1110203-MB', 8000, null],
      ['1110203-SD', 2000, null],
      ['1110202', 5000, null],
      ['1110101-MDY', 3000, null],
      ['1120100-12', 400, null],
      ['1120200-12', 150, null],
      ['1130501', 2000, null],
      ['2070201', 2000, null],
    ]),
    gov('环翠区救灾物资储备库（演示）', 'district', 122.03, 37.46, '371002', 3000, districtStock(1, true)),
    gov('文登区救灾物资储备库（演示）', 'district', 122.058, 37.2, '371003', 3000, districtStock(1)),
    gov('荣成市救灾物资储备库（演示）', 'district', 122.48, 37.16, '371082', 3500, districtStock(1.2)),
    gov('乳山市救灾物资储备库（演示）', 'district', 121.54, 36.92, '371083', 2500, districtStock(0.8, true)),
    gov('高区救灾物资储备点（演示）', 'district', 122.05, 37.52, 'gaoqu', 800, districtStock(0.3)),
    gov('经区救灾物资储备点（演示）', 'district', 122.1, 37.44, 'jingqu', 800, districtStock(0.3)),
    gov('临港区救灾物资储备点（演示）', 'district', 121.99, 37.33, 'lingang', 600, districtStock(0.25)),
    gov('南海新区救灾物资储备点（演示）', 'district', 121.99, 36.99, 'nanhai', 600, districtStock(0.25)),
    gov('石岛管理区物资储备点（演示）', 'town', 122.42, 36.89, '371082', 300, districtStock(0.1)),
    gov('乳山口镇物资储备点（演示）', 'town', 121.6, 36.9, '371083', 200, districtStock(0.08, true)),
    {
      input: {
        name: '某连锁超市协议储备（演示）',
        tier: 'district',
        reserveType: 'agreement',
        location: at(122.125, 37.505),
        unitCode: 'yjj',
        loadingMinutes: 30,
        agreement: {
          partner: '某连锁超市有限公司（演示）',
          contact: '门店值班经理',
          phone: '0631-5300000',
          leadTimeHours: 2,
          validUntil: null,
          items: [
            { itemCode: '1100401', quantity: 3000 },
            { itemCode: '1100105-FBM', quantity: 2000 },
            { itemCode: '1100106', quantity: 500 },
            { itemCode: '2070201', quantity: 500 },
          ],
        },
        notes: '演示数据：协议储备，调用后 2 小时内备货',
      },
      stock: [],
    },
    {
      input: {
        name: '某家纺企业产能储备（演示）',
        tier: 'city',
        reserveType: 'capacity',
        location: at(122.03, 37.18),
        unitCode: 'yjj',
        loadingMinutes: 60,
        agreement: {
          partner: '某家纺有限公司（演示）',
          contact: '生产调度',
          phone: '0631-8400000',
          leadTimeHours: 48,
          validUntil: null,
          items: [
            { itemCode: '1110203-MB', quantity: 5000 },
            { itemCode: '1110101-MDY', quantity: 2000 },
            { itemCode: '1110203-SD', quantity: 1500 },
          ],
        },
        notes: '演示数据：产能储备，调用后 48 小时内生产交付',
      },
      stock: [],
    },
  ];
}

export async function loadStockDemo(deps: LogisticsDeps): Promise<string> {
  if (await demoLoaded(deps.db.kysely)) return 'warehouses: demo already loaded';
  const ctx = systemCtx();
  const now = deps.clock.now();
  const day = (d: number) => dayAfter(now, d);
  let batches = 0;
  const list = demoWarehouses();
  for (const d of list) {
    // a unit the installation does not have is left to the warehouse's district rather than failing the demo
    const unitCode = d.input.unitCode && deps.units().has(d.input.unitCode) ? d.input.unitCode : 'yjj';
    const w = await createWarehouse(deps, ctx, { ...d.input, unitCode }, { demo: true });
    if (d.stock.length === 0) continue;
    await receive(deps, ctx, w.id, {
      note: '演示数据初始库存',
      items: d.stock.map(([itemCode, quantity, expires], i) => ({
        itemCode,
        quantity: Math.max(1, quantity),
        batch: `YS${String(i + 1).padStart(2, '0')}`,
        ...(expires === null ? {} : { expiresOn: day(expires) }),
      })),
    });
    batches += d.stock.length;
  }
  return `${list.length} warehouses, ${batches} batches (demo)`;
}
