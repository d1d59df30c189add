import { POSITION_RETENTION_DAYS } from '../../../contracts/dispatch.ts';
import { TEAM_TYPE_INFO, TEAM_TYPES } from '../../../contracts/forces.ts';
import type { GeoApi } from '../../geo/index.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { MonitoringApi } from '../monitoring/index.ts';
import { positionsRoute } from './dispatch.mqtt.ts';
import { dispatchRoutes } from './dispatch.routes.ts';
import * as dispatch from './dispatch.service.ts';
import { loadForcesDemo } from './forces.demo.ts';
import { FORCES_ERRORS } from './forces.errors.ts';
import * as repo from './forces.repository.ts';
import { forcesRoutes } from './forces.routes.ts';
import * as svc from './forces.service.ts';
import type { ForcesApi } from './index.ts';
import { teamImport } from './teams.import.ts';

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

export type ForcesInternal = ForcesApi & { deps: dispatch.DispatchDeps; timers: NodeJS.Timeout[] };

/** Rescue forces: teams, members, status; the coverage analyses and siting. */
export const forcesModule = defineModule<ForcesInternal>({
  name: 'forces',
  errors: FORCES_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'forces.read', zh: '查看救援力量', en: 'View rescue forces', roles: READERS },
    {
      code: 'forces.manage',
      zh: '登记和维护救援队伍',
      en: 'Register and maintain rescue teams',
      roles: ['commander', 'duty_officer', 'department_staff', 'district_staff', 'enterprise_user'],
    },
    {
      code: 'forces.status',
      zh: '报告队伍状态',
      en: "Report a team's status",
      roles: ['commander', 'duty_officer', 'department_staff', 'district_staff', 'field_responder', 'enterprise_user'],
    },
    {
      code: 'forces.dispatch',
      zh: '调派救援队伍',
      en: 'Dispatch rescue teams',
      roles: ['commander', 'duty_officer'],
    },
    {
      code: 'forces.analyze',
      zh: '运行覆盖分析和选址',
      en: 'Run coverage analyses and siting',
      roles: ['commander', 'duty_officer', 'department_staff', 'district_staff'],
    },
    {
      code: 'forces.areas',
      zh: '维护建成区、林区和化工园区范围',
      en: 'Maintain built-up, forest and chemical park areas',
      roles: ['commander'],
    },
  ],
  create(p) {
    const units = new Map<string, { code: string; name: string; nameEn: string }>();
    const zones: { code: string; name: string; nameEn: string }[] = [];
    const geo = () => p.module<GeoApi>('geo');
    const deps: dispatch.DispatchDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      districtAt: (lng, lat) => geo().districtAt(lng, lat),
      seaAreaAt: (lng, lat) => geo().seaAreaAt(lng, lat),
      units: () => units,
      districtName: (code) => units.get(code)?.name ?? code,
      staleAfterDays: p.config.teamStatusStaleDays,
      workers: p.workers,
      geo,
      zones: () => zones,
      cellDistricts: new Map(),
      incidents: () => p.module<IncidentsApi>('incidents'),
    };
    return {
      deps,
      timers: [],
      getTeam: (ctx, id) => svc.getTeam(deps, ctx, id),
      listTeams: (ctx, q) => svc.listTeams(deps, ctx, q),
    };
  },
  async seed(api, p) {
    const units = api.deps.units();
    const zones = api.deps.zones();
    zones.length = 0;
    for (const u of await p.access.listUnits()) {
      units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn });
      if (u.kind === 'district' || u.kind === 'zone') zones.push({ code: u.code, name: u.name, nameEn: u.nameEn });
    }
    return undefined;
  },
  demo: (api) => loadForcesDemo(api.deps),
  async start(api, p) {
    if (p.config.timers) {
      const t = setInterval(
        () =>
          void dispatch
            .prunePositions(api.deps, POSITION_RETENTION_DAYS)
            .catch((err) => p.log.error('team positions pruning failed', err)),
        3_600_000,
      );
      t.unref();
      api.timers.push(t);
    }
    // positions over MQTT (anlan/v1/teams/{id}/positions) on the monitoring module's broker
    p.module<MonitoringApi>('monitoring').registerTopicRoute(positionsRoute(api.deps, p.access, p.log));
    return undefined;
  },
  async stop(api) {
    for (const t of api.timers) clearInterval(t);
    api.timers.length = 0;
  },
  routes: {
    prefixes: [
      '/api/v1/teams',
      '/api/v1/forces/',
      '/api/v1/analyses/fire-coverage',
      '/api/v1/analyses/forest-coverage',
      '/api/v1/analyses/aviation-coverage',
      '/api/v1/analyses/chemical-parks',
      '/api/v1/analyses/station-siting',
      '/api/v1/incidents/:id/nearest-teams',
      '/api/v1/incidents/:id/dispatches',
      '/api/v1/dispatches',
    ],
    async register(app, api, p) {
      forcesRoutes(app, api.deps, { bodyLimit: p.config.uploadMaxBytes });
      dispatchRoutes(app, api.deps);
      await importRoutes(app, p, '/api/v1/teams', teamImport(api.deps));
    },
  },
  // the web draws the layer itself from the team list (colour by type, ring by status)
  map: () => ({
    layers: [
      {
        layer: {
          id: 'teams',
          name: '救援力量',
          nameEn: 'Rescue forces',
          group: 'forces',
          source: { kind: 'geojson', url: '/api/v1/teams' },
          geometry: 'point',
          defaultOn: true,
          legend: TEAM_TYPES.map((t) => ({
            label: TEAM_TYPE_INFO[t].zh,
            labelEn: TEAM_TYPE_INFO[t].en,
            color: TEAM_TYPE_INFO[t].color,
          })),
        },
        permission: 'forces.read',
        order: 50,
      },
    ],
  }),
  listeners: {
    // districts of cells remembered by the analyses: boundaries changed, forget them
    'boundaries.imported': async (_e, api) => {
      api.deps.cellDistricts.clear();
    },
  },
  entities: (api) => ({
    team: async (_ctx, id) => {
      const r = await repo.findTeam(api.deps.db.kysely, id, svc.certificateDays(api.deps.clock.now()));
      return r ? { permission: 'forces.read', district: r.district_code, unit: r.owner_unit } : undefined;
    },
  }),
});
