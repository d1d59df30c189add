/** The monitoring module's SQL: devices, readings (monthly partitions), hourly roll-ups, dead letters, rules. */
import { sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

export interface DeviceRow {
  id: string;
  name: string;
  code: string | null;
  kind: string;
  metrics: string[];
  lng: number;
  lat: number;
  district_code: string | null;
  owner_unit: string | null;
  params: unknown;
  stream_url: string | null;
  offline_after_minutes: number;
  enabled: boolean;
  notes: string;
  token_hash: string;
  last_seen_at: Date | null;
  latest: unknown;
  demo: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const DEVICE_COLUMNS = [
  'd.id',
  'd.name',
  'd.code',
  'd.kind',
  'd.metrics',
  'd.district_code',
  'd.owner_unit',
  'd.params',
  'd.stream_url',
  'd.offline_after_minutes',
  'd.enabled',
  'd.notes',
  'd.token_hash',
  'd.last_seen_at',
  'd.latest',
  'd.demo',
  'd.version',
  'd.created_at',
  'd.updated_at',
] as const;

function deviceSelect(db: Tx) {
  return db
    .selectFrom('devices as d')
    .select(DEVICE_COLUMNS)
    .select([sql<number>`st_x(d.geom)`.as('lng'), sql<number>`st_y(d.geom)`.as('lat')]);
}

function fixRow(r: Record<string, unknown>): DeviceRow {
  return { ...(r as unknown as DeviceRow), lng: Number(r.lng), lat: Number(r.lat) };
}

export async function findDevice(db: Tx, id: string): Promise<DeviceRow | undefined> {
  const r = await deviceSelect(db).where('d.id', '=', id).executeTakeFirst();
  return r ? fixRow(r) : undefined;
}

export async function findDevices(db: Tx, ids: readonly string[]): Promise<DeviceRow[]> {
  if (ids.length === 0) return [];
  return (
    await deviceSelect(db)
      .where(sql<boolean>`d.id = any(${[...ids]}::text[])`)
      .execute()
  ).map(fixRow);
}

export async function allDevices(db: Tx): Promise<DeviceRow[]> {
  return (await deviceSelect(db).orderBy('d.created_at').execute()).map(fixRow);
}

export async function findDeviceByCode(db: Tx, code: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('devices').select('id').where('code', '=', code).executeTakeFirst();
}

export interface DeviceFilter {
  q?: string;
  kind?: string;
  district?: string;
  /** device ids whose status matches (status is computed from the last reading and the clock) */
  enabled?: boolean;
  neverSeen?: boolean;
  /** reported within its own offline-after minutes before `now` (online), or not (offline) */
  seen?: { recent: boolean; now: Date };
}

export async function listDevices(
  db: Tx,
  actor: Actor,
  f: DeviceFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DeviceRow[]; total: number }> {
  let q = db.selectFrom('devices as d');
  const cond = scopeCondition(actor, { district: 'd.district_code', unit: 'd.owner_unit' });
  if (cond) q = q.where(cond);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('d.name', 'ilike', like), eb('d.code', 'ilike', like)]));
  }
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  if (f.district) q = q.where('d.district_code', '=', f.district);
  if (f.enabled !== undefined) q = q.where('d.enabled', '=', f.enabled);
  if (f.neverSeen) q = q.where('d.last_seen_at', 'is', null);
  if (f.seen) {
    const since = sql<Date>`${f.seen.now}::timestamptz - d.offline_after_minutes * interval '1 minute'`;
    q = f.seen.recent ? q.where('d.last_seen_at', '>=', since) : q.where('d.last_seen_at', '<', since);
  }
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(DEVICE_COLUMNS)
    .select([sql<number>`st_x(d.geom)`.as('lng'), sql<number>`st_y(d.geom)`.as('lat')])
    .orderBy('d.name')
    .orderBy('d.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows: rows.map(fixRow), total: Number(total.n) };
}

export interface DeviceWrite {
  name: string;
  code: string | null;
  kind: string;
  metrics: string[];
  lng: number;
  lat: number;
  district_code: string | null;
  owner_unit: string | null;
  params: Record<string, number>;
  stream_url: string | null;
  offline_after_minutes: number;
  enabled: boolean;
  notes: string;
  demo?: boolean;
}

const point = (lng: number, lat: number) => sql`st_setsrid(st_makepoint(${lng}, ${lat}), 4326)`;

