/** The dispatch SQL: candidate teams, orders, positions. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';

export interface CandidateRow {
  id: string;
  name: string;
  type: string;
  status: string;
  lng: number;
  lat: number;
  pos_lng: number | null;
  pos_lat: number | null;
  position_at: Date | null;
}

/** Every team of the city in these statuses (and of the type): what nearest-teams ranks. */
export async function candidates(db: Tx, statuses: readonly string[], type?: string): Promise<CandidateRow[]> {
  let q = db
    .selectFrom('teams')
    .select([
      'id',
      'name',
      'type',
      'status',
      sql<number>`st_x(geom)`.as('lng'),
      sql<number>`st_y(geom)`.as('lat'),
      sql<number | null>`st_x(position)`.as('pos_lng'),
      sql<number | null>`st_y(position)`.as('pos_lat'),
      'position_at',
    ])
    .where('status', 'in', statuses.length ? [...statuses] : [''])
    .orderBy('id');
  if (type) q = q.where('type', '=', type);
  return q.execute();
}

export async function findCandidate(db: Tx, id: string): Promise<CandidateRow | undefined> {
  return db
    .selectFrom('teams')
    .select([
      'id',
      'name',
      'type',
      'status',
      sql<number>`st_x(geom)`.as('lng'),
      sql<number>`st_y(geom)`.as('lat'),
      sql<number | null>`st_x(position)`.as('pos_lng'),
      sql<number | null>`st_y(position)`.as('pos_lat'),
      'position_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface DispatchRow {
  id: string;
  incident_id: string;
  team_id: string;
  team_name: string;
  team_type: string;
  note: string;
  route: unknown;
  eta_seconds: number | null;
  meters: number | null;
  estimated: boolean;
  from_kind: string;
  dispatched_by: string | null;
  dispatched_by_name: string | null;
  dispatched_at: Date;
  arrived_at: Date | null;
  released_at: Date | null;
  release_note: string;
}

function dispatchQuery(db: Tx) {
  return db
    .selectFrom('dispatches as d')
    .innerJoin('teams as t', 't.id', 'd.team_id')
    .leftJoin('users as u', (j) => j.on(sql<boolean>`u.id::text = d.dispatched_by`))
    .select([
      'd.id',
      'd.incident_id',
      'd.team_id',
      't.name as team_name',
      't.type as team_type',
      'd.note',
      'd.route',
      'd.eta_seconds',
      'd.meters',
      'd.estimated',
      'd.from_kind',
      'd.dispatched_by',
      'u.display_name as dispatched_by_name',
      'd.dispatched_at',
      'd.arrived_at',
      'd.released_at',
      'd.release_note',
    ]);
}

export async function listDispatches(db: Tx, incidentId: string): Promise<DispatchRow[]> {
  return dispatchQuery(db).where('d.incident_id', '=', incidentId).orderBy('d.dispatched_at').orderBy('d.id').execute();
}

export async function findDispatch(db: Tx, id: string): Promise<DispatchRow | undefined> {
  return dispatchQuery(db).where('d.id', '=', id).executeTakeFirst();
}

/** the team's open order (not released), locked when `lock` */
export async function openDispatchOf(db: Tx, teamId: string): Promise<{ id: string; incident_id: string } | undefined> {
  return db
    .selectFrom('dispatches')
    .select(['id', 'incident_id'])
    .where('team_id', '=', teamId)
    .where('released_at', 'is', null)
    .executeTakeFirst();
}

export async function lockTeam(db: Tx, teamId: string): Promise<{ status: string } | undefined> {
  return db.selectFrom('teams').select('status').where('id', '=', teamId).forUpdate().executeTakeFirst();
}

export async function insertDispatch(
  db: Tx,
  d: {
    id: string;
    incidentId: string;
    teamId: string;
    note: string;
    route: unknown;
    etaSeconds: number | null;
    meters: number | null;
    estimated: boolean;
    from: string;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('dispatches')
    .values({
      id: d.id,
      incident_id: d.incidentId,
      team_id: d.teamId,
      note: d.note,
      route: JSON.stringify(d.route),
      eta_seconds: d.etaSeconds,
      meters: d.meters,
      estimated: d.estimated,
      from_kind: d.from,
      dispatched_by: d.by,
      dispatched_at: d.at,
    })
    .execute();
}

/** false when the order was already arrived (or released) */
export async function markArrived(db: Tx, id: string, by: string | null, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('dispatches')
    .set({ arrived_at: at, arrived_by: by })
    .where('id', '=', id)
    .where('arrived_at', 'is', null)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** false when the order was already released */
export async function markReleased(db: Tx, id: string, by: string | null, note: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('dispatches')
    .set({ released_at: at, released_by: by, release_note: note })
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a position; it becomes the team's latest only when newer. Returns whether it did. */
export async function insertPosition(
  db: Tx,
  p: { id: string; teamId: string; ts: Date; lng: number; lat: number; at: Date; by: string | null; via: string },
): Promise<boolean> {
  const point = sql`st_setsrid(st_makepoint(${p.lng}, ${p.lat}), 4326)`;
  await db
    .insertInto('team_positions')
    .values({
      id: p.id,
      team_id: p.teamId,
      ts: p.ts,
      geom: point,
      received_at: p.at,
      by_user: p.by,
      via: p.via,
    })
    .execute();
  const r = await db
    .updateTable('teams')
    .set({ position: point, position_at: p.ts })
    .where('id', '=', p.teamId)
    .where((eb) => eb.or([eb('position_at', 'is', null), eb('position_at', '<', p.ts)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function prunePositions(db: Tx, before: Date): Promise<number> {
  const r = await db.deleteFrom('team_positions').where('ts', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
