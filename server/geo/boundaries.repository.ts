import { sql } from 'kysely';
import type { Tx } from '../platform/db/index.ts';

export async function upsertBoundary(
  db: Tx,
  b: {
    code: string;
    name: string;
    kind: 'district' | 'neighbour';
    geometry: object;
    /** where the name is drawn (the seat of government) when it lies inside; else a point on the surface */
    seat?: [number, number];
    source: string;
    now: Date;
  },
) {
  const g = sql`st_multi(st_collectionextract(st_makevalid(st_setsrid(st_geomfromgeojson(${JSON.stringify(b.geometry)}), 4326)), 3))`;
  const seat = b.seat ? sql`st_setsrid(st_makepoint(${b.seat[0]}, ${b.seat[1]}), 4326)` : null;
  const label = seat
    ? sql`(case when st_intersects(${g}, ${seat}) then ${seat} else st_pointonsurface(${g}) end)`
    : sql`st_pointonsurface(${g})`;
  await db
    .insertInto('boundaries')
    .values({
      code: b.code,
      name: b.name,
      kind: b.kind,
      geom: g,
      label_point: label,
      source: b.source,
      updated_at: b.now,
    })
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        name: b.name,
        kind: b.kind,
        geom: g,
        label_point: label,
        source: b.source,
        updated_at: b.now,
      }),
    )
    .execute();
}

export function countBoundaries(db: Tx) {
  return db
    .selectFrom('boundaries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
}

/** The basemap's polygons, simplified to about 50 m: enough for a city view, a fraction of the bytes. */
export function basemapFeatures(db: Tx) {
  return db
    .selectFrom('boundaries')
    .select([
      'code',
      'name',
      'kind',
      'source',
      sql<string>`st_asgeojson(st_simplifypreservetopology(geom, 0.0005), 5)`.as('geometry'),
      sql<string>`st_asgeojson(label_point, 5)`.as('label'),
    ])
    .orderBy('kind')
    .orderBy('code')
    .execute();
}

/** One boundary's polygon as GeoJSON (coverage areas given by district code). */
export function boundaryGeoJson(db: Tx, code: string) {
  return db
    .selectFrom('boundaries')
    .select(['code', 'name', sql<string>`st_asgeojson(geom, 7)`.as('geojson')])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** District polygons (the city's land), as GeoJSON. */
export function districtPolygons(db: Tx) {
  return db
    .selectFrom('boundaries')
    .select(['code', sql<string>`st_asgeojson(geom, 7)`.as('geojson')])
    .where('kind', '=', 'district')
    .orderBy('code')
    .execute();
}

export function districtCodes(db: Tx) {
  return db.selectFrom('boundaries').select('code').where('kind', '=', 'district').execute();
}

/** For each point, the code of the district whose polygon holds it (null outside every one): one query. */
export async function districtsOf(db: Tx, points: readonly [number, number][]): Promise<(string | null)[]> {
  if (points.length === 0) return [];
  const r = await sql<{ i: number; code: string | null }>`
    select p.i::int as i,
           (select b.code from boundaries b
             where b.kind = 'district' and st_intersects(b.geom, st_setsrid(st_makepoint(p.x, p.y), 4326))
             order by b.code limit 1) as code
      from unnest(${points.map((p) => p[0])}::float8[], ${points.map((p) => p[1])}::float8[])
           with ordinality as p(x, y, i)`.execute(db);
  const out: (string | null)[] = new Array(points.length).fill(null);
  for (const row of r.rows) out[Number(row.i) - 1] = row.code;
  return out;
}

/** The district whose polygon holds the point; undefined outside every district. */
export async function districtAt(db: Tx, lng: number, lat: number) {
  return db
    .selectFrom('boundaries')
    .select(['code', 'name'])
    .where('kind', '=', 'district')
    .where(sql<boolean>`st_intersects(geom, st_setsrid(st_makepoint(${lng}, ${lat}), 4326))`)
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();
}
