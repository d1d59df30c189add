/**
 * Stock by batch and its ledger (台账). Every change is a document (`WZ-…` unless the paper's number is given) of
 * signed movements with the item's balance after each, the operator, and one audit row and one `stock.moved` event.
 * Issues take the earliest expiry first and never an expired batch; a line that is short refuses the whole document
 * (409 `STOCK_SHORT` naming `items.{i}.quantity`) and nothing is written. Agreement and capacity reserves keep no
 * stock here: an issue from them is a call on their commitment.
 *
 * Locks: a writer first takes the (warehouse, item) locks of everything it touches in one sorted order, then its
 * batches `for update` (item, expiry, batch), then the document number, then the audit chain — always in this order,
 * so parallel writers queue without deadlocks and never oversell.
 *
 * The other parts use: `supplyFor` (plans), `issueInTx` (dispatch loading), `itemInfo`, `holdings` (gaps).
 */
import {
  AdjustInput,
  type Batch,
  EXPIRY_SOON_DAYS,
  IssueInput,
  type Movement,
  type MovementKind,
  MovementQuery,
  RESERVE_TYPE_INFO,
  ReceiptInput,
  type ReserveType,
  type StockLine,
  StockQuery,
  StocktakeInput,
  type StocktakeReply,
  TransferInput,
  type WarehouseTier,
} from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { cityDate, parseTime } from '../../platform/time.ts';
import { type ItemInfo, itemInfoOf, knownItems } from './catalogue.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import * as repo from './stock.repository.ts';
import './stock.errors.ts';
import * as whRepo from './warehouses.repository.ts';
import { isCommitted, readWarehouse, WAREHOUSE_ENTITY, warehouseVisibility } from './warehouses.service.ts';

const DAY = 86_400_000;

/** `YYYY-MM-DD` in Beijing, `days` after `at` */
export function dayAfter(at: Date, days: number): string {
  return cityDate(at.getTime() + days * DAY);
}

// ————— what the other parts use —————

export interface SupplyRow {
  warehouseId: string;
  name: string;
  location: [number, number];
  tier: WarehouseTier;
  reserveType: ReserveType;
  districtCode: string | null;
  leadTimeHours: number;
  loadingMinutes: number;
  itemCode: string;
  quantity: number;
}

/**
 * Supply available per warehouse and item: government and social stock not expired on `at` (its Beijing day; per
 * batch, summed); agreement and capacity reserves: committed − called while the agreement is valid, with the
 * agreement's lead time. Only active warehouses; no permission check (the caller's route has its own).
 */
export async function supplyFor(
  deps: LogisticsDeps,
  q: { warehouseIds?: string[]; itemCodes?: string[]; at: Date },
): Promise<SupplyRow[]> {
  const rows = await repo.supplyRows(deps.db.kysely, cityDate(q.at), q);
  return rows.map((r) => {
    const committed = isCommitted(r.reserve_type);
    const lead = committed ? Number((r.agreement as { leadTimeHours?: number } | null)?.leadTimeHours ?? 0) : 0;
    return {
      warehouseId: r.warehouse_id,
      name: r.name,
      location: [r.lng, r.lat],
      tier: r.tier as WarehouseTier,
      reserveType: r.reserve_type as ReserveType,
      districtCode: r.district_code,
      leadTimeHours: lead,
      loadingMinutes: r.loading_minutes,
      itemCode: r.item_code,
      quantity: r.quantity,
    };
  });
}

/** The items' names and units: the catalogue's row, else the standard's name and '件'; an unknown code is absent. */
export async function itemInfo(deps: LogisticsDeps, codes: string[]): Promise<Map<string, ItemInfo>> {
  return itemInfoOf(deps.db.kysely, codes);
}

/**
 * Stock and uncalled commitments summed by the warehouses' district, tier and item (active warehouses; stock not
 * expired on `at`; commitments of valid agreements), and the stock expiring within a year of `at` (rotation).
 */
export async function holdings(
  deps: LogisticsDeps,
  at: Date,
): Promise<
  {
    districtCode: string | null;
    tier: WarehouseTier;
    itemCode: string;
    stock: number;
    committed: number;
    expiringWithinYear: number;
  }[]
> {
  const rows = await repo.holdingRows(deps.db.kysely, cityDate(at), dayAfter(at, 365));
  return rows.map((r) => ({
    districtCode: r.district_code,
    tier: r.tier as WarehouseTier,
    itemCode: r.item_code,
    stock: r.stock,
    committed: r.committed,
    expiringWithinYear: r.expiring,
  }));
}

export interface IssueOptions {
  /** the paper document's number; a `WZ-…` number is given when empty */
  docNo?: string;
  note?: string;
  /** the ledger's counterpart column (a dispatch order's number); default: the recipient */
  counterpart?: string;
  /** whom for (a place, an incident, a unit) */
  recipient?: string;
}

