import type { GeoApi } from '../../geo/index.ts';
import { defineModule } from '../../platform/module.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { STOCK_ERRORS } from './stock.errors.ts';

const READERS = ['commander', 'duty_officer', 'department_staff', 'district_staff', 'auditor', 'viewer'] as const;
const STAFF = ['commander', 'duty_officer', 'department_staff', 'district_staff'] as const;

export interface LogisticsInternal {
  deps: LogisticsDeps;
}

/**
 * Supplies and relief logistics (物资保障): the catalogue, warehouses and stock by batch (the ledger), norms and gaps
 * with the procurement proposal, relief plans (min-cost flow per item against the deadline) and dispatch orders.
 */
export const logisticsModule = defineModule<LogisticsInternal>({
  name: 'logistics',
  errors: { ...STOCK_ERRORS },
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
    return { deps };
  },
  async seed(api, p) {
    const units = api.deps.units();
    for (const u of await p.access.listUnits())
      units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind });
    return undefined;
  },
  routes: {
    prefixes: ['/api/v1/supply-items', '/api/v1/warehouses', '/api/v1/logistics'],
    async register() {},
  },
});
