import { type SelectQueryBuilder, sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Database, Tx } from '../../platform/db/index.ts';
import { containsPattern } from '../../platform/db/sql.ts';

export interface IncidentFilters {
  statuses?: string[];
  categories?: string[];
  /** exact code, or a prefix for a class (11B) or 大类 (11) */
  typeCode?: { exact?: string; prefix?: string };
  levels?: string[];
  includeUnassessed?: boolean;
  district?: string;
  from?: Date;
  to?: Date;
  q?: string;
  /** incidents merged into another: left out (default), included, or only they */
  merged?: 'exclude' | 'include' | 'only';
  /** drill-mode incidents (演练): included (default, tagged), left out, or only they */
  exercise?: 'exclude' | 'include' | 'only';
  /** the incidents of one exercise */
  exerciseId?: string;
}

const COLUMNS = [
  'i.id',
  'i.number',
  'i.title',
  'i.description',
  'i.type_code',
  'i.category',
  'i.occurred_at',
  'i.reported_at',
  'i.address',
  'i.reporter_name',
  'i.reporter_unit',
  'i.reporter_phone',
  'i.deaths',
  'i.missing',
  'i.seriously_injured',
  'i.injured',
  'i.affected',
  'i.relocated',
  'i.direct_loss_wan',
  'i.district_code',
  'i.district_status',
  'i.computed_level',
  'i.level_basis',
  'i.level_basis_data',
  'i.location_entered',
  'i.level_override',
  'i.level_override_reason',
  'i.level_override_by',
  'i.level_override_at',
  'i.level',
  'i.status',
  'i.closed_at',
  'i.possible_duplicate_of',
  'i.merged_into',
  'i.merged_at',
  'i.merged_by',
  'i.created_by',
  'i.created_by_unit',
  'i.demo',
  'i.exercise_id',
  'i.exercise_title',
  'i.version',
  'i.created_at',
  'i.updated_at',
] as const;

type From = SelectQueryBuilder<Database & { i: Database['incidents'] }, 'i', object>;

function base(db: Tx) {
  return db.selectFrom('incidents as i');
}

function withDetails(q: From) {
  return q
    .leftJoin('org_units as d', 'd.code', 'i.district_code')
    .select(COLUMNS)
    .select([
      sql<string | null>`st_x(i.geom)`.as('lng'),
      sql<string | null>`st_y(i.geom)`.as('lat'),
      'd.name as district_name',
      sql<string | null>`(select m.number from incidents m where m.id = i.merged_into)`.as('merged_into_number'),
    ]);
}

export type IncidentRow = NonNullable<Awaited<ReturnType<typeof findIncident>>>;

export function findIncident(db: Tx, id: string, forUpdate = false) {
  const q = withDetails(base(db) as From).where('i.id', '=', id);
  return (forUpdate ? q.forUpdate('i') : q).executeTakeFirst();
}

function filtered(db: Tx, actor: Actor, f: IncidentFilters): From {
  let q = base(db) as From;
  // records outside the actor's data scope are not listed
  const scope = scopeCondition(actor, { district: 'i.district_code', unit: 'i.created_by_unit' });
  if (scope) q = q.where(scope);
  if (f.statuses?.length) q = q.where('i.status', 'in', f.statuses);
  if ((f.merged ?? 'exclude') === 'exclude') q = q.where('i.merged_into', 'is', null);
  else if (f.merged === 'only') q = q.where('i.merged_into', 'is not', null);
  if (f.exercise === 'exclude') q = q.where('i.exercise_id', 'is', null);
  else if (f.exercise === 'only') q = q.where('i.exercise_id', 'is not', null);
  if (f.exerciseId) q = q.where('i.exercise_id', '=', f.exerciseId);
  if (f.categories?.length) q = q.where('i.category', 'in', f.categories);
  if (f.typeCode?.exact) q = q.where('i.type_code', '=', f.typeCode.exact);
  if (f.typeCode?.prefix) q = q.where('i.type_code', 'like', `${f.typeCode.prefix}%`);
  if (f.levels?.length || f.includeUnassessed) {
    const levels = f.levels ?? [];
    q = q.where((eb) =>
      eb.or([
        ...(levels.length ? [eb('i.level', 'in', levels)] : []),
        ...(f.includeUnassessed ? [eb('i.level', 'is', null)] : []),
      ]),
    );
  }
  if (f.district === 'outside' || f.district === 'unknown' || f.district === 'sea')
    q = q.where('i.district_status', '=', f.district);
  else if (f.district) q = q.where('i.district_code', '=', f.district);
  if (f.from) q = q.where('i.occurred_at', '>=', f.from);
  if (f.to) q = q.where('i.occurred_at', '<', f.to);
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([
        eb('i.number', 'ilike', like),
        eb('i.title', 'ilike', like),
        eb('i.address', 'ilike', like),
        eb('i.description', 'ilike', like),
      ]),
    );
  }
  return q;
}

