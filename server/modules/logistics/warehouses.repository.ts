/** The warehouses' SQL: the register, agreements' commitments, and what a warehouse holds (for its fill). */
import { sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

export interface WarehouseRow {
  id: string;
  code: string;
  name: string;
  tier: string;
  reserve_type: string;
  lng: number;
  lat: number;
  district_code: string | null;
  address: string | null;
  capacity_m3: number | null;
  area_m2: number | null;
  manager: string | null;
  phones: string[];
  owner_unit: string;
  agreement: Record<string, unknown> | null;
  loading_minutes: number;
  active: boolean;
  notes: string | null;
  demo: boolean;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  /** m³ of the stock held (items with a volume) */
  stock_m3: number | null;
}

export interface WarehouseWrite {
  name: string;
  tier: string;
  reserve_type: string;
  lng: number;
  lat: number;
  district_code: string | null;
  address: string | null;
  capacity_m3: number | null;
  area_m2: number | null;
  manager: string | null;
  phones: string[];
  owner_unit: string;
  /** without its items (they are rows of warehouse_commitments) */
  agreement: Record<string, unknown> | null;
  loading_minutes: number;
  active: boolean;
  notes: string | null;
}

function select(db: Tx) {
  return db
    .selectFrom('warehouses as w')
    .selectAll('w')
    .select([
      sql<number>`st_x(w.geom)`.as('lng'),
      sql<number>`st_y(w.geom)`.as('lat'),
      sql<number | null>`(select sum(b.quantity * i.unit_volume_m3) from stock_batches b
         join supply_items i on i.code = b.item_code where b.warehouse_id = w.id and b.quantity > 0)`.as('stock_m3'),
    ]);
}

function fix(r: Record<string, unknown>): WarehouseRow {
  const a = r.agreement;
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...(r as unknown as WarehouseRow),
    geom: undefined,
    lng: Number(r.lng),
    lat: Number(r.lat),
    capacity_m3: num(r.capacity_m3),
    area_m2: num(r.area_m2),
    stock_m3: num(r.stock_m3),
    agreement: typeof a === 'string' ? (JSON.parse(a) as Record<string, unknown>) : (a as Record<string, unknown>),
  } as WarehouseRow;
}

export async function findWarehouse(db: Tx, id: string): Promise<WarehouseRow | undefined> {
  const r = await select(db).where('w.id', '=', id).executeTakeFirst();
  return r ? fix(r) : undefined;
}

export async function findWarehouseByCode(db: Tx, code: string): Promise<WarehouseRow | undefined> {
  const r = await select(db).where('w.code', '=', code).executeTakeFirst();
  return r ? fix(r) : undefined;
}

export async function warehousesById(db: Tx, ids: readonly string[]): Promise<WarehouseRow[]> {
  if (ids.length === 0) return [];
  return (
    await select(db)
      .where(sql<boolean>`w.id = any(${[...ids]}::text[])`)
      .execute()
  ).map(fix);
}

export interface WarehouseFilter {
  q?: string;
  tier?: string;
  reserveType?: string;
  district?: string;
  itemCode?: string;
  active?: boolean;
  ids?: readonly string[];
}

export async function listWarehouses(
  db: Tx,
  actor: Actor | null,
  f: WarehouseFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: WarehouseRow[]; total: number }> {
  let q = db.selectFrom('warehouses as w');
  const cond = actor ? scopeCondition(actor, { district: 'w.district_code', unit: 'w.owner_unit' }) : undefined;
  if (cond) q = q.where(cond);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('w.name', 'ilike', like), eb('w.code', 'ilike', like), eb('w.address', 'ilike', like)]),
    );
  }
  if (f.tier) q = q.where('w.tier', '=', f.tier);
  if (f.reserveType) q = q.where('w.reserve_type', '=', f.reserveType);
  if (f.district) q = q.where('w.district_code', '=', f.district);
  if (f.active !== undefined) q = q.where('w.active', '=', f.active);
  if (f.ids) q = q.where(sql<boolean>`w.id = any(${[...f.ids]}::text[])`);
  if (f.itemCode)
    q = q.where(
      sql<boolean>`(exists (select 1 from stock_batches b where b.warehouse_id = w.id and b.item_code = ${f.itemCode}
                      and b.quantity > 0)
                 or exists (select 1 from warehouse_commitments c where c.warehouse_id = w.id
                      and c.item_code = ${f.itemCode} and c.committed > c.called))`,
    );
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const ids = await q
    .select('w.id')
    .orderBy(sql`case w.tier when 'city' then 0 when 'district' then 1 else 2 end`)
    .orderBy('w.code')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  if (ids.length === 0) return { rows: [], total: Number(total.n) };
  const rows = await warehousesById(
    db,
    ids.map((r) => r.id),
  );
  const at = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  return { rows, total: Number(total.n) };
}

