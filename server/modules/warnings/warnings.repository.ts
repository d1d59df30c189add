/** The warnings module's SQL. */
import { sql } from 'kysely';
import type { WarningListQuery } from '../../../contracts/warnings.ts';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

export interface WarningRow {
  id: string;
  number: string;
  hazard_code: string;
  colour: string;
  status: string;
  source: string;
  device_id: string | null;
  device_name: string | null;
  rule_id: string | null;
  title: string;
  title_en: string;
  description: string;
  raised_at: Date;
  last_held_at: Date | null;
  district_code: string | null;
  geojson: string | null;
  level_history: unknown;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  lifted_at: Date | null;
  lifted_by: string | null;
  lifted_reason: string | null;
  published_at: Date | null;
  published_by: string | null;
  cap_identifier: string | null;
  cap_sender: string | null;
  cap_sent: Date | null;
  sender_name: string | null;
  expires_at: Date | null;
  incident_id: string | null;
  owner_unit: string | null;
  exercise_id: string | null;
  exercise_title: string | null;
  version: number;
  updated_at: Date;
}

const COLUMNS = [
  'w.id',
  'w.number',
  'w.hazard_code',
  'w.colour',
  'w.status',
  'w.source',
  'w.device_id',
  'w.device_name',
  'w.rule_id',
  'w.title',
  'w.title_en',
  'w.description',
  'w.raised_at',
  'w.last_held_at',
  'w.district_code',
  'w.level_history',
  'w.acknowledged_at',
  'w.acknowledged_by',
  'w.lifted_at',
  'w.lifted_by',
  'w.lifted_reason',
  'w.published_at',
  'w.published_by',
  'w.cap_identifier',
  'w.cap_sender',
  'w.cap_sent',
  'w.sender_name',
  'w.expires_at',
  'w.incident_id',
  'w.owner_unit',
  'w.exercise_id',
  'w.exercise_title',
  'w.version',
  'w.updated_at',
] as const;

function select(db: Tx) {
  return db
    .selectFrom('warnings as w')
    .select(COLUMNS)
    .select(sql<string | null>`st_asgeojson(w.geom, 6)`.as('geojson'));
}

export async function findWarning(db: Tx, id: string): Promise<WarningRow | undefined> {
  return (await select(db).where('w.id', '=', id).executeTakeFirst()) as WarningRow | undefined;
}

export async function findByCap(db: Tx, sender: string, identifier: string): Promise<WarningRow | undefined> {
  return (await select(db)
    .where('w.source', '=', 'cap')
    .where('w.cap_sender', '=', sender)
    .where('w.cap_identifier', '=', identifier)
    .executeTakeFirst()) as WarningRow | undefined;
}

export async function activeRuleWarnings(db: Tx): Promise<WarningRow[]> {
  return (await select(db)
    .where('w.status', '<>', 'lifted')
    .where('w.device_id', 'is not', null)
    .execute()) as WarningRow[];
}

/** an exercise's warnings not yet lifted (drill mode: lifted when the exercise ends) */
export async function activeExerciseWarnings(db: Tx, exerciseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('warnings')
    .select('id')
    .where('exercise_id', '=', exerciseId)
    .where('status', '<>', 'lifted')
    .execute();
  return rows.map((r) => r.id);
}

export async function listWarnings(db: Tx, actor: Actor, q: WarningListQuery) {
  let b = db.selectFrom('warnings as w');
  const cond = scopeCondition(actor, { district: 'w.district_code', unit: 'w.owner_unit' });
  if (cond) b = b.where(cond);
  if (q.status === 'active') b = b.where('w.status', '<>', 'lifted');
  else if (q.status) b = b.where('w.status', '=', q.status);
  if (q.hazardCode) b = b.where('w.hazard_code', '=', q.hazardCode);
  if (q.colour) b = b.where('w.colour', '=', q.colour);
  if (q.deviceId) b = b.where('w.device_id', '=', q.deviceId);
  if (q.source) b = b.where('w.source', '=', q.source);
  if (q.district) b = b.where('w.district_code', '=', q.district);
  if (q.exercise === 'exclude') b = b.where('w.exercise_id', 'is', null);
  else if (q.exercise === 'only') b = b.where('w.exercise_id', 'is not', null);
  const total = await b.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await b
    .select(COLUMNS)
    .select(sql<string | null>`st_asgeojson(w.geom, 6)`.as('geojson'))
    .orderBy(sql`case w.colour when 'red' then 0 when 'orange' then 1 when 'yellow' then 2 else 3 end`)
    .orderBy('w.raised_at', 'desc')
    .orderBy('w.id')
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0)
    .execute();
  return { rows: rows as WarningRow[], total: Number(total.n) };
}

export interface WarningInsert {
  id: string;
  number: string;
  hazard_code: string;
  colour: string;
  source: string;
  device_id: string | null;
  device_name: string | null;
  rule_id: string | null;
  title: string;
  title_en: string;
  description: string;
  raised_at: Date;
  last_held_at: Date | null;
  district_code: string | null;
  /** GeoJSON text of the area (or a point for a device's warning) */
  geojson: string | null;
  level_history: { colour: string; at: string }[];
  cap_identifier?: string | null;
  cap_sender?: string | null;
  cap_sent?: Date | null;
  cap_xml?: string | null;
  sender_name?: string | null;
  expires_at?: Date | null;
  owner_unit: string | null;
  exercise_id?: string | null;
  exercise_title?: string | null;
}

