/**
 * The supply catalogue (物资目录): the 916 GB/T 38565-2020 codes are always there, described or not; an item is
 * described when the catalogue gives it a unit, weight, volume, shelf life and price (a standard code itself, or a
 * local item under one: `1120100-12` for a 12 m² single tent). Search by code prefix, name, or pinyin (full or
 * initials). The catalogue is city-wide: it is kept by city and department staff.
 */
import { pinyin } from 'pinyin-pro';
import { type Static, Type as T } from 'typebox';
import { type SupplyItem, SupplyItemInput, SupplyItemQuery, standardCodeOf } from '../../../contracts/logistics.ts';
import { SUPPLY_CODES, type SupplyCode } from '../../../contracts/supply-codes.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import * as repo from './catalogue.repository.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import './stock.errors.ts';

export const ITEM_ENTITY = { zh: '物资', en: 'supply item' };
/** what a bare standard code counts in */
export const DEFAULT_UNIT = '件';

export const PutItemParams = T.Object({ code: T.String({ maxLength: 20 }) });

const CJK = /[\u3400-\u9fff]/;
const keys = new Map<string, { full: string; initials: string }>();

/** A name's pinyin, full and initials, lower case, no spaces (`饮用水` → `yinyongshui`, `yys`). */
export function pinyinOf(name: string): { full: string; initials: string } {
  const hit = keys.get(name);
  if (hit) return hit;
  let full = '';
  let initials = '';
  if (CJK.test(name)) {
    const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) as string[];
    for (const s of syllables) {
      const t = s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
      if (!t) continue;
      full += t;
      initials += t[0];
    }
  }
  const k = { full, initials };
  if (keys.size > 20_000) keys.clear();
  keys.set(name, k);
  return k;
}

/** Does the item match the query: code prefix, name or English name inside, pinyin or initials prefix? */
export function itemMatches(i: { code: string; name: string; nameEn: string | null; standardName: string }, q: string) {
  const query = q.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  if (!query) return true;
  if (i.code.toLowerCase().startsWith(query)) return true;
  for (const name of new Set([i.name, i.standardName])) {
    if (name.toLowerCase().replace(/\s+/g, '').includes(query)) return true;
    const k = pinyinOf(name);
    if (k.full.startsWith(query) || k.initials.startsWith(query)) return true;
  }
  return !!i.nameEn && i.nameEn.toLowerCase().includes(q.trim().toLowerCase());
}

export function toItem(std: SupplyCode, r: repo.ItemRow | undefined, code = r?.code ?? std.code): SupplyItem {
  return {
    code,
    standardCode: std.code,
    standardName: std.name,
    local: code !== std.code,
    name: r?.name ?? std.name,
    nameEn: r?.name_en ?? null,
    unit: r?.unit ?? DEFAULT_UNIT,
    unitWeightKg: r?.unit_weight_kg ?? null,
    unitVolumeM3: r?.unit_volume_m3 ?? null,
    shelfLifeDays: r?.shelf_life_days ?? null,
    unitPriceYuan: r?.unit_price_yuan ?? null,
    active: r?.active ?? true,
    version: r?.version ?? 0,
    standardNote: std.note ?? null,
    described: !!r,
    basis: r?.basis ?? null,
  };
}

