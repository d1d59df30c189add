/**
 * Warehouses (储备库): three tiers (city, district, town) and four reserve types. The district is where the
 * warehouse stands (the geo door's `districtAt`; a point at sea: the sea area's district), and the scope is that
 * district plus the owning unit, as for rescue teams. Agreement and capacity reserves need their agreement (partner,
 * lead time, items committed per call: rows of `warehouse_commitments`); the others keep stock by batch. A warehouse
 * that ever held or moved anything is deactivated, not deleted: its ledger stays readable.
 */
import type { Static } from 'typebox';
import {
  type Agreement,
  RESERVE_TYPE_INFO,
  type ReserveType,
  type Warehouse,
  WarehouseInput,
  WarehousePatch,
  WarehouseQuery,
  type WarehouseTier,
} from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { knownItems } from './catalogue.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import './stock.errors.ts';
import * as repo from './warehouses.repository.ts';

export const WAREHOUSE_ENTITY = { zh: '仓库', en: 'warehouse' };

export function warehouseVisibility(r: { district_code: string | null; owner_unit: string | null }): Visibility {
  return { permission: 'supplies.read', district: r.district_code, unit: r.owner_unit };
}

export function isCommitted(reserveType: string): boolean {
  return RESERVE_TYPE_INFO[reserveType as ReserveType]?.committed ?? false;
}

export function toWarehouse(
  deps: LogisticsDeps,
  r: repo.WarehouseRow,
  commitments: readonly repo.CommitmentRow[],
  lang: 'zh' | 'en' = 'zh',
): Warehouse {
  const a = r.agreement as Omit<Agreement, 'items'> | null;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    tier: r.tier as WarehouseTier,
    reserveType: r.reserve_type as ReserveType,
    location: { type: 'Point', coordinates: [r.lng, r.lat] },
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code, lang) } : null,
    address: r.address,
    capacityM3: r.capacity_m3,
    areaM2: r.area_m2,
    manager: r.manager,
    phones: r.phones ?? [],
    unitCode: r.owner_unit,
    agreement: a
      ? {
          ...a,
          items: commitments
            .filter((c) => c.warehouse_id === r.id)
            .map((c) => ({ itemCode: c.item_code, quantity: c.committed })),
        }
      : null,
    loadingMinutes: r.loading_minutes,
    active: r.active,
    notes: r.notes,
    fill: r.capacity_m3 && r.stock_m3 !== null ? Math.round((r.stock_m3 / r.capacity_m3) * 1000) / 1000 : null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A warehouse the actor may see (404 unknown, 403 outside the scope). */
export async function readWarehouse(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  id: string,
  field = 'id',
  db: Tx = deps.db.kysely,
): Promise<repo.WarehouseRow> {
  requirePermission(ctx.actor, 'supplies.read');
  const r = await repo.findWarehouse(db, id);
  if (!r) throw new AppError('NOT_FOUND', { field, entity: WAREHOUSE_ENTITY });
  requireInScope(ctx.actor, warehouseVisibility(r), field);
  return r;
}

export async function getWarehouse(deps: LogisticsDeps, ctx: RequestCtx, id: string): Promise<Warehouse> {
  const r = await readWarehouse(deps, ctx, id);
  return toWarehouse(deps, r, await repo.commitmentsOf(deps.db.kysely, [id]), ctx.lang);
}

export async function listWarehouses(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: Static<typeof WarehouseQuery>,
): Promise<{ items: Warehouse[]; total: number }> {
  requirePermission(ctx.actor, 'supplies.read');
  checkInput(WarehouseQuery, q);
  const { rows, total } = await repo.listWarehouses(
    deps.db.kysely,
    ctx.actor,
    {
      q: q.q?.trim() || undefined,
      tier: q.tier,
      reserveType: q.reserveType,
      district: q.district,
      itemCode: q.itemCode,
      active: q.active,
    },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  const commitments = await repo.commitmentsOf(
    deps.db.kysely,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toWarehouse(deps, r, commitments, ctx.lang)), total };
}

/** The district of a point: the boundary holding it, else the sea area's district, else none. */
export async function districtOf(deps: LogisticsDeps, lng: number, lat: number): Promise<string | null> {
  const geo = deps.geo();
  return (await geo.districtAt(lng, lat))?.code ?? (await geo.seaAreaAt(lng, lat))?.districtCode ?? null;
}

export interface PreparedWarehouse {
  input: WarehouseInput;
  write: repo.WarehouseWrite;
  items: { itemCode: string; quantity: number }[];
}