/**
 * Issues inside the caller's transaction: stock by earliest expiry first (expired batches are not issued), or, for
 * an agreement or capacity reserve, a call on its commitment. Refuses the whole (409 `STOCK_SHORT`, field
 * `items.{i}.quantity`) when any line is short, before anything is written. Writes the movements with the document
 * number and the operator, the audit row and the `stock.moved` event. No permission or scope check: the caller
 * checks its own (a dispatch order's `logistics.dispatch`).
 *
 * Lock order: call it before the caller writes its own audit row (the audit chain's lock is taken last).
 */
export async function issueInTx(
  trx: Tx,
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  items: { itemCode: string; quantity: number }[],
  o: IssueOptions,
): Promise<{ docNo: string; movements: Movement[] }> {
  const now = deps.clock.now();
  const w = await activeWarehouse(trx, warehouseId, 'warehouseId');
  items.forEach((l, i) => {
    if (!Number.isInteger(l.quantity) || l.quantity < 1)
      throw new AppError('VALIDATION', {
        field: `items.${i}.quantity`,
        reason: { zh: '应为正整数', en: 'must be a whole number ≥ 1' },
      });
  });
  const info = await knownItems(trx, items, (i) => `items.${i}.itemCode`);
  await repo.lockItems(
    trx,
    items.map((l) => ({ warehouseId, itemCode: l.itemCode })),
  );
  const taken = await planTake(trx, w, items, info, now);
  const docNo = o.docNo?.trim() || (await nextNumber(trx, 'WZ', now));
  const rows = await applyTake(trx, deps, ctx, w, taken, now, {
    kind: isCommitted(w.reserve_type) ? 'call' : 'issue',
    docNo,
    note: o.note?.trim() || null,
    counterpart: o.counterpart?.trim() || o.recipient?.trim() || null,
  });
  await recordAudit(trx, ctx, now, {
    action: isCommitted(w.reserve_type) ? 'stock.called' : 'stock.issued',
    entity: 'warehouse',
    entityId: warehouseId,
    after: { docNo, items, recipient: o.recipient ?? null, counterpart: o.counterpart ?? null, note: o.note ?? null },
  });
  await movedEvent(trx, now, w, docNo, rows);
  return { docNo, movements: rows.map((r) => toMovement(r, info)) };
}

// ————— the pieces of every movement —————

type WarehouseRow = whRepo.WarehouseRow;

async function activeWarehouse(db: Tx, id: string, field: string): Promise<WarehouseRow> {
  const w = await whRepo.findWarehouse(db, id);
  if (!w) throw new AppError('NOT_FOUND', { field, entity: WAREHOUSE_ENTITY });
  if (!w.active) throw new AppError('WAREHOUSE_INACTIVE', { field, name: w.name });
  return w;
}

function keepsStock(w: WarehouseRow, field: string): void {
  if (isCommitted(w.reserve_type)) {
    const t = RESERVE_TYPE_INFO[w.reserve_type as ReserveType];
    throw new AppError('WAREHOUSE_NO_STOCK_KEPT', { field, type: { zh: t.zh, en: t.en.toLowerCase() } });
  }
}

function operatorOf(ctx: RequestCtx): { operator_id: string; operator_name: string } {
  return { operator_id: ctx.actor.id ?? ctx.actor.kind, operator_name: ctx.actor.name };
}

export function toMovement(r: repo.MovementRow, info: Map<string, ItemInfo>): Movement {
  return {
    id: r.id,
    docNo: r.doc_no,
    kind: r.kind as MovementKind,
    warehouseId: r.warehouse_id,
    itemCode: r.item_code,
    itemName: info.get(r.item_code)?.name ?? r.item_code,
    batch: r.batch,
    quantity: r.quantity,
    balance: r.balance,
    operator: { id: r.operator_id, name: r.operator_name },
    at: r.at.toISOString(),
    note: r.note,
    counterpart: r.counterpart,
  };
}

/** What a take-out will do: per line, the batches and quantities (or the commitment's call), and the balances. */
interface Take {
  itemCode: string;
  /** batch null: a call on the commitment */
  parts: { batch: string | null; quantity: number; left: number }[];
  balanceBefore: number;
}

function unitWords(info: ItemInfo | undefined): string {
  return info?.unit ?? '件';
}

/**
 * Locks the batches (or commitments) of the lines and plans the take: earliest expiry first, expired batches left;
 * the first short line refuses the whole. The (warehouse, item) locks must be held already.
 */
