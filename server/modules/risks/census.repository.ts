/** Census layers and features: the only SQL on them (PostGIS for validity and distances). */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';

export interface LayerRow {
  id: string;
  name: string;
  kind: string;
  source: string | null;
  datum: string;
  format: string;
  file_name: string | null;
  feature_count: number;
  owner_unit: string;
  imported_by: string | null;
  imported_at: Date;
  demo: boolean;
  bbox: string | null;
}

export interface FeatureWrite {
  id: string;
  kind: string;
  name: string | null;
  properties: Record<string, unknown>;
  population: number | null;
  capacity: number | null;
  hazardLevel: number | null;
  /** GeoJSON text, WGS-84 */
  geojson: string;
}

/** PostGIS's reason each geometry is not valid (null: valid), in the order given; one query. */
export async function validityReasons(db: Tx, geojsons: readonly string[]): Promise<(string | null)[]> {
  if (!geojsons.length) return [];
  const r = await sql<{ i: number; reason: string | null }>`
    select i::int as i, case when st_isvalid(g) then null else st_isvalidreason(g) end as reason
      from (select i, st_geomfromgeojson(t) as g
              from unnest(${geojsons as string[]}::text[]) with ordinality as u(t, i)) x`.execute(db);
  const out: (string | null)[] = new Array(geojsons.length).fill(null);
  for (const row of r.rows) out[Number(row.i) - 1] = row.reason;
  return out;
}

export async function insertLayer(
  db: Tx,
  l: {
    id: string;
    name: string;
    kind: string;
    source: string | null;
    datum: string;
    format: string;
    fileName: string | null;
    sha256: string | null;
    ownerUnit: string;
    by: string | null;
    now: Date;
    demo: boolean;
  },
): Promise<void> {
  await db
    .insertInto('census_layers')
    .values({
      id: l.id,
      name: l.name,
      kind: l.kind,
      source: l.source,
      datum: l.datum,
      format: l.format,
      file_name: l.fileName,
      file_sha256: l.sha256,
      owner_unit: l.ownerUnit,
      imported_by: l.by,
      imported_at: l.now,
      demo: l.demo,
    })
    .execute();
}

/** Writes features in statements of a few thousand rows (arrays unnested: one round trip each). */
export async function insertFeatures(db: Tx, layerId: string, demo: boolean, fs: readonly FeatureWrite[]) {
  const CHUNK = 5000;
  for (let at = 0; at < fs.length; at += CHUNK) {
    const part = fs.slice(at, at + CHUNK);
    await sql`
      insert into census_features (id, layer_id, kind, name, properties, population, capacity, hazard_level, geom, demo)
      select u.id, ${layerId}, u.kind, u.name, u.props::jsonb, u.pop, u.cap, u.lvl::smallint,
             st_setsrid(st_geomfromgeojson(u.g), 4326), ${demo}
        from unnest(${part.map((f) => f.id)}::text[], ${part.map((f) => f.kind)}::text[],
                    ${part.map((f) => f.name)}::text[], ${part.map((f) => JSON.stringify(f.properties))}::text[],
                    ${part.map((f) => f.population)}::float8[], ${part.map((f) => f.capacity)}::float8[],
                    ${part.map((f) => f.hazardLevel)}::int[], ${part.map((f) => f.geojson)}::text[])
             as u(id, kind, name, props, pop, cap, lvl, g)`.execute(db);
  }
  await db
    .updateTable('census_layers')
    .set({
      feature_count: sql<number>`(select count(*)::int from census_features where layer_id = ${layerId})`,
    })
    .where('id', '=', layerId)
    .execute();
}

const layerColumns = [
  'l.id',
  'l.name',
  'l.kind',
  'l.source',
  'l.datum',
  'l.format',
  'l.file_name',
  'l.feature_count',
  'l.owner_unit',
  'l.imported_by',
  'l.imported_at',
  'l.demo',
] as const;

const layerBbox = sql<string | null>`(select st_asgeojson(st_extent(f.geom)::geometry, 6)
  from census_features f where f.layer_id = l.id)`;