function values(w: WarehouseWrite) {
  return {
    name: w.name,
    tier: w.tier,
    reserve_type: w.reserve_type,
    geom: sql<string>`st_setsrid(st_makepoint(${w.lng}, ${w.lat}), 4326)`,
    district_code: w.district_code,
    address: w.address,
    capacity_m3: w.capacity_m3,
    area_m2: w.area_m2,
    manager: w.manager,
    phones: w.phones,
    owner_unit: w.owner_unit,
    agreement: w.agreement ? JSON.stringify(w.agreement) : null,
    loading_minutes: w.loading_minutes,
    active: w.active,
    notes: w.notes,
  };
}

export async function insertWarehouse(
  db: Tx,
  id: string,
  code: string,
  w: WarehouseWrite,
  by: string | null,
  now: Date,
  demo: boolean,
): Promise<void> {
  await db
    .insertInto('warehouses')
    .values({ id, code, ...values(w), demo, created_by: by, created_at: now, updated_at: now })
    .execute();
}

/** false when the version is not the stored one */
export async function updateWarehouse(
  db: Tx,
  id: string,
  w: WarehouseWrite,
  version: number,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('warehouses')
    .set((eb) => ({ ...values(w), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deactivate(db: Tx, id: string, version: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('warehouses')
    .set((eb) => ({ active: false, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteWarehouse(db: Tx, id: string, version: number): Promise<boolean> {
  await db.deleteFrom('stock_expiry_alarms').where('warehouse_id', '=', id).execute();
  await db.deleteFrom('stock_batches').where('warehouse_id', '=', id).where('quantity', '=', 0).execute();
  const r = await db.deleteFrom('warehouses').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Has the warehouse ever held stock or moved anything (a row in the ledger, a batch)? */
export async function inUse(db: Tx, id: string): Promise<boolean> {
  const r = await db
    .selectNoFrom([
      sql<boolean>`exists (select 1 from stock_movements where warehouse_id = ${id})`.as('moved'),
      sql<boolean>`exists (select 1 from stock_batches where warehouse_id = ${id} and quantity > 0)`.as('held'),
      sql<boolean>`exists (select 1 from dispatch_orders where warehouse_id = ${id})`.as('ordered'),
    ])
    .executeTakeFirstOrThrow();
  return !!(r.moved || r.held || r.ordered);
}

export async function holdsStock(db: Tx, id: string): Promise<boolean> {
  const r = await db
    .selectFrom('stock_batches')
    .select('warehouse_id')
    .where('warehouse_id', '=', id)
    .where('quantity', '>', 0)
    .limit(1)
    .executeTakeFirst();
  return !!r;
}

export interface CommitmentRow {
  warehouse_id: string;
  item_code: string;
  committed: number;
  called: number;
}

export async function commitmentsOf(db: Tx, ids: readonly string[]): Promise<CommitmentRow[]> {
  if (ids.length === 0) return [];
  return (
    await db
      .selectFrom('warehouse_commitments')
      .selectAll()
      .where(sql<boolean>`warehouse_id = any(${[...ids]}::text[])`)
      .orderBy('warehouse_id')
      .orderBy('item_code')
      .execute()
  ).map((r) => ({ ...r, committed: Number(r.committed), called: Number(r.called) }));
}

/** The agreement's items as its commitments: changed in place (what was called stays), missing ones removed. */
export async function setCommitments(
  db: Tx,
  id: string,
  items: readonly { itemCode: string; quantity: number }[],
): Promise<void> {
  const keep = items.map((i) => i.itemCode);
  let del = db.deleteFrom('warehouse_commitments').where('warehouse_id', '=', id);
  if (keep.length) del = del.where('item_code', 'not in', keep);
  await del.execute();
  for (const i of items)
    await db
      .insertInto('warehouse_commitments')
      .values({ warehouse_id: id, item_code: i.itemCode, committed: i.quantity, called: 0 })
      .onConflict((oc) => oc.columns(['warehouse_id', 'item_code']).doUpdateSet({ committed: i.quantity }))
      .execute();
}

export async function demoLoaded(db: Tx): Promise<boolean> {
  const r = await db.selectFrom('warehouses').select('id').where('demo', '=', true).limit(1).executeTakeFirst();
  return !!r;
}