async function planTake(
  trx: Tx,
  w: WarehouseRow,
  items: readonly { itemCode: string; quantity: number }[],
  info: Map<string, ItemInfo>,
  now: Date,
): Promise<Take[]> {
  const codes = [...new Set(items.map((l) => l.itemCode))];
  const today = cityDate(now);
  const need = new Map<string, number>();
  const short = (i: number, code: string, available: number, extra: { zh: string; en: string } | string) => {
    const it = info.get(code);
    return new AppError('STOCK_SHORT', {
      field: `items.${i}.quantity`,
      item: it?.name ?? code,
      itemCode: code,
      unit: unitWords(it),
      requested: need.get(code),
      available,
      extra,
    });
  };
  if (isCommitted(w.reserve_type)) {
    const valid = String((w.agreement as { validUntil?: string | null } | null)?.validUntil ?? '9999-12-31') >= today;
    const rows = new Map((await repo.lockCommitments(trx, w.id, codes)).map((c) => [c.item_code, c]));
    const left = new Map([...rows].map(([k, c]) => [k, valid ? c.committed - c.called : 0]));
    const takes: Take[] = [];
    items.forEach((l, i) => {
      need.set(l.itemCode, (need.get(l.itemCode) ?? 0) + l.quantity);
      const c = rows.get(l.itemCode);
      const have = left.get(l.itemCode) ?? 0;
      if (have < l.quantity) {
        const extra = !c
          ? { zh: '（协议未承诺此物资）', en: ' (the agreement does not commit this item)' }
          : !valid
            ? { zh: '（协议已过期）', en: ' (the agreement has expired)' }
            : '';
        throw short(i, l.itemCode, c && valid ? c.committed - c.called : 0, extra);
      }
      left.set(l.itemCode, have - l.quantity);
      const balanceBefore = have;
      takes.push({
        itemCode: l.itemCode,
        balanceBefore,
        parts: [{ batch: null, quantity: l.quantity, left: have - l.quantity }],
      });
    });
    return takes;
  }
  const batches = await repo.lockBatches(trx, w.id, codes);
  const usable = batches.filter((b) => b.quantity > 0 && (b.expires_on === null || b.expires_on >= today));
  const left = new Map(usable.map((b) => [`${b.item_code}\u0000${b.batch}`, b.quantity]));
  const balance = new Map(codes.map((c) => [c, repo.balanceOf(batches, c)]));
  const takes: Take[] = [];
  items.forEach((l, i) => {
    need.set(l.itemCode, (need.get(l.itemCode) ?? 0) + l.quantity);
    let want = l.quantity;
    const parts: Take['parts'] = [];
    for (const b of usable) {
      if (want === 0) break;
      if (b.item_code !== l.itemCode) continue;
      const key = `${b.item_code}\u0000${b.batch}`;
      const have = left.get(key) ?? 0;
      if (have === 0) continue;
      const q = Math.min(have, want);
      left.set(key, have - q);
      want -= q;
      parts.push({ batch: b.batch, quantity: q, left: have - q });
    }
    if (want > 0) {
      const available = usable.filter((b) => b.item_code === l.itemCode).reduce((n, b) => n + b.quantity, 0);
      const expired = batches
        .filter((b) => b.item_code === l.itemCode && b.expires_on !== null && b.expires_on < today)
        .reduce((n, b) => n + b.quantity, 0);
      const u = unitWords(info.get(l.itemCode));
      throw short(
        i,
        l.itemCode,
        available,
        expired
          ? { zh: `（另有已过期 ${expired} ${u} 不能出库）`, en: ` (${expired} ${u} more are expired and not issued)` }
          : '',
      );
    }
    const before = balance.get(l.itemCode) ?? 0;
    balance.set(l.itemCode, before - l.quantity);
    takes.push({ itemCode: l.itemCode, parts, balanceBefore: before });
  });
  return takes;
}

/** Writes a planned take: the batches' (or commitments') new quantities and one movement per batch taken from. */
async function applyTake(
  trx: Tx,
  deps: LogisticsDeps,
  ctx: RequestCtx,
  w: WarehouseRow,
  takes: readonly Take[],
  now: Date,
  m: { kind: MovementKind; docNo: string; note: string | null; counterpart: string | null },
): Promise<repo.MovementRow[]> {
  const writes: repo.MovementWrite[] = [];
  for (const t of takes) {
    let balance = t.balanceBefore;
    for (const p of t.parts) {
      if (p.batch === null) {
        const c = await repo.lockCommitments(trx, w.id, [t.itemCode]);
        await repo.setCalled(trx, w.id, t.itemCode, (c[0]?.called ?? 0) + p.quantity);
      } else await repo.setBatchQuantity(trx, { warehouseId: w.id, itemCode: t.itemCode, batch: p.batch }, p.left, now);
      balance -= p.quantity;
      writes.push({
        id: deps.ids.next(),
        doc_no: m.docNo,
        kind: m.kind,
        warehouse_id: w.id,
        item_code: t.itemCode,
        batch: p.batch,
        quantity: -p.quantity,
        balance,
        ...operatorOf(ctx),
        at: now,
        note: m.note,
        counterpart: m.counterpart,
      });
    }
  }
  return repo.insertMovements(trx, writes);
}

async function movedEvent(trx: Tx, now: Date, w: WarehouseRow, docNo: string, rows: readonly repo.MovementRow[]) {
  await emitEvent(trx, now, {
    type: 'stock.moved',
    entity: 'warehouse',
    entityId: w.id,
    payload: { warehouseId: w.id, docNo, kinds: [...new Set(rows.map((r) => r.kind))], movements: rows.length },
    visibility: warehouseVisibility(w),
  });
}

/** A warehouse the actor may move stock of: stock.move, in scope, active. */
async function movableWarehouse(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  id: string,
  db: Tx = deps.db.kysely,
): Promise<WarehouseRow> {
  requirePermission(ctx.actor, 'stock.move');
  const w = await readWarehouse(deps, ctx, id, 'id', db);
  if (!w.active) throw new AppError('WAREHOUSE_INACTIVE', { field: 'id', name: w.name });
  return w;
}

