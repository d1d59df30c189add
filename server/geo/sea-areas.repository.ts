import { sql } from 'kysely';
import type { Tx } from '../platform/db/index.ts';
import type { SeaAreaHit } from './index.ts';

/** The sea area holding the point (the lowest code when drawn areas overlap); undefined outside every one. */
export async function seaAreaAt(db: Tx, lng: number, lat: number): Promise<SeaAreaHit | undefined> {
  const r = await db
    .selectFrom('sea_areas')
    .select(['code', 'name', 'name_en', 'district_code', 'approximate'])
    .where(sql<boolean>`st_intersects(geom, st_setsrid(st_makepoint(${lng}, ${lat}), 4326))`)
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();
  return r
    ? { code: r.code, name: r.name, nameEn: r.name_en, districtCode: r.district_code, approximate: r.approximate }
    : undefined;
}

export async function upsertSeaArea(
  db: Tx,
  a: {
    code: string;
    name: string;
    nameEn: string;
    districtCode: string | null;
    approximate: boolean;
    demo: boolean;
    source: string;
    geojson: string;
  },
): Promise<void> {
  const geom = sql`st_multi(st_setsrid(st_geomfromgeojson(${a.geojson}), 4326))`;
  await db
    .insertInto('sea_areas')
    .values({
      code: a.code,
      name: a.name,
      name_en: a.nameEn,
      district_code: a.districtCode,
      approximate: a.approximate,
      demo: a.demo,
      source: a.source,
      geom,
    })
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        name: a.name,
        name_en: a.nameEn,
        district_code: a.districtCode,
        approximate: a.approximate,
        demo: a.demo,
        source: a.source,
        geom,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** Every sea area with its geometry as GeoJSON text and its district's names, for the map layer. */
export function listSeaAreas(db: Tx) {
  return db
    .selectFrom('sea_areas as s')
    .leftJoin('org_units as u', 'u.code', 's.district_code')
    .select([
      's.code',
      's.name',
      's.name_en',
      's.district_code',
      's.approximate',
      's.demo',
      'u.name as district_name',
      'u.name_en as district_name_en',
      sql<string>`st_asgeojson(s.geom, 6)`.as('geojson'),
    ])
    .orderBy('s.code')
    .execute();
}

/**
 * Cuts the land out of sea areas (every district's and neighbouring city's polygon): a hand-drawn rectangle over the
 * coast keeps only its water, so that the map shows water and a point on a neighbour's land is never counted as the
 * city's sea.
 */
export async function clipSeaAreasToWater(db: Tx, codes: string[]): Promise<void> {
  if (!codes.length) return;
  await sql`
    update sea_areas s
       set geom = st_multi(st_collectionextract(st_makevalid(st_difference(s.geom, land.geom)), 3))
      from (select st_union(geom) as geom from boundaries) land
     where s.code in (${sql.join(codes)}) and land.geom is not null`.execute(db);
}
