/** The dangers module's SQL: hidden dangers, their steps, the overdue claims, inspections. */
import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Database, Tx } from '../../platform/db/index.ts';

export type DangerRow = Selectable<Database['hidden_dangers']>;
export type StepRow = Selectable<Database['hidden_danger_steps']>;
export type InspectionRow = Selectable<Database['inspections']>;
export type DangerInsert = Insertable<Database['hidden_dangers']>;
export type DangerUpdate = Updateable<Database['hidden_dangers']>;

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const DEADLINE_STATUSES = ['assigned', 'rectifying', 'returned'];
const OPEN = ['found', 'assigned', 'rectifying', 'submitted', 'returned', 'verified'];

export async function insertDanger(trx: Tx, row: DangerInsert): Promise<void> {
  await trx.insertInto('hidden_dangers').values(row).execute();
}

export async function findDanger(db: Tx, id: string): Promise<DangerRow | undefined> {
  return db.selectFrom('hidden_dangers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes a step's change when the row is still at `version` and in one of `from`; false when it is not. */
export async function updateDanger(
  trx: Tx,
  id: string,
  set: DangerUpdate,
  version: number,
  from: readonly string[],
): Promise<boolean> {
  const r = await trx
    .updateTable('hidden_dangers')
    .set({ ...set, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where(sql<boolean>`status = any(${[...from]}::text[])`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertStep(trx: Tx, s: Insertable<Database['hidden_danger_steps']>): Promise<void> {
  await trx.insertInto('hidden_danger_steps').values(s).execute();
}

export async function listSteps(db: Tx, dangerId: string): Promise<StepRow[]> {
  return db
    .selectFrom('hidden_danger_steps')
    .selectAll()
    .where('danger_id', '=', dangerId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export interface DangerFilter {
  status?: string;
  open?: boolean;
  grade?: string;
  source?: string;
  category?: string;
  district?: string;
  enterpriseId?: string;
  inspectionId?: string;
  /** overdue (or not) as of this instant */
  overdueAt?: { now: Date; overdue: boolean };
  q?: string;
  from?: Date;
  to?: Date;
}

const overdueSql = (now: Date) =>
  sql<boolean>`(d.deadline_at is not null and d.deadline_at <= ${now} and d.status = any(${DEADLINE_STATUSES}::text[]))`;

function dangerWhere(db: Tx, actor: Actor | null, f: DangerFilter) {
  let q = db.selectFrom('hidden_dangers as d');
  if (actor) {
    const cond = scopeCondition(actor, { district: 'd.district_code', unit: 'd.owner_unit' });
    if (cond) q = q.where(cond);
  }
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.open !== undefined)
    q = q.where(
      f.open ? sql<boolean>`d.status = any(${OPEN}::text[])` : sql<boolean>`not (d.status = any(${OPEN}::text[]))`,
    );
  if (f.grade) q = q.where('d.grade', '=', f.grade);
  if (f.source) q = q.where('d.source', '=', f.source);
  if (f.category) q = q.where('d.category', '=', f.category);
  if (f.district) q = q.where('d.district_code', '=', f.district);
  if (f.enterpriseId) q = q.where('d.enterprise_id', '=', f.enterpriseId);
  if (f.inspectionId) q = q.where('d.inspection_id', '=', f.inspectionId);
  if (f.overdueAt) {
    const o = overdueSql(f.overdueAt.now);
    q = q.where(f.overdueAt.overdue ? o : sql<boolean>`not ${o}`);
  }
  if (f.q) {
    const like = escapeLike(f.q);
    q = q.where((eb) =>
      eb.or([
        eb('d.number', 'ilike', like),
        eb('d.title', 'ilike', like),
        eb('d.enterprise_name', 'ilike', like),
        eb('d.address', 'ilike', like),
      ]),
    );
  }
  if (f.from) q = q.where('d.found_at', '>=', f.from);
  if (f.to) q = q.where('d.found_at', '<', f.to);
  return q;
}

export async function listDangers(
  db: Tx,
  actor: Actor | null,
  f: DangerFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DangerRow[]; total: number }> {
  const q = dangerWhere(db, actor, f);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('d')
    .orderBy('d.found_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** What the statistics need of every danger found in the period (in the actor's scope). */
export async function statsRows(db: Tx, actor: Actor, f: { from: Date; to: Date; district?: string }) {
  return dangerWhere(db, actor, f)
    .select([
      'd.id',
      'd.number',
      'd.title',
      'd.status',
      'd.grade',
      'd.district_code',
      'd.enterprise_id',
      'd.enterprise_name',
      'd.found_at',
      'd.closed_at',
      'd.deadline',
      'd.deadline_at',
    ])
    .execute();
}

/** the dangers closed in the period, whenever found (the trend's closed line) */
export async function closedIn(db: Tx, actor: Actor, f: { from: Date; to: Date; district?: string }) {
  let q = db.selectFrom('hidden_dangers as d').select(['d.closed_at']).where('d.status', '=', 'closed');
  const cond = scopeCondition(actor, { district: 'd.district_code', unit: 'd.owner_unit' });
  if (cond) q = q.where(cond);
  if (f.district) q = q.where('d.district_code', '=', f.district);
  return q.where('d.closed_at', '>=', f.from).where('d.closed_at', '<', f.to).execute();
}

/**
 * Claims the dangers whose deadline has passed unsubmitted and that have no overdue alarm yet, in one statement: two
 * instances running the check at once each get different rows (`skip locked`, then the level no longer matches).
 */
export async function claimOverdue(trx: Tx, now: Date, limit = 200): Promise<DangerRow[]> {
  return trx
    .updateTable('hidden_dangers')
    .set({ escalation_level: 1 })
    .where(
      sql<boolean>`id in (select id from hidden_dangers where escalation_level = 0 and deadline_at <= ${now}
                   and status = any(${DEADLINE_STATUSES}::text[]) order by deadline_at limit ${limit}
                   for update skip locked)`,
    )
    .where('escalation_level', '=', 0)
    .returningAll()
    .execute();
}

/** Claims the overdue dangers past their deadline by `days` not yet escalated to the city (after `claimOverdue`). */
export async function claimEscalation(trx: Tx, now: Date, days: number, limit = 200): Promise<DangerRow[]> {
  const before = new Date(now.getTime() - days * 86_400_000);
  return trx
    .updateTable('hidden_dangers')
    .set({ escalation_level: 2 })
    .where(
      sql<boolean>`id in (select id from hidden_dangers where escalation_level = 1 and deadline_at <= ${before}
                   and status = any(${DEADLINE_STATUSES}::text[]) order by deadline_at limit ${limit}
                   for update skip locked)`,
    )
    .where('escalation_level', '=', 1)
    .returningAll()
    .execute();
}

// ————— inspections —————

export async function insertInspection(trx: Tx, row: Insertable<Database['inspections']>): Promise<void> {
  await trx.insertInto('inspections').values(row).execute();
}

export async function setInspectionFindings(trx: Tx, id: string, findings: unknown): Promise<void> {
  await trx
    .updateTable('inspections')
    .set({ findings: JSON.stringify(findings) })
    .where('id', '=', id)
    .execute();
}

export async function findInspection(db: Tx, id: string): Promise<InspectionRow | undefined> {
  return db.selectFrom('inspections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listInspections(
  db: Tx,
  actor: Actor,
  f: { enterpriseId?: string; kind?: string; district?: string; q?: string; from?: string; to?: string },
  page: { limit: number; offset: number },
): Promise<{ rows: InspectionRow[]; total: number }> {
  let q = db.selectFrom('inspections as i');
  const cond = scopeCondition(actor, { district: 'i.district_code', unit: 'i.owner_unit' });
  if (cond) q = q.where(cond);
  if (f.enterpriseId) q = q.where('i.enterprise_id', '=', f.enterpriseId);
  if (f.kind) q = q.where('i.kind', '=', f.kind);
  if (f.district) q = q.where('i.district_code', '=', f.district);
  if (f.from) q = q.where('i.date', '>=', f.from);
  if (f.to) q = q.where('i.date', '<=', f.to);
  if (f.q) {
    const like = escapeLike(f.q);
    q = q.where((eb) =>
      eb.or([eb('i.number', 'ilike', like), eb('i.enterprise_name', 'ilike', like), eb('i.conclusion', 'ilike', like)]),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('i')
    .orderBy('i.date', 'desc')
    .orderBy('i.created_at', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(total.n) };
}