// ————— documents —————

export interface MovementDoc {
  docNo: string;
  movements: Movement[];
}

/**
 * A receipt's checks, without writing (a single receipt, and each row of a receipts import's dry run): the
 * warehouse (stock.move, scope, in use, keeps stock), the items, each line's expiry (given, or the production day
 * plus the item's shelf life; not past) and batch numbers not repeated.
 */
export async function checkReceipt(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  input: ReceiptInput,
  db: Tx = deps.db.kysely,
) {
  checkInput(ReceiptInput, input);
  const w = await movableWarehouse(deps, ctx, warehouseId, db);
  keepsStock(w, 'id');
  const info = await knownItems(db, input.items, (i) => `items.${i}.itemCode`);
  const today = cityDate(deps.clock.now());
  // each line resolved: its batch and expiry
  const lines = input.items.map((l, i) => {
    const shelf = info.get(l.itemCode)?.shelfLifeDays ?? null;
    const expiresOn =
      l.expiresOn ??
      (l.producedOn && shelf ? cityDate(new Date(`${l.producedOn}T12:00:00+08:00`).getTime() + shelf * DAY) : null);
    if (expiresOn && expiresOn < today)
      throw new AppError('STOCK_RECEIPT_EXPIRED', { field: `items.${i}.expiresOn`, value: expiresOn });
    if (l.producedOn && expiresOn && l.producedOn > expiresOn)
      throw new AppError('VALIDATION', {
        field: `items.${i}.producedOn`,
        reason: { zh: '生产日期晚于有效期', en: 'produced after its expiry' },
      });
    if (l.producedOn && l.producedOn > today)
      throw new AppError('VALIDATION', {
        field: `items.${i}.producedOn`,
        reason: { zh: '生产日期不能晚于今天', en: 'must not be after today' },
      });
    return { ...l, batch: l.batch?.trim(), expiresOn, index: i };
  });
  const seen = new Set<string>();
  for (const l of lines) {
    if (!l.batch) continue;
    const k = `${l.itemCode}\u0000${l.batch}`;
    if (seen.has(k))
      throw new AppError('STOCK_DUPLICATE_LINE', {
        field: `items.${l.index}.batch`,
        item: info.get(l.itemCode)?.name ?? l.itemCode,
        batch: l.batch,
      });
    seen.add(k);
  }
  return { w, info, lines };
}

/** A receipt (入库): batches added to, or new ones; an expiry given or worked out from the production day. */
export async function receive(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  input: ReceiptInput,
  opts: { trx?: Tx } = {},
): Promise<MovementDoc> {
  // inside an import's transaction every read goes through it (PGlite has one connection)
  const { w, info, lines } = await checkReceipt(deps, ctx, warehouseId, input, opts.trx ?? deps.db.kysely);
  const now = deps.clock.now();
  const perItem = new Map<string, number>();
  for (const l of input.items) perItem.set(l.itemCode, (perItem.get(l.itemCode) ?? 0) + 1);
  const run = async (trx: Tx): Promise<MovementDoc> => {
    await repo.lockItems(
      trx,
      lines.map((l) => ({ warehouseId, itemCode: l.itemCode })),
    );
    const batches = await repo.lockBatches(trx, warehouseId, [...perItem.keys()]);
    const docNo = input.docNo?.trim() || (await nextNumber(trx, 'WZ', now));
    const byKey = new Map(batches.map((b) => [`${b.item_code}\u0000${b.batch}`, b]));
    const balance = new Map([...perItem.keys()].map((c) => [c, repo.balanceOf(batches, c)]));
    const n = new Map<string, number>();
    const writes: repo.MovementWrite[] = [];
    for (const l of lines) {
      n.set(l.itemCode, (n.get(l.itemCode) ?? 0) + 1);
      // a line without its batch number: the document's number (and the line's place when the item repeats)
      const batch = l.batch || ((perItem.get(l.itemCode) ?? 0) > 1 ? `${docNo}-${n.get(l.itemCode)}` : docNo);
      const key = `${l.itemCode}\u0000${batch}`;
      const had = byKey.get(key);
      if (had) {
        if (l.expiresOn !== null && had.expires_on !== l.expiresOn && (l.expiresOn || had.expires_on))
          throw new AppError('STOCK_BATCH_EXPIRY_MISMATCH', {
            field: `items.${l.index}.expiresOn`,
            batch,
            had: had.expires_on ?? '—',
            given: l.expiresOn ?? '—',
          });
        had.quantity += l.quantity;
        await repo.setBatchQuantity(trx, { warehouseId, itemCode: l.itemCode, batch }, had.quantity, now);
      } else {
        const b = {
          warehouseId,
          itemCode: l.itemCode,
          batch,
          quantity: l.quantity,
          producedOn: l.producedOn ?? null,
          expiresOn: l.expiresOn,
        };
        await repo.insertBatch(trx, b, now);
        byKey.set(key, {
          warehouse_id: warehouseId,
          item_code: l.itemCode,
          batch,
          quantity: l.quantity,
          produced_on: b.producedOn,
          expires_on: b.expiresOn,
          received_at: now,
        });
      }
      const after = (balance.get(l.itemCode) ?? 0) + l.quantity;
      balance.set(l.itemCode, after);
      writes.push({
        id: deps.ids.next(),
        doc_no: docNo,
        kind: 'receive',
        warehouse_id: warehouseId,
        item_code: l.itemCode,
        batch,
        quantity: l.quantity,
        balance: after,
        ...operatorOf(ctx),
        at: now,
        note: input.note?.trim() || null,
        counterpart: null,
      });
    }
    const rows = await repo.insertMovements(trx, writes);
    await recordAudit(trx, ctx, now, {
      action: 'stock.received',
      entity: 'warehouse',
      entityId: warehouseId,
      after: { ...input, docNo },
    });
    await movedEvent(trx, now, w, docNo, rows);
    return { docNo, movements: rows.map((r) => toMovement(r, info)) };
  };
  if (opts.trx) return run(opts.trx);
  const doc = await deps.db.transaction(run);
  deps.afterCommit();
  return doc;
}

