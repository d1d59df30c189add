import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';

const COLUMNS = [
  'c.id',
  'c.number',
  'c.cause',
  'c.network_id',
  'c.segs',
  'c.road_names',
  'c.starts_at',
  'c.expected_end_at',
  'c.cleared_at',
  'c.cleared_by',
  'c.incident_id',
  'c.created_by',
  'c.created_at',
  'c.version',
] as const;

export type ClosureRow = Awaited<ReturnType<typeof findClosure>> & object;

export function findClosure(db: Tx, id: string) {
  return db
    .selectFrom('closures as c')
    .select([...COLUMNS, sql<string>`st_asgeojson(c.geom, 7)`.as('geojson')])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export type ClosureFilter = 'open' | 'cleared' | 'all';

export function listClosures(db: Tx, f: ClosureFilter, limit: number, offset: number) {
  let q = db.selectFrom('closures as c').select([...COLUMNS, sql<string>`st_asgeojson(c.geom, 7)`.as('geojson')]);
  if (f === 'open') q = q.where('c.cleared_at', 'is', null);
  if (f === 'cleared') q = q.where('c.cleared_at', 'is not', null);
  return q.orderBy('c.starts_at', 'desc').orderBy('c.id', 'desc').limit(limit).offset(offset).execute();
}

export async function countClosures(db: Tx, f: ClosureFilter): Promise<number> {
  let q = db.selectFrom('closures as c').select((eb) => eb.fn.countAll<number>().as('n'));
  if (f === 'open') q = q.where('c.cleared_at', 'is', null);
  if (f === 'cleared') q = q.where('c.cleared_at', 'is not', null);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Not cleared: what routing may have to avoid (now or when they start). */
export function openClosures(db: Tx) {
  return db
    .selectFrom('closures')
    .select(['id', 'segs', 'network_id', 'starts_at', sql<string>`st_asgeojson(geom, 7)`.as('geojson')])
    .where('cleared_at', 'is', null)
    .execute();
}

/** Inserts a closure whose geometry and names are those of the chosen road segments. */
export async function insertClosure(
  db: Tx,
  v: {
    id: string;
    number: string;
    cause: string;
    networkId: string;
    segs: number[];
    startsAt: Date;
    expectedEndAt: Date | null;
    incidentId: string | null;
    by: string;
    now: Date;
  },
) {
  await sql`
    insert into closures (id, number, cause, geom, network_id, segs, road_names, starts_at, expected_end_at,
                          incident_id, created_by, created_at)
    select ${v.id}::uuid, ${v.number}, ${v.cause}, st_multi(st_collect(r.geom)), ${v.networkId}::uuid, ${v.segs}::int[],
           coalesce(array_agg(distinct r.name) filter (where r.name is not null), '{}'),
           ${v.startsAt}::timestamptz, ${v.expectedEndAt}::timestamptz, ${v.incidentId}::uuid, ${v.by},
           ${v.now}::timestamptz
    from roads r where r.network_id = ${v.networkId}::uuid and r.seg = any(${v.segs}::int[])`.execute(db);
}

export async function clearClosure(db: Tx, id: string, by: string, now: Date) {
  await db
    .updateTable('closures')
    .set((eb) => ({ cleared_at: now, cleared_by: by, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function moveClosure(db: Tx, id: string, networkId: string, segs: number[]) {
  await db.updateTable('closures').set({ network_id: networkId, segs }).where('id', '=', id).execute();
}
