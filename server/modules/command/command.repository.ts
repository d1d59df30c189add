/** The command module's SQL: plans and their editions, activations, tasks and their comments. */
import { type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';

export type PlanRow = Selectable<Database['plans']>;
export type ActivationRow = Selectable<Database['plan_activations']>;
export type TaskRow = Selectable<Database['tasks']>;

export interface PlanWrite {
  name: string;
  kind: string;
  hazard_codes: string[];
  owner_unit: string | null;
  scope: string[];
  summary: string;
  activation: unknown | null;
  levels: unknown[];
}

function planValues(w: PlanWrite) {
  return {
    name: w.name,
    kind: w.kind,
    hazard_codes: w.hazard_codes,
    owner_unit: w.owner_unit,
    scope: w.scope,
    summary: w.summary,
    activation: w.activation === null ? null : JSON.stringify(w.activation),
    levels: JSON.stringify(w.levels),
  };
}

export async function insertPlan(
  trx: Tx,
  id: string,
  w: PlanWrite,
  by: string | null,
  now: Date,
  demo: boolean,
): Promise<void> {
  await trx
    .insertInto('plans')
    .values({ id, ...planValues(w), demo, created_by: by, created_at: now, updated_at: now, approved_by: null })
    .execute();
}

export async function findPlan(db: Tx, id: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PlanFilter {
  q?: string;
  kind?: string;
  hazard?: string;
  unit?: string;
  status?: string;
  /** approved on or before this day (YYYY-MM-DD): review due or overdue */
  approvedBefore?: string;
  digital?: boolean;
}

export async function listPlans(
  db: Tx,
  scope: ReturnType<typeof sql<boolean>> | undefined,
  f: PlanFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: PlanRow[]; total: number }> {
  let q = db.selectFrom('plans as p');
  if (scope) q = q.where(scope);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('p.name', 'ilike', like), eb('p.summary', 'ilike', like)]));
  }
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  // a plan for 11B00 (meteorological) covers 11B03 (typhoon): the filter finds plans covering the code or under it
  if (f.hazard) {
    const h = f.hazard;
    q = q.where(
      sql<boolean>`exists (select 1 from unnest(p.hazard_codes) c
        where c = ${h} or (right(c, 3) = '000' and left(c, 2) = left(${h}, 2))
           or (right(c, 2) = '00' and left(c, 3) = left(${h}, 3)))`,
    );
  }
  if (f.unit) q = q.where('p.owner_unit', '=', f.unit);
  if (f.status) q = q.where('p.status', '=', f.status);
  if (f.approvedBefore) q = q.where('p.status', '=', 'approved').where('p.approved_on', '<=', f.approvedBefore);
  if (f.digital !== undefined)
    q = q.where(f.digital ? sql<boolean>`p.activation is not null` : sql<boolean>`p.activation is null`);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('p')
    .orderBy('p.kind')
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function updatePlan(
  trx: Tx,
  id: string,
  version: number,
  w: PlanWrite,
  state: {
    status: string;
    approved_by: string | null;
    approved_on: string | null;
    retired_at: Date | null;
    edition: number;
  },
  now: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('plans')
    .set({ ...planValues(w), ...state, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertPlanVersion(
  trx: Tx,
  v: { id: string; planId: string; edition: number; note: string; snapshot: unknown; by: string | null; at: Date },
): Promise<void> {
  await trx
    .insertInto('plan_versions')
    .values({
      id: v.id,
      plan_id: v.planId,
      edition: v.edition,
      note: v.note,
      snapshot: JSON.stringify(v.snapshot),
      by_name: v.by,
      at: v.at,
    })
    .execute();
}

export async function listPlanVersions(db: Tx, planId: string) {
  return db.selectFrom('plan_versions').selectAll().where('plan_id', '=', planId).orderBy('edition', 'desc').execute();
}

/** the plans that may be suggested: approved digital ones */
export async function activatablePlans(db: Tx): Promise<PlanRow[]> {
  return db
    .selectFrom('plans')
    .selectAll()
    .where('status', '=', 'approved')
    .where(sql<boolean>`activation is not null`)
    .orderBy('name')
    .execute();
}

// ————— activations —————

export async function insertActivation(
  trx: Tx,
  a: Omit<ActivationRow, 'version' | 'status' | 'ended_at' | 'ended_note'>,
) {
  await trx.insertInto('plan_activations').values(a).execute();
}

export async function findActivation(db: Tx, id: string): Promise<ActivationRow | undefined> {
  return db.selectFrom('plan_activations').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ActivationWithCounts = ActivationRow & {
  n_total: number;
  n_open: number;
  n_done: number;
  n_cancelled: number;
};

export async function listActivations(db: Tx, incidentId: string, id?: string): Promise<ActivationWithCounts[]> {
  let q = db
    .selectFrom('plan_activations as a')
    .selectAll('a')
    .select([
      sql<number>`(select count(*) from tasks t where t.activation_id = a.id)`.as('n_total'),
      sql<number>`(select count(*) from tasks t where t.activation_id = a.id and t.status in ('open', 'in_progress'))`.as(
        'n_open',
      ),
      sql<number>`(select count(*) from tasks t where t.activation_id = a.id and t.status = 'done')`.as('n_done'),
      sql<number>`(select count(*) from tasks t where t.activation_id = a.id and t.status = 'cancelled')`.as(
        'n_cancelled',
      ),
    ])
    .where('a.incident_id', '=', incidentId);
  if (id) q = q.where('a.id', '=', id);
  const rows = await q.orderBy('a.activated_at', 'desc').orderBy('a.id').execute();
  return rows.map((r) => ({
    ...r,
    n_total: Number(r.n_total),
    n_open: Number(r.n_open),
    n_done: Number(r.n_done),
    n_cancelled: Number(r.n_cancelled),
  }));
}

export async function activePlanIds(db: Tx, incidentId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('plan_activations')
    .select('plan_id')
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.plan_id));
}

/** the level or the end of an activation, on the version read (false: changed meanwhile) */
export async function updateActivation(
  trx: Tx,
  id: string,
  version: number,
  set: { level?: string; status?: string; ended_at?: Date; ended_note?: string | null },
): Promise<boolean> {
  const r = await trx
    .updateTable('plan_activations')
    .set({ ...set, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ————— tasks —————

export type TaskInsert = Omit<
  TaskRow,
  'version' | 'status' | 'escalated_at' | 'closed_note' | 'checklist' | 'source_kind' | 'source_id'
> & {
  checklist: string;
  source_kind?: string | null;
  source_id?: string | null;
};

export async function insertTasks(trx: Tx, rows: TaskInsert[]): Promise<TaskRow[]> {
  if (rows.length === 0) return [];
  return trx.insertInto('tasks').values(rows).returningAll().execute();
}

/** the task made for a source record (a drill's plan-revision task), if any */
export async function findTaskBySource(db: Tx, kind: string, id: string): Promise<TaskRow | undefined> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('source_kind', '=', kind)
    .where('source_id', '=', id)
    .executeTakeFirst();
}

/** plans of these kinds and status (the drills module's compliance list) */
export async function plansOfKinds(db: Tx, kinds: readonly string[], status: string): Promise<PlanRow[]> {
  if (kinds.length === 0) return [];
  return db
    .selectFrom('plans')
    .selectAll()
    .where('kind', 'in', kinds)
    .where('status', '=', status)
    .orderBy('name')
    .execute();
}

export async function findTask(db: Tx, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function tasksOfActivation(db: Tx, activationId: string): Promise<TaskRow[]> {
  return db.selectFrom('tasks').selectAll().where('activation_id', '=', activationId).orderBy('due_at').execute();
}

export interface TaskFilter {
  incidentId?: string;
  unit?: string;
  status?: string;
  overdueAt?: Date;
  /** not yet escalated (the overdue check) */
  unescalated?: boolean;
  /** the caller's scope: units whose tasks they see (and a district whose incidents' tasks they see); none: all */
  scope?: { unit: string | null; district?: string | null };
}

export async function listTasks(
  db: Tx,
  f: TaskFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: TaskRow[]; total: number }> {
  let q = db.selectFrom('tasks as t');
  if (f.scope) {
    const { unit, district } = f.scope;
    q = q.where((eb) =>
      district
        ? eb.or([eb('t.unit', '=', unit ?? ''), eb('t.incident_district', '=', district)])
        : eb('t.unit', '=', unit ?? ''),
    );
  }
  if (f.incidentId) q = q.where('t.incident_id', '=', f.incidentId);
  if (f.unit) q = q.where('t.unit', '=', f.unit);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.overdueAt) q = q.where('t.due_at', '<', f.overdueAt).where('t.status', 'in', ['open', 'in_progress']);
  if (f.unescalated) q = q.where('t.escalated_at', 'is', null);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('t')
    .orderBy('t.due_at')
    .orderBy('t.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function updateTask(
  trx: Tx,
  id: string,
  version: number,
  set: {
    status?: string;
    assignee_id?: string | null;
    assignee_name?: string | null;
    checklist?: string;
    closed_note?: string | null;
  },
  now: Date,
): Promise<TaskRow | undefined> {
  return trx
    .updateTable('tasks')
    .set({ ...set, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** cancels the open tasks among `ids` with the note (a task done or cancelled meanwhile stays as it is) */
export async function cancelTasks(trx: Tx, ids: readonly string[], note: string, now: Date): Promise<TaskRow[]> {
  if (ids.length === 0) return [];
  return trx
    .updateTable('tasks')
    .set({ status: 'cancelled', closed_note: note, updated_at: now, version: sql`version + 1` })
    .where(sql<boolean>`id = any(${[...ids]}::text[])`)
    .where('status', 'in', ['open', 'in_progress'])
    .returningAll()
    .execute();
}

/**
 * Claims the overdue tasks not yet escalated, in one statement: two instances running the check at once each get
 * a different set (the row lock makes the second wait, then its `escalated_at is null` no longer holds).
 */
export async function claimOverdue(trx: Tx, now: Date, limit = 200): Promise<TaskRow[]> {
  return trx
    .updateTable('tasks')
    .set({ escalated_at: now })
    .where(
      sql<boolean>`id in (select id from tasks where due_at < ${now} and status in ('open', 'in_progress')
                   and escalated_at is null order by due_at limit ${limit} for update skip locked)`,
    )
    .where('escalated_at', 'is', null)
    .returningAll()
    .execute();
}

export async function insertComment(
  trx: Tx,
  c: { id: string; task_id: string; text: string; by_user: string | null; by_name: string | null; at: Date },
): Promise<void> {
  await trx.insertInto('task_comments').values(c).execute();
}

export async function listComments(db: Tx, taskId: string) {
  return db.selectFrom('task_comments').selectAll().where('task_id', '=', taskId).orderBy('at').orderBy('id').execute();
}

export async function touchTask(trx: Tx, id: string, now: Date): Promise<TaskRow | undefined> {
  return trx
    .updateTable('tasks')
    .set({ updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** the names of the demo plans already written (a load interrupted half-way is finished, not doubled) */
export async function demoPlanNames(db: Tx): Promise<Set<string>> {
  const rows = await db.selectFrom('plans').select('name').where('demo', '=', true).execute();
  return new Set(rows.map((r) => r.name));
}