/** Every item: the standard's codes (described or not) and the local items, in code order. */
async function everyItem(db: Tx): Promise<SupplyItem[]> {
  const rows = new Map((await repo.allItems(db)).map((r) => [r.code, r]));
  const out: SupplyItem[] = SUPPLY_CODES.map((c) => toItem(c, rows.get(c.code)));
  for (const r of rows.values()) {
    if (r.code === r.standard_code) continue;
    const std = standardCodeOf(r.code);
    if (std) out.push(toItem(std, r));
  }
  // a local item sorts right after its standard code (`1120100` < `1120100-12` < `1120101`)
  return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export async function listItems(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: Static<typeof SupplyItemQuery>,
): Promise<{ items: SupplyItem[]; total: number }> {
  requirePermission(ctx.actor, 'supplies.read');
  checkInput(SupplyItemQuery, q);
  const all = await everyItem(deps.db.kysely);
  const hits = all.filter((i) => (!q.described || i.described) && itemMatches(i, q.q ?? ''));
  const offset = q.offset ?? 0;
  return { items: hits.slice(offset, offset + (q.limit ?? 50)), total: hits.length };
}

export async function getItem(deps: LogisticsDeps, ctx: RequestCtx, code: string): Promise<SupplyItem> {
  requirePermission(ctx.actor, 'supplies.read');
  const std = standardCodeOf(code);
  const r = await repo.findItem(deps.db.kysely, code);
  if (!std || (!r && code !== std.code)) throw new AppError('NOT_FOUND', { field: 'code', entity: ITEM_ENTITY });
  return toItem(std, r, code);
}

/** A code's rules beyond its pattern: a standard code must be one; a local code must stand under one. */
export function checkItemCode(code: string, field: string): SupplyCode {
  const std = standardCodeOf(code);
  if (std) return std;
  if (code.includes('-')) throw new AppError('SUPPLY_LOCAL_BASE', { field, value: code });
  throw new AppError('SUPPLY_UNKNOWN_CODE', { field, value: code });
}

/**
 * Describes a standard code or creates (or changes) a local item under one. The catalogue is the city's: district
 * and enterprise staff read it but do not change it.
 */
export async function putItem(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  code: string,
  input: SupplyItemInput,
  opts: { demo?: boolean; trx?: Tx } = {},
): Promise<SupplyItem> {
  requirePermission(ctx.actor, 'supplies.manage');
  checkInput(SupplyItemInput, input);
  if (input.code !== code)
    throw new AppError('VALIDATION', {
      field: 'code',
      reason: { zh: `与地址中的编码 ${code} 不同`, en: `differs from the code in the address, ${code}` },
    });
  requireInScope(ctx.actor, { district: null, unit: null }, 'code');
  const std = checkItemCode(code, 'code');
  const local = code !== std.code;
  const name = input.name?.trim() || (local ? '' : std.name);
  if (!name) throw new AppError('SUPPLY_NAME_REQUIRED', { field: 'name' });
  const w: repo.ItemWrite = {
    code,
    standard_code: std.code,
    name,
    name_en: input.nameEn?.trim() || null,
    unit: input.unit.trim(),
    unit_weight_kg: input.unitWeightKg ?? null,
    unit_volume_m3: input.unitVolumeM3 ?? null,
    shelf_life_days: input.shelfLifeDays ?? null,
    unit_price_yuan: input.unitPriceYuan ?? null,
    basis: input.basis?.trim() || null,
    active: input.active ?? true,
  };
  if (!w.unit) throw new AppError('VALIDATION', { field: 'unit', reason: { zh: '必填', en: 'is required' } });
  const now = deps.clock.now();
  const write = async (trx: Tx) => {
    const had = await repo.findItem(trx, code);
    if (had) {
      if (!(await repo.updateItem(trx, w, input.version, now)))
        throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    } else await repo.insertItem(trx, w, now, opts.demo ?? false);
    await recordAudit(trx, ctx, now, {
      action: had ? 'supply_item.updated' : 'supply_item.described',
      entity: 'supply_item',
      entityId: code,
      before: had ?? null,
      after: input,
    });
    await emitEvent(trx, now, {
      type: 'supply_item.changed',
      entity: 'supply_item',
      entityId: code,
      payload: { code },
      visibility: { permission: 'supplies.read' },
    });
  };
  if (opts.trx) await write(opts.trx);
  else {
    await deps.db.transaction(write);
    deps.afterCommit();
  }
  return toItem(std, await repo.findItem(opts.trx ?? deps.db.kysely, code), code);
}

export interface ItemInfo {
  name: string;
  nameEn: string | null;
  unit: string;
  unitPriceYuan: number | null;
  unitVolumeM3: number | null;
  unitWeightKg: number | null;
  shelfLifeDays: number | null;
  active: boolean;
}

/** The items' names and units: the catalogue's row, else the standard's name and 件; an unknown code is left out. */
export async function itemInfoOf(db: Tx, codes: readonly string[]): Promise<Map<string, ItemInfo>> {
  const unique = [...new Set(codes)];
  const rows = new Map((await repo.itemsByCode(db, unique)).map((r) => [r.code, r]));
  const out = new Map<string, ItemInfo>();
  for (const code of unique) {
    const r = rows.get(code);
    const std = standardCodeOf(code);
    if (!std) continue;
    if (r)
      out.set(code, {
        name: r.name,
        nameEn: r.name_en,
        unit: r.unit,
        unitPriceYuan: r.unit_price_yuan,
        unitVolumeM3: r.unit_volume_m3,
        unitWeightKg: r.unit_weight_kg,
        shelfLifeDays: r.shelf_life_days,
        active: r.active,
      });
    else if (code === std.code)
      out.set(code, {
        name: std.name,
        nameEn: null,
        unit: DEFAULT_UNIT,
        unitPriceYuan: null,
        unitVolumeM3: null,
        unitWeightKg: null,
        shelfLifeDays: null,
        active: true,
      });
  }
  return out;
}

/**
 * The items of a request, known or refused: each unknown code is a 400 naming its line (`items.2.itemCode`), a local
 * code under no standard code is named as such.
 */
export async function knownItems(
  db: Tx,
  lines: readonly { itemCode: string }[],
  field: (i: number) => string,
): Promise<Map<string, ItemInfo>> {
  const info = await itemInfoOf(
    db,
    lines.map((l) => l.itemCode),
  );
  lines.forEach((l, i) => {
    if (info.has(l.itemCode)) return;
    if (!standardCodeOf(l.itemCode) && l.itemCode.includes('-'))
      throw new AppError('SUPPLY_LOCAL_BASE', { field: field(i), value: l.itemCode });
    throw new AppError('SUPPLY_UNKNOWN_CODE', { field: field(i), value: l.itemCode });
  });
  return info;
}
