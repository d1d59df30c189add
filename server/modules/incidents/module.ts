import type { GeoApi } from '../../geo/index.ts';
import { ChangeCache } from '../../platform/cache/change-cache.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import { loadIncidentDemo } from './incidents.demo.ts';
import { INCIDENT_ERRORS } from './incidents.errors.ts';
import { incidentImport } from './incidents.import.ts';
import { INCIDENT_LAYER, incidentMapRoutes, searchIncidents } from './incidents.map.ts';
import { findIncident, findOwner } from './incidents.repository.ts';
import { incidentRoutes } from './incidents.routes.ts';
import * as svc from './incidents.service.ts';
import type { IncidentsApi } from './index.ts';

const ALL_ROLES = [
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'field_responder',
  'enterprise_user',
  'auditor',
  'viewer',
] as const;

type Internal = IncidentsApi & { deps: svc.IncidentDeps };

/** Incidents: intake, classification and level, the command log, the register and its export. */
export const incidentsModule = defineModule<Internal>({
  name: 'incidents',
  errors: INCIDENT_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'incidents.read', zh: '查看事件', en: 'View incidents', roles: ALL_ROLES },
    {
      code: 'incidents.create',
      zh: '接报登记',
      en: 'Register incidents',
      roles: ['commander', 'duty_officer', 'district_staff', 'field_responder', 'enterprise_user'],
    },
    {
      code: 'incidents.update',
      zh: '修改事件',
      en: 'Edit incidents',
      roles: ['commander', 'duty_officer', 'district_staff'],
    },
    { code: 'incidents.level', zh: '人工定级', en: 'Set levels by hand', roles: ['commander', 'duty_officer'] },
    {
      code: 'incidents.transition',
      zh: '变更事件状态',
      en: 'Change incident status',
      roles: ['commander', 'duty_officer', 'district_staff'],
    },
    {
      code: 'incidents.log',
      zh: '填写指挥日志',
      en: 'Write the command log',
      roles: ['commander', 'duty_officer', 'department_staff', 'district_staff', 'field_responder'],
    },
    { code: 'incidents.rules', zh: '配置定级规则', en: 'Configure level rules', roles: [] },
    {
      code: 'incidents.merge',
      zh: '合并重复事件',
      en: 'Merge duplicate incidents',
      roles: ['commander', 'duty_officer'],
    },
  ],
  create(p) {
    const deps: svc.IncidentDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      // up to 200 pages (the map asks for 500 incidents at a time): tens of MB at most
      listCache: new ChangeCache(() => p.eventVersion(), 200),
      districtAt: (lng, lat) => p.module<GeoApi>('geo').districtAt(lng, lat),
      seaAreaAt: (lng, lat) => p.module<GeoApi>('geo').seaAreaAt(lng, lat),
      workers: p.workers,
      alerts: p.alerts,
    };
    p.alerts.onAcknowledge('incident', (trx, alert, ctx) => svc.recordAcknowledgement(deps, trx, alert, ctx));
    return {
      deps,
      getIncident: (ctx, id) => svc.getIncident(deps, ctx, id),
      listIncidents: (ctx, q) => svc.listIncidents(deps, ctx, q),
      createIncident: (ctx, input, opts) =>
        svc.createIncident(deps, ctx, input, opts?.exercise ? { exercise: opts.exercise } : {}),
      recordFact: (ctx, id, facts, opts) => svc.recordFact(deps, ctx, id, facts, opts),
      listLog: (ctx, id, limit) => svc.listLog(deps, ctx, id, limit),
      ownerOf: async (id) => {
        const r = await findOwner(p.db.kysely, id);
        return r ? { district: r.district_code, unit: r.created_by_unit } : undefined;
      },
    };
  },
  demo: (api) => loadIncidentDemo(api.deps, systemCtx()),
  routes: {
    prefixes: ['/api/v1/incidents'],
    async register(app, api, p) {
      incidentRoutes(app, api.deps);
      incidentMapRoutes(app, api.deps);
      await importRoutes(app, p, '/api/v1/incidents', incidentImport(api.deps));
    },
  },
  redactors: { incident: svc.redactIncidentPayload },
  map: (api) => ({
    layers: [INCIDENT_LAYER],
    search: [
      {
        kind: 'incident',
        permission: 'incidents.read',
        fn: (actor, q, limit) =>
          searchIncidents(api.deps, { actor, requestId: null, address: null, lang: 'zh' }, q, limit),
      },
    ],
  }),
  entities: (api) => ({
    incident: async (_ctx, id) => {
      const r = await findIncident(api.deps.db.kysely, id);
      return r
        ? { permission: 'incidents.read', attach: 'incidents.log', district: r.district_code, unit: r.created_by_unit }
        : undefined;
    },
  }),
});
