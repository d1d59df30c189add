/**
 * Stock by batch and the ledger's SQL. Every change of a warehouse's item first takes that (warehouse, item)'s
 * transaction lock (`lockItems`, all pairs in one sorted order, so two writers never wait on each other in a
 * circle), then locks its batches `for update` in the fixed order item, expiry, batch: two issues of one item run
 * one after the other, each seeing what the other left, and the ledger's balances follow `seq`.
 */
import { sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

/** the advisory lock space of stock (the two-key form; the key is the hash of `warehouse/item`) */
const STOCK_LOCK_SPACE = 0x57_48_53_54;

export interface BatchRow {
  warehouse_id: string;
  item_code: string;
  batch: string;
  quantity: number;
  produced_on: string | null;
  expires_on: string | null;
  received_at: Date;
}

const fixBatch = (r: BatchRow): BatchRow => ({ ...r, quantity: Number(r.quantity) });

/**
 * Takes the transaction locks of these (warehouse, item) pairs in one order (sorted keys): every stock writer does
 * this first, so writers of the same pairs queue and writers of different pairs pass.
 */
export async function lockItems(trx: Tx, pairs: readonly { warehouseId: string; itemCode: string }[]): Promise<void> {
  const keys = [...new Set(pairs.map((p) => `${p.warehouseId}/${p.itemCode}`))].sort();
  if (keys.length === 0) return;
  // the subquery's order is the order the locks are taken in
  await sql`select count(pg_advisory_xact_lock(${STOCK_LOCK_SPACE}::int4, hashtext(k.key)))
            from (select key from unnest(${keys}::text[]) as key order by key) as k`.execute(trx);
}

/** The batches of these items in a warehouse, locked for update in the order item, expiry (none last), batch. */
export async function lockBatches(trx: Tx, warehouseId: string, itemCodes: readonly string[]): Promise<BatchRow[]> {
  if (itemCodes.length === 0) return [];
  const r = await sql<BatchRow>`select warehouse_id, item_code, batch, quantity, produced_on, expires_on, received_at
      from stock_batches where warehouse_id = ${warehouseId} and item_code = any(${[...itemCodes]}::text[])
      order by item_code, expires_on nulls last, batch for update`.execute(trx);
  return r.rows.map(fixBatch);
}

export async function setBatchQuantity(
  trx: Tx,
  b: { warehouseId: string; itemCode: string; batch: string },
  quantity: number,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('stock_batches')
    .set({ quantity, updated_at: now })
    .where('warehouse_id', '=', b.warehouseId)
    .where('item_code', '=', b.itemCode)
    .where('batch', '=', b.batch)
    .execute();
}

export async function insertBatch(
  trx: Tx,
  b: {
    warehouseId: string;
    itemCode: string;
    batch: string;
    quantity: number;
    producedOn: string | null;
    expiresOn: string | null;
  },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('stock_batches')
    .values({
      warehouse_id: b.warehouseId,
      item_code: b.itemCode,
      batch: b.batch,
      quantity: b.quantity,
      produced_on: b.producedOn,
      expires_on: b.expiresOn,
      received_at: now,
      updated_at: now,
    })
    .execute();
}

export interface MovementWrite {
  id: string;
  doc_no: string;
  kind: string;
  warehouse_id: string;
  item_code: string;
  batch: string | null;
  quantity: number;
  balance: number;
  operator_id: string;
  operator_name: string;
  at: Date;
  note: string | null;
  counterpart: string | null;
}

export interface MovementRow extends MovementWrite {
  seq: number;
}

export async function insertMovements(trx: Tx, rows: readonly MovementWrite[]): Promise<MovementRow[]> {
  if (rows.length === 0) return [];
  const out = await trx
    .insertInto('stock_movements')
    .values([...rows])
    .returningAll()
    .execute();
  return out.map((r) => ({ ...r, quantity: Number(r.quantity), balance: Number(r.balance), seq: Number(r.seq) }));
}

/** A commitment locked for update (an agreement's call). */
export async function lockCommitments(
  trx: Tx,
  warehouseId: string,
  itemCodes: readonly string[],
): Promise<{ item_code: string; committed: number; called: number }[]> {
  if (itemCodes.length === 0) return [];
  const r = await sql<{ item_code: string; committed: number; called: number }>`
      select item_code, committed, called from warehouse_commitments
      where warehouse_id = ${warehouseId} and item_code = any(${[...itemCodes]}::text[])
      order by item_code for update`.execute(trx);
  return r.rows.map((x) => ({ ...x, committed: Number(x.committed), called: Number(x.called) }));
}

export async function setCalled(trx: Tx, warehouseId: string, itemCode: string, called: number): Promise<void> {
  await trx
    .updateTable('warehouse_commitments')
    .set({ called })
    .where('warehouse_id', '=', warehouseId)
    .where('item_code', '=', itemCode)
    .execute();
}

/** Batches with stock of a warehouse (or several), for the stock list. */
export async function batchesOf(
  db: Tx,
  f: { warehouseIds: readonly string[]; itemCode?: string; expiringBy?: string },
): Promise<BatchRow[]> {
  if (f.warehouseIds.length === 0) return [];
  let q = db
    .selectFrom('stock_batches')
    .select(['warehouse_id', 'item_code', 'batch', 'quantity', 'produced_on', 'expires_on', 'received_at'])
    .where(sql<boolean>`warehouse_id = any(${[...f.warehouseIds]}::text[])`)
    .where('quantity', '>', 0);
  if (f.itemCode) q = q.where('item_code', '=', f.itemCode);
  if (f.expiringBy) q = q.where('expires_on', '<=', f.expiringBy);
  const rows = await q.orderBy('item_code').orderBy(sql`expires_on nulls last`).orderBy('batch').execute();
  return rows.map(fixBatch);
}

export interface SupplyDbRow {
  warehouse_id: string;
  name: string;
  lng: number;
  lat: number;
  tier: string;
  reserve_type: string;
  district_code: string | null;
  agreement: unknown;
  loading_minutes: number;
  item_code: string;
  quantity: number;
}

/**
 * What active warehouses can supply on `day`: stock not expired that day (government and social reserves), and an
 * agreement's or a capacity reserve's uncalled commitment while its agreement is valid.
 */
export async function supplyRows(
  db: Tx,
  day: string,
  f: { warehouseIds?: readonly string[]; itemCodes?: readonly string[] },
): Promise<SupplyDbRow[]> {
  const wh = f.warehouseIds ? sql`and w.id = any(${[...f.warehouseIds]}::text[])` : sql``;
  const itB = f.itemCodes ? sql`and b.item_code = any(${[...f.itemCodes]}::text[])` : sql``;
  const itC = f.itemCodes ? sql`and c.item_code = any(${[...f.itemCodes]}::text[])` : sql``;
  const r = await sql<SupplyDbRow>`
    select w.id as warehouse_id, w.name, st_x(w.geom) as lng, st_y(w.geom) as lat, w.tier, w.reserve_type,
           w.district_code, w.agreement, w.loading_minutes, s.item_code, s.quantity
    from warehouses w
    join (
      select b.warehouse_id, b.item_code, sum(b.quantity)::int8 as quantity, false as committed
      from stock_batches b
      where b.quantity > 0 and (b.expires_on is null or b.expires_on >= ${day}) ${itB}
      group by b.warehouse_id, b.item_code
      union all
      select c.warehouse_id, c.item_code, (c.committed - c.called)::int8 as quantity, true as committed
      from warehouse_commitments c
      where c.committed > c.called ${itC}
    ) s on s.warehouse_id = w.id
    where w.active ${wh}
      and (case when w.reserve_type in ('agreement', 'capacity')
             then s.committed and coalesce(w.agreement->>'validUntil', '9999-12-31') >= ${day}
             else not s.committed end)
    order by w.id, s.item_code`.execute(db);
  return r.rows.map((x) => ({
    ...x,
    lng: Number(x.lng),
    lat: Number(x.lat),
    quantity: Number(x.quantity),
    loading_minutes: Number(x.loading_minutes),
    agreement: typeof x.agreement === 'string' ? JSON.parse(x.agreement) : x.agreement,
  }));
}

export interface HoldingRow {
  district_code: string | null;
  tier: string;
  item_code: string;
  stock: number;
  committed: number;
  expiring: number;
}

/** Stock (not expired on `day`), uncalled commitments and stock expiring by `yearEnd`, by district, tier and item. */
export async function holdingRows(db: Tx, day: string, yearEnd: string): Promise<HoldingRow[]> {
  const r = await sql<HoldingRow>`
    select w.district_code, w.tier, s.item_code, sum(s.stock)::int8 as stock, sum(s.committed)::int8 as committed,
           sum(s.expiring)::int8 as expiring
    from warehouses w
    join (
      select b.warehouse_id, b.item_code, false as commitment,
             coalesce(sum(b.quantity) filter (where b.expires_on is null or b.expires_on >= ${day}), 0) as stock,
             0 as committed,
             coalesce(sum(b.quantity) filter (where b.expires_on >= ${day} and b.expires_on <= ${yearEnd}), 0)
               as expiring
      from stock_batches b where b.quantity > 0
      group by b.warehouse_id, b.item_code
      union all
      select c.warehouse_id, c.item_code, true, 0, c.committed - c.called, 0
      from warehouse_commitments c where c.committed > c.called
    ) s on s.warehouse_id = w.id
    where w.active
      and (case when w.reserve_type in ('agreement', 'capacity')
             then s.commitment and coalesce(w.agreement->>'validUntil', '9999-12-31') >= ${day}
             else not s.commitment end)
    group by w.district_code, w.tier, s.item_code
    order by w.district_code nulls first, w.tier, s.item_code`.execute(db);
  return r.rows.map((x) => ({
    ...x,
    stock: Number(x.stock ?? 0),
    committed: Number(x.committed ?? 0),
    expiring: Number(x.expiring ?? 0),
  }));
}

/** The balance of each item in a warehouse: every batch, expired or not (what the shelves hold). */
export function balanceOf(batches: readonly BatchRow[], itemCode: string): number {
  return batches.filter((b) => b.item_code === itemCode).reduce((n, b) => n + b.quantity, 0);
}

export interface MovementFilter {
  warehouseId?: string;
  itemCode?: string;
  kind?: string;
  docNo?: string;
  from?: Date;
  to?: Date;
}

/** The ledger, newest first, within the actor's scope (the warehouse's district and owner unit). */
export async function listMovements(
  db: Tx,
  actor: Actor | null,
  f: MovementFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: MovementRow[]; total: number }> {
  let q = db.selectFrom('stock_movements as m').innerJoin('warehouses as w', 'w.id', 'm.warehouse_id');
  const cond = actor ? scopeCondition(actor, { district: 'w.district_code', unit: 'w.owner_unit' }) : undefined;
  if (cond) q = q.where(cond);
  if (f.warehouseId) q = q.where('m.warehouse_id', '=', f.warehouseId);
  if (f.itemCode) q = q.where('m.item_code', '=', f.itemCode);
  if (f.kind) q = q.where('m.kind', '=', f.kind);
  if (f.docNo) q = q.where('m.doc_no', '=', f.docNo);
  if (f.from) q = q.where('m.at', '>=', f.from);
  if (f.to) q = q.where('m.at', '<', f.to);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll('m').orderBy('m.seq', 'desc').limit(page.limit).offset(page.offset).execute();
  return {
    rows: rows.map((r) => ({ ...r, quantity: Number(r.quantity), balance: Number(r.balance), seq: Number(r.seq) })),
    total: Number(total.n),
  };
}

/** Batches of government and social stock expiring by `by` (or expired) whose alarm of this threshold is not raised. */
export async function unalarmedExpiring(
  db: Tx,
  by: string,
  threshold: string,
  limit: number,
): Promise<(BatchRow & { warehouse_name: string; district_code: string | null; owner_unit: string })[]> {
  const r = await sql<BatchRow & { warehouse_name: string; district_code: string | null; owner_unit: string }>`
    select b.warehouse_id, b.item_code, b.batch, b.quantity, b.produced_on, b.expires_on, b.received_at,
           w.name as warehouse_name, w.district_code, w.owner_unit
    from stock_batches b join warehouses w on w.id = b.warehouse_id
    where b.quantity > 0 and b.expires_on is not null and b.expires_on <= ${by} and w.active
      and not exists (select 1 from stock_expiry_alarms a where a.warehouse_id = b.warehouse_id
                      and a.item_code = b.item_code and a.batch = b.batch and a.threshold = ${threshold})
    order by b.expires_on, b.warehouse_id, b.item_code, b.batch
    limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ ...x, quantity: Number(x.quantity) }));
}

/** Claims a batch's alarm of a threshold: true for the one transaction that claims it first. */
export async function claimExpiryAlarm(
  trx: Tx,
  b: { warehouse_id: string; item_code: string; batch: string },
  threshold: string,
  now: Date,
): Promise<boolean> {
  const r = await trx
    .insertInto('stock_expiry_alarms')
    .values({ warehouse_id: b.warehouse_id, item_code: b.item_code, batch: b.batch, threshold, raised_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('batch')
    .executeTakeFirst();
  return !!r;
}
