import { type SelectQueryBuilder, sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';

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
  'c.district_code',
  'c.created_by',
  'c.created_by_unit',
  'c.created_at',
  'c.version',
] as const;

type From = SelectQueryBuilder<Database & { c: Database['closures'] }, 'c', object>;

function withDetails(q: From) {
  return q
    .leftJoin('boundaries as b', 'b.code', 'c.district_code')
    .select(COLUMNS)
    .select(['b.name as district_name', sql<string>`st_asgeojson(c.geom, 7)`.as('geojson')]);
}

export type ClosureRow = NonNullable<Awaited<ReturnType<typeof findClosure>>>;

export function findClosure(db: Tx, id: string, forUpdate = false) {
  const q = withDetails(db.selectFrom('closures as c') as From).where('c.id', '=', id);
  return (forUpdate ? q.forUpdate('c') : q).executeTakeFirst();
}

export type ClosureFilter = 'open' | 'cleared' | 'all';

/** Closures of a state, inside the actor's data scope (none for whom it has none); `actor` null: all of them. */
function filtered(db: Tx, f: ClosureFilter, actor: Actor | null): From {
  let q = db.selectFrom('closures as c') as From;
  const scope = actor ? scopeCondition(actor, { district: 'c.district_code', unit: 'c.created_by_unit' }) : undefined;
  if (scope) q = q.where(scope);
  if (f === 'open') q = q.where('c.cleared_at', 'is', null);
  if (f === 'cleared') q = q.where('c.cleared_at', 'is not', null);
  return q;
}

export function listClosures(db: Tx, f: ClosureFilter, actor: Actor | null, limit: number, offset: number) {
  return withDetails(filtered(db, f, actor))
    .orderBy('c.starts_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countClosures(db: Tx, f: ClosureFilter, actor: Actor | null): Promise<number> {
  const r = await filtered(db, f, actor)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Not cleared: what routing may have to avoid (now or when they start), whoever registered them. */
export function openClosures(db: Tx) {
  return db
    .selectFrom('closures')
    .select(['id', 'segs', 'network_id', 'starts_at', sql<string>`st_asgeojson(geom, 7)`.as('geojson')])
    .where('cleared_at', 'is', null)
    .execute();
}

/**
 * Inserts a closure whose geometry and names are those of the chosen road segments, in the district its stretch
 * lies in most (by length inside each district polygon).
 */
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
    byUnit: string | null;
    now: Date;
  },
) {
  await sql`
    insert into closures (id, number, cause, geom, network_id, segs, road_names, starts_at, expected_end_at,
                          incident_id, created_by, created_by_unit, created_at)
    select ${v.id}::uuid, ${v.number}, ${v.cause}, st_multi(st_collect(r.geom)), ${v.networkId}::uuid, ${v.segs}::int[],
           coalesce(array_agg(distinct r.name) filter (where r.name is not null), '{}'),
           ${v.startsAt}::timestamptz, ${v.expectedEndAt}::timestamptz, ${v.incidentId}::uuid, ${v.by},
           ${v.byUnit}, ${v.now}::timestamptz
    from roads r where r.network_id = ${v.networkId}::uuid and r.seg = any(${v.segs}::int[])`.execute(db);
  await sql`update closures c set district_code = ${DISTRICT_OF_CLOSURE} where c.id = ${v.id}::uuid`.execute(db);
}

/** The district a closure's stretch (`c.geom`) lies in most, by length inside each district polygon. */
const DISTRICT_OF_CLOSURE = sql`(
  select b.code from boundaries b
  where b.kind = 'district' and st_intersects(b.geom, c.geom)
  order by st_length(st_collectionextract(st_intersection(b.geom, c.geom), 2)::geography) desc, b.code
  limit 1)`;

/** After new district polygons: each open closure belongs to the district it now lies in (cleared ones keep theirs). */
export async function placeOpenClosures(db: Tx): Promise<void> {
  await sql`update closures c set district_code = ${DISTRICT_OF_CLOSURE} where c.cleared_at is null`.execute(db);
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
