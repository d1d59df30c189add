import { CENSUS_KIND_INFO, CENSUS_KINDS, RISK_CLASS_INFO, RISK_CLASSES } from '../../../contracts/risks.ts';
import type { GeoApi } from '../../geo/index.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import * as crepo from './census.repository.ts';
import * as census from './census.service.ts';
import { AutoRecompute } from './grid.service.ts';
import type { RisksApi } from './index.ts';
import { projectImport } from './projects.import.ts';
import { loadRisksDemo } from './risks.demo.ts';
import { forgetAreas, type RisksDeps, type Unit } from './risks.deps.ts';
import { RISKS_ERRORS } from './risks.errors.ts';
import { projectRoutes, risksRoutes } from './risks.routes.ts';

const READERS = [
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'field_responder',
  'auditor',
  'viewer',
] as const;

/** changes within this long of each other make one recompute of the grid */
const RECOMPUTE_DELAY_MS = 5_000;

export type RisksInternal = RisksApi & { deps: RisksDeps; auto: AutoRecompute };

/**
 * Risks (风险普查与防灾减灾): census layers, the H3 risk grid, nearby hazards, and the disaster-prevention projects.
 */
export const risksModule = defineModule<RisksInternal>({
  name: 'risks',
  errors: RISKS_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'risks.read',
      zh: '查看风险普查图层、风险网格和防灾减灾工程',
      en: 'View census layers, the risk grid and prevention projects',
      roles: READERS,
    },
    {
      code: 'risks.manage',
      zh: '导入和删除风险普查图层、调整风险网格规则并重新计算',
      en: 'Import and delete census layers, set the risk grid rules and recompute it',
      roles: ['commander', 'department_staff'],
    },
    {
      code: 'projects.manage',
      zh: '登记防灾减灾工程项目、填报进度',
      en: 'Register prevention projects and report their progress',
      roles: ['commander', 'department_staff', 'district_staff'],
    },
  ],
  create(p) {
    const units = new Map<string, Unit>();
    let auto: AutoRecompute | null = null;
    const deps: RisksDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      log: p.log,
      afterCommit: () => p.afterCommit(),
      workers: p.workers,
      jobs: p.jobs,
      geo: () => p.module<GeoApi>('geo'),
      units: () => units,
      areas: { promise: null, region: null },
      layersChanged: () => {
        if (p.config.timers) auto?.schedule();
      },
    };
    auto = new AutoRecompute(() => deps, RECOMPUTE_DELAY_MS);
    return {
      deps,
      auto,
      nearby: (ctx, q) => census.nearby(deps, ctx, q),
    };
  },
  async seed(api, p) {
    const units = api.deps.units();
    for (const u of await p.access.listUnits())
      units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind });
    return undefined;
  },
  demo: (api) => loadRisksDemo(api.deps),
  async stop(api) {
    api.auto.stop();
    await api.auto.settled();
  },
  routes: {
    prefixes: ['/api/v1/risks', '/api/v1/census', '/api/v1/prevention-projects'],
    async register(app, api, p) {
      // the projects' import registers multipart, which the census import reads too
      await importRoutes(app, p, '/api/v1/prevention-projects', projectImport(api.deps));
      risksRoutes(app, api.deps);
      projectRoutes(app, api.deps);
    },
  },
  map: () => ({
    layers: [
      {
        layer: {
          id: 'risk-grid',
          name: '风险网格',
          nameEn: 'Risk grid',
          group: 'risks',
          source: { kind: 'geojson', url: '/api/v1/risks/grid?format=geojson&minClass=general' },
          geometry: 'polygon',
          defaultOn: false,
          legend: RISK_CLASSES.map((c) => ({
            label: RISK_CLASS_INFO[c].zh,
            labelEn: RISK_CLASS_INFO[c].en,
            color: RISK_CLASS_INFO[c].color,
          })),
          note: '评分规则为假设 / scoring rules are assumptions',
        },
        permission: 'risks.read',
        order: 40,
      },
      ...CENSUS_KINDS.map((k, i) => {
        const info = CENSUS_KIND_INFO[k];
        const geometry = info.geometries.includes('point') ? ('point' as const) : ('polygon' as const);
        return {
          layer: {
            id: `census-${k}`,
            name: info.zh,
            nameEn: info.en,
            group: 'risks',
            source: { kind: 'geojson' as const, url: `/api/v1/census/features?kind=${k}` },
            geometry,
            defaultOn: false,
            legend: [{ label: info.zh, labelEn: info.en, color: info.color }],
          },
          permission: 'risks.read',
          order: 41 + i,
        };
      }),
    ],
  }),
  listeners: {
    'boundaries.imported': async (_e, api) => {
      forgetAreas(api.deps);
    },
  },
  entities: (api) => ({
    census_layer: async (_ctx, id) => {
      const l = await crepo.findLayer(api.deps.db.kysely, id);
      return l ? { permission: 'risks.read', district: null, unit: l.owner_unit } : undefined;
    },
  }),
});
