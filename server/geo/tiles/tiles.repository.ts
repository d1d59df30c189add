import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';

/** A tile's area in WGS-84 with its buffer, the drawing tolerance, and what to read. */
export interface TileQuery {
  /** the tile with its buffer: what is read and clipped */
  west: number;
  south: number;
  east: number;
  north: number;
  /** the tile itself: labels are points, placed by the one tile they fall in */
  inner: [number, number, number, number];
  /** degrees below which detail is not drawn (ST_Simplify) */
  tolerance: number;
  /** decimals kept in GeoJSON */
  decimals: number;
  networkId: string | null;
  /** raw road classes to read; null reads every class, [] none */
  roadClasses: string[] | null;
}

export interface TileRow {
  layer: 'boundaries' | 'boundary_labels' | 'roads' | 'water' | 'land';
  id: number | null;
  kind: string | null;
  code: string | null;
  name: string | null;
  name_en: string | null;
  class: string | null;
  oneway: string | null;
  geometry: string;
}

/**
 * Everything one tile shows, in one query (PGlite answers one query at a time): boundary polygons and map areas
 * clipped to the buffered tile and simplified, road lines simplified (geojson-vt clips them), label points.
 */
export async function tileFeatures(db: Tx, q: TileQuery): Promise<TileRow[]> {
  const box = sql`st_makeenvelope(${q.west}::float8, ${q.south}::float8, ${q.east}::float8, ${q.north}::float8, 4326)`;
  const [w, s, e, n] = q.inner;
  const inner = sql`st_makeenvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`;
  const tol = sql`${q.tolerance}::float8`;
  const dec = sql`${q.decimals}::int`;
  const clipped = (g: string) => sql.raw(`st_simplify(st_clipbybox2d(${g}, env.box), env.tol, false)`);
  const parts = [
    sql`select 'boundaries' as layer, null::int as id, b.kind, b.code, b.name, null::text as name_en, null::text as class,
          null::text as oneway, ${clipped('b.geom')} as g
        from boundaries b, env where b.geom && env.box`,
    sql`select 'boundary_labels', null, b.kind, b.code, b.name, null, null, null, b.label_point
        from boundaries b, env where b.label_point && env.lab`,
  ];
  if (q.networkId && q.roadClasses?.length !== 0) {
    const classes = q.roadClasses ? sql`and r.class in (${sql.join(q.roadClasses)})` : sql``;
    parts.push(
      sql`select 'roads', r.seg, null, null, r.name, r.name_en, r.class, r.oneway, st_simplify(r.geom, env.tol, true)
          from roads r, env where r.network_id = ${q.networkId}::uuid and r.geom && env.box ${classes}`,
    );
  }
  if (q.networkId) {
    parts.push(
      sql`select a.kind, a.id, null, null, a.name, null, null, null, ${clipped('a.geom')}
          from map_areas a, env where a.network_id = ${q.networkId}::uuid and a.geom && env.box`,
    );
  }
  const res = await sql<TileRow>`
    with env as (select ${box} as box, ${inner} as lab, ${tol} as tol)
    select layer, id, kind, code, name, name_en, class, oneway, st_asgeojson(g, ${dec}) as geometry
    from (${sql.join(parts, sql` union all `)}) f
    where g is not null and not st_isempty(g)`.execute(db);
  return res.rows;
}

/** The sources of the boundaries on the map, for the attribution. */
export async function boundarySources(db: Tx): Promise<string[]> {
  const rows = await db.selectFrom('boundaries').select('source').distinct().orderBy('source').execute();
  return rows.map((r) => r.source);
}
