import { RESERVE_TYPE_INFO, RESERVE_TYPES } from '../../../contracts/logistics.ts';
import type { GeoApi } from '../../geo/index.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import { catalogueRoutes } from './catalogue.routes.ts';
import { seedCatalogue } from './catalogue.seed.ts';
import { DISPATCH_ERRORS } from './dispatch.errors.ts';
import { dispatchRoutes } from './dispatch.routes.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { LATE_CHECK_INTERVAL_MS, orderEntity, raiseLateAlarms } from './orders.service.ts';
import { PLAN_ERRORS } from './plans.errors.ts';
import { plansRoutes } from './plans.routes.ts';
import { loadStockDemo } from './stock.demo.ts';
import { STOCK_ERRORS } from './stock.errors.ts';
import { receiptImport } from './stock.import.ts';
import { stockRoutes } from './stock.routes.ts';
import { checkExpiry } from './stock.service.ts';
import { warehouseImport } from './warehouses.import.ts';
import { findWarehouse } from './warehouses.repository.ts';
import { warehouseRoutes } from './warehouses.routes.ts';
import { warehouseVisibility } from './warehouses.service.ts';

/** part A: how often batches are checked for their expiry alarms */
const EXPIRY_CHECK_MS = 3_600_000;
/** part A: the warehouses layer's colours by reserve type */
const RESERVE_COLORS: Record<string, string> = {
  government: '#1677ff',
  agreement: '#52c41a',
  capacity: '#fa8c16',
  social: '#722ed1',
};

const READERS = ['commander', 'duty_officer', 'department_staff', 'district_staff', 'auditor', 'viewer'] as const;
const STAFF = ['commander', 'duty_officer', 'department_staff', 'district_staff'] as const;

export interface LogisticsInternal {
  deps: LogisticsDeps;
  /** the module's intervals (part A: the expiry check; part C: the minute check of late orders), cleared at stop */
  timers: NodeJS.Timeout[];
}

/**
 * Supplies and relief logistics (物资保障): the catalogue, warehouses and stock by batch (the ledger), norms and gaps
 * with the procurement proposal, relief plans (min-cost flow per item against the deadline) and dispatch orders.
 */
export const logisticsModule = defineModule<LogisticsInternal>({
  name: 'logistics',
  errors: { ...STOCK_ERRORS, ...PLAN_ERRORS, ...DISPATCH_ERRORS },
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'supplies.read',
      zh: '查看物资目录、仓库和库存',
      en: 'View supplies, warehouses and stock',
      roles: READERS,
    },
    {
      code: 'supplies.manage',
      zh: '维护物资目录、仓库和储备定额',
      en: 'Maintain the supply catalogue, warehouses and norms',
      roles: ['commander', 'department_staff', 'district_staff'],
    },
    {
      code: 'stock.move',
      zh: '办理入库、出库、调拨、盘点和核销',
      en: 'Receive, issue, transfer, count and write off stock',
      roles: ['department_staff', 'district_staff'],
    },
    { code: 'logistics.plan', zh: '编制救灾物资调运方案', en: 'Make relief plans', roles: STAFF },
    {
      code: 'logistics.dispatch',
      zh: '下达和跟踪物资调运单',
      en: 'Issue and track dispatch orders',
      roles: STAFF,
    },
  ],
  create(p) {
    const units = new Map<string, { code: string; name: string; nameEn: string; kind: string }>();
    const deps: LogisticsDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      platform: p,
      units: () => units,
      districtName: (code, lang = 'zh') => {
        const u = units.get(code);
        return u ? (lang === 'en' ? u.nameEn : u.name) : code;
      },
      geo: () => p.module<GeoApi>('geo'),
      workers: p.workers,
    };
    return { deps, timers: [] };
  },
  async seed(api, p) {
    const units = api.deps.units();
    for (const u of await p.access.listUnits())
      units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind });
    return seedCatalogue(api.deps);
  },
  demo: (api) => loadStockDemo(api.deps),
  async start(api, p) {
    const check = () =>
      void checkExpiry(api.deps).catch((err) => p.log.error('logistics: stock expiry check failed', err));
    const first = setTimeout(check, 60_000);
    first.unref();
    const t = setInterval(check, EXPIRY_CHECK_MS);
    t.unref();
    api.timers.push(first, t);
    const late = setInterval(() => {
      raiseLateAlarms(api.deps).catch((err) => p.log.error('logistics: late dispatch order check failed', err));
    }, LATE_CHECK_INTERVAL_MS);
    late.unref();
    api.timers.push(late);
    return undefined;
  },
  async stop(api) {
    for (const t of api.timers) clearTimeout(t);
    api.timers.length = 0;
  },
  routes: {
    prefixes: ['/api/v1/supply-items', '/api/v1/warehouses', '/api/v1/logistics'],
    async register(app, api, p) {
      catalogueRoutes(app, api.deps);
      warehouseRoutes(app, api.deps);
      stockRoutes(app, api.deps);
      await importRoutes(app, p, '/api/v1/warehouses', warehouseImport(api.deps));
      await importRoutes(app, p, '/api/v1/warehouses/receipts', receiptImport(api.deps));
      plansRoutes(app, api.deps);
      dispatchRoutes(app, api.deps);
    },
  },
  // the web draws the warehouses itself from the list (colour by reserve type)
  map: () => ({
    layers: [
      {
        layer: {
          id: 'warehouses',
          name: '物资储备库',
          nameEn: 'Supply warehouses',
          group: 'logistics',
          source: { kind: 'geojson', url: '/api/v1/warehouses?active=true&limit=500' },
          geometry: 'point',
          defaultOn: false,
          legend: RESERVE_TYPES.map((t) => ({
            label: RESERVE_TYPE_INFO[t].zh,
            labelEn: RESERVE_TYPE_INFO[t].en,
            color: RESERVE_COLORS[t] ?? '#888888',
          })),
        },
        permission: 'supplies.read',
        order: 55,
      },
    ],
  }),
  entities: (api) => ({
    dispatch_order: orderEntity(api.deps),
    warehouse: async (_ctx, id) => {
      const r = await findWarehouse(api.deps.db.kysely, id);
      return r ? warehouseVisibility(r) : undefined;
    },
  }),
});