/** An issue (出库) by hand: the route's permission and scope, then `issueInTx`. */
export async function issue(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  input: IssueInput,
): Promise<MovementDoc> {
  checkInput(IssueInput, input);
  await movableWarehouse(deps, ctx, warehouseId);
  const doc = await deps.db.transaction((trx) =>
    issueInTx(trx, deps, ctx, warehouseId, input.items, {
      docNo: input.docNo,
      note: input.note,
      recipient: input.recipient,
    }),
  );
  deps.afterCommit();
  return doc;
}

/**
 * A transfer (调拨): out of this warehouse and into another in one transaction, each batch kept with its number and
 * expiry. The sender's scope decides; the receiving warehouse must keep stock and be in use.
 */
export async function transfer(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  input: TransferInput,
): Promise<MovementDoc> {
  checkInput(TransferInput, input);
  const from = await movableWarehouse(deps, ctx, warehouseId);
  keepsStock(from, 'id');
  if (input.toWarehouseId === warehouseId) throw new AppError('STOCK_SAME_WAREHOUSE', { field: 'toWarehouseId' });
  const to = await activeWarehouse(deps.db.kysely, input.toWarehouseId, 'toWarehouseId');
  keepsStock(to, 'toWarehouseId');
  const info = await knownItems(deps.db.kysely, input.items, (i) => `items.${i}.itemCode`);
  const now = deps.clock.now();
  const doc = await deps.db.transaction(async (trx) => {
    // both warehouses' locks in one sorted order: a transfer back the other way at the same time waits, no deadlock
    await repo.lockItems(
      trx,
      input.items.flatMap((l) => [
        { warehouseId, itemCode: l.itemCode },
        { warehouseId: to.id, itemCode: l.itemCode },
      ]),
    );
    const takes = await planTake(trx, from, input.items, info, now);
    const docNo = input.docNo?.trim() || (await nextNumber(trx, 'WZ', now));
    const note = input.note?.trim() || null;
    const out = await applyTake(trx, deps, ctx, from, takes, now, {
      kind: 'transfer_out',
      docNo,
      note,
      counterpart: `${to.code} ${to.name}`,
    });
    // into the other warehouse: the same batches, with their production and expiry days
    const codes = [...new Set(input.items.map((l) => l.itemCode))];
    const source = new Map(
      (await repo.lockBatches(trx, from.id, codes)).map((b) => [`${b.item_code}\u0000${b.batch}`, b]),
    );
    const there = await repo.lockBatches(trx, to.id, codes);
    const byKey = new Map(there.map((b) => [`${b.item_code}\u0000${b.batch}`, b]));
    const balance = new Map(codes.map((c) => [c, repo.balanceOf(there, c)]));
    const writes: repo.MovementWrite[] = [];
    for (const t of takes)
      for (const p of t.parts) {
        const batch = p.batch as string;
        const key = `${t.itemCode}\u0000${batch}`;
        const src = source.get(key);
        const had = byKey.get(key);
        if (had) {
          if ((had.expires_on ?? null) !== (src?.expires_on ?? null))
            throw new AppError('STOCK_BATCH_EXPIRY_MISMATCH', {
              field: 'toWarehouseId',
              batch,
              had: had.expires_on ?? '—',
              given: src?.expires_on ?? '—',
            });
          had.quantity += p.quantity;
          await repo.setBatchQuantity(trx, { warehouseId: to.id, itemCode: t.itemCode, batch }, had.quantity, now);
        } else {
          const b = {
            warehouseId: to.id,
            itemCode: t.itemCode,
            batch,
            quantity: p.quantity,
            producedOn: src?.produced_on ?? null,
            expiresOn: src?.expires_on ?? null,
          };
          await repo.insertBatch(trx, b, now);
          byKey.set(key, {
            warehouse_id: to.id,
            item_code: t.itemCode,
            batch,
            quantity: p.quantity,
            produced_on: b.producedOn,
            expires_on: b.expiresOn,
            received_at: now,
          });
        }
        const after = (balance.get(t.itemCode) ?? 0) + p.quantity;
        balance.set(t.itemCode, after);
        writes.push({
          id: deps.ids.next(),
          doc_no: docNo,
          kind: 'transfer_in',
          warehouse_id: to.id,
          item_code: t.itemCode,
          batch,
          quantity: p.quantity,
          balance: after,
          ...operatorOf(ctx),
          at: now,
          note,
          counterpart: `${from.code} ${from.name}`,
        });
      }
    const into = await repo.insertMovements(trx, writes);
    await recordAudit(trx, ctx, now, {
      action: 'stock.transferred',
      entity: 'warehouse',
      entityId: warehouseId,
      after: { ...input, docNo },
    });
    await movedEvent(trx, now, from, docNo, out);
    await movedEvent(trx, now, to, docNo, into);
    return { docNo, movements: [...out, ...into].map((r) => toMovement(r, info)) };
  });
  deps.afterCommit();
  return doc;
}

