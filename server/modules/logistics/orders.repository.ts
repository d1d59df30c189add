/** SQL of dispatch orders (and the stored plans they are made from). */
import { sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

export interface PlanRow {
  id: string;
  number: string;
  name: string | null;
  district_code: string | null;
  owner_unit: string;
  start_at: Date;
  answer: unknown;
}

export async function findPlan(db: Tx, id: string, lock = false): Promise<PlanRow | undefined> {
  let q = db
    .selectFrom('relief_plans')
    .select(['id', 'number', 'name', 'district_code', 'owner_unit', 'start_at', 'answer'])
    .where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function warehousesById(
  db: Tx,
  ids: readonly string[],
): Promise<Map<string, { id: string; name: string; district_code: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('warehouses')
    .select(['id', 'name', 'district_code'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export interface OrderInsert {
  id: string;
  number: string;
  plan_id: string;
  warehouse_id: string;
  place_id: string;
  place_name: string | null;
  lng: number;
  lat: number;
  lines: { itemCode: string; quantity: number }[];
  planned_depart_at: Date;
  eta_at: Date;
  district_code: string | null;
  owner_unit: string;
  now: Date;
}

export async function insertOrder(trx: Tx, o: OrderInsert): Promise<void> {
  await trx
    .insertInto('dispatch_orders')
    .values({
      id: o.id,
      number: o.number,
      plan_id: o.plan_id,
      warehouse_id: o.warehouse_id,
      place_id: o.place_id,
      place_name: o.place_name,
      destination: sql`st_setsrid(st_makepoint(${o.lng}, ${o.lat}), 4326)`,
      lines: JSON.stringify(o.lines),
      planned_depart_at: o.planned_depart_at,
      eta_at: o.eta_at,
      district_code: o.district_code,
      owner_unit: o.owner_unit,
      created_at: o.now,
      updated_at: o.now,
    })
    .execute();
}

export async function countOrdersOfPlan(db: Tx, planId: string): Promise<number> {
  const r = await db
    .selectFrom('dispatch_orders')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('plan_id', '=', planId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function orderSelect(db: Tx) {
  return db
    .selectFrom('dispatch_orders as o')
    .innerJoin('warehouses as w', 'w.id', 'o.warehouse_id')
    .select([
      'o.id',
      'o.number',
      'o.plan_id',
      'o.warehouse_id',
      'o.place_id',
      'o.place_name',
      'o.lines',
      'o.state',
      'o.planned_depart_at',
      'o.eta_at',
      'o.loaded_at',
      'o.departed_at',
      'o.delivered_at',
      'o.vehicle',
      'o.driver',
      'o.proof',
      'o.late_alarmed',
      'o.district_code',
      'o.owner_unit',
      'o.version',
      'o.created_at',
      'o.updated_at',
      'w.name as warehouse_name',
      sql<number>`st_x(o.destination)`.as('lng'),
      sql<number>`st_y(o.destination)`.as('lat'),
    ]);
}
export type OrderRow = Awaited<ReturnType<ReturnType<typeof orderSelect>['executeTakeFirstOrThrow']>>;

export async function findOrder(db: Tx, id: string): Promise<OrderRow | undefined> {
  return orderSelect(db).where('o.id', '=', id).executeTakeFirst();
}

const OPEN = sql`('planned', 'loaded', 'en_route')`;

export interface OrderFilter {
  planId?: string;
  state?: string;
  warehouseId?: string;
  /** late as of this instant (true) or not late (false) */
  late?: { at: Date; late: boolean };
}

export async function listOrders(
  db: Tx,
  f: OrderFilter,
  actor: Actor | null,
  page: { limit: number; offset: number },
): Promise<{ rows: OrderRow[]; total: number }> {
  let q = orderSelect(db);
  if (f.planId) q = q.where('o.plan_id', '=', f.planId);
  if (f.state) q = q.where('o.state', '=', f.state);
  if (f.warehouseId) q = q.where('o.warehouse_id', '=', f.warehouseId);
  if (f.late) {
    const late = sql<boolean>`((o.state in ${OPEN} and o.eta_at < ${f.late.at})
      or (o.state = 'delivered' and o.delivered_at > o.eta_at))`;
    q = q.where(f.late.late ? late : sql<boolean>`not ${late}`);
  }
  const scope = actor ? scopeCondition(actor, { district: 'o.district_code', unit: 'o.owner_unit' }) : undefined;
  if (scope) q = q.where(scope);
  const [rows, count] = await Promise.all([
    q.orderBy('o.planned_depart_at').orderBy('o.number').limit(page.limit).offset(page.offset).execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface OrderSet {
  state: string;
  loaded_at?: Date;
  departed_at?: Date;
  delivered_at?: Date;
  vehicle?: string | null;
  driver?: string | null;
  proof?: string | null;
}

/** the change on the version read (undefined: the order changed meanwhile) */
export async function updateOrder(trx: Tx, id: string, version: number, set: OrderSet, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('dispatch_orders')
    .set({ ...set, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Claims the open orders past their ETA not yet alarmed (rows another instance is claiming are skipped), marking
 * them alarmed in the same statement: each late order is alarmed once.
 */
export async function claimLate(trx: Tx, now: Date, limit = 200): Promise<string[]> {
  const rows = await trx
    .updateTable('dispatch_orders')
    .set({ late_alarmed: true })
    .where(
      sql<boolean>`id in (select id from dispatch_orders where state in ${OPEN} and eta_at < ${now}
                   and not late_alarmed order by eta_at limit ${limit} for update skip locked)`,
    )
    .where('late_alarmed', '=', false)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function ordersOfPlan(db: Tx, planId: string): Promise<OrderRow[]> {
  return orderSelect(db).where('o.plan_id', '=', planId).orderBy('o.number').execute();
}
