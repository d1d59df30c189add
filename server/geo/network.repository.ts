import { sql } from 'kysely';
import type { Tx } from '../platform/db/index.ts';
import { containsPattern } from '../platform/db/sql.ts';

export interface RoadRow {
  seg: number;
  wayId: number | null;
  name: string | null;
  nameEn: string | null;
  cls: string;
  oneway: string;
  meters: number;
  /** WKT LINESTRING */
  wkt: string;
}

export async function insertNetwork(
  db: Tx,
  v: { id: string; name: string; source: string; attribution: string; synthetic: boolean; by: string; now: Date },
) {
  await db
    .insertInto('road_networks')
    .values({
      id: v.id,
      name: v.name,
      source: v.source,
      attribution: v.attribution,
      synthetic: v.synthetic,
      status: 'building',
      created_by: v.by,
      created_at: v.now,
    })
    .execute();
}

export async function markNetwork(
  db: Tx,
  id: string,
  v: {
    status: 'ready' | 'retired' | 'failed';
    message?: string | null;
    nodeCount?: number;
    segmentCount?: number;
    bbox?: number[];
    file?: string | null;
    readyAt?: Date;
  },
) {
  await db
    .updateTable('road_networks')
    .set({
      status: v.status,
      ...(v.message !== undefined ? { message: v.message } : {}),
      ...(v.nodeCount !== undefined ? { node_count: v.nodeCount } : {}),
      ...(v.segmentCount !== undefined ? { segment_count: v.segmentCount } : {}),
      ...(v.bbox !== undefined ? { bbox: v.bbox } : {}),
      ...(v.file !== undefined ? { file: v.file } : {}),
      ...(v.readyAt !== undefined ? { ready_at: v.readyAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export function findNetwork(db: Tx, id: string) {
  return db.selectFrom('road_networks').selectAll().where('id', '=', id).executeTakeFirst();
}

export function buildingNetworks(db: Tx, createdBefore: Date) {
  return db
    .selectFrom('road_networks')
    .select(['id', 'created_at'])
    .where('status', '=', 'building')
    .where('created_at', '<=', createdBefore)
    .execute();
}

export function listNetworks(db: Tx) {
  return db.selectFrom('road_networks').selectAll().orderBy('created_at', 'desc').limit(100).execute();
}

/** Many rows per statement: arrays unnested on the server, geometry from WKT. */
export async function insertRoads(db: Tx, networkId: string, rows: RoadRow[]) {
  if (!rows.length) return;
  await sql`
    insert into roads (network_id, seg, osm_way_id, name, name_en, class, oneway, meters, geom)
    select ${networkId}::uuid, r.seg, r.way, r.name, r.name_en, r.class, r.oneway, r.meters,
           st_geomfromtext(r.wkt, 4326)
    from unnest(${rows.map((r) => r.seg)}::int[], ${rows.map((r) => r.wayId)}::bigint[],
                ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.nameEn)}::text[],
                ${rows.map((r) => r.cls)}::text[], ${rows.map((r) => r.oneway)}::text[],
                ${rows.map((r) => r.meters)}::real[], ${rows.map((r) => r.wkt)}::text[])
      as r(seg, way, name, name_en, class, oneway, meters, wkt)`.execute(db);
}

export async function insertAreas(
  db: Tx,
  networkId: string,
  rows: { id: number; kind: string; name: string | null; geojson: string }[],
) {
  if (!rows.length) return;
  await sql`
    insert into map_areas (network_id, id, kind, name, geom)
    select ${networkId}::uuid, a.id, a.kind, a.name, st_makevalid(st_setsrid(st_geomfromgeojson(a.g), 4326))
    from unnest(${rows.map((r) => r.id)}::int[], ${rows.map((r) => r.kind)}::text[],
                ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.geojson)}::text[]) as a(id, kind, name, g)`.execute(
    db,
  );
}

/** Removes one network's rows a batch at a time, so that no single statement holds the database long. */
export async function deleteNetworkRows(db: Tx, networkId: string, batch = 20000): Promise<void> {
  for (;;) {
    const r = await sql<{ n: number }>`
      with gone as (
        delete from roads where ctid in (select ctid from roads where network_id = ${networkId}::uuid limit ${batch})
        returning 1)
      select count(*)::int as n from gone`.execute(db);
    if (!r.rows[0] || r.rows[0].n === 0) break;
  }
  await db.deleteFrom('map_areas').where('network_id', '=', networkId).execute();
  // the network's gazetteer places (read from its file, junctions of its roads) go with it
  await db.deleteFrom('places').where('network_id', '=', networkId).execute();
}

export function roadsByIds(db: Tx, networkId: string, segs: number[]) {
  return db
    .selectFrom('roads')
    .select(['seg', 'name', 'name_en', 'class', 'oneway', 'meters', sql<string>`st_asgeojson(geom, 7)`.as('geojson')])
    .where('network_id', '=', networkId)
    .where('seg', 'in', segs.length ? segs : [-1])
    .execute();
}

/** Names of the given road segments (a route's, for its directions): one query, no geometry. */
export function roadNames(db: Tx, networkId: string, segs: number[]) {
  return db
    .selectFrom('roads')
    .select(['seg', 'name', 'name_en'])
    .where('network_id', '=', networkId)
    .where('seg', 'in', segs.length ? segs : [-1])
    .execute();
}

export function searchRoadsByName(db: Tx, networkId: string, q: string, limit: number) {
  const like = containsPattern(q);
  return sql<{
    name: string;
    name_en: string | null;
    segs: number[];
    meters: number;
    lon: number;
    lat: number;
    bbox: string;
  }>`
    select name, min(name_en) as name_en, array_agg(seg order by seg) as segs, sum(meters)::real as meters,
           st_x(st_pointonsurface(st_collect(geom))) as lon, st_y(st_pointonsurface(st_collect(geom))) as lat,
           st_asgeojson(st_extent(geom)::geometry) as bbox
    from roads
    where network_id = ${networkId}::uuid and (name ilike ${like} or name_en ilike ${like})
    group by name
    order by length(name), name
    limit ${limit}`.execute(db);
}

/** Stores a graph file in chunks (PostgreSQL servers: other instances fetch it from here). */
export async function insertNetworkFile(db: Tx, networkId: string, bytes: Uint8Array, chunk = 4 * 1024 * 1024) {
  await db.deleteFrom('road_network_files').where('network_id', '=', networkId).execute();
  for (let part = 0; part * chunk < bytes.length; part++) {
    await db
      .insertInto('road_network_files')
      .values({ network_id: networkId, part, data: bytes.subarray(part * chunk, (part + 1) * chunk) })
      .execute();
  }
}

/** The graph file's chunks in order, one at a time (a large file never sits twice in memory). */
export async function* networkFileParts(db: Tx, networkId: string): AsyncGenerator<Uint8Array> {
  for (let part = 0; ; part++) {
    const r = await db
      .selectFrom('road_network_files')
      .select('data')
      .where('network_id', '=', networkId)
      .where('part', '=', part)
      .executeTakeFirst();
    if (!r) return;
    yield r.data;
  }
}

export async function deleteNetworkFile(db: Tx, networkId: string): Promise<void> {
  await db.deleteFrom('road_network_files').where('network_id', '=', networkId).execute();
}
