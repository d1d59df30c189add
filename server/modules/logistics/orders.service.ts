/**
 * Dispatch orders (调运单): made once from a stored relief plan, one per warehouse × place; each moves planned →
 * loaded → en route → delivered (or is cancelled before it leaves). Loading issues the stock through part A's
 * `issueInTx` in the order's own transaction, the order number as the movement's counterpart: a short line refuses
 * the whole loading. Delivery takes who signed for it, a note and photos (platform files of entity
 * `dispatch_order`). A loaded order cancelled returns its goods to the batches they left (a receipt in the same
 * transaction: stock.move besides logistics.dispatch, and a note). An order still owed past its ETA, or delivered after it, is late; a minute check raises one
 * alarm per late order (claimed with `skip locked`, so two instances never both raise it).
 *
 * Scope: an order belongs to its destination's district (else its warehouse's) and to the planner's unit.
 */
import {
  type DispatchOrder,
  ORDER_NEXT,
  ORDER_STATE_INFO,
  OrderQuery,
  type OrderState,
  OrderTransition,
  type PlanProgress,
} from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { EntityRef } from '../../platform/module.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { cityDateTime } from '../../platform/time.ts';
import { type ItemInfo, itemInfoOf } from './catalogue.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import * as repo from './orders.repository.ts';
import { isLate, ordersFromPlan, progressOf, type StoredPlanAnswer } from './orders.ts';
import { issueInTx, receive } from './stock.service.ts';
import { findWarehouse } from './warehouses.repository.ts';
import { isCommitted } from './warehouses.service.ts';
import './dispatch.errors.ts';

export const ORDER_ENTITY = { zh: '调运单', en: 'dispatch order' };
export const PLAN_ENTITY = { zh: '调运方案', en: 'relief plan' };
/** how often late orders are looked for */
export const LATE_CHECK_INTERVAL_MS = 60_000;

export function orderVisibility(r: { district_code: string | null; owner_unit: string }): Visibility {
  return { permission: 'supplies.read', district: r.district_code, unit: r.owner_unit };
}

function planVisibility(r: repo.PlanRow): Visibility {
  return { permission: 'supplies.read', district: r.district_code, unit: r.owner_unit };
}

type Names = Map<string, ItemInfo>;

/** the lines' item names and units, read on `db` (inside a transaction: its own, never a second connection) */
async function namesOf(db: Tx, rows: readonly repo.OrderRow[]): Promise<Names> {
  const codes = new Set<string>();
  for (const r of rows) for (const l of linesOf(r)) codes.add(l.itemCode);
  return codes.size ? itemInfoOf(db, [...codes]) : new Map();
}

function linesOf(r: repo.OrderRow): { itemCode: string; quantity: number }[] {
  return (typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) as { itemCode: string; quantity: number }[];
}

function proofOf(r: repo.OrderRow): DispatchOrder['proof'] {
  if (!r.proof) return null;
  const p = (typeof r.proof === 'string' ? JSON.parse(r.proof) : r.proof) as {
    receivedBy: string;
    note?: string | null;
    fileIds?: string[];
  };
  return { receivedBy: p.receivedBy, note: p.note ?? null, fileIds: p.fileIds ?? [] };
}

export function toOrder(r: repo.OrderRow, names: Names, now: Date): DispatchOrder {
  return {
    id: r.id,
    number: r.number,
    planId: r.plan_id,
    warehouseId: r.warehouse_id,
    warehouseName: r.warehouse_name,
    placeId: r.place_id,
    placeName: r.place_name,
    destination: { type: 'Point', coordinates: [r.lng, r.lat] },
    lines: linesOf(r).map((l) => {
      const info = names.get(l.itemCode);
      return {
        itemCode: l.itemCode,
        itemName: info?.name ?? l.itemCode,
        unit: info?.unit ?? '件',
        quantity: l.quantity,
      };
    }),
    state: r.state as OrderState,
    plannedDepartAt: r.planned_depart_at.toISOString(),
    etaAt: r.eta_at.toISOString(),
    loadedAt: r.loaded_at?.toISOString() ?? null,
    departedAt: r.departed_at?.toISOString() ?? null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    late: isLate({ state: r.state, etaAt: r.eta_at, deliveredAt: r.delivered_at }, now),
    vehicle: r.vehicle,
    driver: r.driver,
    proof: proofOf(r),
    version: r.version,
  };
}

