/** The places table: the network's places (bulk), the administrative units (from the boundaries), the place list. */
import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../platform/db/db.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { NetworkPlace } from '../network-build.ts';

const POINT_COLUMNS = [sql<number>`st_x(geom)`.as('lon'), sql<number>`st_y(geom)`.as('lat')] as const;

/** A network's places (read from its file, junctions of its roads); `demo` for the synthetic demo network's. */
export async function insertNetworkPlaces(
  db: Tx,
  networkId: string,
  rows: (NetworkPlace & { id: string })[],
  now: Date,
  demo = false,
) {
  if (!rows.length) return;
  await sql`
    insert into places (id, name, name_en, kind, source, network_id, ref, geom, demo, created_at, updated_at)
    select p.id, p.name, p.name_en, p.kind, p.source, ${networkId}::uuid, p.ref,
           st_setsrid(st_makepoint(p.lon, p.lat), 4326), ${demo}, ${now}, ${now}
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.name)}::text[],
                ${rows.map((r) => r.nameEn)}::text[], ${rows.map((r) => r.kind)}::text[],
                ${rows.map((r) => r.source)}::text[], ${rows.map((r) => r.ref)}::text[],
                ${rows.map((r) => r.lon)}::float8[], ${rows.map((r) => r.lat)}::float8[])
      as p(id, name, name_en, kind, source, ref, lon, lat)`.execute(db);
}

/** The district each of a network's places lies in. */
export async function placeNetworkPlaces(db: Tx, networkId: string) {
  await sql`
    update places p set district_code = b.code
    from boundaries b
    where p.network_id = ${networkId}::uuid and b.kind = 'district' and st_intersects(b.geom, p.geom)`.execute(db);
}

export async function deleteNetworkPlaces(db: Tx, networkId: string) {
  await db.deleteFrom('places').where('network_id', '=', networkId).execute();
}

/**
 * The administrative units as places (source `admin`): each boundary at its label point (the seat of government),
 * districts with their own code, neighbouring cities as cities. A boundary keeps its place's id across imports.
 */
export async function syncAdminPlaces(db: Tx, newId: () => string, now: Date) {
  const boundaries = await db
    .selectFrom('boundaries')
    .select([
      'code',
      'name',
      'kind',
      sql<number>`st_x(label_point)`.as('lon'),
      sql<number>`st_y(label_point)`.as('lat'),
    ])
    .execute();
  const existing = new Map(
    (await db.selectFrom('places').select(['id', 'ref']).where('source', '=', 'admin').execute()).map((r) => [
      r.ref,
      r.id,
    ]),
  );
  for (const b of boundaries) {
    const values = {
      name: b.name,
      kind: b.kind === 'district' ? 'district' : 'city',
      district_code: b.kind === 'district' ? b.code : null,
      geom: sql`st_setsrid(st_makepoint(${b.lon}, ${b.lat}), 4326)`,
      updated_at: now,
    };
    const id = existing.get(b.code);
    if (id) await db.updateTable('places').set(values).where('id', '=', id).execute();
    else {
      await db
        .insertInto('places')
        .values({ ...values, id: newId(), source: 'admin', ref: b.code, created_at: now })
        .execute();
    }
  }
}

/** Adds the administrative units when some boundary has no place yet; the number of boundaries then synced, else 0. */
export async function ensureAdminPlaces(db: Tx, newId: () => string, now: Date): Promise<number> {
  const missing = await db
    .selectFrom('boundaries as b')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('places as p').select('p.id').where('p.source', '=', 'admin').whereRef('p.ref', '=', 'b.code'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  if (Number(missing.n) === 0) return 0;
  await syncAdminPlaces(db, newId, now);
  return Number(missing.n);
}

/** Every place the gazetteer searches: those of the current network, the administrative units and the list. */
export function allPlaces(db: Kysely<Database>, networkId: string | null) {
  return db
    .selectFrom('places')
    .select(['id', 'name', 'name_en', 'kind', 'source', 'district_code', 'demo', 'approximate', ...POINT_COLUMNS])
    .where((eb) =>
      networkId
        ? eb.or([eb('network_id', 'is', null), eb('network_id', '=', networkId)])
        : eb('network_id', 'is', null),
    )
    .execute();
}

export interface ListFilter {
  like?: string;
  kind?: string;
  district?: string;
  demo?: boolean;
}

function listed(db: Tx, f: ListFilter) {
  let q = db.selectFrom('places').where('source', '=', 'list');
  if (f.like) {
    const like = f.like;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('name_en', 'ilike', like)]));
  }
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.district) q = q.where('district_code', '=', f.district);
  if (f.demo !== undefined) q = q.where('demo', '=', f.demo);
  return q;
}

const LIST_COLUMNS = [
  'id',
  'name',
  'name_en',
  'kind',
  'source',
  'district_code',
  'demo',
  'approximate',
  'note',
  'created_by',
  'created_by_unit',
  'updated_at',
  'version',
  ...POINT_COLUMNS,
] as const;

export async function listListPlaces(db: Tx, f: ListFilter, page: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    listed(db, f)
      .select(LIST_COLUMNS)
      .orderBy('district_code')
      .orderBy('name')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    listed(db, f)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export type ListPlaceRow = Awaited<ReturnType<typeof listListPlaces>>['rows'][number];

export function findListPlace(db: Tx, id: string) {
  return db
    .selectFrom('places')
    .select(LIST_COLUMNS)
    .where('id', '=', id)
    .where('source', '=', 'list')
    .executeTakeFirst();
}

export interface ListPlaceValues {
  name: string;
  nameEn: string | null;
  kind: string;
  lon: number;
  lat: number;
  districtCode: string | null;
  approximate: boolean;
  demo: boolean;
  note: string | null;
}

export async function insertListPlace(
  db: Tx,
  v: ListPlaceValues & { id: string; by: string; unit: string | null; now: Date },
) {
  await db
    .insertInto('places')
    .values({
      id: v.id,
      name: v.name,
      name_en: v.nameEn,
      kind: v.kind,
      source: 'list',
      district_code: v.districtCode,
      geom: sql`st_setsrid(st_makepoint(${v.lon}, ${v.lat}), 4326)`,
      demo: v.demo,
      approximate: v.approximate,
      note: v.note,
      created_by: v.by,
      created_by_unit: v.unit,
      created_at: v.now,
      updated_at: v.now,
    })
    .execute();
}

/** Updates a place of the list if it is still at `version`; the number of rows changed (0: stale or gone). */
export async function updateListPlace(db: Tx, id: string, version: number, v: ListPlaceValues & { now: Date }) {
  const r = await db
    .updateTable('places')
    .set({
      name: v.name,
      name_en: v.nameEn,
      kind: v.kind,
      district_code: v.districtCode,
      geom: sql`st_setsrid(st_makepoint(${v.lon}, ${v.lat}), 4326)`,
      approximate: v.approximate,
      demo: v.demo,
      note: v.note,
      updated_at: v.now,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('source', '=', 'list')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteListPlace(db: Tx, id: string) {
  await db.deleteFrom('places').where('id', '=', id).where('source', '=', 'list').execute();
}

export async function countListPlaces(db: Tx) {
  const r = await db
    .selectFrom('places')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('source', '=', 'list')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