export async function insertWarning(db: Tx, w: WarningInsert, now: Date): Promise<void> {
  const { geojson, level_history, ...rest } = w;
  await db
    .insertInto('warnings')
    .values({
      ...rest,
      level_history: JSON.stringify(level_history),
      geom: geojson ? sql`st_setsrid(st_geomfromgeojson(${geojson}), 4326)` : null,
      updated_at: now,
    })
    .execute();
}

export async function updateWarning(
  db: Tx,
  id: string,
  set: Partial<{
    colour: string;
    status: string;
    level_history: { colour: string; at: string }[];
    last_held_at: Date | null;
    acknowledged_at: Date;
    acknowledged_by: string;
    lifted_at: Date;
    lifted_by: string;
    lifted_reason: string;
    published_at: Date;
    published_by: string;
    incident_id: string;
    title: string;
    title_en: string;
    description: string;
    expires_at: Date | null;
    cap_xml: string;
    cap_sent: Date;
    sender_name: string | null;
    geojson: string | null;
  }>,
  now: Date,
  version?: number,
): Promise<boolean> {
  const { level_history, geojson, ...rest } = set;
  let q = db
    .updateTable('warnings')
    .set((eb) => ({
      ...rest,
      ...(level_history ? { level_history: JSON.stringify(level_history) } : {}),
      ...(geojson !== undefined
        ? { geom: geojson ? sql`st_setsrid(st_geomfromgeojson(${geojson}), 4326)` : null }
        : {}),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The reading times at which rules last held, many warnings in one statement. */
export async function setLastHeld(db: Tx, rows: { id: string; at: Date }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`update warnings w set last_held_at = v.at
      from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.at.toISOString())}::timestamptz[]) as v(id, at)
      where w.id = v.id`.execute(db);
}

// ---- CAP messages ----

export async function insertCapMessage(
  db: Tx,
  m: { id: string; warningId: string; identifier: string; sender: string; sent: Date; msgType: string; xml: string },
): Promise<void> {
  await db
    .insertInto('cap_messages')
    .values({
      id: m.id,
      warning_id: m.warningId,
      identifier: m.identifier,
      sender: m.sender,
      sent: m.sent,
      msg_type: m.msgType,
      xml: m.xml,
    })
    .execute();
}

export async function capMessagesOf(db: Tx, warningId: string) {
  return db.selectFrom('cap_messages').selectAll().where('warning_id', '=', warningId).orderBy('sent').execute();
}

export async function recentCapMessages(db: Tx, limit: number) {
  return db.selectFrom('cap_messages').selectAll().orderBy('sent', 'desc').limit(limit).execute();
}

export async function findCapMessage(db: Tx, identifier: string) {
  return db.selectFrom('cap_messages').selectAll().where('identifier', '=', identifier).executeTakeFirst();
}

/** An imported warning follows the newest message of its sender. */
export async function rememberCap(
  db: Tx,
  id: string,
  m: { identifier: string; sent: Date; xml: string },
): Promise<void> {
  await db
    .updateTable('warnings')
    .set({ cap_identifier: m.identifier, cap_sent: m.sent, cap_xml: m.xml })
    .where('id', '=', id)
    .execute();
}

export async function capXmlOf(db: Tx, id: string): Promise<string | null | undefined> {
  return (await db.selectFrom('warnings').select('cap_xml').where('id', '=', id).executeTakeFirst())?.cap_xml;
}

/** active warnings past their expiry */
export async function expiredWarnings(db: Tx, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('warnings')
    .select('id')
    .where('status', '<>', 'lifted')
    .where('expires_at', '<=', now)
    .execute();
  return rows.map((r) => r.id);
}

// ---- upstream CAP feeds ----

export interface FeedRow {
  id: string;
  url: string;
  name: string;
  enabled: boolean;
  interval_minutes: number;
  last_polled_at: Date | null;
  last_status: string;
  etag: string | null;
}

export async function listFeeds(db: Tx, onlyEnabled = false): Promise<FeedRow[]> {
  let q = db.selectFrom('cap_feeds').selectAll();
  if (onlyEnabled) q = q.where('enabled', '=', true);
  return q.orderBy('name').execute();
}

export async function findFeed(db: Tx, by: { id: string } | { url: string }): Promise<FeedRow | undefined> {
  const q = db.selectFrom('cap_feeds').selectAll();
  return ('id' in by ? q.where('id', '=', by.id) : q.where('url', '=', by.url)).executeTakeFirst();
}

export async function insertFeed(
  db: Tx,
  f: { id: string; url: string; name: string; intervalMinutes: number; enabled: boolean },
): Promise<void> {
  await db
    .insertInto('cap_feeds')
    .values({ id: f.id, url: f.url, name: f.name, interval_minutes: f.intervalMinutes, enabled: f.enabled })
    .execute();
}

export async function deleteFeed(db: Tx, id: string): Promise<boolean> {
  const r = await db.deleteFrom('cap_feeds').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Claims a feed's poll by moving its poll time from what was read: true for the one instance that did. */
export async function claimFeed(db: Tx, f: FeedRow, now: Date): Promise<boolean> {
  let q = db.updateTable('cap_feeds').set({ last_polled_at: now }).where('id', '=', f.id);
  q = f.last_polled_at ? q.where('last_polled_at', '=', f.last_polled_at) : q.where('last_polled_at', 'is', null);
  return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
}

export async function setFeedStatus(db: Tx, id: string, status: string, etag: string | null): Promise<void> {
  await db
    .updateTable('cap_feeds')
    .set({ last_status: status.slice(0, 1000), etag })
    .where('id', '=', id)
    .execute();
}