/** Batches of the lines, known or refused naming the line's batch; the (warehouse, item) locks must be held. */
async function countedBatches(
  trx: Tx,
  warehouseId: string,
  lines: readonly { itemCode: string; batch: string }[],
  info: Map<string, ItemInfo>,
): Promise<Map<string, repo.BatchRow>> {
  const codes = [...new Set(lines.map((l) => l.itemCode))];
  const byKey = new Map(
    (await repo.lockBatches(trx, warehouseId, codes)).map((b) => [`${b.item_code}\u0000${b.batch}`, b]),
  );
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    const k = `${l.itemCode}\u0000${l.batch}`;
    const name = info.get(l.itemCode)?.name ?? l.itemCode;
    if (!byKey.has(k))
      throw new AppError('STOCK_UNKNOWN_BATCH', { field: `items.${i}.batch`, item: name, batch: l.batch });
    if (seen.has(k))
      throw new AppError('STOCK_DUPLICATE_LINE', { field: `items.${i}.batch`, item: name, batch: l.batch });
    seen.add(k);
  });
  return byKey;
}

/** Writes batches' new quantities as one document of `adjust` / `writeoff` movements. */
async function writeCorrections(
  trx: Tx,
  deps: LogisticsDeps,
  ctx: RequestCtx,
  w: WarehouseRow,
  changes: readonly { itemCode: string; batch: string; to: number }[],
  byKey: Map<string, repo.BatchRow>,
  now: Date,
  m: { kind: 'adjust' | 'writeoff'; docNo: string; note: string | null },
): Promise<repo.MovementRow[]> {
  const all = [...byKey.values()];
  const balance = new Map([...new Set(changes.map((c) => c.itemCode))].map((c) => [c, repo.balanceOf(all, c)]));
  const writes: repo.MovementWrite[] = [];
  for (const c of changes) {
    const b = byKey.get(`${c.itemCode}\u0000${c.batch}`) as repo.BatchRow;
    const delta = c.to - b.quantity;
    if (delta === 0) continue;
    b.quantity = c.to;
    await repo.setBatchQuantity(trx, { warehouseId: w.id, itemCode: c.itemCode, batch: c.batch }, c.to, now);
    const after = (balance.get(c.itemCode) ?? 0) + delta;
    balance.set(c.itemCode, after);
    writes.push({
      id: deps.ids.next(),
      doc_no: m.docNo,
      kind: m.kind,
      warehouse_id: w.id,
      item_code: c.itemCode,
      batch: c.batch,
      quantity: delta,
      balance: after,
      ...operatorOf(ctx),
      at: now,
      note: m.note,
      counterpart: null,
    });
  }
  return repo.insertMovements(trx, writes);
}

/** An adjustment (a batch set to what was counted) or a write-off (a quantity of a batch taken out: expired, damaged). */
export async function adjust(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  input: AdjustInput,
): Promise<MovementDoc> {
  checkInput(AdjustInput, input);
  const w = await movableWarehouse(deps, ctx, warehouseId);
  keepsStock(w, 'id');
  const info = await knownItems(deps.db.kysely, input.items, (i) => `items.${i}.itemCode`);
  if (input.kind === 'writeoff')
    input.items.forEach((l, i) => {
      if (l.quantity < 1)
        throw new AppError('VALIDATION', {
          field: `items.${i}.quantity`,
          reason: { zh: '核销数量至少为 1', en: 'a write-off takes at least 1' },
        });
    });
  const now = deps.clock.now();
  const doc = await deps.db.transaction(async (trx) => {
    await repo.lockItems(
      trx,
      input.items.map((l) => ({ warehouseId, itemCode: l.itemCode })),
    );
    const byKey = await countedBatches(trx, warehouseId, input.items, info);
    const changes = input.items.map((l, i) => {
      const b = byKey.get(`${l.itemCode}\u0000${l.batch}`) as repo.BatchRow;
      if (input.kind === 'adjust') return { itemCode: l.itemCode, batch: l.batch, to: l.quantity };
      if (l.quantity > b.quantity) {
        const it = info.get(l.itemCode);
        throw new AppError('STOCK_SHORT', {
          field: `items.${i}.quantity`,
          item: `${it?.name ?? l.itemCode}（${l.batch}）`,
          itemCode: l.itemCode,
          unit: unitWords(it),
          requested: l.quantity,
          available: b.quantity,
          extra: '',
        });
      }
      return { itemCode: l.itemCode, batch: l.batch, to: b.quantity - l.quantity };
    });
    const docNo = input.docNo?.trim() || (await nextNumber(trx, 'WZ', now));
    const rows = await writeCorrections(trx, deps, ctx, w, changes, byKey, now, {
      kind: input.kind,
      docNo,
      note: input.reason.trim(),
    });
    await recordAudit(trx, ctx, now, {
      action: input.kind === 'adjust' ? 'stock.adjusted' : 'stock.written_off',
      entity: 'warehouse',
      entityId: warehouseId,
      after: { ...input, docNo },
    });
    await movedEvent(trx, now, w, docNo, rows);
    return { docNo, movements: rows.map((r) => toMovement(r, info)) };
  });
  deps.afterCommit();
  return doc;
}

