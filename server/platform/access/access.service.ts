/**
 * Identity and access: users, roles and their permissions, organisation units. The platform owns them because
 * every module's access rule rests on them; the `org` module serves their administration pages and seeds
 * Weihai's units.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrgUnit, RoleDto, User } from '../../../contracts/org.ts';
import { ROLE_INFO, ROLES, type Role, type Scope } from '../../../contracts/org.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { clearLoginFailures } from '../auth/auth.repository.ts';
import {
  authChanged,
  checkPasswordStrength,
  endUserSessions,
  hashPassword,
  invalidateAuthCache,
} from '../auth/auth.service.ts';
import { usernameKey } from '../auth/login-throttle.ts';
import { maskPhone } from '../auth/mask.ts';
import { newSecret } from '../auth/tokens.ts';
import { can, type RequestCtx } from '../core/context.ts';
import type { Clock, Ids } from '../core/ids.ts';
import type { Db, Tx } from '../db/index.ts';
import * as repo from './access.repository.ts';

/** where the first `admin` password is written when none was set (DATA_DIR); removed at its first change */
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

import { type PermissionRegistry, type RegisteredPermission, reconcileGrants } from './permissions.ts';
import { requirePermission } from './scope.ts';

export interface AccessDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  permissions: PermissionRegistry;
}

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUser>>>;
type RoleRow = NonNullable<Awaited<ReturnType<typeof repo.findRole>>>;

export interface UserInput {
  username: string;
  displayName: string;
  phone?: string;
  unitCode: string;
  roles: string[];
  scope: Scope;
  password: string;
  locale?: string;
}

export interface UserPatch {
  version?: number;
  displayName?: string;
  phone?: string;
  unitCode?: string;
  roles?: string[];
  scope?: Scope;
  disabled?: boolean;
  locale?: string;
  password?: string;
}

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

function toRoleDto(r: RoleRow): RoleDto {
  return { code: r.code, name: r.name, nameEn: r.name_en, permissions: r.permissions, version: r.version };
}

