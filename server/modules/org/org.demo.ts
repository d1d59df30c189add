/** The Weihai demo's people: one account per role besides admin, demo populations, a demo enterprise. */
import type { Role, Scope } from '../../../contracts/org.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Platform } from '../../platform/module.ts';

/** Every demo account has this password; documented in the README as demo-only. */
export const DEMO_PASSWORD = 'Anlan-demo-2026';

export const DEMO_USERS: {
  username: string;
  displayName: string;
  role: Role;
  unit: string;
  scope: Scope;
  phone: string;
}[] = [
  {
    username: 'commander',
    displayName: '王指挥（演示）',
    role: 'commander',
    unit: 'yjj',
    scope: 'city',
    phone: '13906310001',
  },
  {
    username: 'duty',
    displayName: '李值班（演示）',
    role: 'duty_officer',
    unit: 'yjj',
    scope: 'city',
    phone: '13906310002',
  },
  {
    username: 'health',
    displayName: '张卫健（演示）',
    role: 'department_staff',
    unit: 'wjw',
    scope: 'department',
    phone: '13906310003',
  },
  {
    username: 'huancui',
    displayName: '赵环翠（演示）',
    role: 'district_staff',
    unit: '371002',
    scope: 'district',
    phone: '13906310004',
  },
  {
    username: 'field',
    displayName: '孙现场（演示）',
    role: 'field_responder',
    unit: 'xfzd',
    scope: 'city',
    phone: '13906310005',
  },
  {
    username: 'enterprise',
    displayName: '周企业（演示）',
    role: 'enterprise_user',
    unit: 'demo-ent-1',
    scope: 'enterprise',
    phone: '13906310006',
  },
  {
    username: 'auditor',
    displayName: '吴审计（演示）',
    role: 'auditor',
    unit: 'szfb',
    scope: 'city',
    phone: '13906310007',
  },
  {
    username: 'viewer',
    displayName: '郑只读（演示）',
    role: 'viewer',
    unit: 'yjj',
    scope: 'city',
    phone: '13906310008',
  },
];

/** Demo populations (rounded, not official statistics): labelled as demo figures in the interface. */
const DEMO_POPULATION: Record<string, number> = {
  '371000': 2_910_000,
  '371002': 880_000,
  '371003': 570_000,
  '371082': 720_000,
  '371083': 500_000,
  gaoqu: 260_000,
  jingqu: 250_000,
  lingang: 70_000,
  nanhai: 80_000,
};

/** Populations, the demo enterprise and the demo accounts; what exists is kept (an interrupted load is finished). */
export async function loadOrgDemo(p: Platform, ctx: RequestCtx): Promise<string> {
  for (const [code, n] of Object.entries(DEMO_POPULATION)) await p.access.setPopulation(code, n, true);
  await p.access.addUnit(ctx, {
    code: 'demo-ent-1',
    name: '威海某化工有限公司（演示）',
    nameEn: 'Demo Chemical Co.',
    kind: 'enterprise',
    parent: '371003',
  });
  // the accounts share one password: hashed once (argon2 takes a noticeable fraction of a second each)
  let passwordHash: string | undefined;
  for (const u of DEMO_USERS) {
    if (await p.access.userExists(u.username)) continue;
    passwordHash ??= await hashPassword(DEMO_PASSWORD);
    await p.access.createUser(
      ctx,
      {
        username: u.username,
        displayName: u.displayName,
        phone: u.phone,
        unitCode: u.unit,
        roles: [u.role],
        scope: u.scope,
        password: DEMO_PASSWORD,
      },
      { demo: true, mustChange: false, passwordHash },
    );
  }
  return `demo accounts: ${DEMO_USERS.length} (password ${DEMO_PASSWORD})`;
}
