import { AppError } from '../../errors.ts';
import { type Actor, can } from '../../platform/core/context.ts';
import { canSee, type Visibility } from '../../platform/events/events.ts';

export function incidentVisibility(r: { district_code: string | null; created_by_unit: string | null }): Visibility {
  return { permission: 'incidents.read', district: r.district_code, unit: r.created_by_unit };
}

export function requirePermission(actor: Actor, permission: string): void {
  if (!can(actor, permission)) throw new AppError('FORBIDDEN', { permission });
}

/** 403 (not 404) for a record outside the actor's district or unit: the duty officer learns it exists elsewhere. */
export function requireInScope(
  actor: Actor,
  r: { district_code: string | null; created_by_unit: string | null },
): void {
  if (!canSee(actor, incidentVisibility(r))) {
    throw new AppError('OUT_OF_SCOPE', { scope: `${actor.scope}:${actor.unitCode ?? ''}` });
  }
}

/** A district user may report only in their own district (or where the district is not known). */
export function requireCreateInScope(actor: Actor, districtCode: string | null): void {
  if (actor.scope === 'district' && districtCode !== null && districtCode !== actor.unitCode) {
    throw new AppError('OUT_OF_SCOPE', { field: 'location', scope: `district:${actor.unitCode ?? ''}` });
  }
}
