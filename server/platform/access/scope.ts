/**
 * The one data-scope rule. A record belongs to a district (where it is) and a unit (who made it); a user's scope
 * says which records they may see: the city and departments see all, a district its district's records and its own
 * unit's, an enterprise its own unit's. The same rule answers the SQL filter of a list, the check of one record,
 * and whether a live event reaches a browser.
 */
import { type RawBuilder, sql } from 'kysely';
import { AppError } from '../../errors.ts';
import { type Actor, can } from '../core/context.ts';

/** Where a record belongs, for scope checks. */
export interface Owner {
  district?: string | null;
  unit?: string | null;
}

/** Who may see an event or a record: a permission, and the owner for district- and unit-scoped data. */
export interface Visibility extends Owner {
  permission: string;
  /** never sent to browsers: events only other instances and modules act on (cache invalidation) */
  internal?: boolean;
  /**
   * a record addressed to one unit (a department's task): department scope, which otherwise sees everything, sees it
   * only when it is its own unit's
   */
  unitOnly?: boolean;
}

/** Is a record of this owner inside the actor's data scope? */
export function inScope(actor: Actor, o: Owner): boolean {
  switch (actor.scope) {
    case 'city':
    case 'department':
      return true;
    case 'district':
      return (o.district != null && o.district === actor.unitCode) || (o.unit != null && o.unit === actor.unitCode);
    case 'enterprise':
      return o.unit != null && o.unit === actor.unitCode;
    default:
      return false;
  }
}

/** May this actor see an event (or a record) with this visibility? */
export function canSee(actor: Actor, v: Visibility): boolean {
  if (v.internal || !can(actor, v.permission)) return false;
  if (v.unitOnly && actor.scope === 'department') return v.unit != null && v.unit === actor.unitCode;
  return inScope(actor, v);
}

/**
 * The SQL condition of the same rule, over the record's district and unit columns (e.g. `i.district_code`,
 * `i.created_by_unit`); `undefined` when the actor sees everything (no condition to add).
 */
export function scopeCondition(
  actor: Actor,
  columns: { district?: string; unit: string },
): RawBuilder<boolean> | undefined {
  switch (actor.scope) {
    case 'city':
    case 'department':
      return undefined;
    case 'district':
      return columns.district
        ? sql<boolean>`(${sql.ref(columns.district)} = ${actor.unitCode} or ${sql.ref(columns.unit)} = ${actor.unitCode})`
        : sql<boolean>`${sql.ref(columns.unit)} = ${actor.unitCode}`;
    case 'enterprise':
      return sql<boolean>`${sql.ref(columns.unit)} = ${actor.unitCode}`;
    default:
      return sql<boolean>`false`;
  }
}

const SCOPE_WORDS: Record<string, { zh: string; en: string }> = {
  district: {
    zh: '区市人员只能查看和处理本区市的数据',
    en: "district staff see and handle their own district's records",
  },
  enterprise: {
    zh: '企业用户只能查看和处理本企业的数据',
    en: "enterprise users see and handle their own enterprise's records",
  },
};

/** What the actor's scope allows, in words of both languages (an OUT_OF_SCOPE message's `scope`). */
export function scopeLabel(actor: Actor): { zh: string; en: string } {
  return SCOPE_WORDS[actor.scope] ?? { zh: '不在您的数据范围内', en: 'not within your data scope' };
}

/** 403 OUT_OF_SCOPE (not 404) for a record outside the actor's scope: the user learns it exists elsewhere. */
export function requireInScope(actor: Actor, o: Owner, field?: string): void {
  if (!inScope(actor, o)) throw new AppError('OUT_OF_SCOPE', { field, scope: scopeLabel(actor) });
}

export function requirePermission(actor: Actor, permission: string): void {
  if (!can(actor, permission)) throw new AppError('FORBIDDEN', { permission });
}