/** A warehouse's rules beyond its schema, each naming its field; the write resolved. */
async function warehouseWrite(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  input: WarehouseInput,
  had?: repo.WarehouseRow,
): Promise<PreparedWarehouse> {
  const [lng, lat] = input.location.coordinates as [number, number];
  if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90))
    throw new AppError('COORDINATES_OUT_OF_RANGE', { field: 'location.coordinates' });
  const type = input.reserveType;
  const typeName = { zh: RESERVE_TYPE_INFO[type].zh, en: RESERVE_TYPE_INFO[type].en.toLowerCase() };
  const agreement = input.agreement ?? null;
  if (isCommitted(type) && !agreement)
    throw new AppError('WAREHOUSE_AGREEMENT_REQUIRED', { field: 'agreement', type: typeName });
  if (!isCommitted(type) && agreement)
    throw new AppError('WAREHOUSE_AGREEMENT_NOT_ALLOWED', { field: 'agreement', type: typeName });
  const items = agreement?.items ?? [];
  if (agreement) {
    if (items.length === 0)
      throw new AppError('VALIDATION', {
        field: 'agreement.items',
        reason: { zh: '至少承诺一种物资', en: 'needs at least one item committed' },
      });
    const seen = new Set<string>();
    items.forEach((it, i) => {
      if (seen.has(it.itemCode))
        throw new AppError('WAREHOUSE_AGREEMENT_DUPLICATE', {
          field: `agreement.items.${i}.itemCode`,
          value: it.itemCode,
        });
      seen.add(it.itemCode);
    });
    await knownItems(deps.db.kysely, items, (i) => `agreement.items.${i}.itemCode`);
  }
  const district = had && had.lng === lng && had.lat === lat ? had.district_code : await districtOf(deps, lng, lat);
  const ownerUnit = input.unitCode ?? had?.owner_unit ?? ctx.actor.unitCode;
  if (!ownerUnit) throw new AppError('UNKNOWN_UNIT', { field: 'unitCode', value: '' });
  if (!deps.units().has(ownerUnit)) throw new AppError('UNKNOWN_UNIT', { field: 'unitCode', value: ownerUnit });
  requireInScope(ctx.actor, { district, unit: ownerUnit }, 'location');
  const { items: _items, ...terms } = agreement ?? { items: [] };
  const phones = (input.phones ?? []).map((p) => p.trim()).filter(Boolean);
  return {
    input,
    items: items.map((i) => ({ itemCode: i.itemCode, quantity: i.quantity })),
    write: {
      name: input.name.trim(),
      tier: input.tier,
      reserve_type: type,
      lng,
      lat,
      district_code: district,
      address: input.address?.trim() || null,
      capacity_m3: input.capacityM3 ?? null,
      area_m2: input.areaM2 ?? null,
      manager: input.manager?.trim() || null,
      phones,
      owner_unit: ownerUnit,
      agreement: agreement ? (terms as Record<string, unknown>) : null,
      loading_minutes: input.loadingMinutes ?? 30,
      active: input.active ?? true,
      notes: input.notes?.trim() || null,
    },
  };
}

/** Checks a new warehouse (schema, rules, scope) before any transaction: the import's dry run and a single create. */
export async function prepareWarehouse(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  input: WarehouseInput,
): Promise<PreparedWarehouse> {
  requirePermission(ctx.actor, 'supplies.manage');
  checkInput(WarehouseInput, input);
  return warehouseWrite(deps, ctx, input);
}

/** Writes a prepared warehouse in the caller's transaction: its CK number, row, commitments, audit row and event. */
export async function writeWarehouse(
  deps: LogisticsDeps,
  trx: Tx,
  ctx: RequestCtx,
  p: PreparedWarehouse,
  now: Date,
  opts: { demo?: boolean } = {},
): Promise<string> {
  const id = deps.ids.next();
  const code = await nextNumber(trx, 'CK', now);
  await repo.insertWarehouse(trx, id, code, p.write, ctx.actor.id, now, opts.demo ?? false);
  if (p.items.length) await repo.setCommitments(trx, id, p.items);
  await recordAudit(trx, ctx, now, {
    action: 'warehouse.created',
    entity: 'warehouse',
    entityId: id,
    after: { code, ...p.input },
  });
  await emitEvent(trx, now, {
    type: 'warehouse.created',
    entity: 'warehouse',
    entityId: id,
    payload: { id },
    visibility: warehouseVisibility(p.write),
  });
  return id;
}