export async function listLayers(
  db: Tx,
  q: { kinds?: string[]; q?: string; limit: number; offset: number },
): Promise<{ rows: LayerRow[]; total: number }> {
  let base = db.selectFrom('census_layers as l');
  if (q.kinds) base = base.where('l.kind', 'in', q.kinds.length ? q.kinds : ['-']);
  if (q.q) base = base.where('l.name', 'ilike', `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  const [rows, total] = await Promise.all([
    base
      .select([...layerColumns, layerBbox.as('bbox')])
      .orderBy('l.imported_at', 'desc')
      .orderBy('l.id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as LayerRow[], total: Number(total.n) };
}

export async function findLayer(db: Tx, id: string): Promise<LayerRow | undefined> {
  return (await db
    .selectFrom('census_layers as l')
    .select([...layerColumns, layerBbox.as('bbox')])
    .where('l.id', '=', id)
    .executeTakeFirst()) as LayerRow | undefined;
}

export async function deleteLayer(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('census_features').where('layer_id', '=', id).execute();
  await db.deleteFrom('census_layers').where('id', '=', id).execute();
}

export async function countsByKind(db: Tx): Promise<Map<string, { features: number; layers: number }>> {
  const rows = await db
    .selectFrom('census_layers')
    .select(['kind', sql<number>`sum(feature_count)::int`.as('features'), sql<number>`count(*)::int`.as('layers')])
    .groupBy('kind')
    .execute();
  return new Map(rows.map((r) => [r.kind, { features: Number(r.features), layers: Number(r.layers) }]));
}

export interface FeatureRow {
  id: string;
  layer_id: string;
  kind: string;
  name: string | null;
  properties: unknown;
  population: number | null;
  capacity: number | null;
  hazard_level: number | null;
  demo: boolean;
  geojson: string;
}

const envelope = (b: [number, number, number, number]) =>
  sql<boolean>`f.geom && st_makeenvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)`;

/** Features of a layer or of a kind (every layer), in a bbox, at most `limit`, with the count before the limit. */
export async function features(
  db: Tx,
  q: { layerId?: string; kind?: string; bbox?: [number, number, number, number]; limit: number },
): Promise<{ rows: FeatureRow[]; total: number }> {
  let base = db.selectFrom('census_features as f');
  if (q.layerId) base = base.where('f.layer_id', '=', q.layerId);
  if (q.kind) base = base.where('f.kind', '=', q.kind);
  if (q.bbox) base = base.where(envelope(q.bbox));
  const [rows, total] = await Promise.all([
    base
      .select([
        'f.id',
        'f.layer_id',
        'f.kind',
        'f.name',
        'f.properties',
        'f.population',
        'f.capacity',
        'f.hazard_level',
        'f.demo',
        sql<string>`st_asgeojson(f.geom, 6)`.as('geojson'),
      ])
      .orderBy('f.id')
      .limit(q.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as FeatureRow[], total: Number(total.n) };
}

export interface NearbyRow {
  id: string;
  layer_id: string;
  layer_name: string;
  kind: string;
  name: string | null;
  hazard_level: number | null;
  population: number | null;
  capacity: number | null;
  meters: number;
  geojson: string;
}

/**
 * Features of the kinds within `radiusM` of the point, nearest first: an index search on the degree box around the
 * circle, then the geodesic distance to the geometry's nearest point (PostGIS geography, on the spheroid).
 */
export async function nearby(
  db: Tx,
  q: { lon: number; lat: number; radiusM: number; kinds: readonly string[]; limit: number },
): Promise<{ rows: NearbyRow[]; total: number }> {
  const dy = q.radiusM / 111_000 + 0.001;
  const dx = q.radiusM / (111_000 * Math.cos((q.lat * Math.PI) / 180)) + 0.001;
  const r = await sql<NearbyRow & { total: number }>`
    with p as (select st_setsrid(st_makepoint(${q.lon}, ${q.lat}), 4326) as g),
    hit as (
      select f.id, f.layer_id, f.kind, f.name, f.hazard_level, f.population, f.capacity, f.geom,
             st_distance(f.geom::geography, p.g::geography) as meters
        from census_features f, p
       where f.geom && st_makeenvelope(${q.lon - dx}, ${q.lat - dy}, ${q.lon + dx}, ${q.lat + dy}, 4326)
         and f.kind = any(${q.kinds as string[]}::text[])
    ),
    near as (select * from hit where meters <= ${q.radiusM})
    select n.id, n.layer_id, l.name as layer_name, n.kind, n.name, n.hazard_level, n.population, n.capacity,
           n.meters, st_asgeojson(n.geom, 6) as geojson, (select count(*)::int from near) as total
      from near n join census_layers l on l.id = n.layer_id
     order by n.meters, n.id
     limit ${q.limit}`.execute(db);
  return { rows: r.rows, total: r.rows[0] ? Number(r.rows[0].total) : 0 };
}

export interface GridFeatureRow {
  id: string;
  layer_id: string;
  kind: string;
  name: string | null;
  population: number | null;
  capacity: number | null;
  hazard_level: number | null;
  geojson: string;
}

/** Every feature the grid reads (all kinds but prevention works), as GeoJSON text. */
export async function gridFeatures(db: Tx): Promise<GridFeatureRow[]> {
  return db
    .selectFrom('census_features as f')
    .select([
      'f.id',
      'f.layer_id',
      'f.kind',
      'f.name',
      'f.population',
      'f.capacity',
      'f.hazard_level',
      sql<string>`st_asgeojson(f.geom, 6)`.as('geojson'),
    ])
    .where('f.kind', '!=', 'prevention_work')
    .execute();
}

export async function featureNames(db: Tx, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('census_features')
    .select(['id', 'layer_id', 'kind', 'name'])
    .where('id', 'in', ids as string[])
    .execute();
}

export async function hasDemoLayers(db: Tx): Promise<boolean> {
  return !!(await db.selectFrom('census_layers').select('id').where('demo', '=', true).limit(1).executeTakeFirst());
}
