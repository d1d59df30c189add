import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrgUnit, User } from '../../../contracts/org.ts';
import { PERMISSIONS, ROLE_INFO, ROLES, type Role, type Scope } from '../../../contracts/org.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkPasswordStrength, hashPassword, invalidateAuthCache } from '../../platform/auth/auth.service.ts';
import { maskPhone } from '../../platform/auth/mask.ts';
import { newSecret } from '../../platform/auth/tokens.ts';
import { can, type RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db } from '../../platform/db/index.ts';
import * as repo from './org.repository.ts';
import { DEFAULT_ROLE_PERMISSIONS, WEIHAI_UNITS } from './org.seed.ts';

export interface OrgDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
}

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>;

/** A user as another user may see them: the phone is masked without personal.read, except for oneself. */
export function toUserDto(r: UserRow, viewer: RequestCtx): User {
  const own = viewer.actor.id === r.id;
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    phone: own || can(viewer.actor, 'personal.read') ? r.phone : maskPhone(r.phone),
    unitCode: r.unit_code,
    unitName: r.unit_name,
    roles: r.roles,
    scope: r.scope as Scope,
    permissions: (r.permissions ?? []).sort(),
    locale: r.locale,
    disabled: r.disabled,
    lockedUntil: r.locked_until?.toISOString() ?? null,
    mustChangePassword: r.must_change_password,
    demo: r.demo,
    version: r.version,
  };
}

export async function getUser(deps: OrgDeps, ctx: RequestCtx, id: string): Promise<User> {
  const r = await repo.findUser(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { entity: 'user' });
  return toUserDto(r, ctx);
}

export async function listUnits(deps: OrgDeps): Promise<OrgUnit[]> {
  const rows = await repo.listUnits(deps.db.kysely);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    kind: r.kind as OrgUnit['kind'],
    parentCode: r.parent_code,
    population: r.population,
    populationDemo: r.population_demo,
    hasBoundary: r.has_boundary,
    version: r.version,
  }));
}

export async function listUsers(
  deps: OrgDeps,
  ctx: RequestCtx,
  f: { q?: string; unitCode?: string; role?: string; limit?: number; offset?: number },
) {
  const { items, total } = await repo.listUsers(deps.db.kysely, { ...f, limit: f.limit ?? 50, offset: f.offset ?? 0 });
  return { items: items.map((r) => toUserDto(r, ctx)), total };
}

async function checkUnitAndRoles(deps: OrgDeps, unitCode: string | undefined, roles: string[] | undefined) {
  if (unitCode !== undefined && !(await repo.findUnit(deps.db.kysely, unitCode))) {
    throw new AppError('UNKNOWN_UNIT', { field: 'unitCode', value: unitCode });
  }
  for (const [i, r] of (roles ?? []).entries()) {
    if (!(await repo.findRole(deps.db.kysely, r)))
      throw new AppError('UNKNOWN_ROLE', { field: `roles.${i}`, value: r });
  }
}

export async function createUser(
  deps: OrgDeps,
  ctx: RequestCtx,
  input: {
    username: string;
    displayName: string;
    phone?: string;
    unitCode: string;
    roles: string[];
    scope: Scope;
    password: string;
    locale?: string;
  },
  opts: { demo?: boolean; mustChange?: boolean } = {},
): Promise<User> {
  await checkUnitAndRoles(deps, input.unitCode, input.roles);
  checkPasswordStrength(input.password);
  if (await repo.findUsername(deps.db.kysely, input.username)) {
    throw new AppError('DUPLICATE', { field: 'username', value: input.username });
  }
  const id = deps.ids.next();
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (trx) => {
    await repo.insertUser(trx, {
      id,
      username: input.username,
      displayName: input.displayName,
      phone: input.phone ?? '',
      passwordHash,
      unitCode: input.unitCode,
      roles: input.roles,
      scope: input.scope,
      locale: input.locale ?? 'zh-CN',
      mustChange: opts.mustChange ?? true,
      demo: opts.demo ?? false,
      now,
    });
    const { password: _omit, ...after } = input;
    await recordAudit(trx, ctx, now, { action: 'user.created', entity: 'user', entityId: id, after });
  });
  return getUser(deps, ctx, id);
}

