import { AppError } from '../../errors.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { WarningsApi } from '../warnings/index.ts';
import * as cs from './consultations.service.ts';
import { loadExpertsDemo } from './experts.demo.ts';
import { EXPERTS_ERRORS } from './experts.errors.ts';
import { expertImport } from './experts.import.ts';
import * as repo from './experts.repository.ts';
import { expertsRoutes } from './experts.routes.ts';
import * as svc from './experts.service.ts';
import type { ExpertsApi } from './index.ts';
import { DEFAULT_TEMPLATES } from './templates.seed.ts';

const READERS = ['commander', 'duty_officer', 'department_staff', 'district_staff', 'auditor', 'viewer'] as const;
const STAFF = ['commander', 'duty_officer', 'department_staff', 'district_staff'] as const;

export type ExpertsInternal = ExpertsApi & { deps: svc.ExpertsDeps };

/** Experts (专家库): the register, recorded random draws with avoidance, invitations; consultations (会商研判). */
export const expertsModule = defineModule<ExpertsInternal>({
  name: 'experts',
  errors: EXPERTS_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'experts.read', zh: '查看专家库和抽取记录', en: 'View the expert register and draws', roles: READERS },
    {
      code: 'experts.manage',
      zh: '登记和维护专家',
      en: 'Register and maintain experts',
      roles: ['commander', 'duty_officer', 'department_staff'],
    },
    {
      code: 'experts.draw',
      zh: '随机抽取专家、登记邀请答复',
      en: 'Draw experts and record their replies',
      roles: STAFF,
    },
    { code: 'consultations.read', zh: '查看会商研判', en: 'View consultations', roles: READERS },
    {
      code: 'consultations.manage',
      zh: '组织会商研判、填写纪要',
      en: 'Organise consultations and keep minutes',
      roles: STAFF,
    },
    {
      code: 'consultations.templates',
      zh: '维护风险形势研判模板',
      en: 'Maintain the risk assessment templates',
      roles: ['commander'],
    },
  ],
  create(p) {
    const units = new Map<string, { code: string; name: string; nameEn: string; kind: string }>();
    const deps: svc.ExpertsDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      units: () => units,
      districtName: (code) => units.get(code)?.name ?? code,
      incidents: () => p.module<IncidentsApi>('incidents'),
      warnings: () => p.module<WarningsApi>('warnings'),
      async userName(id) {
        try {
          return (await p.access.getUser(systemCtx(), id)).displayName;
        } catch (err) {
          if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
          throw err;
        }
      },
      workers: p.workers,
    };
    return {
      deps,
      getExpert: (ctx, id) => svc.getExpert(deps, ctx, id),
      getConsultation: (ctx, id) => cs.getConsultation(deps, ctx, id),
    };
  },
  async seed(api, p) {
    const units = api.deps.units();
    for (const u of await p.access.listUnits())
      units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind });
    let added = 0;
    const have = new Set((await repo.listTemplates(p.db.kysely)).map((t) => t.key));
    for (const t of DEFAULT_TEMPLATES) {
      if (have.has(t.key)) continue;
      await cs.addTemplate(api.deps, systemCtx(), t, { quietIfExists: true });
      added++;
    }
    return added ? `${added} assessment templates` : undefined;
  },
  demo: (api) => loadExpertsDemo(api.deps),
  routes: {
    prefixes: ['/api/v1/experts', '/api/v1/consultations'],
    async register(app, api, p) {
      expertsRoutes(app, api.deps);
      await importRoutes(app, p, '/api/v1/experts', expertImport(api.deps));
    },
  },
  redactors: { expert: (v) => svc.redactExpert(v) },
  entities: (api) => ({
    consultation: async (_ctx, id) => {
      const r = await repo.findConsultation(api.deps.db.kysely, id);
      return r ? cs.consultationRef(r) : undefined;
    },
    expert_draw: async (_ctx, id) => {
      const r = await repo.findDraw(api.deps.db.kysely, id);
      return r ? { permission: 'experts.read', district: r.district_code, unit: r.owner_unit } : undefined;
    },
  }),
});
