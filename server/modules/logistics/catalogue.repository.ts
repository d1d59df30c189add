/** The supply catalogue's SQL: items described for use (a GB/T 38565 code given a unit …, or a local item). */
import type { Tx } from '../../platform/db/index.ts';

export interface ItemRow {
  code: string;
  standard_code: string;
  name: string;
  name_en: string | null;
  unit: string;
  unit_weight_kg: number | null;
  unit_volume_m3: number | null;
  shelf_life_days: number | null;
  unit_price_yuan: number | null;
  basis: string | null;
  active: boolean;
  demo: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type ItemWrite = Omit<ItemRow, 'active' | 'demo' | 'version' | 'created_at' | 'updated_at'> & {
  active: boolean;
};

function fix(r: ItemRow): ItemRow {
  return {
    ...r,
    unit_weight_kg: r.unit_weight_kg === null ? null : Number(r.unit_weight_kg),
    unit_volume_m3: r.unit_volume_m3 === null ? null : Number(r.unit_volume_m3),
    unit_price_yuan: r.unit_price_yuan === null ? null : Number(r.unit_price_yuan),
  };
}

export async function allItems(db: Tx): Promise<ItemRow[]> {
  return (await db.selectFrom('supply_items').selectAll().orderBy('code').execute()).map(fix);
}

export async function itemsByCode(db: Tx, codes: readonly string[]): Promise<ItemRow[]> {
  if (codes.length === 0) return [];
  return (
    await db
      .selectFrom('supply_items')
      .selectAll()
      .where('code', 'in', [...codes])
      .execute()
  ).map(fix);
}

export async function findItem(db: Tx, code: string): Promise<ItemRow | undefined> {
  const r = await db.selectFrom('supply_items').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? fix(r) : undefined;
}

export async function insertItem(db: Tx, w: ItemWrite, now: Date, demo = false): Promise<void> {
  await db
    .insertInto('supply_items')
    .values({ ...w, demo, created_at: now, updated_at: now })
    .execute();
}

/** false when the version is not the stored one */
export async function updateItem(db: Tx, w: ItemWrite, version: number | undefined, now: Date): Promise<boolean> {
  let q = db
    .updateTable('supply_items')
    .set((eb) => ({
      name: w.name,
      name_en: w.name_en,
      unit: w.unit,
      unit_weight_kg: w.unit_weight_kg,
      unit_volume_m3: w.unit_volume_m3,
      shelf_life_days: w.shelf_life_days,
      unit_price_yuan: w.unit_price_yuan,
      basis: w.basis,
      active: w.active,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('code', '=', w.code);
  if (version !== undefined) q = q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
