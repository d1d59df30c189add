import { NO_RISK_COLOUR_HEX, RISK_COLOUR_INFO, RISK_COLOURS } from '../../../contracts/safety.ts';
import type { GeoApi } from '../../geo/index.ts';
import { defineModule } from '../../platform/module.ts';
import { findEnterprise } from './enterprises.repository.ts';
import { enterpriseRoutes } from './enterprises.routes.ts';
import * as svc from './enterprises.service.ts';
import type { SafetyApi } from './index.ts';
import type { SafetyDeps } from './safety.deps.ts';
import { SAFETY_ERRORS } from './safety.errors.ts';

const READERS = [
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'enterprise_user',
  'field_responder',
  'auditor',
  'viewer',
] as const;

export type SafetyInternal = SafetyApi & { deps: SafetyDeps };

/** Work safety (安全生产): enterprises, GB 18218-2018 major hazards, risk points graded by LEC or LS. */
export const safetyModule = defineModule<SafetyInternal>({
  name: 'safety',
  errors: SAFETY_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'enterprises.read',
      zh: '查看企业、重大危险源和风险点',
      en: 'View enterprises, major hazards and risk points',
      roles: READERS,
    },
    {
      code: 'enterprises.manage',
      zh: '登记和维护企业、重大危险源和风险点（企业用户仅限本企业）',
      en: 'Register and maintain enterprises, major hazards and risk points (enterprise users: their own)',
      roles: ['commander', 'department_staff', 'district_staff', 'enterprise_user'],
    },
    {
      code: 'safety.settings',
      zh: '设置风险分级规则',
      en: 'Set the risk grading rule',
      roles: ['commander', 'admin'],
    },
  ],
  create(p) {
    const units = new Map<string, { code: string; name: string; nameEn: string; kind: string }>();
    const deps: SafetyDeps = {
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
    };
    return {
      deps,
      getEnterprise: (ctx, id) => svc.getEnterpriseRef(deps, ctx, id),
      listEnterpriseRefs: (opts) => svc.listEnterpriseRefs(deps, opts),
    };
  },
  async seed(api, p) {
    const units = api.deps.units();
    for (const u of await p.access.listUnits())
      units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind });
    return undefined;
  },
  routes: {
    prefixes: ['/api/v1/enterprises', '/api/v1/safety'],
    async register(app, api) {
      enterpriseRoutes(app, api.deps);
    },
  },
  redactors: { enterprise: (v) => svc.redactEnterprise(v) },
  entities: (api) => ({
    enterprise: async (_ctx, id) => {
      const row = await findEnterprise(api.deps.db.kysely, id);
      return row ? { ...svc.enterpriseVisibility(row), attach: 'enterprises.manage' } : undefined;
    },
  }),
  map: () => ({
    layers: [
      {
        layer: {
          id: 'enterprises',
          name: '企业（按风险点最高颜色）',
          nameEn: 'Enterprises (by highest risk point)',
          group: 'safety',
          source: { kind: 'geojson', url: '/api/v1/enterprises/layer.geojson' },
          geometry: 'point',
          defaultOn: false,
          legend: [
            ...RISK_COLOURS.map((c) => ({
              label: RISK_COLOUR_INFO[c].zh,
              labelEn: RISK_COLOUR_INFO[c].en,
              color: RISK_COLOUR_INFO[c].hex,
            })),
            { label: '无风险点', labelEn: 'No risk points', color: NO_RISK_COLOUR_HEX },
          ],
        },
        permission: 'enterprises.read',
        order: 60,
      },
    ],
  }),
});
