/** The forces module's SQL: teams, members, status history, the analyses' areas. */
import { sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

export interface TeamRow {
  id: string;
  name: string;
  type: string;
  lng: number;
  lat: number;
  district_code: string | null;
  owner_unit: string | null;
  organisation: string;
  station_class: string | null;
  suburban: boolean;
  specialties: string[];
  radius_km: number | null;
  headcount: number;
  capabilities: string[];
  equipment: unknown;
  vehicles: unknown;
  contacts: unknown;
  status: string;
  status_note: string;
  status_confirmed_at: Date;
  notes: string;
  demo: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  member_count: number;
  expiring: number;
  expired: number;
}

/** What a team's row is written from (the service's checked, resolved input). */
export interface TeamWrite {
  name: string;
  type: string;
  lng: number;
  lat: number;
  district_code: string | null;
  owner_unit: string | null;
  organisation: string;
  station_class: string | null;
  suburban: boolean;
  specialties: string[];
  radius_km: number | null;
  headcount: number;
  capabilities: string[];
  equipment: unknown[];
  vehicles: unknown[];
  contacts: unknown[];
  notes: string;
}

const TEAM_COLUMNS = [
  't.id',
  't.name',
  't.type',
  't.district_code',
  't.owner_unit',
  't.organisation',
  't.station_class',
  't.suburban',
  't.specialties',
  't.radius_km',
  't.headcount',
  't.capabilities',
  't.equipment',
  't.vehicles',
  't.contacts',
  't.status',
  't.status_note',
  't.status_confirmed_at',
  't.notes',
  't.demo',
  't.version',
  't.created_at',
  't.updated_at',
] as const;

/** certificate days: "expiring" = within `soon` of `today`, "expired" = before today (YYYY-MM-DD text compare) */
export interface Days {
  today: string;
  soon: string;
}

function teamSelect(db: Tx, days: Days) {
  return db
    .selectFrom('teams as t')
    .select(TEAM_COLUMNS)
    .select([
      sql<number>`st_x(t.geom)`.as('lng'),
      sql<number>`st_y(t.geom)`.as('lat'),
      sql<number>`(select count(*) from team_members m where m.team_id = t.id)`.as('member_count'),
      sql<number>`(select count(*) from team_members m, jsonb_array_elements(m.certificates) c
                    where m.team_id = t.id and c->>'expiresOn' >= ${days.today} and c->>'expiresOn' <= ${days.soon})`.as(
        'expiring',
      ),
      sql<number>`(select count(*) from team_members m, jsonb_array_elements(m.certificates) c
                    where m.team_id = t.id and c->>'expiresOn' < ${days.today})`.as('expired'),
    ]);
}

function fixRow(r: Record<string, unknown>): TeamRow {
  return {
    ...(r as unknown as TeamRow),
    lng: Number(r.lng),
    lat: Number(r.lat),
    radius_km: r.radius_km === null ? null : Number(r.radius_km),
    member_count: Number(r.member_count),
    expiring: Number(r.expiring),
    expired: Number(r.expired),
  };
}

export async function findTeam(db: Tx, id: string, days: Days): Promise<TeamRow | undefined> {
  const r = await teamSelect(db, days).where('t.id', '=', id).executeTakeFirst();
  return r ? fixRow(r) : undefined;
}

export interface TeamFilter {
  q?: string;
  type?: string;
  types?: string[];
  status?: string;
  statuses?: readonly string[];
  district?: string;
  capability?: string;
  stationClass?: string;
  ids?: readonly string[];
  /** status confirmed before this moment */
  staleBefore?: Date;
  expiring?: Days;
}

export async function listTeams(
  db: Tx,
  actor: Actor | null,
  f: TeamFilter,
  page: { limit: number; offset: number },
  days: Days,
): Promise<{ rows: TeamRow[]; total: number }> {
  let q = db.selectFrom('teams as t');
  const cond = actor ? scopeCondition(actor, { district: 't.district_code', unit: 't.owner_unit' }) : undefined;
  if (cond) q = q.where(cond);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('t.name', 'ilike', like), eb('t.organisation', 'ilike', like)]));
  }
  if (f.type) q = q.where('t.type', '=', f.type);
  if (f.types) q = q.where('t.type', 'in', f.types.length ? f.types : ['']);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.statuses) q = q.where('t.status', 'in', f.statuses.length ? [...f.statuses] : ['']);
  if (f.district) q = q.where('t.district_code', '=', f.district);
  if (f.stationClass) q = q.where('t.station_class', '=', f.stationClass);
  if (f.ids) q = q.where(sql<boolean>`t.id = any(${[...f.ids]}::text[])`);
  if (f.capability)
    q = q.where(
      sql<boolean>`(${f.capability} = any(t.capabilities) or ${f.capability} = any(t.specialties) or t.type = ${f.capability})`,
    );
  if (f.staleBefore) q = q.where('t.status_confirmed_at', '<', f.staleBefore);
  if (f.expiring) {
    const soon = f.expiring.soon;
    q = q.where(
      sql<boolean>`exists (select 1 from team_members m, jsonb_array_elements(m.certificates) c
                            where m.team_id = t.id and c->>'expiresOn' <= ${soon})`,
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const ids = await q
    .select('t.id')
    .orderBy('t.type')
    .orderBy('t.name')
    .orderBy('t.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  if (ids.length === 0) return { rows: [], total: Number(total.n) };
  const rows = (
    await teamSelect(db, days)
      .where(sql<boolean>`t.id = any(${ids.map((r) => r.id)}::text[])`)
      .execute()
  ).map(fixRow);
  const at = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  return { rows, total: Number(total.n) };
}

function teamValues(w: TeamWrite) {
  return {
    name: w.name,
    type: w.type,
    geom: sql`st_setsrid(st_makepoint(${w.lng}, ${w.lat}), 4326)`,
    district_code: w.district_code,
    owner_unit: w.owner_unit,
    organisation: w.organisation,
    station_class: w.station_class,
    suburban: w.suburban,
    specialties: w.specialties,
    radius_km: w.radius_km,
    headcount: w.headcount,
    capabilities: w.capabilities,
    equipment: JSON.stringify(w.equipment),
    vehicles: JSON.stringify(w.vehicles),
    contacts: JSON.stringify(w.contacts),
    notes: w.notes,
  };
}

export async function insertTeam(
  db: Tx,
  id: string,
  w: TeamWrite & { status: string; demo: boolean },
  by: string | null,
  now: Date,
): Promise<void> {
  await db
    .insertInto('teams')
    .values({
      id,
      ...teamValues(w),
      status: w.status,
      status_confirmed_at: now,
      demo: w.demo,
      created_by: by,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** false when the version is stale */
export async function updateTeam(db: Tx, id: string, w: TeamWrite, version: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('teams')
    .set({ ...teamValues(w), version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets the status (or confirms the same one), locking the row; returns the previous status, undefined if none. */
export async function setStatus(
  db: Tx,
  id: string,
  status: string,
  note: string,
  now: Date,
): Promise<string | undefined> {
  const had = await db.selectFrom('teams').select('status').where('id', '=', id).forUpdate().executeTakeFirst();
  if (!had) return undefined;
  await db
    .updateTable('teams')
    .set({ status, status_note: note, status_confirmed_at: now, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .execute();
  return had.status;
}

export async function insertStatusEntry(
  db: Tx,
  e: { id: string; teamId: string; status: string; previous: string | null; note: string; by: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('team_status_history')
    .values({
      id: e.id,
      team_id: e.teamId,
      status: e.status,
      previous: e.previous,
      note: e.note,
      by_user: e.by,
      at: e.at,
    })
    .execute();
}

export async function statusHistory(db: Tx, teamId: string, limit: number, offset: number) {
  const total = await db
    .selectFrom('team_status_history')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('team_status_history as h')
    .leftJoin('users as u', (j) => j.on(sql<boolean>`u.id::text = h.by_user`))
    .select(['h.id', 'h.status', 'h.previous', 'h.note', 'h.at', 'u.display_name as by_name'])
    .where('h.team_id', '=', teamId)
    .orderBy('h.at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** Counts per type and status, and per district, over the teams the actor sees. */
export async function summary(db: Tx, actor: Actor, dispatchable: readonly string[]) {
  let q = db.selectFrom('teams as t');
  const cond = scopeCondition(actor, { district: 't.district_code', unit: 't.owner_unit' });
  if (cond) q = q.where(cond);
  const byTypeStatus = await q
    .select(['t.type', 't.status'])
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<string>('t.headcount').as('people')])
    .groupBy(['t.type', 't.status'])
    .execute();
  const byDistrict = await q
    .select('t.district_code')
    .select((eb) => [
      eb.fn.countAll<string>().as('n'),
      sql<string>`count(*) filter (where t.status = any(${[...dispatchable]}::text[]))`.as('ready'),
    ])
    .groupBy('t.district_code')
    .execute();
  return { byTypeStatus, byDistrict };
}

// ————— members —————

export interface MemberRow {
  id: string;
  team_id: string;
  name: string;
  role: string;
  phone: string;
  certificates: unknown;
  training: unknown;
  version: number;
}

export async function listMembers(db: Tx, teamId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('team_members')
    .select(['id', 'team_id', 'name', 'role', 'phone', 'certificates', 'training', 'version'])
    .where('team_id', '=', teamId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findMember(db: Tx, teamId: string, id: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('team_members')
    .select(['id', 'team_id', 'name', 'role', 'phone', 'certificates', 'training', 'version'])
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface MemberWrite {
  name: string;
  role: string;
  phone: string;
  certificates: unknown[];
  training: unknown[];
  nextExpiry: string | null;
}

export async function insertMember(db: Tx, id: string, teamId: string, w: MemberWrite, now: Date): Promise<void> {
  await db
    .insertInto('team_members')
    .values({
      id,
      team_id: teamId,
      name: w.name,
      role: w.role,
      phone: w.phone,
      certificates: JSON.stringify(w.certificates),
      training: JSON.stringify(w.training),
      next_expiry: w.nextExpiry,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateMember(db: Tx, id: string, w: MemberWrite, version: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('team_members')
    .set({
      name: w.name,
      role: w.role,
      phone: w.phone,
      certificates: JSON.stringify(w.certificates),
      training: JSON.stringify(w.training),
      next_expiry: w.nextExpiry,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteMember(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('team_members').where('id', '=', id).execute();
}

// ————— areas —————

export interface AreaRow {
  id: string;
  kind: string;
  name: string;
  geojson: string;
  district_code: string | null;
  area_km2: number;
  approximate: boolean;
  notes: string;
  demo: boolean;
  created_at: Date;
}

export async function listAreas(
  db: Tx,
  f: { kind?: string; ids?: readonly string[] },
  page: { limit: number; offset: number },
): Promise<{ rows: AreaRow[]; total: number }> {
  let q = db.selectFrom('force_areas as a');
  if (f.kind) q = q.where('a.kind', '=', f.kind);
  if (f.ids) q = q.where(sql<boolean>`a.id = any(${[...f.ids]}::text[])`);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'a.id',
      'a.kind',
      'a.name',
      'a.district_code',
      'a.area_km2',
      'a.approximate',
      'a.notes',
      'a.demo',
      'a.created_at',
      sql<string>`st_asgeojson(a.geom, 7)`.as('geojson'),
    ])
    .orderBy('a.kind')
    .orderBy('a.name')
    .orderBy('a.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows: rows.map((r) => ({ ...r, area_km2: Number(r.area_km2) })), total: Number(total.n) };
}

/**
 * Inserts an area after PostGIS's own check: a geometry that is not valid (self-intersections) is refused with the
 * reason PostGIS gives, before anything is written. Returns the district holding most of it and its area.
 */
export async function insertArea(
  db: Tx,
  a: {
    id: string;
    kind: string;
    name: string;
    geojson: string;
    approximate: boolean;
    notes: string;
    demo: boolean;
    by: string | null;
    now: Date;
  },
): Promise<void> {
  const geom = sql`st_multi(st_setsrid(st_geomfromgeojson(${a.geojson}), 4326))`;
  await db
    .insertInto('force_areas')
    .values({
      id: a.id,
      kind: a.kind,
      name: a.name,
      geom,
      // the district holding the area's centre (a point inside it)
      district_code: sql`(select b.code from boundaries b where b.kind = 'district' and st_intersects(b.geom, st_pointonsurface(${geom})) order by b.code limit 1)`,
      area_km2: sql`st_area(${geom}::geography) / 1e6`,
      approximate: a.approximate,
      notes: a.notes,
      demo: a.demo,
      created_by: a.by,
      created_at: a.now,
    })
    .execute();
}

/** PostGIS's reason why a GeoJSON polygon is not valid, or null when it is. */
export async function invalidReason(db: Tx, geojson: string): Promise<string | null> {
  const r = await sql<{
    reason: string | null;
  }>`select case when st_isvalid(g) then null else st_isvalidreason(g) end as reason
       from (select st_setsrid(st_geomfromgeojson(${geojson}), 4326) as g) x`.execute(db);
  return r.rows[0]?.reason ?? null;
}

export async function deleteArea(db: Tx, id: string): Promise<boolean> {
  const r = await db.deleteFrom('force_areas').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function findArea(db: Tx, id: string): Promise<{ id: string; kind: string; name: string } | undefined> {
  return db.selectFrom('force_areas').select(['id', 'kind', 'name']).where('id', '=', id).executeTakeFirst();
}

/** The union of the areas of a kind as one GeoJSON geometry (null when there are none). */
export async function unionOfAreas(db: Tx, kind: string): Promise<string | null> {
  const r = await sql<{ g: string | null }>`
    select st_asgeojson(st_multi(st_union(geom)), 7) as g from force_areas where kind = ${kind}`.execute(db);
  return r.rows[0]?.g ?? null;
}

/** whether an earlier demo load already wrote its teams and areas (a load interrupted half-way is finished, not doubled) */
export async function demoLoaded(db: Tx): Promise<{ teams: boolean; areas: boolean }> {
  const [t, a] = await Promise.all([
    db.selectFrom('teams').select('id').where('demo', '=', true).limit(1).executeTakeFirst(),
    db.selectFrom('force_areas').select('id').where('demo', '=', true).limit(1).executeTakeFirst(),
  ]);
  return { teams: !!t, areas: !!a };
}
