import { UnitCache } from '../../platform/access/unit-cache.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import type { CommandApi } from '../command/index.ts';
import type { EnterpriseRef, SafetyApi } from '../safety/index.ts';
import { loadDrillsDemo } from './drills.demo.ts';
import { DRILLS_ERRORS } from './drills.errors.ts';
import * as repo from './drills.repository.ts';
import { drillsRoutes } from './drills.routes.ts';
import * as svc from './drills.service.ts';
import type { DrillsApi } from './index.ts';
import { participantImport } from './participants.import.ts';

const READERS = [
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'enterprise_user',
  'auditor',
  'viewer',
] as const;

/** how often overdue improvement actions are looked for (each is alarmed once) */
export const ACTION_CHECK_INTERVAL_MS = 15 * 60_000;

export type DrillsInternal = DrillsApi & {
  deps: svc.DrillsDeps;
  units: UnitCache<svc.UnitInfo>;
  timer: NodeJS.Timeout | null;
};

/** Emergency drills (应急演练): annual plans, records, improvement actions, compliance with the drill-frequency rules. */
export const drillsModule = defineModule<DrillsInternal>({
  name: 'drills',
  errors: DRILLS_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'drills.read', zh: '查看应急演练和演练合规情况', en: 'View drills and drill compliance', roles: READERS },
    {
      code: 'drills.manage',
      zh: '登记演练计划和演练记录、跟踪整改',
      en: 'Record drill plans and drills, follow up improvements',
      roles: ['commander', 'department_staff', 'district_staff', 'enterprise_user'],
    },
    {
      code: 'drills.settings',
      zh: '设置演练频次规则',
      en: 'Set the drill-frequency rules',
      roles: ['commander'],
    },
  ],
  create(p) {
    const units = new UnitCache<svc.UnitInfo>(p.access, (u) => ({
      code: u.code,
      name: u.name,
      nameEn: u.nameEn,
      kind: u.kind,
      parentCode: u.parentCode,
    }));
    const safety = () => p.module<SafetyApi>('safety');
    const info = (e: EnterpriseRef): svc.EnterpriseInfo => ({
      id: e.id,
      name: e.name,
      districtCode: e.districtCode,
      unitCode: e.unitCode,
      highRisk: e.highRiskCategory !== null,
      crowdedVenue: e.crowdedVenue,
      since: e.registeredOn,
      active: e.active,
    });
    const deps: svc.DrillsDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      alerts: p.alerts,
      units: () => units.map(),
      unitOf: (code) => units.find(code),
      enterprises: {
        get: async (ctx, id) => info(await safety().getEnterprise(ctx, id)),
        list: async () => (await safety().listEnterpriseRefs()).map(info),
      },
      command: () => p.module<CommandApi>('command'),
      workers: p.workers,
    };
    return {
      units,
      deps,
      timer: null,
      recordDrill: async (ctx, input) => ({ id: (await svc.createDrill(deps, ctx, input)).id }),
    };
  },
  async seed(api) {
    await api.units.load();
    return undefined;
  },
  demo: (api) => loadDrillsDemo(api.deps),
  async start(api, p) {
    await api.units.load(); // with the units the demo added
    if (!p.config.timers) return undefined;
    api.timer = setInterval(() => {
      svc.alarmOverdueActions(api.deps).catch((err) => p.log.error('drills: overdue action check failed', err));
    }, ACTION_CHECK_INTERVAL_MS);
    api.timer.unref();
    return undefined;
  },
  async stop(api) {
    if (api.timer) clearInterval(api.timer);
    api.timer = null;
  },
  routes: {
    prefixes: ['/api/v1/drills', '/api/v1/drill-plans'],
    async register(app, api, p) {
      drillsRoutes(app, api.deps);
      await importRoutes(app, p, '/api/v1/drills/participants', participantImport(api.deps));
    },
  },
  entities: (api) => ({
    drill: async (_ctx, id) => {
      const r = await repo.findDrill(api.deps.db.kysely, id);
      return r ? { ...svc.drillVisibility(r), attach: 'drills.manage' } : undefined;
    },
  }),
});
