/** Hazard units' and risk points' SQL (both belong to an enterprise; lists across enterprises follow its scope). */
import { type RawBuilder, sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export interface HazardUnitRow {
  id: string;
  enterprise_id: string;
  enterprise_name: string;
  district_code: string | null;
  unit_code: string;
  name: string;
  kind: string;
  inventories: unknown[];
  exposed_population: number;
  s: number;
  is_major: boolean;
  r: number | null;
  alpha: number | null;
  grade: number | null;
  working: unknown[];
  notes: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface HazardUnitWrite {
  name: string;
  kind: string;
  inventories: unknown[];
  exposed_population: number;
  s: number;
  is_major: boolean;
  r: number | null;
  alpha: number | null;
  grade: number | null;
  working: unknown[];
  notes: string | null;
}

function units(db: Tx) {
  return db
    .selectFrom('hazard_units as h')
    .innerJoin('enterprises as e', 'e.id', 'h.enterprise_id')
    .selectAll('h')
    .select(['e.name as enterprise_name', 'e.district_code', 'e.unit_code']);
}

function fixUnit(r: Record<string, unknown>): HazardUnitRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...(r as unknown as HazardUnitRow),
    inventories: json(r.inventories) ?? [],
    working: json(r.working) ?? [],
    s: Number(r.s),
    r: n(r.r),
    alpha: n(r.alpha),
    grade: n(r.grade),
  };
}

export async function findHazardUnit(db: Tx, id: string): Promise<HazardUnitRow | undefined> {
  const r = await units(db).where('h.id', '=', id).executeTakeFirst();
  return r ? fixUnit(r) : undefined;
}

export async function hazardUnitsOf(db: Tx, enterpriseId: string): Promise<HazardUnitRow[]> {
  return (await units(db).where('h.enterprise_id', '=', enterpriseId).orderBy('h.name').execute()).map(fixUnit);
}

export async function listMajorHazards(
  db: Tx,
  actor: Actor,
  f: { grade?: number; district?: string; q?: string },
  page: { limit: number; offset: number },
): Promise<{ rows: HazardUnitRow[]; total: number }> {
  let q = units(db).where('h.is_major', '=', true);
  const cond = scopeCondition(actor, { district: 'e.district_code', unit: 'e.unit_code' });
  if (cond) q = q.where(cond);
  if (f.grade) q = q.where('h.grade', '=', f.grade);
  if (f.district) q = q.where('e.district_code', '=', f.district);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('e.name', 'ilike', like), eb('h.name', 'ilike', like)]));
  }
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy('h.grade')
    .orderBy('h.r', 'desc')
    .orderBy('h.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows: rows.map(fixUnit), total: Number(total.n) };
}

function unitValues(w: HazardUnitWrite) {
  return { ...w, inventories: JSON.stringify(w.inventories), working: JSON.stringify(w.working) };
}

