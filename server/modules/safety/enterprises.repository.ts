/** The enterprises' SQL: the register with its filters and the summaries of major hazards and risk points. */
import { sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

export interface EnterpriseRow {
  id: string;
  name: string;
  credit_code: string;
  industry: string;
  high_risk_category: string | null;
  crowded_venue: boolean;
  park: string | null;
  lng: number | null;
  lat: number | null;
  location_entered: { datum: string; coordinates: [number, number] } | null;
  district_code: string | null;
  address: string | null;
  legal_representative: string | null;
  safety_contacts: { name: string; role?: string; phone: string }[];
  employees: number | null;
  insurance_expiry: string | null;
  automation: string;
  unit_code: string;
  active: boolean;
  notes: string | null;
  demo: boolean;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface EnterpriseWrite {
  name: string;
  credit_code: string;
  industry: string;
  high_risk_category: string | null;
  crowded_venue: boolean;
  park: string | null;
  lng: number | null;
  lat: number | null;
  location_entered: unknown;
  district_code: string | null;
  address: string | null;
  legal_representative: string | null;
  safety_contacts: { name: string; role?: string; phone: string }[];
  employees: number | null;
  insurance_expiry: string | null;
  automation: string;
  unit_code: string;
  active: boolean;
  notes: string | null;
  search_keys: string;
}

function select(db: Tx) {
  return db
    .selectFrom('enterprises as e')
    .select([
      'e.id',
      'e.name',
      'e.credit_code',
      'e.industry',
      'e.high_risk_category',
      'e.crowded_venue',
      'e.park',
      'e.location_entered',
      'e.district_code',
      'e.address',
      'e.legal_representative',
      'e.safety_contacts',
      'e.employees',
      'e.insurance_expiry',
      'e.automation',
      'e.unit_code',
      'e.active',
      'e.notes',
      'e.demo',
      'e.version',
      'e.created_by',
      'e.created_at',
      'e.updated_at',
      sql<number | null>`st_x(e.geom)`.as('lng'),
      sql<number | null>`st_y(e.geom)`.as('lat'),
    ]);
}

function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

function fix(r: Record<string, unknown>): EnterpriseRow {
  return {
    ...(r as unknown as EnterpriseRow),
    lng: r.lng === null || r.lng === undefined ? null : Number(r.lng),
    lat: r.lat === null || r.lat === undefined ? null : Number(r.lat),
    location_entered: json(r.location_entered) ?? null,
    safety_contacts: json(r.safety_contacts) ?? [],
  };
}

export async function findEnterprise(db: Tx, id: string): Promise<EnterpriseRow | undefined> {
  const r = await select(db).where('e.id', '=', id).executeTakeFirst();
  return r ? fix(r) : undefined;
}

export async function findByCreditCode(db: Tx, code: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('enterprises').select('id').where('credit_code', '=', code).executeTakeFirst();
}

export async function enterprisesById(db: Tx, ids: readonly string[]): Promise<EnterpriseRow[]> {
  if (ids.length === 0) return [];
  return (
    await select(db)
      .where(sql<boolean>`e.id = any(${[...ids]}::text[])`)
      .execute()
  ).map(fix);
}

export interface EnterpriseFilter {
  q?: string;
  district?: string;
  industry?: string;
  highRiskCategory?: string;
  crowded?: boolean;
  majorHazard?: boolean;
  /** insurance expiry on or before this day (YYYY-MM-DD) */
  insuranceBy?: string;
  active?: boolean;
  ids?: readonly string[];
}

export async function listEnterprises(
  db: Tx,
  actor: Actor | null,
  f: EnterpriseFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: EnterpriseRow[]; total: number }> {
  let q = db.selectFrom('enterprises as e');
  const cond = actor ? scopeCondition(actor, { district: 'e.district_code', unit: 'e.unit_code' }) : undefined;
  if (cond) q = q.where(cond);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const lower = `%${f.q.toLowerCase().replace(/[\\%_\s]/g, (c) => (c.trim() ? `\\${c}` : ''))}%`;
    q = q.where((eb) =>
      eb.or([
        eb('e.name', 'ilike', like),
        eb('e.credit_code', 'ilike', like),
        eb('e.address', 'ilike', like),
        eb('e.search_keys', 'like', lower),
      ]),
    );
  }
  if (f.district) q = q.where('e.district_code', '=', f.district);
  if (f.industry) q = q.where('e.industry', '=', f.industry);
  if (f.highRiskCategory === 'none') q = q.where('e.high_risk_category', 'is', null);
  else if (f.highRiskCategory) q = q.where('e.high_risk_category', '=', f.highRiskCategory);
  if (f.crowded !== undefined) q = q.where('e.crowded_venue', '=', f.crowded);
  if (f.active !== undefined) q = q.where('e.active', '=', f.active);
  if (f.insuranceBy) q = q.where('e.insurance_expiry', '<=', f.insuranceBy);
  if (f.ids) q = q.where(sql<boolean>`e.id = any(${[...f.ids]}::text[])`);
  if (f.majorHazard !== undefined) q = q.where(majorHazardCondition(f.majorHazard));
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const ids = await q.select('e.id').orderBy('e.name').orderBy('e.id').limit(page.limit).offset(page.offset).execute();
  if (ids.length === 0) return { rows: [], total: Number(total.n) };
  const rows = await enterprisesById(
    db,
    ids.map((r) => r.id),
  );
  const at = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  return { rows, total: Number(total.n) };
}

function majorHazardCondition(yes: boolean) {
  const has = sql<boolean>`exists (select 1 from hazard_units h where h.enterprise_id = e.id and h.is_major)`;
  return yes ? has : sql<boolean>`not ${has}`;
}

export interface EnterpriseSummary {
  majorCount: number;
  highestGrade: number | null;
  /** the highest LEC D and LS R among its active risk points (coloured by the rule in force) */
  maxLec: number | null;
  maxLs: number | null;
}

/** Major hazards and the highest risk scores of these enterprises. */
export async function summaries(db: Tx, ids: readonly string[]): Promise<Map<string, EnterpriseSummary>> {
  const out = new Map<string, EnterpriseSummary>();
  if (ids.length === 0) return out;
  const list = [...ids];
  const hz = await db
    .selectFrom('hazard_units')
    .select([
      'enterprise_id',
      sql<string>`count(*) filter (where is_major)`.as('n'),
      sql<number | null>`min(grade) filter (where is_major)`.as('g'),
    ])
    .where(sql<boolean>`enterprise_id = any(${list}::text[])`)
    .groupBy('enterprise_id')
    .execute();
  const rp = await db
    .selectFrom('risk_points')
    .select([
      'enterprise_id',
      sql<number | null>`max(score) filter (where method = 'LEC')`.as('lec'),
      sql<number | null>`max(score) filter (where method = 'LS')`.as('ls'),
    ])
    .where(sql<boolean>`enterprise_id = any(${list}::text[])`)
    .where('active', '=', true)
    .groupBy('enterprise_id')
    .execute();
  const get = (id: string) => {
    const had = out.get(id);
    if (had) return had;
    const s: EnterpriseSummary = { majorCount: 0, highestGrade: null, maxLec: null, maxLs: null };
    out.set(id, s);
    return s;
  };
  for (const r of hz) {
    const s = get(r.enterprise_id);
    s.majorCount = Number(r.n);
    s.highestGrade = r.g === null ? null : Number(r.g);
  }
  for (const r of rp) {
    const s = get(r.enterprise_id);
    s.maxLec = r.lec === null ? null : Number(r.lec);
    s.maxLs = r.ls === null ? null : Number(r.ls);
  }
  return out;
}

function values(w: EnterpriseWrite) {
  return {
    name: w.name,
    credit_code: w.credit_code,
    industry: w.industry,
    high_risk_category: w.high_risk_category,
    crowded_venue: w.crowded_venue,
    park: w.park,
    geom: w.lng === null || w.lat === null ? null : sql<string>`st_setsrid(st_makepoint(${w.lng}, ${w.lat}), 4326)`,
    location_entered: w.location_entered ? JSON.stringify(w.location_entered) : null,
    district_code: w.district_code,
    address: w.address,
    legal_representative: w.legal_representative,
    safety_contacts: JSON.stringify(w.safety_contacts),
    employees: w.employees,
    insurance_expiry: w.insurance_expiry,
    automation: w.automation,
    unit_code: w.unit_code,
    active: w.active,
    notes: w.notes,
    search_keys: w.search_keys,
  };
}

export async function insertEnterprise(
  db: Tx,
  id: string,
  w: EnterpriseWrite,
  by: string | null,
  now: Date,
  demo: boolean,
): Promise<void> {
  await db
    .insertInto('enterprises')
    .values({ id, ...values(w), demo, created_by: by, created_at: now, updated_at: now })
    .execute();
}

/** false when the version is not the stored one */
export async function updateEnterprise(
  db: Tx,
  id: string,
  w: EnterpriseWrite,
  version: number,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('enterprises')
    .set((eb) => ({ ...values(w), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function demoLoaded(db: Tx): Promise<boolean> {
  const r = await db.selectFrom('enterprises').select('id').where('demo', '=', true).limit(1).executeTakeFirst();
  return !!r;
}
