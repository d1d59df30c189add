import { defineModule } from '../../platform/module.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { ReportsApi } from './index.ts';
import { REPORT_ERRORS } from './reports.errors.ts';
import { reportRoutes } from './reports.routes.ts';
import * as svc from './reports.service.ts';

type Internal = ReportsApi & {
  deps: svc.ReportsDeps;
  /** unit code → name, for the reports' headers */
  units: Map<string, string>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
};

/** Reporting clocks, report documents (首报, 续报, 终报) with their issued versions, reminders, the SitRep. */
export const reportsModule = defineModule<Internal>({
  name: 'reports',
  errors: REPORT_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'reports.read',
      zh: '查看事件报告',
      en: 'View incident reports',
      roles: ['commander', 'duty_officer', 'department_staff', 'district_staff', 'auditor', 'viewer'],
    },
    {
      code: 'reports.write',
      zh: '起草和修改事件报告',
      en: 'Draft and edit incident reports',
      roles: ['commander', 'duty_officer', 'district_staff'],
    },
    { code: 'reports.issue', zh: '报送事件报告', en: 'Issue incident reports', roles: ['commander', 'duty_officer'] },
    {
      code: 'reports.sitrep',
      zh: '生成综合情况报告',
      en: 'Generate situation reports',
      roles: ['commander', 'duty_officer'],
    },
    { code: 'reports.configure', zh: '配置报告时限', en: 'Configure reporting clocks', roles: ['commander'] },
  ],
  create(p) {
    const units = new Map<string, string>();
    const deps: svc.ReportsDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      incidents: () => p.module<IncidentsApi>('incidents'),
      alerts: p.alerts,
      unitName: (code) => (code ? (units.get(code) ?? code) : ''),
      log: p.log,
    };
    return {
      deps,
      units,
      listDue: (ctx, withinHours) => svc.listDue(deps, ctx, withinHours),
    };
  },
  async seed(api, p) {
    for (const u of await p.access.listUnits()) api.units.set(u.code, u.name);
    return undefined;
  },
  async start(api, p) {
    if (!p.config.timers) return undefined;
    // every minute: reminders before and after due times, and the SitRep of a scheduled time of day; one round at a
    // time (a slow round is not overtaken by the next)
    api.timer = setInterval(() => {
      if (api.running) return;
      api.running = (async () => {
        try {
          await svc.checkReminders(api.deps);
          await svc.scheduledSitrep(api.deps);
        } catch (err) {
          p.log.error('report reminders not checked', err);
        } finally {
          api.running = undefined;
        }
      })();
    }, 60_000);
    api.timer.unref();
    return undefined;
  },
  async stop(api) {
    clearInterval(api.timer);
    await api.running;
  },
  routes: {
    prefixes: ['/api/v1/reports', '/api/v1/incidents/:id/reports'],
    register(app, api) {
      reportRoutes(app, api.deps);
    },
  },
  consumers: [
    {
      // the level an incident had from each time on: its update clock re-plans from a change
      name: 'reports.levels',
      types: ['incident.created', 'incident.updated'],
      handle: (e, api) => svc.recordLevelOf(api.deps, e.payload, new Date(e.at)),
    },
  ],
});