export async function insertDevice(
  db: Tx,
  id: string,
  w: DeviceWrite,
  tokenHash: string,
  by: string | null,
  now: Date,
): Promise<void> {
  const { lng, lat, params, metrics, ...rest } = w;
  await db
    .insertInto('devices')
    .values({
      id,
      ...rest,
      metrics: sql`${metrics}::text[]` as unknown as string[],
      params: JSON.stringify(params),
      geom: point(lng, lat),
      token_hash: tokenHash,
      created_by: by,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateDevice(db: Tx, id: string, w: DeviceWrite, version: number, now: Date): Promise<boolean> {
  const { lng, lat, params, metrics, demo: _demo, ...rest } = w;
  const r = await db
    .updateTable('devices')
    .set({
      ...rest,
      metrics: sql`${metrics}::text[]` as unknown as string[],
      params: JSON.stringify(params),
      geom: point(lng, lat),
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setTokenHash(db: Tx, id: string, hash: string, now: Date): Promise<void> {
  await db
    .updateTable('devices')
    .set((eb) => ({ token_hash: hash, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

/** Last-seen times and latest values, many devices in one statement. */
export async function touchDevices(
  db: Tx,
  rows: { id: string; lastSeen: Date; latest: Record<string, { value: number; ts: string }> }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`update devices d set
      last_seen_at = greatest(d.last_seen_at, v.seen),
      latest = d.latest || v.latest
    from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.lastSeen.toISOString())}::timestamptz[],
                ${rows.map((r) => JSON.stringify(r.latest))}::jsonb[]) as v(id, seen, latest)
    where d.id = v.id`.execute(db);
}

// ---- readings ----

export interface ReadingRow {
  device_id: string;
  metric: string;
  ts: Date;
  value: number;
}

/** The monthly partition of a time: `readings_2026_12`, [first of month, first of next) in UTC. */
export function partitionOf(t: Date): { name: string; from: string; to: string } {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  const next = new Date(Date.UTC(y, m + 1, 1));
  return {
    name: `readings_${y}_${String(m + 1).padStart(2, '0')}`,
    from: new Date(Date.UTC(y, m, 1)).toISOString(),
    to: next.toISOString(),
  };
}

export async function existingPartitions(db: Tx): Promise<string[]> {
  const r = await sql<{ name: string }>`select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'readings' and c.relname <> 'readings_default'`.execute(db);
  return r.rows.map((x) => x.name);
}

/** Creates a month's partition (names are built here from numbers, never from input). */
export async function createPartition(db: Tx, p: { name: string; from: string; to: string }): Promise<void> {
  if (!/^readings_\d{4}_\d{2}$/.test(p.name)) throw new Error(`bad partition name ${p.name}`);
  await sql
    .raw(`create table if not exists ${p.name} partition of readings for values from ('${p.from}') to ('${p.to}')`)
    .execute(db);
}

export async function dropPartition(db: Tx, name: string): Promise<void> {
  if (!/^readings_\d{4}_\d{2}$/.test(name)) throw new Error(`bad partition name ${name}`);
  await sql.raw(`drop table if exists ${name}`).execute(db);
}

/** Inserts readings, ignoring repeats; returns the rows that were new. */
export async function insertReadings(
  db: Tx,
  rows: { deviceId: string; metric: string; ts: string; value: number }[],
): Promise<ReadingRow[]> {
  if (rows.length === 0) return [];
  const r = await sql<ReadingRow>`insert into readings (device_id, metric, ts, value)
      select * from unnest(${rows.map((x) => x.deviceId)}::text[], ${rows.map((x) => x.metric)}::text[],
                           ${rows.map((x) => x.ts)}::timestamptz[], ${rows.map((x) => x.value)}::float8[])
      on conflict do nothing
      returning device_id, metric, ts, value`.execute(db);
  return r.rows;
}

/** Adds new readings to their hours' roll-ups. */
export async function addToHourly(
  db: Tx,
  rows: { deviceId: string; metric: string; hour: string; min: number; max: number; sum: number; count: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`insert into readings_hourly (device_id, metric, hour, min, max, sum, count)
      select * from unnest(${rows.map((x) => x.deviceId)}::text[], ${rows.map((x) => x.metric)}::text[],
        ${rows.map((x) => x.hour)}::timestamptz[], ${rows.map((x) => x.min)}::float8[], ${rows.map((x) => x.max)}::float8[],
        ${rows.map((x) => x.sum)}::float8[], ${rows.map((x) => x.count)}::int[])
      on conflict (device_id, metric, hour) do update set
        min = least(readings_hourly.min, excluded.min), max = greatest(readings_hourly.max, excluded.max),
        sum = readings_hourly.sum + excluded.sum, count = readings_hourly.count + excluded.count`.execute(db);
}

/** Readings of series in their windows: (device, metric, from exclusive, to inclusive), one statement. */
export async function readWindows(
  db: Tx,
  wanted: { deviceId: string; metric: string; from: string; to: string }[],
): Promise<ReadingRow[]> {
  if (wanted.length === 0) return [];
  const r = await sql<ReadingRow>`select r.device_id, r.metric, r.ts, r.value
      from unnest(${wanted.map((w) => w.deviceId)}::text[], ${wanted.map((w) => w.metric)}::text[],
                  ${wanted.map((w) => w.from)}::timestamptz[], ${wanted.map((w) => w.to)}::timestamptz[]) as w(d, m, f, t)
      join readings r on r.device_id = w.d and r.metric = w.m and r.ts > w.f and r.ts <= w.t
      order by r.ts`.execute(db);
  return r.rows;
}

export async function rawReadings(db: Tx, deviceId: string, metric: string, from: Date, to: Date, limit: number) {
  return db
    .selectFrom('readings')
    .select(['ts', 'value'])
    .where('device_id', '=', deviceId)
    .where('metric', '=', metric)
    .where('ts', '>=', from)
    .where('ts', '<=', to)
    .orderBy('ts')
    .limit(limit)
    .execute();
}

export async function hourlyReadings(db: Tx, deviceId: string, metric: string, from: Date, to: Date, limit: number) {
  return db
    .selectFrom('readings_hourly')
    .select(['hour', 'min', 'max', 'sum', 'count'])
    .where('device_id', '=', deviceId)
    .where('metric', '=', metric)
    .where('hour', '>=', from)
    .where('hour', '<=', to)
    .orderBy('hour')
    .limit(limit)
    .execute();
}

// ---- dead letters ----

export async function insertDeadLetters(
  db: Tx,
  rows: { id: string; at: Date; deviceId: string | null; via: string; reason: string; payload: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('ingest_dead_letters')
    .values(
      rows.map((r) => ({
        id: r.id,
        at: r.at,
        device_id: r.deviceId,
        via: r.via,
        reason: r.reason,
        payload: r.payload,
      })),
    )
    .execute();
}

export async function listDeadLetters(db: Tx, deviceId: string | undefined, limit: number, offset: number) {
  let q = db.selectFrom('ingest_dead_letters');
  if (deviceId) q = q.where('device_id', '=', deviceId);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
  return { rows, total: Number(total.n) };
}

export async function pruneDeadLetters(db: Tx, before: Date): Promise<void> {
  await db.deleteFrom('ingest_dead_letters').where('at', '<', before).execute();
}

// ---- rules ----

export type RuleRow = {
  id: string;
  builtin: string | null;
  modified: boolean;
  name: string;
  name_en: string;
  hazard_code: string;
  kind: string | null;
  device_ids: string[];
  colours: unknown;
  hysteresis: number;
  clear_after_minutes: number;
  enabled: boolean;
  basis: string;
  version: number;
  updated_at: Date;
};

export async function allRules(db: Tx): Promise<RuleRow[]> {
  return (await db
    .selectFrom('monitoring_rules')
    .selectAll()
    .orderBy('hazard_code')
    .orderBy('name')
    .execute()) as RuleRow[];
}

export async function findRule(db: Tx, id: string): Promise<RuleRow | undefined> {
  return (await db.selectFrom('monitoring_rules').selectAll().where('id', '=', id).executeTakeFirst()) as
    | RuleRow
    | undefined;
}

export interface RuleWrite {
  name: string;
  name_en: string;
  hazard_code: string;
  kind: string | null;
  device_ids: string[];
  colours: unknown;
  hysteresis: number;
  clear_after_minutes: number;
  enabled: boolean;
  basis: string;
}

export async function insertRule(db: Tx, id: string, builtin: string | null, w: RuleWrite, now: Date): Promise<void> {
  await db
    .insertInto('monitoring_rules')
    .values({
      id,
      builtin,
      ...w,
      device_ids: sql`${w.device_ids}::text[]` as unknown as string[],
      colours: JSON.stringify(w.colours),
      updated_at: now,
    })
    .onConflict((oc) => oc.column('builtin').doNothing())
    .execute();
}

export async function updateRule(
  db: Tx,
  id: string,
  w: RuleWrite,
  modified: boolean,
  version: number,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('monitoring_rules')
    .set({
      ...w,
      device_ids: sql`${w.device_ids}::text[]` as unknown as string[],
      colours: JSON.stringify(w.colours),
      modified,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