/** A page in the register's order; `after` (the last row of the previous page) instead of an offset for long walks. */
export function listIncidents(
  db: Tx,
  actor: Actor,
  f: IncidentFilters,
  limit: number,
  offset: number,
  after?: { occurredAt: Date; id: string },
) {
  let q = filtered(db, actor, f);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('i.occurred_at', '<', after.occurredAt),
        eb.and([eb('i.occurred_at', '=', after.occurredAt), eb('i.id', '<', after.id)]),
      ]),
    );
  }
  return withDetails(q).orderBy('i.occurred_at', 'desc').orderBy('i.id', 'desc').limit(limit).offset(offset).execute();
}

export async function countIncidents(db: Tx, actor: Actor, f: IncidentFilters): Promise<number> {
  const r = await filtered(db, actor, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Moves the status if the row is still at `version`; false when someone else changed it first. */
export async function setStatus(db: Tx, id: string, version: number, status: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('incidents')
    .set({ status, version: version + 1, updated_at: now, ...(status === 'closed' ? { closed_at: now } : {}) })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface IncidentValues {
  title: string;
  description: string;
  type_code: string;
  category: string;
  occurred_at: Date;
  reported_at: Date;
  lng: number | null;
  lat: number | null;
  address: string;
  reporter_name: string;
  reporter_unit: string;
  reporter_phone: string;
  deaths: number;
  missing: number;
  seriously_injured: number;
  injured: number;
  affected: number;
  relocated: number;
  direct_loss_wan: number;
  district_code: string | null;
  district_status: string;
  computed_level: string | null;
  level_basis: string;
  /** JSON text of the basis facts */
  level_basis_data: string | null;
  /** JSON text of the point as entered */
  location_entered: string | null;
  level_override: string | null;
  level_override_reason: string | null;
  level_override_by: string | null;
  level_override_at: Date | null;
  status: string;
}

function geomOf(v: { lng: number | null; lat: number | null }) {
  return v.lng === null || v.lat === null ? null : sql`st_setsrid(st_makepoint(${v.lng}, ${v.lat}), 4326)`;
}

export async function insertIncident(
  db: Tx,
  v: IncidentValues & {
    id: string;
    number: string;
    created_by: string | null;
    created_by_unit: string | null;
    demo: boolean;
    exercise_id: string | null;
    exercise_title: string | null;
    now: Date;
  },
) {
  const { lng, lat, now, ...rest } = v;
  return db
    .insertInto('incidents')
    .values({ ...rest, geom: geomOf({ lng, lat }), created_at: now, updated_at: now })
    .returning(RETURNED)
    .returning(returnedDetails())
    .executeTakeFirstOrThrow();
}

type Unprefixed<S> = S extends `i.${infer C}` ? C : never;
/** the row as findIncident reads it, returned by the write itself (one round trip less inside the transaction) */
const RETURNED = COLUMNS.map((c) => c.slice(2) as Unprefixed<(typeof COLUMNS)[number]>);
const returnedDetails = () => [
  sql<string | null>`st_x(geom)`.as('lng'),
  sql<string | null>`st_y(geom)`.as('lat'),
  sql<string | null>`(select d.name from org_units d where d.code = district_code)`.as('district_name'),
  sql<string | null>`(select m.number from incidents m where m.id = incidents.merged_into)`.as('merged_into_number'),
];

/** Writes the new values if the row is still at `version` and returns it; undefined when someone else changed it first. */
export async function updateIncident(db: Tx, id: string, version: number, v: IncidentValues, now: Date) {
  const { lng, lat, ...rest } = v;
  return db
    .updateTable('incidents')
    .set({ ...rest, geom: geomOf({ lng, lat }), version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(RETURNED)
    .returning(returnedDetails())
    .executeTakeFirst();
}

/**
 * The open incidents (not closed, not merged) a report at this place and time may repeat: the same type code (or
 * category), within `meters` on the ground (geography) and `hours` of its occurredAt either way; oldest first.
 */
export async function findDuplicateCandidates(
  db: Tx,
  c: {
    excludeId: string;
    match: 'type' | 'category';
    typeCode: string;
    category: string;
    lng: number;
    lat: number;
    occurredAt: Date;
    meters: number;
    hours: number;
  },
): Promise<string[]> {
  const ms = c.hours * 3600_000;
  const rows = await db
    .selectFrom('incidents')
    .select('id')
    .where('id', '<>', c.excludeId)
    .where('merged_into', 'is', null)
    .where('status', '<>', 'closed')
    .where(c.match === 'type' ? 'type_code' : 'category', '=', c.match === 'type' ? c.typeCode : c.category)
    .where('occurred_at', '>=', new Date(c.occurredAt.getTime() - ms))
    .where('occurred_at', '<=', new Date(c.occurredAt.getTime() + ms))
    .where(
      sql<boolean>`st_dwithin(geom::geography, st_setsrid(st_makepoint(${c.lng}, ${c.lat}), 4326)::geography, ${c.meters})`,
    )
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(20)
    .execute();
  return rows.map((r) => r.id);
}

/** Stores the possible duplicates found (no new version: a finding, not an edit). */
export async function setPossibleDuplicates(db: Tx, id: string, ids: string[]): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ possible_duplicate_of: sql<string[]>`${sql.val(ids)}::uuid[]` })
    .where('id', '=', id)
    .execute();
}

/** Merges the incident into another (or undoes it with null) if still at `version`; false when changed meanwhile. */
export async function setMergedInto(
  db: Tx,
  id: string,
  version: number,
  merge: { into: string; by: string } | null,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('incidents')
    .set({
      merged_into: merge?.into ?? null,
      merged_at: merge ? now : null,
      merged_by: merge?.by ?? null,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertLog(
  db: Tx,
  e: {
    id: string;
    incidentId: string;
    at: Date;
    kind: string;
    text: string;
    actorId: string | null;
    actorName: string | null;
    data?: unknown;
  },
) {
  await db
    .insertInto('incident_log')
    .values({
      id: e.id,
      incident_id: e.incidentId,
      at: e.at,
      kind: e.kind,
      text: e.text,
      actor_id: e.actorId,
      actor_name: e.actorName,
      data: e.data === undefined ? null : JSON.stringify(e.data),
    })
    .execute();
}

export async function listLog(db: Tx, incidentId: string, limit: number, offset: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom('incident_log')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('incident_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Where an incident belongs (its district and reporting unit), for other modules' records about it. */
export function findOwner(db: Tx, id: string) {
  return db
    .selectFrom('incidents')
    .select(['district_code', 'created_by_unit'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Names (Chinese and English) of organisation units, for refusals that name a district in words. */
export function unitNames(db: Tx, codes: string[]) {
  return db.selectFrom('org_units').select(['code', 'name', 'name_en']).where('code', 'in', codes).execute();
}

/** Titles of the demo incidents already written (an interrupted demo load is finished, not repeated). */
export async function listDemoTitles(db: Tx): Promise<string[]> {
  const rows = await db.selectFrom('incidents').select('title').where('demo', '=', true).execute();
  return rows.map((r) => r.title);
}
