/** The drills module's SQL (the only place with it). */
import { type Selectable, sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';

export type DrillRow = Selectable<Database['drills']>;
export type ProblemRow = Selectable<Database['drill_problems']>;
export type ActionRow = Selectable<Database['drill_actions']>;
export type PlanRow = Selectable<Database['drill_plans']>;

export type DrillWrite = Omit<
  DrillRow,
  'id' | 'number' | 'version' | 'created_at' | 'updated_at' | 'created_by' | 'demo' | 'revision_task_id'
> & { participants: string; evaluation: string | null };

export async function insertDrill(
  trx: Tx,
  row: DrillWrite & { id: string; number: string; created_by: string | null; demo: boolean; now: Date },
): Promise<void> {
  const { now, ...rest } = row;
  await trx
    .insertInto('drills')
    .values({ ...rest, created_at: now, updated_at: now })
    .execute();
}

export async function updateDrill(trx: Tx, id: string, version: number, w: DrillWrite, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('drills')
    .set({ ...w, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setRevisionTask(trx: Tx, id: string, taskId: string, now: Date): Promise<void> {
  await trx
    .updateTable('drills')
    .set({ revision_task_id: taskId, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function findDrill(db: Tx, id: string): Promise<DrillRow | undefined> {
  return db.selectFrom('drills').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDrillByNumber(db: Tx, number: string): Promise<DrillRow | undefined> {
  return db.selectFrom('drills').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function findByExercise(db: Tx, exerciseId: string): Promise<DrillRow | undefined> {
  return db.selectFrom('drills').selectAll().where('exercise_id', '=', exerciseId).executeTakeFirst();
}

export interface DrillFilter {
  q?: string;
  from?: string;
  to?: string;
  content?: string;
  form?: string;
  subjectKind?: string;
  enterpriseId?: string;
  planId?: string;
  district?: string;
  /** open actions with a deadline before this day */
  overdueBefore?: string;
  planItemIds?: string[];
}

export async function listDrills(
  db: Tx,
  actor: Actor | null,
  f: DrillFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DrillRow[]; total: number }> {
  let q = db.selectFrom('drills as d');
  if (actor) {
    const c = scopeCondition(actor, { district: 'd.district_code', unit: 'd.owner_unit' });
    if (c) q = q.where(c);
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('d.title', 'ilike', like), eb('d.number', 'ilike', like), eb('d.subject_name', 'ilike', like)]),
    );
  }
  if (f.from) q = q.where('d.drill_date', '>=', f.from);
  if (f.to) q = q.where('d.drill_date', '<=', f.to);
  if (f.content) q = q.where('d.content', '=', f.content);
  if (f.form) q = q.where('d.form', '=', f.form);
  if (f.subjectKind) q = q.where('d.subject_kind', '=', f.subjectKind);
  if (f.enterpriseId) q = q.where('d.subject_kind', '=', 'enterprise').where('d.subject_id', '=', f.enterpriseId);
  if (f.planId) q = q.where('d.plan_id', '=', f.planId);
  if (f.district) q = q.where('d.district_code', '=', f.district);
  if (f.planItemIds) q = q.where('d.plan_item_id', 'in', f.planItemIds.length ? f.planItemIds : ['']);
  if (f.overdueBefore) {
    const day = f.overdueBefore;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('drill_actions as a')
          .select('a.id')
          .whereRef('a.drill_id', '=', 'd.id')
          .where('a.status', '=', 'open')
          .where('a.deadline', '<', day),
      ),
    );
  }
  const { total } = await q
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow()
    .then((r) => ({ total: Number(r.total) }));
  const rows = await q
    .selectAll('d')
    .orderBy('d.drill_date', 'desc')
    .orderBy('d.number', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total };
}

export async function replaceProblems(
  trx: Tx,
  drillId: string,
  problems: ProblemRow[],
  actions: Omit<ActionRow, 'alarmed_at'>[],
): Promise<void> {
  await trx.deleteFrom('drill_problems').where('drill_id', '=', drillId).execute();
  if (problems.length) await trx.insertInto('drill_problems').values(problems).execute();
  if (actions.length) await trx.insertInto('drill_actions').values(actions).execute();
}

export async function problemsOf(
  db: Tx,
  drillIds: string[],
): Promise<{ problems: ProblemRow[]; actions: ActionRow[] }> {
  if (drillIds.length === 0) return { problems: [], actions: [] };
  const problems = await db
    .selectFrom('drill_problems')
    .selectAll()
    .where('drill_id', 'in', drillIds)
    .orderBy('idx')
    .execute();
  const actions = await db
    .selectFrom('drill_actions')
    .selectAll()
    .where('drill_id', 'in', drillIds)
    .orderBy('idx')
    .execute();
  return { problems, actions };
}

export async function findAction(db: Tx, id: string): Promise<ActionRow | undefined> {
  return db.selectFrom('drill_actions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateAction(trx: Tx, id: string, set: { status: string; done_note: string }): Promise<void> {
  await trx.updateTable('drill_actions').set(set).where('id', '=', id).execute();
}

export async function touchDrill(trx: Tx, id: string, now: Date): Promise<void> {
  await trx.updateTable('drills').set({ updated_at: now, version: sql`version + 1` }).where('id', '=', id).execute();
}

/** open actions past their deadline not yet alarmed, claimed (alarmed_at set) in the caller's transaction */
export async function claimOverdueActions(trx: Tx, today: string, now: Date, limit = 200) {
  const ids = await trx
    .selectFrom('drill_actions')
    .select('id')
    .where('status', '=', 'open')
    .where('alarmed_at', 'is', null)
    .where('deadline', '<', today)
    .orderBy('deadline')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (ids.length === 0) return [];
  await trx
    .updateTable('drill_actions')
    .set({ alarmed_at: now })
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  return trx
    .selectFrom('drill_actions as a')
    .innerJoin('drills as d', 'd.id', 'a.drill_id')
    .select([
      'a.id',
      'a.description',
      'a.deadline',
      'a.owner_unit',
      'd.id as drill_id',
      'd.number',
      'd.title',
      'd.district_code',
      'd.owner_unit as drill_owner_unit',
    ])
    .where(
      'a.id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
}

/** every drill as compliance reads it (date, subject, plan tested) */
export async function drillFacts(db: Tx) {
  return db
    .selectFrom('drills')
    .select(['id', 'drill_date', 'subject_kind', 'subject_id', 'plan_kind', 'plan_id', 'plan_type'])
    .execute();
}

// ————— annual plans —————

export async function insertPlan(
  trx: Tx,
  row: Omit<PlanRow, 'version' | 'title' | 'demo'> & { title: string; demo: boolean; items: string },
) {
  await trx.insertInto('drill_plans').values(row).execute();
}

export async function findPlanFor(db: Tx, unitKind: string, unitId: string, year: number) {
  return db
    .selectFrom('drill_plans')
    .selectAll()
    .where('unit_kind', '=', unitKind)
    .where('unit_id', '=', unitId)
    .where('year', '=', year)
    .executeTakeFirst();
}

export async function findPlan(db: Tx, id: string): Promise<PlanRow | undefined> {
  return db.selectFrom('drill_plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updatePlan(
  trx: Tx,
  id: string,
  version: number,
  set: { title?: string; items?: string },
  now: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('drill_plans')
    .set({ ...set, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listPlans(
  db: Tx,
  actor: Actor,
  f: { year?: number; unitKind?: string; unitId?: string },
  page: { limit: number; offset: number },
): Promise<{ rows: PlanRow[]; total: number }> {
  let q = db.selectFrom('drill_plans as p');
  const c = scopeCondition(actor, { district: 'p.district_code', unit: 'p.owner_unit' });
  if (c) q = q.where(c);
  if (f.year) q = q.where('p.year', '=', f.year);
  if (f.unitKind) q = q.where('p.unit_kind', '=', f.unitKind);
  if (f.unitId) q = q.where('p.unit_id', '=', f.unitId);
  const total = Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .selectAll('p')
    .orderBy('p.year', 'desc')
    .orderBy('p.unit_name')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total };
}

/** the drills linked to any of these plan items */
export async function drillsOfItems(db: Tx, itemIds: string[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('drills')
    .select(['id', 'number', 'drill_date', 'plan_item_id'])
    .where('plan_item_id', 'in', itemIds)
    .orderBy('drill_date')
    .execute();
}

export async function hasDemo(db: Tx): Promise<boolean> {
  return !!(await db.selectFrom('drills').select('id').where('demo', '=', true).limit(1).executeTakeFirst());
}

/** appends to a drill's participants list (the participants import) */
export async function appendParticipants(trx: Tx, id: string, list: unknown[], now: Date): Promise<void> {
  await trx
    .updateTable('drills')
    .set({
      participants: sql`participants || ${JSON.stringify(list)}::jsonb`,
      updated_at: now,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .execute();
}
