import { AppError } from '../../errors.ts';
import type { GeoApi } from '../../geo/index.ts';
import { UnitCache } from '../../platform/access/unit-cache.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import { loadDangersDemo } from './dangers.demo.ts';
import { DANGERS_ERRORS } from './dangers.errors.ts';
import { dangerImport } from './dangers.import.ts';
import * as repo from './dangers.repository.ts';
import { dangersRoutes } from './dangers.routes.ts';
import * as svc from './dangers.service.ts';
import type { DangersApi } from './index.ts';
import type { SafetyApi } from './safety-door.ts';

/** how often overdue dangers are looked for (each level raised once) */
export const OVERDUE_INTERVAL_MS = 5 * 60_000;

const READERS = [
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'field_responder',
  'enterprise_user',
  'auditor',
  'viewer',
] as const;
const SUPERVISORS = ['department_staff', 'district_staff', 'commander'] as const;

export type DangersInternal = DangersApi & {
  deps: svc.DangersDeps;
  units: UnitCache<svc.UnitInfo>;
  timer: NodeJS.Timeout | null;
};

/** Hidden dangers (隐患排查治理): the register, the treatment steps, overdue alarms, statistics; inspections (执法检查). */
export const dangersModule = defineModule<DangersInternal>({
  name: 'dangers',
  errors: DANGERS_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'dangers.read', zh: '查看隐患台账和执法检查', en: 'View hidden dangers and inspections', roles: READERS },
    {
      code: 'dangers.report',
      zh: '上报隐患（企业用户仅限本企业）',
      en: "Report hidden dangers (an enterprise user its own enterprise's)",
      roles: ['enterprise_user', 'field_responder', 'department_staff', 'district_staff', 'duty_officer', 'commander'],
    },
    {
      code: 'dangers.supervise',
      zh: '交办、复核、销号、撤销隐患，导入隐患台账',
      en: 'Assign, verify, close and cancel hidden dangers; import the register',
      roles: SUPERVISORS,
    },
    {
      code: 'dangers.rectify',
      zh: '整改隐患（所在企业或责任单位）',
      en: 'Rectify hidden dangers (their enterprise or responsible unit)',
      roles: ['enterprise_user', ...SUPERVISORS],
    },
    {
      code: 'dangers.settings',
      zh: '设置隐患逾期升级规则',
      en: 'Set the overdue escalation rule',
      roles: ['commander'],
    },
    { code: 'inspections.manage', zh: '登记执法检查', en: 'Record inspections', roles: SUPERVISORS },
  ],
  create(p) {
    const units = new UnitCache<svc.UnitInfo>(p.access, (u) => ({
      code: u.code,
      name: u.name,
      nameEn: u.nameEn,
      kind: u.kind,
    }));
    const deps: svc.DangersDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      alerts: p.alerts,
      files: () => p.files,
      units: () => units.map(),
      unitOf: (code) => units.find(code),
      workers: p.workers,
      districtAt: (lng, lat) => p.module<GeoApi>('geo').districtAt(lng, lat),
      safety() {
        try {
          return p.module<SafetyApi>('safety');
        } catch {
          return null;
        }
      },
      async userName(id) {
        try {
          return (await p.access.getUser(systemCtx(), id)).displayName;
        } catch (err) {
          if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
          throw err;
        }
      },
    };
    p.alerts.onAcknowledge('hidden_danger', async (trx, alert) => {
      const r = await repo.findDanger(trx, alert.sourceId);
      if (!r) return;
      await repo.insertStep(trx, {
        id: p.ids.next(),
        danger_id: r.id,
        action: 'alarm_ack',
        from_status: r.status,
        to_status: r.status,
        by_user: alert.acknowledged.userId,
        by_name: alert.acknowledged.userName,
        at: new Date(alert.acknowledged.at),
        note: `${alert.acknowledged.unitName}`,
      });
    });
    return { deps, units, timer: null, listDangers: (ctx, q) => svc.listDangers(deps, ctx, q) };
  },
  async seed(api) {
    await api.units.load();
    return undefined;
  },
  demo: (api) => loadDangersDemo(api.deps),
  async start(api, p) {
    await api.units.load(); // with the units the demo added
    if (!p.config.timers) return undefined;
    api.timer = setInterval(() => {
      svc.checkOverdue(api.deps).catch((err) => p.log.error('dangers: overdue check failed', err));
    }, OVERDUE_INTERVAL_MS);
    api.timer.unref();
    return undefined;
  },
  async stop(api) {
    if (api.timer) clearInterval(api.timer);
    api.timer = null;
  },
  routes: {
    prefixes: ['/api/v1/hidden-dangers', '/api/v1/inspections'],
    async register(app, api, p) {
      dangersRoutes(app, api.deps);
      await importRoutes(app, p, '/api/v1/hidden-dangers', dangerImport(api.deps));
    },
  },
  entities: (api) => ({
    hidden_danger: async (_ctx, id) => {
      const r = await repo.findDanger(api.deps.db.kysely, id);
      return r ? svc.dangerRef(r) : undefined;
    },
    hidden_danger_evidence: async (_ctx, id) => {
      const r = await repo.findDanger(api.deps.db.kysely, id);
      return r ? svc.evidenceRef(r) : undefined;
    },
    inspection: async (_ctx, id) => {
      const r = await repo.findInspection(api.deps.db.kysely, id);
      return r ? { permission: 'dangers.read', district: r.district_code, unit: r.owner_unit } : undefined;
    },
  }),
});