/** Masks a user record in an audit row or event for viewers without personal.read. */
export function redactUser(value: unknown, ctx: RequestCtx): unknown {
  if (!value || typeof value !== 'object' || can(ctx.actor, 'personal.read')) return value;
  const v = value as { phone?: unknown };
  return typeof v.phone === 'string' ? { ...v, phone: maskPhone(v.phone) } : value;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

export class AccessService {
  constructor(private readonly deps: AccessDeps) {}

  permissions(): RegisteredPermission[] {
    return this.deps.permissions.all();
  }

  async getUser(ctx: RequestCtx, id: string): Promise<User> {
    const r = await repo.findUser(this.deps.db.kysely, id);
    if (!r) throw new AppError('NOT_FOUND', { entity: 'user' });
    return toUserDto(r, ctx);
  }

  async listUsers(
    ctx: RequestCtx,
    f: { q?: string; unitCode?: string; role?: string; limit?: number; offset?: number },
  ) {
    requirePermission(ctx.actor, 'org.manage');
    const { items, total } = await repo.listUsers(this.deps.db.kysely, {
      ...f,
      limit: f.limit ?? 50,
      offset: f.offset ?? 0,
    });
    return { items: items.map((r) => toUserDto(r, ctx)), total };
  }

  async userExists(username: string): Promise<boolean> {
    return !!(await repo.findUsername(this.deps.db.kysely, username));
  }

  async #checkUnitAndRoles(unitCode: string | undefined, roles: string[] | undefined) {
    const db = this.deps.db.kysely;
    if (unitCode !== undefined && !(await repo.findUnit(db, unitCode))) {
      throw new AppError('UNKNOWN_UNIT', { field: 'unitCode', value: unitCode });
    }
    for (const [i, r] of (roles ?? []).entries()) {
      if (!(await repo.findRole(db, r))) throw new AppError('UNKNOWN_ROLE', { field: `roles.${i}`, value: r });
    }
  }

  async createUser(
    ctx: RequestCtx,
    input: UserInput,
    opts: { demo?: boolean; mustChange?: boolean; passwordHash?: string } = {},
  ): Promise<User> {
    requirePermission(ctx.actor, 'org.manage');
    const { db, clock, ids } = this.deps;
    await this.#checkUnitAndRoles(input.unitCode, input.roles);
    checkPasswordStrength(input.password);
    if (await repo.findUsername(db.kysely, input.username)) {
      throw new AppError('DUPLICATE', { field: 'username', value: input.username });
    }
    const id = ids.next();
    const now = clock.now();
    const passwordHash = opts.passwordHash ?? (await hashPassword(input.password));
    await db.transaction(async (trx) => {
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
    return this.getUser(ctx, id);
  }

  async updateUser(ctx: RequestCtx, id: string, patch: UserPatch): Promise<User> {
    requirePermission(ctx.actor, 'org.manage');
    const { db, clock } = this.deps;
    const before = await repo.findUser(db.kysely, id);
    if (!before) throw new AppError('NOT_FOUND', { entity: 'user' });
    await this.#checkUnitAndRoles(patch.unitCode, patch.roles);
    if (patch.password !== undefined) checkPasswordStrength(patch.password);
    const now = clock.now();
    const set: Parameters<typeof repo.updateUser>[3] = {};
    if (patch.displayName !== undefined) set.display_name = patch.displayName;
    if (patch.phone !== undefined) set.phone = patch.phone;
    if (patch.unitCode !== undefined) set.unit_code = patch.unitCode;
    if (patch.roles !== undefined) set.roles = patch.roles;
    if (patch.scope !== undefined) set.scope = patch.scope;
    if (patch.disabled !== undefined) set.disabled = patch.disabled;
    if (patch.locale !== undefined) set.locale = patch.locale;
    if (patch.password !== undefined) {
      // An administrator's reset: the user must choose their own at next sign-in.
      set.password_hash = await hashPassword(patch.password);
      set.must_change_password = true;
    }
    await db.transaction(async (trx) => {
      const ok = await repo.updateUser(trx, id, patch.version, set, now);
      if (!ok) throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
      if (patch.password !== undefined) {
        // A reset lifts a lock, and ends every session: whoever signed in with the old password is out.
        await clearLoginFailures(trx, usernameKey(before.username));
        await endUserSessions(trx, now, id, 'user.password_reset');
      } else if (patch.disabled === true) {
        // Disabled is out now, and stays out when enabled again (sign in anew); tokens are refused while disabled.
        await endUserSessions(trx, now, id, 'user.disabled');
      } else {
        await authChanged(trx, now, 'user', id, 'user.updated');
      }
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
    return this.getUser(ctx, id);
  }

  async listRoles(): Promise<RoleDto[]> {
    return (await repo.listRoles(this.deps.db.kysely)).map(toRoleDto);
  }

  async updateRole(ctx: RequestCtx, code: string, permissions: string[], version: number): Promise<RoleDto> {
    requirePermission(ctx.actor, 'org.manage');
    const { db, clock } = this.deps;
    const before = await repo.findRole(db.kysely, code);
    if (!before) throw new AppError('NOT_FOUND', { entity: 'role' });
    if (code === 'admin') throw new AppError('ROLE_FIXED', { field: 'code' });
    for (const [i, p] of permissions.entries()) {
      if (!this.deps.permissions.has(p))
        throw new AppError('UNKNOWN_PERMISSION', { field: `permissions.${i}`, value: p });
    }
    const now = clock.now();
    const after = await db.transaction(async (trx) => {
      const row = await repo.updateRolePermissions(trx, code, [...new Set(permissions)].sort(), version, now);
      if (!row) throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
      await authChanged(trx, now, 'role', code, 'role.updated');
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
    return toRoleDto(after);
  }

  async listUnits(): Promise<Omit<OrgUnit, 'hasBoundary'>[]> {
    const rows = await repo.listUnits(this.deps.db.kysely);
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      kind: r.kind as OrgUnit['kind'],
      parentCode: r.parent_code,
      population: r.population,
      populationDemo: r.population_demo,
      version: r.version,
    }));
  }

  /**
   * Adds a unit if its code is new (enterprises, demo units); audited. In the caller's transaction when given (an
   * enterprise and its unit are written together), else in its own.
   */
  async addUnit(
    ctx: RequestCtx,
    u: { code: string; name: string; nameEn: string; kind: OrgUnit['kind']; parent: string | null },
    inTx?: Tx,
  ): Promise<void> {
    const { db, clock, ids } = this.deps;
    const now = clock.now();
    const write = async (trx: Tx) => {
      if (await repo.findUnit(trx, u.code)) return;
      await repo.upsertUnit(trx, { id: ids.next(), ...u, sort: 1000 });
      await recordAudit(trx, ctx, now, { action: 'unit.created', entity: 'org_unit', entityId: u.code, after: u });
    };
    if (inTx) await write(inTx);
    else await db.transaction(write);
  }

  /** Units present on every installation (the customer's organisation), in their order; existing ones are kept. */
  async seedUnits(
    units: readonly { code: string; name: string; nameEn: string; kind: OrgUnit['kind']; parent: string | null }[],
  ): Promise<void> {
    const { db, ids } = this.deps;
    await db.transaction(async (trx) => {
      for (const [i, u] of units.entries()) await repo.upsertUnit(trx, { id: ids.next(), ...u, sort: i });
    });
  }

  /** Sets a unit's population (the demo's are marked as demo figures). */
  async setPopulation(code: string, population: number, demo: boolean): Promise<void> {
    await repo.setUnitPopulation(this.deps.db.kysely, code, population, demo);
  }

  /**
   * The nine roles (created empty on a new installation), then the reconciler: every declared permission not yet
   * granted goes to its default roles once, and `admin` holds them all. Returns a line for the start-up notes.
   */
  async seedRolesAndGrants(): Promise<string | undefined> {
    const { db, clock } = this.deps;
    const granted = await db.transaction(async (trx) => {
      for (const r of ROLES) {
        await repo.insertRoleIfMissing(trx, {
          code: r,
          name: ROLE_INFO[r as Role].zh,
          nameEn: ROLE_INFO[r as Role].en,
          permissions: [],
        });
      }
      const fresh = await reconcileGrants(trx, this.deps.permissions, clock.now());
      if (fresh.length) await authChanged(trx, clock.now(), 'role', null, 'permissions.granted');
      return fresh;
    });
    if (granted.length) invalidateAuthCache();
    return granted.length ? `permissions granted to their default roles: ${granted.join(', ')}` : undefined;
  }

  /**
   * The `admin` user at first start: ANLAN_ADMIN_PASSWORD, or a random password printed once and written to
   * DATA_DIR/initial-admin-password (mode 0600). Returns the message to print, or undefined when admin exists.
   */
  async ensureAdmin(
    ctx: RequestCtx,
    password: string | undefined,
    dataDir: string,
    unitCode: string,
  ): Promise<string | undefined> {
    if (await this.userExists('admin')) return undefined;
    const chosen = password ?? `Anlan-${newSecret().slice(0, 12)}9`;
    await this.createUser(
      ctx,
      { username: 'admin', displayName: '系统管理员', unitCode, roles: ['admin'], scope: 'city', password: chosen },
      { mustChange: password === undefined },
    );
    if (password !== undefined) return 'admin user created with ANLAN_ADMIN_PASSWORD';
    const file = join(dataDir, INITIAL_PASSWORD_FILE);
    if (!existsSync(dataDir)) throw new Error(`DATA_DIR ${dataDir} does not exist`);
    writeFileSync(file, `${chosen}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return `admin user created; initial password: ${chosen} (also in ${file}; change it at first sign-in)`;
  }
}