async function emitOrder(
  trx: Tx,
  now: Date,
  type: 'dispatch_order.created' | 'dispatch_order.updated',
  order: DispatchOrder,
  r: repo.OrderRow,
): Promise<void> {
  await emitEvent(trx, now, {
    type,
    entity: 'dispatch_order',
    entityId: r.id,
    payload: order,
    visibility: orderVisibility(r),
  });
}

async function readPlan(deps: LogisticsDeps, ctx: RequestCtx, id: string): Promise<repo.PlanRow> {
  const p = await repo.findPlan(deps.db.kysely, id);
  if (!p) throw new AppError('NOT_FOUND', { field: 'id', entity: PLAN_ENTITY });
  requireInScope(ctx.actor, planVisibility(p), 'id');
  return p;
}

function answerOf(p: repo.PlanRow): StoredPlanAnswer {
  const a = (typeof p.answer === 'string' ? JSON.parse(p.answer) : p.answer) as Partial<StoredPlanAnswer>;
  return {
    startAt: a.startAt ?? p.start_at.toISOString(),
    places: a.places ?? [],
    shipments: a.shipments ?? [],
    unmet: a.unmet ?? [],
  };
}

/** The plan's orders, made once: one per warehouse × place of its shipments. */
export async function makeOrders(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  planId: string,
): Promise<{ items: DispatchOrder[]; total: number }> {
  requirePermission(ctx.actor, 'logistics.dispatch');
  const plan = await readPlan(deps, ctx, planId);
  const drafts = ordersFromPlan(answerOf(plan));
  if (drafts.length === 0) throw new AppError('PLAN_NOTHING_TO_SHIP', { field: 'id' });
  const warehouses = await repo.warehousesById(deps.db.kysely, [...new Set(drafts.map((d) => d.warehouseId))]);
  // the destination's district (geo door, outside the transaction), else the warehouse's
  const districts: (string | null)[] = [];
  for (const d of drafts) {
    const geo = deps.geo();
    const [lng, lat] = d.destination;
    const code = (await geo.districtAt(lng, lat))?.code ?? (await geo.seaAreaAt(lng, lat))?.districtCode ?? null;
    districts.push(code ?? warehouses.get(d.warehouseId)?.district_code ?? null);
  }
  const now = deps.clock.now();
  const made = await deps.db.transaction(async (trx) => {
    // the plan row locked: two requests for the same plan make its orders once
    await repo.findPlan(trx, planId, true);
    const had = await repo.countOrdersOfPlan(trx, planId);
    if (had > 0) throw new AppError('ORDERS_EXIST', { field: 'id', count: had });
    const ids: string[] = [];
    for (const [i, d] of drafts.entries()) {
      const id = deps.ids.next();
      await repo.insertOrder(trx, {
        id,
        number: await nextNumber(trx, 'DY', now),
        plan_id: planId,
        warehouse_id: d.warehouseId,
        place_id: d.placeId,
        place_name: d.placeName,
        lng: d.destination[0],
        lat: d.destination[1],
        lines: d.lines,
        planned_depart_at: d.plannedDepartAt,
        eta_at: d.etaAt,
        district_code: districts[i] ?? null,
        owner_unit: plan.owner_unit,
        now,
      });
      ids.push(id);
    }
    const rows = await repo.ordersOfPlan(trx, planId);
    const names = await namesOf(trx, rows);
    const orders = rows.map((r) => toOrder(r, names, now));
    for (const [i, r] of rows.entries()) await emitOrder(trx, now, 'dispatch_order.created', orders[i]!, r);
    await recordAudit(trx, ctx, now, {
      action: 'dispatch_order.created',
      entity: 'relief_plan',
      entityId: planId,
      after: { plan: plan.number, orders: orders.map((o) => o.number) },
    });
    return orders;
  });
  deps.afterCommit();
  return { items: made, total: made.length };
}

async function readOrder(deps: LogisticsDeps, ctx: RequestCtx, id: string, db: Tx = deps.db.kysely) {
  requirePermission(ctx.actor, 'supplies.read');
  const r = await repo.findOrder(db, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: ORDER_ENTITY });
  requireInScope(ctx.actor, orderVisibility(r), 'id');
  return r;
}

export async function getOrder(deps: LogisticsDeps, ctx: RequestCtx, id: string): Promise<DispatchOrder> {
  const r = await readOrder(deps, ctx, id);
  return toOrder(r, await namesOf(deps.db.kysely, [r]), deps.clock.now());
}