export async function insertHazardUnit(
  db: Tx,
  id: string,
  enterpriseId: string,
  w: HazardUnitWrite,
  by: string | null,
  now: Date,
  demo = false,
): Promise<void> {
  await db
    .insertInto('hazard_units')
    .values({
      id,
      enterprise_id: enterpriseId,
      ...unitValues(w),
      demo,
      created_by: by,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateHazardUnit(db: Tx, id: string, w: HazardUnitWrite, version: number, now: Date) {
  const r = await db
    .updateTable('hazard_units')
    .set((eb) => ({ ...unitValues(w), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteHazardUnit(db: Tx, id: string, version: number): Promise<boolean> {
  const r = await db.deleteFrom('hazard_units').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

// ---- risk points ----

export interface RiskPointRow {
  id: string;
  enterprise_id: string;
  enterprise_name: string;
  industry: string;
  district_code: string | null;
  unit_code: string;
  name: string;
  area: string | null;
  hazard: string;
  accident_types: string[];
  method: string;
  l: number;
  e: number | null;
  c: number | null;
  s: number | null;
  score: number;
  control_measures: string[];
  responsible: { name: string; role?: string; phone?: string }[];
  review_interval_days: number | null;
  next_review: string | null;
  active: boolean;
  notes: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface RiskPointWrite {
  name: string;
  area: string | null;
  hazard: string;
  accident_types: string[];
  method: string;
  l: number;
  e: number | null;
  c: number | null;
  s: number | null;
  score: number;
  control_measures: string[];
  responsible: { name: string; role?: string; phone?: string }[];
  review_interval_days: number | null;
  next_review: string | null;
  active: boolean;
  notes: string | null;
}

function points(db: Tx) {
  return db
    .selectFrom('risk_points as p')
    .innerJoin('enterprises as e', 'e.id', 'p.enterprise_id')
    .selectAll('p')
    .select(['e.name as enterprise_name', 'e.industry', 'e.district_code', 'e.unit_code']);
}

function fixPoint(r: Record<string, unknown>): RiskPointRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...(r as unknown as RiskPointRow),
    accident_types: json(r.accident_types) ?? [],
    control_measures: json(r.control_measures) ?? [],
    responsible: json(r.responsible) ?? [],
    l: Number(r.l),
    e: n(r.e),
    c: n(r.c),
    s: n(r.s),
    score: Number(r.score),
  };
}

export async function findRiskPoint(db: Tx, id: string): Promise<RiskPointRow | undefined> {
  const r = await points(db).where('p.id', '=', id).executeTakeFirst();
  return r ? fixPoint(r) : undefined;
}

/** The SQL of a colour under thresholds (the same rule as riskColourOf, on the stored score). */
export function colourCondition(
  colour: string,
  g: { lec: { red: number; orange: number; yellow: number }; ls: { red: number; orange: number; yellow: number } },
): RawBuilder<boolean> {
  const lec = (lo: number | null, hi: number | null) =>
    sql`(p.method = 'LEC' and ${lo === null ? sql`true` : sql`p.score > ${lo}`} and ${hi === null ? sql`true` : sql`p.score <= ${hi}`})`;
  const ls = (lo: number | null, hi: number | null) =>
    sql`(p.method = 'LS' and ${lo === null ? sql`true` : sql`p.score >= ${lo}`} and ${hi === null ? sql`true` : sql`p.score < ${hi}`})`;
  const b: Record<string, [RawBuilder<unknown>, RawBuilder<unknown>]> = {
    red: [lec(g.lec.red, null), ls(g.ls.red, null)],
    orange: [lec(g.lec.orange, g.lec.red), ls(g.ls.orange, g.ls.red)],
    yellow: [lec(g.lec.yellow, g.lec.orange), ls(g.ls.yellow, g.ls.orange)],
    blue: [lec(null, g.lec.yellow), ls(null, g.ls.yellow)],
  };
  const [a, c] = b[colour] ?? [sql`false`, sql`false`];
  return sql<boolean>`(${a} or ${c})`;
}

export interface RiskPointFilter {
  enterpriseId?: string;
  district?: string;
  industry?: string;
  colour?: RawBuilder<boolean>;
  overdueBefore?: string;
  q?: string;
  active?: boolean;
}

function filtered(db: Tx, actor: Actor | null, f: RiskPointFilter) {
  let q = points(db);
  const cond = actor ? scopeCondition(actor, { district: 'e.district_code', unit: 'e.unit_code' }) : undefined;
  if (cond) q = q.where(cond);
  if (f.enterpriseId) q = q.where('p.enterprise_id', '=', f.enterpriseId);
  if (f.district) q = q.where('e.district_code', '=', f.district);
  if (f.industry) q = q.where('e.industry', '=', f.industry);
  if (f.colour) q = q.where(f.colour);
  if (f.active !== undefined) q = q.where('p.active', '=', f.active);
  if (f.overdueBefore) q = q.where('p.next_review', '<', f.overdueBefore);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('e.name', 'ilike', like), eb('p.name', 'ilike', like), eb('p.area', 'ilike', like)]));
  }
  return q;
}

export async function listRiskPoints(
  db: Tx,
  actor: Actor | null,
  f: RiskPointFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: RiskPointRow[]; total: number }> {
  const q = filtered(db, actor, f);
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy(sql`case p.method when 'LEC' then p.score / 320 else p.score / 20 end`, 'desc')
    .orderBy('p.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows: rows.map(fixPoint), total: Number(total.n) };
}

/** Scores of the active risk points within the filter (for counts: coloured in the service by the rule in force). */
export async function scores(
  db: Tx,
  actor: Actor,
  f: RiskPointFilter,
): Promise<{ method: string; score: number; district_code: string | null; next_review: string | null }[]> {
  const rows = await filtered(db, actor, { ...f, active: true })
    .clearSelect()
    .select(['p.method', 'p.score', 'e.district_code', 'p.next_review'])
    .execute();
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

function pointValues(w: RiskPointWrite) {
  return {
    ...w,
    accident_types: JSON.stringify(w.accident_types),
    control_measures: JSON.stringify(w.control_measures),
    responsible: JSON.stringify(w.responsible),
  };
}

export async function insertRiskPoint(
  db: Tx,
  id: string,
  enterpriseId: string,
  w: RiskPointWrite,
  by: string | null,
  now: Date,
  demo = false,
): Promise<void> {
  await db
    .insertInto('risk_points')
    .values({
      id,
      enterprise_id: enterpriseId,
      ...pointValues(w),
      demo,
      created_by: by,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateRiskPoint(db: Tx, id: string, w: RiskPointWrite, version: number, now: Date) {
  const r = await db
    .updateTable('risk_points')
    .set((eb) => ({ ...pointValues(w), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteRiskPoint(db: Tx, id: string, version: number): Promise<boolean> {
  const r = await db.deleteFrom('risk_points').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