/**
 * A stocktake (盘点): the counted batches against the book. `apply: false` reports the differences and writes
 * nothing; `apply: true` writes them as one adjustment document. Batches not listed are not compared.
 */
export async function stocktake(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  input: StocktakeInput,
): Promise<StocktakeReply> {
  checkInput(StocktakeInput, input);
  const w = await movableWarehouse(deps, ctx, warehouseId);
  keepsStock(w, 'id');
  const info = await knownItems(deps.db.kysely, input.items, (i) => `items.${i}.itemCode`);
  const now = deps.clock.now();
  const differencesOf = (byKey: Map<string, repo.BatchRow>) =>
    input.items.map((l) => {
      const book = (byKey.get(`${l.itemCode}\u0000${l.batch}`) as repo.BatchRow).quantity;
      return { itemCode: l.itemCode, batch: l.batch, book, counted: l.counted, difference: l.counted - book };
    });
  if (!input.apply) {
    const byKey = await deps.db.transaction((trx) => countedBatches(trx, warehouseId, input.items, info));
    return { docNo: null, applied: false, differences: differencesOf(byKey) };
  }
  const reply = await deps.db.transaction(async (trx) => {
    await repo.lockItems(
      trx,
      input.items.map((l) => ({ warehouseId, itemCode: l.itemCode })),
    );
    const byKey = await countedBatches(trx, warehouseId, input.items, info);
    const differences = differencesOf(byKey);
    const docNo = input.docNo?.trim() || (await nextNumber(trx, 'WZ', now));
    const rows = await writeCorrections(
      trx,
      deps,
      ctx,
      w,
      input.items.map((l) => ({ itemCode: l.itemCode, batch: l.batch, to: l.counted })),
      byKey,
      now,
      { kind: 'adjust', docNo, note: ctx.lang === 'en' ? 'stocktake' : '盘点' },
    );
    await recordAudit(trx, ctx, now, {
      action: 'stock.counted',
      entity: 'warehouse',
      entityId: warehouseId,
      after: { docNo, differences: differences.filter((d) => d.difference !== 0) },
    });
    if (rows.length) await movedEvent(trx, now, w, docNo, rows);
    return { docNo, applied: true, differences };
  });
  deps.afterCommit();
  return reply;
}

// ————— reading —————

/** A warehouse's stock by item with its batches (expired and expiring flagged), and an agreement's commitments. */
export async function listStock(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  warehouseId: string,
  q: StockQuery,
): Promise<{ items: StockLine[]; total: number }> {
  checkInput(StockQuery, q);
  const w = await readWarehouse(deps, ctx, warehouseId);
  const now = deps.clock.now();
  const today = cityDate(now);
  const soon = dayAfter(now, EXPIRY_SOON_DAYS);
  const batches = await repo.batchesOf(deps.db.kysely, {
    warehouseIds: [warehouseId],
    itemCode: q.itemCode,
    expiringBy: q.expiringWithinDays === undefined ? undefined : dayAfter(now, q.expiringWithinDays),
  });
  const commitments =
    isCommitted(w.reserve_type) && q.expiringWithinDays === undefined
      ? (await whRepo.commitmentsOf(deps.db.kysely, [warehouseId])).filter(
          (c) => !q.itemCode || c.item_code === q.itemCode,
        )
      : [];
  const codes = [...new Set([...batches.map((b) => b.item_code), ...commitments.map((c) => c.item_code)])].sort();
  const info = await itemInfoOf(deps.db.kysely, codes);
  const lines: StockLine[] = codes.map((code) => {
    const bs: Batch[] = batches
      .filter((b) => b.item_code === code)
      .map((b) => ({
        batch: b.batch,
        quantity: b.quantity,
        producedOn: b.produced_on,
        expiresOn: b.expires_on,
        expired: b.expires_on !== null && b.expires_on < today,
        expiringSoon: b.expires_on !== null && b.expires_on >= today && b.expires_on <= soon,
      }));
    const c = commitments.find((x) => x.item_code === code);
    const it = info.get(code);
    return {
      warehouseId,
      itemCode: code,
      itemName: it?.name ?? code,
      unit: it?.unit ?? '件',
      quantity: bs.reduce((n, b) => n + b.quantity, 0),
      committed: c ? c.committed - c.called : 0,
      batches: bs,
      nextExpiry: bs.find((b) => b.expiresOn !== null)?.expiresOn ?? null,
      expired: bs.filter((b) => b.expired).reduce((n, b) => n + b.quantity, 0),
    };
  });
  const offset = q.offset ?? 0;
  return { items: lines.slice(offset, offset + (q.limit ?? 50)), total: lines.length };
}