export async function createWarehouse(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  input: WarehouseInput,
  opts: { demo?: boolean } = {},
): Promise<Warehouse> {
  const prepared = await prepareWarehouse(deps, ctx, input);
  const now = deps.clock.now();
  const id = await deps.db.transaction((trx) => writeWarehouse(deps, trx, ctx, prepared, now, opts));
  deps.afterCommit();
  return getWarehouse(deps, ctx, id);
}

function inputOf(r: repo.WarehouseRow, commitments: readonly repo.CommitmentRow[]): WarehouseInput {
  const a = r.agreement as Omit<Agreement, 'items'> | null;
  return {
    name: r.name,
    tier: r.tier as WarehouseTier,
    reserveType: r.reserve_type as ReserveType,
    location: { type: 'Point', coordinates: [r.lng, r.lat] },
    ...(r.address ? { address: r.address } : {}),
    capacityM3: r.capacity_m3,
    areaM2: r.area_m2,
    ...(r.manager ? { manager: r.manager } : {}),
    phones: r.phones ?? [],
    unitCode: r.owner_unit,
    agreement: a ? { ...a, items: commitments.map((c) => ({ itemCode: c.item_code, quantity: c.committed })) } : null,
    loadingMinutes: r.loading_minutes,
    active: r.active,
    ...(r.notes ? { notes: r.notes } : {}),
  };
}

export async function updateWarehouse(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  id: string,
  patch: WarehousePatch,
): Promise<Warehouse> {
  requirePermission(ctx.actor, 'supplies.manage');
  checkInput(WarehousePatch, patch);
  const had = await readWarehouse(deps, ctx, id);
  const commitments = await repo.commitmentsOf(deps.db.kysely, [id]);
  const { version, ...rest } = patch;
  const merged: WarehouseInput = { ...inputOf(had, commitments), ...rest };
  // a warehouse that stops being an agreement drops its agreement unless the patch says otherwise
  if (!isCommitted(merged.reserveType) && patch.agreement === undefined) merged.agreement = null;
  const p = await warehouseWrite(deps, ctx, merged, had);
  if (
    isCommitted(p.write.reserve_type) &&
    !isCommitted(had.reserve_type) &&
    (await repo.holdsStock(deps.db.kysely, id))
  )
    throw new AppError('WAREHOUSE_TYPE_HAS_STOCK', { field: 'reserveType' });
  const info = await knownItems(deps.db.kysely, p.items, (i) => `agreement.items.${i}.itemCode`);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateWarehouse(trx, id, p.write, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    // what was called stays called: a commitment is not lowered below it, nor removed
    const now_ = await repo.commitmentsOf(trx, [id]);
    for (const c of now_) {
      if (c.called === 0) continue;
      const i = p.items.findIndex((x) => x.itemCode === c.item_code);
      const to = i >= 0 ? p.items[i]!.quantity : 0;
      if (to < c.called)
        throw new AppError('WAREHOUSE_COMMITMENT_CALLED', {
          field: i >= 0 ? `agreement.items.${i}.quantity` : 'agreement.items',
          item: info.get(c.item_code)?.name ?? c.item_code,
          called: c.called,
        });
    }
    await repo.setCommitments(trx, id, p.items);
    await recordAudit(trx, ctx, now, {
      action: 'warehouse.updated',
      entity: 'warehouse',
      entityId: id,
      before: { ...had, commitments },
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'warehouse.updated',
      entity: 'warehouse',
      entityId: id,
      payload: { id },
      visibility: warehouseVisibility(p.write),
    });
  });
  deps.afterCommit();
  return getWarehouse(deps, ctx, id);
}

/** Deletes a warehouse that never held or moved anything; deactivates any other (its ledger stays). */
export async function removeWarehouse(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  id: string,
  version: number,
): Promise<{ id: string; outcome: 'deleted' | 'deactivated' }> {
  requirePermission(ctx.actor, 'supplies.manage');
  const had = await readWarehouse(deps, ctx, id);
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (trx) => {
    const used = await repo.inUse(trx, id);
    const ok = used ? await repo.deactivate(trx, id, version, now) : await repo.deleteWarehouse(trx, id, version);
    if (!ok) throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    const outcome = used ? ('deactivated' as const) : ('deleted' as const);
    await recordAudit(trx, ctx, now, {
      action: used ? 'warehouse.deactivated' : 'warehouse.deleted',
      entity: 'warehouse',
      entityId: id,
      before: had,
    });
    await emitEvent(trx, now, {
      type: used ? 'warehouse.updated' : 'warehouse.deleted',
      entity: 'warehouse',
      entityId: id,
      payload: { id },
      visibility: warehouseVisibility(had),
    });
    return outcome;
  });
  deps.afterCommit();
  return { id, outcome };
}
