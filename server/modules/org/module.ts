import type { GeoApi } from '../../geo/index.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { defineModule } from '../../platform/module.ts';
import type { OrgApi } from './index.ts';
import { loadOrgDemo } from './org.demo.ts';
import { orgRoutes } from './org.routes.ts';
import { WEIHAI_UNITS } from './org.seed.ts';

/** Units, users and roles as Weihai has them: seeded on every installation, administered in 系统管理. */
export const orgModule = defineModule<OrgApi>({
  name: 'org',
  permissions: [
    {
      code: 'org.read',
      zh: '查看组织机构',
      en: 'View organisation',
      roles: [
        'commander',
        'duty_officer',
        'department_staff',
        'district_staff',
        'field_responder',
        'enterprise_user',
        'auditor',
        'viewer',
      ],
    },
    { code: 'org.manage', zh: '管理用户和角色', en: 'Manage users and roles', roles: [] },
  ],
  create: (p) => ({
    async listUnits() {
      const [units, codes] = await Promise.all([p.access.listUnits(), p.module<GeoApi>('geo').boundaryCodes()]);
      return units.map((u) => ({ ...u, hasBoundary: codes.has(u.code) }));
    },
  }),
  async seed(_api, p) {
    await p.access.seedUnits(WEIHAI_UNITS);
    // the administrator belongs to the emergency management bureau
    return p.access.ensureAdmin(systemCtx(), p.config.adminPassword, p.config.dataDir, 'yjj');
  },
  demo: (_api, p) => loadOrgDemo(p, systemCtx()),
  routes: { prefixes: ['/api/v1/org/'], register: orgRoutes },
});