export function movementFilter(q: MovementQuery): repo.MovementFilter {
  return {
    warehouseId: q.warehouseId,
    itemCode: q.itemCode,
    kind: q.kind,
    docNo: q.docNo?.trim() || undefined,
    from: q.from ? parseTime(q.from, 'from') : undefined,
    to: q.to ? parseTime(q.to, 'to') : undefined,
  };
}

/** The ledger (newest first) of the warehouses the actor may see; one warehouse's when `warehouseId` is given. */
export async function listMovements(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: MovementQuery,
): Promise<{ items: Movement[]; total: number }> {
  requirePermission(ctx.actor, 'supplies.read');
  checkInput(MovementQuery, q);
  if (q.warehouseId) await readWarehouse(deps, ctx, q.warehouseId, 'warehouseId');
  const { rows, total } = await repo.listMovements(deps.db.kysely, ctx.actor, movementFilter(q), {
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  const info = await itemInfoOf(
    deps.db.kysely,
    rows.map((r) => r.item_code),
  );
  return { items: rows.map((r) => toMovement(r, info)), total };
}

// ————— expiry alarms —————

export const EXPIRY_THRESHOLDS = [
  { key: 'expired', days: -1, severity: 'III' as const },
  { key: `within${EXPIRY_SOON_DAYS}`, days: EXPIRY_SOON_DAYS, severity: 'IV' as const },
];

/**
 * Raises one alarm per batch and threshold (expired; expires within 30 days), claimed in `stock_expiry_alarms` in the
 * alarm's transaction, so that however often it runs and on however many instances, each is raised once. A batch
 * found expired is not also told that it expires soon. Returns the number of alarms raised.
 */
export async function checkExpiry(deps: LogisticsDeps, now: Date = deps.clock.now()): Promise<number> {
  const ctx = systemCtx();
  let raised = 0;
  for (const t of EXPIRY_THRESHOLDS) {
    const by = dayAfter(now, t.days);
    for (;;) {
      const pending = await repo.unalarmedExpiring(deps.db.kysely, by, t.key, 200);
      if (pending.length === 0) break;
      const info = await itemInfoOf(
        deps.db.kysely,
        pending.map((b) => b.item_code),
      );
      const n = await deps.db.transaction(async (trx) => {
        let n = 0;
        for (const b of pending) {
          if (!(await repo.claimExpiryAlarm(trx, b, t.key, now))) continue;
          if (t.key === 'expired')
            for (const other of EXPIRY_THRESHOLDS)
              if (other.key !== t.key) await repo.claimExpiryAlarm(trx, b, other.key, now);
          const it = info.get(b.item_code);
          const name = it?.name ?? b.item_code;
          const unit = it?.unit ?? '件';
          await deps.platform.alerts.raise(trx, now, {
            source: 'stock_batch',
            sourceId: `${b.warehouse_id}/${b.item_code}/${b.batch}`,
            severity: t.severity,
            title:
              t.key === 'expired'
                ? {
                    zh: `物资已过期：${b.warehouse_name} ${name} 批次 ${b.batch}，${b.quantity} ${unit}，有效期至 ${b.expires_on}`,
                    en: `Stock expired: ${b.warehouse_name}, ${it?.nameEn || name}, batch ${b.batch}, ${b.quantity} ${unit}, expired ${b.expires_on}`,
                  }
                : {
                    zh: `物资临期（${EXPIRY_SOON_DAYS} 日内到期）：${b.warehouse_name} ${name} 批次 ${b.batch}，${b.quantity} ${unit}，有效期至 ${b.expires_on}`,
                    en: `Stock expiring within ${EXPIRY_SOON_DAYS} days: ${b.warehouse_name}, ${it?.nameEn || name}, batch ${b.batch}, ${b.quantity} ${unit}, expires ${b.expires_on}`,
                  },
            link: `/logistics/warehouses/${b.warehouse_id}`,
            visibility: warehouseVisibility(b),
          });
          await recordAudit(trx, ctx, now, {
            action: 'stock.expiry_alarmed',
            entity: 'warehouse',
            entityId: b.warehouse_id,
            after: { itemCode: b.item_code, batch: b.batch, expiresOn: b.expires_on, threshold: t.key },
          });
          n++;
        }
        return n;
      });
      raised += n;
      if (pending.length < 200) break;
    }
  }
  if (raised > 0) deps.afterCommit();
  return raised;
}

/** Does the actor see this warehouse (for scope checks of other parts' records tied to a warehouse)? */
export function warehouseInScope(ctx: RequestCtx, w: { district_code: string | null; owner_unit: string }): void {
  requireInScope(ctx.actor, warehouseVisibility(w), 'warehouseId');
}
