import { sql } from 'kysely';
import { scopeCondition } from '../access/scope.ts';
import type { Actor } from '../core/context.ts';
import type { Tx } from '../db/index.ts';

export interface AlertRow {
  id: string;
  source: string;
  source_id: string;
  severity: string;
  title_zh: string;
  title_en: string;
  link: string;
  permission: string;
  district_code: string | null;
  unit_code: string | null;
  raised_at: Date;
  district_name: string | null;
  district_name_en: string | null;
}

/** Ends the open alarms of a record; returns them (id and who may see them) for the event that clears the trays. */
export function resolveAlerts(db: Tx, source: string, sourceId: string, now: Date) {
  return db
    .updateTable('alerts')
    .set({ resolved_at: now })
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .where('resolved_at', 'is', null)
    .returning(['id', 'permission', 'district_code', 'unit_code'])
    .execute();
}

/** The unresolved alerts of one record, newest first. */
export async function openAlertsOf(db: Tx, source: string, sourceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('alerts')
    .select('id')
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .where('resolved_at', 'is', null)
    .orderBy('raised_at', 'desc')
    .execute();
  return rows.map((r) => r.id);
}

export async function insertAlert(db: Tx, a: Omit<AlertRow, 'district_name' | 'district_name_en'>): Promise<AlertRow> {
  await db.insertInto('alerts').values(a).execute();
  const d = a.district_code
    ? await db
        .selectFrom('org_units')
        .select(['name', 'name_en'])
        .where('code', '=', a.district_code)
        .executeTakeFirst()
    : undefined;
  return { ...a, district_name: d?.name ?? null, district_name_en: d?.name_en ?? null };
}

function withDistrict(db: Tx) {
  return db
    .selectFrom('alerts as a')
    .leftJoin('org_units as d', 'd.code', 'a.district_code')
    .select([
      'a.id',
      'a.source',
      'a.source_id',
      'a.severity',
      'a.title_zh',
      'a.title_en',
      'a.link',
      'a.permission',
      'a.district_code',
      'a.unit_code',
      'a.raised_at',
      'd.name as district_name',
      'd.name_en as district_name_en',
    ]);
}

export function findAlert(db: Tx, id: string): Promise<AlertRow | undefined> {
  return withDistrict(db).where('a.id', '=', id).executeTakeFirst();
}

/**
 * The alerts open for this actor: those they may see (the source's permission and the data scope, the same rule as
 * the live events) that nobody of their unit has acknowledged; the most severe first, then the newest.
 */
export async function listOpen(db: Tx, actor: Actor, limit: number, offset: number) {
  const perms = [...actor.permissions];
  const unit = actor.unitCode;
  let q = withDistrict(db)
    .where('a.resolved_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('alert_acks as k')
            .select(sql`1`.as('one'))
            .whereRef('k.alert_id', '=', 'a.id')
            .where('k.unit_code', '=', unit ?? ''),
        ),
      ),
    );
  if (!perms.includes('*')) q = perms.length ? q.where('a.permission', 'in', perms) : q.where(sql<boolean>`false`);
  const scope = scopeCondition(actor, { district: 'a.district_code', unit: 'a.unit_code' });
  if (scope) q = q.where(scope);
  const [rows, count] = await Promise.all([
    q
      // I, II, III, IV: most severe first (spelled out, not left to the collation)
      .orderBy(sql`case a.severity when 'I' then 1 when 'II' then 2 when 'III' then 3 else 4 end`)
      .orderBy('a.raised_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface AckRow {
  alert_id: string;
  unit_code: string;
  user_id: string | null;
  user_name: string;
  at: Date;
}

/** The unit's acknowledgement, unless the unit has one already (then undefined: nothing written). */
export function insertAck(db: Tx, a: AckRow): Promise<AckRow | undefined> {
  return db
    .insertInto('alert_acks')
    .values(a)
    .onConflict((oc) => oc.columns(['alert_id', 'unit_code']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findAck(db: Tx, alertId: string, unitCode: string): Promise<AckRow | undefined> {
  return db
    .selectFrom('alert_acks')
    .selectAll()
    .where('alert_id', '=', alertId)
    .where('unit_code', '=', unitCode)
    .executeTakeFirst();
}

export function findUnit(db: Tx, code: string) {
  return db
    .selectFrom('org_units')
    .select(['id', 'code', 'name', 'name_en'])
    .where('code', '=', code)
    .executeTakeFirst();
}
