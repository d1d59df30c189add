/**
 * References between modules' records: a closure names an incident, a task will name a plan. The owning module
 * registers a lookup of its records (descriptor `entities`); another module checks a reference through this
 * registry, never through the owner's tables: the record must exist and be inside the user's scope.
 */
import { AppError } from '../errors.ts';
import { requireInScope, requirePermission } from './access/scope.ts';
import type { RequestCtx } from './core/context.ts';
import type { EntityRef } from './module.ts';

type Lookup = (ctx: RequestCtx, id: string) => Promise<EntityRef | undefined>;

export class EntityRegistry {
  #lookups = new Map<string, Lookup>();

  register(entity: string, lookup: Lookup): void {
    if (this.#lookups.has(entity)) throw new Error(`entity ${entity} is registered twice`);
    this.#lookups.set(entity, lookup);
  }

  has(entity: string): boolean {
    return this.#lookups.has(entity);
  }

  /** The referenced record exists and the user may read it; else 400/403 naming the field. */
  async requireVisible(ctx: RequestCtx, entity: string, id: string, field: string): Promise<EntityRef> {
    const lookup = this.#lookups.get(entity);
    if (!lookup) throw new Error(`no module registers entity ${entity}`);
    const ref = await lookup(ctx, id);
    if (!ref) throw new AppError('VALIDATION', { field, reason: `no ${entity} ${id}` });
    requirePermission(ctx.actor, ref.permission);
    requireInScope(ctx.actor, ref, field);
    return ref;
  }
}