export async function listOrders(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: OrderQuery,
): Promise<{ items: DispatchOrder[]; total: number }> {
  requirePermission(ctx.actor, 'supplies.read');
  checkInput(OrderQuery, q);
  const now = deps.clock.now();
  const { rows, total } = await repo.listOrders(
    deps.db.kysely,
    {
      planId: q.planId,
      state: q.state,
      warehouseId: q.warehouseId,
      late: q.late === undefined ? undefined : { at: now, late: q.late },
    },
    ctx.actor,
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  const names = await namesOf(deps.db.kysely, rows);
  return { items: rows.map((r) => toOrder(r, names, now)), total };
}

/** A file given as proof must be one uploaded to this order (through /api/v1/files). */
async function checkProofFiles(deps: LogisticsDeps, ctx: RequestCtx, orderId: string, fileIds: string[]) {
  for (const [i, id] of fileIds.entries()) {
    const field = `fileIds.${i}`;
    let ok = false;
    try {
      const f = await deps.platform.files.info(ctx, id);
      ok = f.entity === 'dispatch_order' && f.entityId === orderId;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
    }
    if (!ok) throw new AppError('PROOF_FILE_NOT_OF_ORDER', { field });
  }
}

/**
 * Moves an order one step (ORDER_NEXT) on the version read. Loading issues its lines from the warehouse in the same
 * transaction (short → 409 naming the line, nothing changes); delivery needs `receivedBy`.
 */
export async function transitionOrder(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  id: string,
  body: OrderTransition,
): Promise<DispatchOrder> {
  requirePermission(ctx.actor, 'logistics.dispatch');
  checkInput(OrderTransition, body);
  const had = await readOrder(deps, ctx, id);
  const from = had.state as OrderState;
  const to = body.state;
  if (!ORDER_NEXT[from].includes(to)) {
    const words = (lang: 'zh' | 'en') =>
      ORDER_NEXT[from].map((s) => ORDER_STATE_INFO[s][lang]).join(lang === 'zh' ? '、' : ', ') ||
      (lang === 'zh' ? '无' : 'none');
    throw new AppError('ORDER_STATE_STEP', {
      field: 'state',
      from: ORDER_STATE_INFO[from],
      to: ORDER_STATE_INFO[to],
      allowed: { zh: words('zh'), en: words('en') },
    });
  }
  // cancelled after loading: the goods go back into the warehouse (a receipt, which is the warehouse's act:
  // stock.move); goods called from an agreement stay called, and the note says where they are
  const unload = to === 'cancelled' && from === 'loaded';
  if (unload && !body.note?.trim()) throw new AppError('CANCEL_NOTE_REQUIRED', { field: 'note' });
  if (unload) requirePermission(ctx.actor, 'stock.move');
  const receivedBy = body.receivedBy?.trim() ?? '';
  if (to === 'delivered') {
    if (!receivedBy) throw new AppError('RECEIVED_BY_REQUIRED', { field: 'receivedBy' });
    await checkProofFiles(deps, ctx, id, body.fileIds ?? []);
  }
  const now = deps.clock.now();
  const set: repo.OrderSet = { state: to };
  if (body.vehicle !== undefined) set.vehicle = body.vehicle.trim() || null;
  if (body.driver !== undefined) set.driver = body.driver.trim() || null;
  if (to === 'loaded') set.loaded_at = now;
  if (to === 'en_route') set.departed_at = now;
  if (to === 'delivered') {
    set.delivered_at = now;
    set.proof = JSON.stringify({ receivedBy, note: body.note?.trim() || null, fileIds: body.fileIds ?? [] });
  }
  const out = await deps.db.transaction(async (trx) => {
    if (!(await repo.updateOrder(trx, id, body.version, set, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    const lines = linesOf(had);
    let issued: string | null = null;
    if (to === 'loaded') {
      try {
        const r = await issueInTx(trx, deps, ctx, had.warehouse_id, lines, {
          counterpart: had.number,
          recipient: had.place_name ?? had.place_id,
          note: body.note?.trim() || `${ORDER_ENTITY.zh} ${had.number}`,
        });
        issued = r.docNo;
      } catch (err) {
        // the warehouse's lines are the order's lines, in the same order: name the order's line
        if (err instanceof AppError && err.code === 'STOCK_SHORT' && err.field?.startsWith('items.'))
          throw new AppError('STOCK_SHORT', { ...err.details, field: err.field.replace(/^items\./, 'lines.') });
        throw err;
      }
    }
    let returned: string | null = null;
    if (unload) {
      const w = await findWarehouse(trx, had.warehouse_id);
      const back = w && !isCommitted(w.reserve_type) ? await repo.issuedFor(trx, had.warehouse_id, had.number) : [];
      if (back.length) {
        const doc = await receive(
          deps,
          ctx,
          had.warehouse_id,
          {
            note: `${ORDER_ENTITY.zh} ${had.number} 取消退回 / order cancelled, goods returned: ${body.note?.trim()}`.slice(
              0,
              500,
            ),
            items: back.map((b) => ({
              itemCode: b.item_code,
              quantity: b.quantity,
              batch: b.batch,
              ...(b.expires_on ? { expiresOn: b.expires_on } : {}),
              ...(b.produced_on ? { producedOn: b.produced_on } : {}),
            })),
          },
          { trx },
        );
        returned = doc.docNo;
      }
    }
    const r = (await repo.findOrder(trx, id))!;
    const order = toOrder(r, await namesOf(trx, [r]), now);
    await recordAudit(trx, ctx, now, {
      action: 'dispatch_order.transition',
      entity: 'dispatch_order',
      entityId: id,
      before: { state: from, version: had.version },
      after: {
        state: to,
        ...(issued ? { issued } : {}),
        ...(returned ? { returned } : {}),
        ...(set.vehicle !== undefined ? { vehicle: set.vehicle } : {}),
        ...(set.driver !== undefined ? { driver: set.driver } : {}),
        ...(body.note ? { note: body.note } : {}),
        ...(to === 'delivered' ? { receivedBy, fileIds: body.fileIds ?? [] } : {}),
      },
    });
    // delivered or cancelled: nothing is owed any more, its late alarm leaves the trays
    if (to === 'delivered' || to === 'cancelled') await deps.platform.alerts.resolve(trx, now, 'dispatch_order', id);
    await emitOrder(trx, now, 'dispatch_order.updated', order, r);
    return order;
  });
  deps.afterCommit();
  return out;
}

/** What the plan still owes per place and item after its delivered orders, and its orders by state. */
export async function planProgress(deps: LogisticsDeps, ctx: RequestCtx, planId: string): Promise<PlanProgress> {
  requirePermission(ctx.actor, 'supplies.read');
  const plan = await readPlan(deps, ctx, planId);
  const now = deps.clock.now();
  const rows = await repo.ordersOfPlan(deps.db.kysely, planId);
  return progressOf(
    planId,
    answerOf(plan),
    rows.map((r) => ({
      state: r.state,
      placeId: r.place_id,
      lines: linesOf(r),
      late: isLate({ state: r.state, etaAt: r.eta_at, deliveredAt: r.delivered_at }, now),
    })),
  );
}

/**
 * One alarm per order still owed past its ETA (severity III: people wait for relief), visible as the order is, each
 * claimed once across instances. Called by the module's minute check, and by tests with their own clock.
 */
export async function raiseLateAlarms(deps: LogisticsDeps, now: Date = deps.clock.now()): Promise<number> {
  const ctx = systemCtx();
  const n = await deps.db.transaction(async (trx) => {
    const ids = await repo.claimLate(trx, now);
    for (const id of ids) {
      const r = (await repo.findOrder(trx, id))!;
      const place = r.place_name ?? r.place_id;
      const eta = cityDateTime(r.eta_at);
      await deps.platform.alerts.raise(trx, now, {
        source: 'dispatch_order',
        sourceId: id,
        severity: 'III',
        title: {
          zh: `调运单逾期未送达：${r.number}（${r.warehouse_name} → ${place}，预计 ${eta} 送达）`,
          en: `Dispatch order late: ${r.number} (${r.warehouse_name} → ${place}, due ${eta} Beijing time)`,
        },
        link: `/logistics/orders?id=${id}`,
        visibility: orderVisibility(r),
      });
      await recordAudit(trx, ctx, now, {
        action: 'dispatch_order.late',
        entity: 'dispatch_order',
        entityId: id,
        after: { etaAt: r.eta_at.toISOString(), state: r.state },
      });
      await emitOrder(trx, now, 'dispatch_order.updated', toOrder(r, await namesOf(trx, [r]), now), r);
    }
    return ids.length;
  });
  if (n > 0) deps.afterCommit();
  return n;
}

/** The `dispatch_order` entity for platform files: readers of the order read its photos, dispatchers add them. */
export function orderEntity(deps: LogisticsDeps) {
  return async (_ctx: RequestCtx, id: string): Promise<EntityRef | undefined> => {
    const r = await repo.findOrder(deps.db.kysely, id);
    return r ? { ...orderVisibility(r), attach: 'logistics.dispatch' } : undefined;
  };
}
