/**
 * Factories for service-level tests: request contexts acting as a role (with the permissions the role really holds
 * in the database), users, and records made through the modules' own services.
 *
 * The template database (template.ts) holds one signed-up user per role, `TEST_USERS`, with the password
 * USER_PASSWORD: `seededCtx` acts as one of them and `TestApp.loginAs` signs one in, without making a user.
 * `ctxAs` and `makeUser` make a new user, for a unit or scope the seeded ones do not have, or when the test changes
 * the user (locks, passwords, roles).
 */

import argon2 from 'argon2';
import type { IncidentInput } from '../../contracts/incidents.ts';
import type { Role, Scope } from '../../contracts/org.ts';
import type { IncidentsApi } from '../modules/incidents/index.ts';
import { type Actor, type RequestCtx, systemCtx } from '../platform/core/context.ts';
import type { Platform } from '../platform/module.ts';

export const USER_PASSWORD = 'User-pass-123';

/** The enterprise the seeded enterprise user belongs to (the template adds it; the demo has its own). */
export const TEST_ENTERPRISE = { code: 'test-ent', name: '测试企业', nameEn: 'Test enterprise', parent: '371003' };

/** The seeded users of the template: one per role (besides admin) with a typical unit and scope. */
export const TEST_USERS = {
  commander: { username: 'test_commander', unitCode: 'yjj', scope: 'city' },
  duty_officer: { username: 'test_duty', unitCode: 'yjj', scope: 'city' },
  department_staff: { username: 'test_health', unitCode: 'wjw', scope: 'department' },
  district_staff: { username: 'test_huancui', unitCode: '371002', scope: 'district' },
  field_responder: { username: 'test_field', unitCode: 'xfzd', scope: 'city' },
  enterprise_user: { username: 'test_enterprise', unitCode: TEST_ENTERPRISE.code, scope: 'enterprise' },
  auditor: { username: 'test_auditor', unitCode: 'szfb', scope: 'city' },
  viewer: { username: 'test_viewer', unitCode: 'yjj', scope: 'city' },
} as const satisfies Record<Exclude<Role, 'admin'>, { username: string; unitCode: string; scope: Scope }>;
export type SeededRole = keyof typeof TEST_USERS;

let hash: Promise<string> | null = null;
/**
 * The argon2id hash of USER_PASSWORD, made once per test process, at a low cost: a hash carries its parameters,
 * so signing a test user in (or failing to) runs the same verification in a millisecond instead of tens under
 * the production defaults (64 MiB, three passes), which the admin and every user made through the service keep.
 */
export function userPasswordHash(): Promise<string> {
  hash ??= argon2.hash(USER_PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
  return hash;
}

let n = 0;

/** A user with one role, password USER_PASSWORD, no forced change. */
export async function makeUser(
  p: Platform,
  role: string,
  unitCode: string,
  scope: Scope,
  username = `${role}_${++n}_${Math.random().toString(36).slice(2, 6)}`,
) {
  return p.access.createUser(
    systemCtx(),
    {
      username,
      displayName: username,
      phone: '13912345678',
      unitCode,
      roles: [role],
      scope,
      password: USER_PASSWORD,
    },
    { mustChange: false, passwordHash: await userPasswordHash() },
  );
}

function ctxOf(u: Awaited<ReturnType<typeof makeUser>>, lang: 'zh' | 'en'): RequestCtx {
  const actor: Actor = {
    kind: 'user',
    id: u.id,
    name: u.displayName,
    unitCode: u.unitCode,
    scope: u.scope,
    roles: u.roles,
    permissions: new Set(u.permissions),
  };
  return { actor, requestId: null, address: '127.0.0.1', lang };
}

/**
 * A request context for a new user with this role: what a route would hand the service after signing in, without
 * HTTP. `lang` 'en' checks English messages.
 */
export async function ctxAs(
  p: Platform,
  role: string,
  unitCode: string,
  scope: Scope,
  lang: 'zh' | 'en' = 'zh',
): Promise<RequestCtx> {
  return ctxOf(await makeUser(p, role, unitCode, scope), lang);
}

/** A request context for the template's seeded user of this role (nothing is written). */
export async function seededCtx(
  p: Platform,
  role: SeededRole | 'admin',
  lang: 'zh' | 'en' = 'zh',
): Promise<RequestCtx> {
  const username = role === 'admin' ? 'admin' : TEST_USERS[role].username;
  const { items } = await p.access.listUsers(systemCtx(), { q: username, limit: 10 });
  const u = items.find((x) => x.username === username);
  if (!u) throw new Error(`the template has no user ${username}: was it built by server/test/template.ts?`);
  return ctxOf(u, lang);
}

/** The template's users: one per role, made once when the template is built. */
export async function seedTestUsers(p: Platform): Promise<void> {
  await p.access.addUnit(systemCtx(), { ...TEST_ENTERPRISE, kind: 'enterprise' });
  for (const [role, u] of Object.entries(TEST_USERS)) {
    await makeUser(p, role, u.unitCode, u.scope, u.username);
  }
}

/** A valid incident report (in Huancui, an hour ago); override what the test is about. */
export function incidentInput(over: Record<string, unknown> = {}): IncidentInput {
  return {
    title: '测试事件',
    typeCode: '12H02',
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    location: { type: 'Point', coordinates: [122.12, 37.5] },
    address: '环翠区',
    reporter: { name: '张三', unit: '路政', phone: '13812345678' },
    casualties: { deaths: 0 },
    ...over,
  } as IncidentInput;
}

/** An incident reported through the incidents service, as `ctx` would report it. */
export function makeIncident(p: Platform, ctx: RequestCtx, over: Record<string, unknown> = {}) {
  return p.module<IncidentsApi>('incidents').createIncident(ctx, incidentInput(over));
}