export async function updateUser(
  deps: OrgDeps,
  ctx: RequestCtx,
  id: string,
  patch: {
    version?: number;
    displayName?: string;
    phone?: string;
    unitCode?: string;
    roles?: string[];
    scope?: Scope;
    disabled?: boolean;
    locale?: string;
    password?: string;
  },
): Promise<User> {
  const before = await repo.findUser(deps.db.kysely, id);
  if (!before) throw new AppError('NOT_FOUND', { entity: 'user' });
  await checkUnitAndRoles(deps, patch.unitCode, patch.roles);
  if (patch.password !== undefined) checkPasswordStrength(patch.password);
  const now = deps.clock.now();
  const set: Parameters<typeof repo.updateUser>[3] = {};
  if (patch.displayName !== undefined) set.display_name = patch.displayName;
  if (patch.phone !== undefined) set.phone = patch.phone;
  if (patch.unitCode !== undefined) set.unit_code = patch.unitCode;
  if (patch.roles !== undefined) set.roles = patch.roles;
  if (patch.scope !== undefined) set.scope = patch.scope;
  if (patch.disabled !== undefined) set.disabled = patch.disabled;
  if (patch.locale !== undefined) set.locale = patch.locale;
  if (patch.password !== undefined) {
    // An administrator's reset: the user must choose their own at next sign-in; a lock is lifted.
    set.password_hash = await hashPassword(patch.password);
    set.must_change_password = true;
    set.failed_attempts = 0;
    set.locked_until = null;
  }
  await deps.db.transaction(async (trx) => {
    const ok = await repo.updateUser(trx, id, patch.version, set, now);
    if (!ok) throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    const { password: _p, version: _v, ...changes } = patch;
    await recordAudit(trx, ctx, now, {
      action: patch.password !== undefined ? 'user.password_reset' : 'user.updated',
      entity: 'user',
      entityId: id,
      before: pick(toUserDto(before, ctx), Object.keys(changes)),
      after: changes,
    });
  });
  invalidateAuthCache();
  return getUser(deps, ctx, id);
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

export async function listRoles(deps: OrgDeps) {
  const rows = await repo.listRoles(deps.db.kysely);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    permissions: r.permissions,
    version: r.version,
  }));
}

export async function updateRole(deps: OrgDeps, ctx: RequestCtx, code: string, permissions: string[], version: number) {
  const before = await repo.findRole(deps.db.kysely, code);
  if (!before) throw new AppError('NOT_FOUND', { entity: 'role' });
  for (const [i, p] of permissions.entries()) {
    if (!(PERMISSIONS as readonly string[]).includes(p)) {
      throw new AppError('UNKNOWN_PERMISSION', { field: `permissions.${i}`, value: p });
    }
  }
  const now = deps.clock.now();
  const after = await deps.db.transaction(async (trx) => {
    const row = await repo.updateRolePermissions(trx, code, [...new Set(permissions)].sort(), version, now);
    if (!row) throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    await recordAudit(trx, ctx, now, {
      action: 'role.updated',
      entity: 'role',
      entityId: code,
      before: { permissions: before.permissions },
      after: { permissions: row.permissions },
    });
    return row;
  });
  invalidateAuthCache();
  return {
    code: after.code,
    name: after.name,
    nameEn: after.name_en,
    permissions: after.permissions,
    version: after.version,
  };
}

/** Units of Weihai and the nine roles: present on every installation, demo or not. Idempotent. */
export async function seedOrganisation(deps: OrgDeps): Promise<void> {
  await deps.db.transaction(async (trx) => {
    for (const [i, u] of WEIHAI_UNITS.entries()) await repo.upsertUnit(trx, { id: deps.ids.next(), ...u, sort: i });
    for (const r of ROLES) {
      await repo.insertRoleIfMissing(trx, {
        code: r,
        name: ROLE_INFO[r as Role].zh,
        nameEn: ROLE_INFO[r as Role].en,
        permissions: DEFAULT_ROLE_PERMISSIONS[r as Role],
      });
    }
  });
}

/**
 * The `admin` user at first start: ANLAN_ADMIN_PASSWORD, or a random password printed once and written to
 * DATA_DIR/initial-admin-password (mode 0600). Returns the message to print, or null when admin exists.
 */
export async function ensureAdmin(
  deps: OrgDeps,
  ctx: RequestCtx,
  password: string | undefined,
  dataDir: string,
): Promise<string | null> {
  if (await repo.findUsername(deps.db.kysely, 'admin')) return null;
  const chosen = password ?? `Anlan-${newSecret().slice(0, 12)}9`;
  await createUser(
    deps,
    ctx,
    {
      username: 'admin',
      displayName: '系统管理员',
      unitCode: 'yjj',
      roles: ['admin'],
      scope: 'city',
      password: chosen,
    },
    { mustChange: password === undefined },
  );
  if (password !== undefined) return 'admin user created with ANLAN_ADMIN_PASSWORD';
  const file = join(dataDir, 'initial-admin-password');
  if (!existsSync(dataDir)) throw new Error(`DATA_DIR ${dataDir} does not exist`);
  writeFileSync(file, `${chosen}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return `admin user created; initial password: ${chosen} (also in ${file}; change it at first sign-in)`;
}

/** Sets a unit's population (the demo's are marked as demo figures). */
export async function setPopulation(deps: OrgDeps, code: string, population: number, demo: boolean): Promise<void> {
  await repo.setUnitPopulation(deps.db.kysely, code, population, demo);
}

/** Adds a unit if its code is new (enterprises, demo units); audited. */
export async function addUnit(
  deps: OrgDeps,
  ctx: RequestCtx,
  u: { code: string; name: string; nameEn: string; kind: OrgUnit['kind']; parent: string | null },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (await repo.findUnit(trx, u.code)) return;
    await repo.upsertUnit(trx, { id: deps.ids.next(), ...u, sort: 1000 });
    await recordAudit(trx, ctx, now, { action: 'unit.created', entity: 'org_unit', entityId: u.code, after: u });
  });
}

export async function userExists(deps: OrgDeps, username: string): Promise<boolean> {
  return !!(await repo.findUsername(deps.db.kysely, username));
}
