/** The exercises module's SQL. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';
import { containsPattern } from '../../platform/db/sql.ts';

export async function findExercise(db: Tx, id: string, forUpdate = false) {
  const q = db.selectFrom('exercises').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}
export type ExerciseRow = NonNullable<Awaited<ReturnType<typeof findExercise>>>;

export function injectsOf(db: Tx, exerciseId: string) {
  return db.selectFrom('exercise_injects').selectAll().where('exercise_id', '=', exerciseId).orderBy('seq').execute();
}
export type InjectRow = Awaited<ReturnType<typeof injectsOf>>[number];

export async function listExercises(db: Tx, q: { status?: string; q?: string; limit: number; offset: number }) {
  let b = db.selectFrom('exercises as e');
  if (q.status) b = b.where('e.status', '=', q.status);
  if (q.q) {
    const like = containsPattern(q.q);
    b = b.where((eb) => eb.or([eb('e.title', 'ilike', like), eb('e.number', 'ilike', like)]));
  }
  const total = await b.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await b
    .selectAll('e')
    .select([
      sql<number>`(select count(*)::int from exercise_injects i where i.exercise_id = e.id)`.as('inject_count'),
      sql<number>`(select count(*)::int from exercise_injects i where i.exercise_id = e.id and i.played_at is not null)`.as(
        'played_count',
      ),
    ])
    .orderBy(sql`case e.status when 'running' then 0 when 'draft' then 1 else 2 end`)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

export function runningExercises(db: Tx) {
  return db
    .selectFrom('exercises')
    .select(['id', 'number', 'title', 'started_at'])
    .where('status', '=', 'running')
    .execute();
}

export async function insertExercise(
  db: Tx,
  v: {
    id: string;
    number: string;
    title: string;
    scenario: string;
    content: string;
    form: string;
    plan_id: string | null;
    plan_name: string | null;
    organiser_unit: string;
    participants: string[];
    planned_start: Date | null;
    director: string;
    created_by: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('exercises')
    .values({ ...v, created_at: now, updated_at: now })
    .execute();
}

export async function updateExercise(
  db: Tx,
  id: string,
  version: number,
  set: Partial<{
    title: string;
    scenario: string;
    content: string;
    form: string;
    plan_id: string | null;
    plan_name: string | null;
    organiser_unit: string;
    participants: string[];
    planned_start: Date | null;
    director: string;
    status: string;
    started_at: Date;
    ended_at: Date;
    started_by: string | null;
    measurements: string;
    targets: string;
    observations: string;
    improvements: string;
    drill_id: string;
  }>,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('exercises')
    .set({ ...set, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceInjects(
  db: Tx,
  exerciseId: string,
  injects: { id: string; seq: number; offset_seconds: number; kind: string; title: string; payload: unknown }[],
): Promise<void> {
  await db.deleteFrom('exercise_injects').where('exercise_id', '=', exerciseId).execute();
  if (injects.length)
    await db
      .insertInto('exercise_injects')
      .values(injects.map((i) => ({ ...i, exercise_id: exerciseId, payload: JSON.stringify(i.payload) })))
      .execute();
}

/** Injects of running exercises whose time has come and that nobody played yet. */
export function dueInjects(db: Tx, now: Date) {
  return db
    .selectFrom('exercise_injects as i')
    .innerJoin('exercises as e', 'e.id', 'i.exercise_id')
    .select(['i.id', 'i.exercise_id'])
    .where('e.status', '=', 'running')
    .where('i.played_at', 'is', null)
    .where(sql<boolean>`e.started_at + make_interval(secs => i.offset_seconds) <= ${now}`)
    .orderBy('e.started_at')
    .orderBy('i.seq')
    .execute();
}

/** Claims an inject to play: only the caller that sets its play time gets the row (once across instances). */
export function claimInject(db: Tx, id: string, now: Date) {
  return db
    .updateTable('exercise_injects')
    .set({ played_at: now })
    .where('id', '=', id)
    .where('played_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function setInjectResult(db: Tx, id: string, result: unknown): Promise<void> {
  await db
    .updateTable('exercise_injects')
    .set({ result: JSON.stringify(result) })
    .where('id', '=', id)
    .execute();
}

export async function insertReadings(
  db: Tx,
  rows: { exercise_id: string; inject_id: string; device_id: string; metric: string; ts: Date; value: number }[],
): Promise<void> {
  if (rows.length)
    await db
      .insertInto('exercise_readings')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export function readingsOf(db: Tx, injectId: string) {
  return db
    .selectFrom('exercise_readings')
    .select(['metric', 'ts', 'value'])
    .where('inject_id', '=', injectId)
    .orderBy('ts')
    .execute();
}

export function unitNames(db: Tx, codes: string[]) {
  if (!codes.length) return Promise.resolve([] as { code: string; name: string }[]);
  return db.selectFrom('org_units').select(['code', 'name']).where('code', 'in', codes).execute();
}
