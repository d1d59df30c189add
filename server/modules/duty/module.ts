import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import { loadDutyDemo } from './duty.demo.ts';
import { DUTY_ERRORS } from './duty.errors.ts';
import { contactImport, shiftImport } from './duty.import.ts';
import * as repo from './duty.repository.ts';
import { dutyRoutes } from './duty.routes.ts';
import * as svc from './duty.service.ts';
import type { DutyApi } from './index.ts';

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

/** how often the roster's gaps of the next 72 hours are checked */
const GAP_CHECK_MS = 15 * 60_000;

export type DutyInternal = DutyApi & { deps: svc.DutyDeps; timer?: NodeJS.Timeout };

/** Duty (值班值守): rosters, gaps, handovers, the contact book; who is on shift for escalation. */
export const dutyModule = defineModule<DutyInternal>({
  name: 'duty',
  errors: DUTY_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'duty.read',
      zh: '查看值班表、交接班和通讯录',
      en: 'View rosters, handovers and the contact book',
      roles: READERS,
    },
    {
      code: 'duty.manage',
      zh: '排班（班次模式、值班表、导入）',
      en: 'Make rosters (patterns, shifts, imports)',
      roles: ['commander', 'duty_officer', 'district_staff'],
    },
    {
      code: 'duty.handover',
      zh: '交班和接班',
      en: 'Hand over and accept shifts',
      roles: ['commander', 'duty_officer', 'district_staff', 'department_staff'],
    },
    {
      code: 'duty.contacts',
      zh: '维护通讯录外部联系人',
      en: 'Maintain external contacts',
      roles: ['commander', 'duty_officer'],
    },
  ],
  create(p) {
    const units = new Map<string, svc.UnitInfo>();
    const deps: svc.DutyDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      log: p.log,
      afterCommit: () => p.afterCommit(),
      alerts: p.alerts,
      access: p.access,
      entities: p.entities,
      units: () => units,
    };
    // an alarm of a gap needs nothing more than the acknowledgement itself (the roster is fixed on its page)
    p.alerts.onAcknowledge('duty_gap', async () => undefined);
    return {
      deps,
      createPattern: (ctx, input) => svc.createPattern(deps, ctx, input),
      createShift: (ctx, input) => svc.createShift(deps, ctx, input),
      onShift: async (at, unit) => {
        const r = await svc.onShift(deps, at, unit);
        const strip = (l: svc.OnShiftPerson[]) =>
          l.map(({ id, displayName, unit: u }) => ({ id, displayName, unit: u }));
        return { officers: strip(r.officers), leaders: strip(r.leaders) };
      },
    };
  },
  async seed(api, p) {
    const units = api.deps.units();
    for (const u of await p.access.listUnits())
      units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind });
    return undefined;
  },
  demo: (api) => loadDutyDemo(api.deps),
  async start(api, p) {
    if (!p.config.timers) return undefined;
    api.timer = setInterval(
      () => void svc.checkGaps(api.deps).catch((err) => p.log.error('duty gap check failed', err)),
      GAP_CHECK_MS,
    );
    api.timer.unref();
    return undefined;
  },
  async stop(api) {
    clearInterval(api.timer);
  },
  routes: {
    prefixes: ['/api/v1/duty/'],
    async register(app, api, p) {
      dutyRoutes(app, api.deps);
      await importRoutes(app, p, '/api/v1/duty/shifts', shiftImport(api.deps));
      await importRoutes(app, p, '/api/v1/duty/contacts', contactImport(api.deps));
    },
  },
  entities: (api) => ({
    duty_handover: async (_ctx, id) => {
      const r = await repo.findHandover(api.deps.db.kysely, id);
      return r ? svc.dutyVisibility(r.unit_code) : undefined;
    },
  }),
});
