import type { PermissionInfo, RoleRecord } from '../../api/contracts.ts';

export interface PermissionColumn {
  code: string;
  module: string;
  /** null: the server's list could not be read, or lacks the code; the code is shown */
  info: PermissionInfo | null;
}

/**
 * The permission columns, grouped by module: the server's list in its order, then codes only a role holds (a list
 * that could not be read: the bare code, grouped by its prefix; `admin` holds every permission).
 */
export function permissionColumns(
  known: PermissionInfo[],
  roles: RoleRecord[],
): { module: string; perms: PermissionColumn[] }[] {
  const cols = new Map<string, PermissionColumn>();
  for (const p of known) cols.set(p.code, { code: p.code, module: p.module, info: p });
  for (const code of roles.flatMap((r) => r.permissions))
    if (!cols.has(code)) cols.set(code, { code, module: code.split('.')[0], info: null });
  const groups = new Map<string, PermissionColumn[]>();
  for (const c of cols.values()) groups.set(c.module, [...(groups.get(c.module) ?? []), c]);
  return [...groups].map(([module, perms]) => ({ module, perms }));
}
