/**
 * Permissions are declared by their owners (the platform and each module's descriptor) with the roles that get them
 * by default. A start-up reconciler grants a newly introduced permission to its default roles once and records
 * that it did, so that an administrator's later removal sticks; `admin` holds every permission, always.
 */
import { sql } from 'kysely';
import { ROLES, type Role } from '../../../contracts/org.ts';
import type { Tx } from '../db/index.ts';

export interface PermissionDef {
  code: string;
  zh: string;
  en: string;
  /** roles that hold it by default (`admin` holds everything without being named) */
  roles: readonly Role[];
}

export interface RegisteredPermission extends PermissionDef {
  module: string;
}

export class PermissionRegistry {
  #defs = new Map<string, RegisteredPermission>();

  add(module: string, defs: readonly PermissionDef[]): void {
    for (const d of defs) {
      const had = this.#defs.get(d.code);
      if (had) throw new Error(`permission ${d.code} of ${module} is already declared by ${had.module}`);
      if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(d.code))
        throw new Error(`permission ${d.code}: not module.action`);
      for (const r of d.roles)
        if (!(ROLES as readonly string[]).includes(r)) throw new Error(`${d.code}: no role ${r}`);
      this.#defs.set(d.code, { ...d, module });
    }
  }

  has(code: string): boolean {
    return this.#defs.has(code);
  }

  all(): RegisteredPermission[] {
    return [...this.#defs.values()];
  }
}

/**
 * Grants each declared permission not yet recorded to its default roles and records it; gives `admin` every
 * declared permission. Idempotent; runs at every start (one short transaction). Returns the codes newly granted.
 */
export async function reconcileGrants(trx: Tx, registry: PermissionRegistry, now: Date): Promise<string[]> {
  const recorded = new Set(
    (await trx.selectFrom('permission_grants').select('permission').execute()).map((r) => r.permission),
  );
  const fresh = registry.all().filter((p) => !recorded.has(p.code));
  for (const p of fresh) {
    const roles = [...new Set<string>(['admin', ...p.roles])];
    await sql`update roles set permissions = array_append(permissions, ${p.code}), version = version + 1,
                updated_at = ${now}
              where code = any(${roles}::text[]) and not (${p.code} = any(permissions))`.execute(trx);
    await trx.insertInto('permission_grants').values({ permission: p.code, roles, granted_at: now }).execute();
  }
  const all = registry.all().map((p) => p.code);
  await sql`update roles set permissions = (select array_agg(distinct p order by p) from unnest(permissions || ${all}::text[]) p),
              version = version + 1, updated_at = ${now}
            where code = 'admin' and not (permissions @> ${all}::text[])`.execute(trx);
  return fresh.map((p) => p.code);
}
