/** Relief plans as stored (request and answer kept whole), and the warehouses a plan may ship from. */
import { type Kysely, sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';

type Db = Kysely<Database>;

export interface WarehouseRow {
  id: string;
  name: string;
  lng: number;
  lat: number;
  loading_minutes: number;
  reserve_type: string;
  agreement: unknown;
}

/** active warehouses (only these ids when given), by id */
export async function activeWarehouses(db: Db, ids?: readonly string[]): Promise<WarehouseRow[]> {
  if (ids && ids.length === 0) return [];
  let q = db
    .selectFrom('warehouses as w')
    .select([
      'w.id',
      'w.name',
      sql<number>`st_x(w.geom)`.as('lng'),
      sql<number>`st_y(w.geom)`.as('lat'),
      'w.loading_minutes',
      'w.reserve_type',
      'w.agreement',
    ])
    .where('w.active', '=', true);
  if (ids) q = q.where('w.id', 'in', [...ids]);
  return (await q.orderBy('w.id').execute()) as WarehouseRow[];
}

/** warehouses by id, active or not (a stored plan's) */
export async function warehousesById(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; name: string; lng: number; lat: number }[]> {
  if (ids.length === 0) return [];
  return (await db
    .selectFrom('warehouses as w')
    .select(['w.id', 'w.name', sql<number>`st_x(w.geom)`.as('lng'), sql<number>`st_y(w.geom)`.as('lat')])
    .where('w.id', 'in', [...ids])
    .execute()) as { id: string; name: string; lng: number; lat: number }[];
}

export interface PlanInsert {
  id: string;
  number: string;
  name: string | null;
  incident_id: string | null;
  district_code: string | null;
  owner_unit: string;
  start_at: Date;
  deadline_at: Date;
  feasible: boolean;
  request: unknown;
  answer: unknown;
  created_by: string;
  created_at: Date;
}

export async function insertPlan(trx: Tx, r: PlanInsert): Promise<void> {
  await trx
    .insertInto('relief_plans')
    .values({ ...r, request: JSON.stringify(r.request), answer: JSON.stringify(r.answer) })
    .execute();
}

export interface PlanRow {
  id: string;
  district_code: string | null;
  owner_unit: string;
  answer: unknown;
}

export async function findPlan(db: Db, id: string): Promise<PlanRow | undefined> {
  return (await db
    .selectFrom('relief_plans')
    .select(['id', 'district_code', 'owner_unit', 'answer'])
    .where('id', '=', id)
    .executeTakeFirst()) as PlanRow | undefined;
}

export interface PlanListRow {
  id: string;
  number: string;
  name: string | null;
  incident_id: string | null;
  start_at: Date;
  deadline_at: Date;
  feasible: boolean;
  totals: unknown;
  place_count: number;
  shipment_count: number;
  created_by: unknown;
  created_at: Date;
}

export async function listPlans(
  db: Db,
  actor: Actor,
  q: { incidentId?: string; feasible?: boolean; limit: number; offset: number },
): Promise<{ rows: PlanListRow[]; total: number }> {
  let base = db.selectFrom('relief_plans as p');
  const scope = scopeCondition(actor, { district: 'p.district_code', unit: 'p.owner_unit' });
  if (scope) base = base.where(scope);
  if (q.incidentId) base = base.where('p.incident_id', '=', q.incidentId);
  if (q.feasible !== undefined) base = base.where('p.feasible', '=', q.feasible);
  const total = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select([
      'p.id',
      'p.number',
      'p.name',
      'p.incident_id',
      'p.start_at',
      'p.deadline_at',
      'p.feasible',
      sql<unknown>`p.answer -> 'totals'`.as('totals'),
      sql<number>`jsonb_array_length(p.answer -> 'places')`.as('place_count'),
      sql<number>`jsonb_array_length(p.answer -> 'shipments')`.as('shipment_count'),
      sql<unknown>`p.answer -> 'createdBy'`.as('created_by'),
      'p.created_at',
    ])
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return { rows: rows as PlanListRow[], total: Number(total.n) };
}
