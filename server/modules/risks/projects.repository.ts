/** Prevention projects and their progress reports: the only SQL on them. */
import { sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';

export interface ProjectRow {
  id: string;
  name: string;
  type: string;
  district_code: string;
  owner_unit: string;
  geojson: string | null;
  target_quantity: number;
  unit: string;
  responsible_unit: string;
  start_date: string;
  end_date: string;
  notes: string | null;
  done_quantity: number;
  last_report_date: string | null;
  demo: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const columns = [
  'p.id',
  'p.name',
  'p.type',
  'p.district_code',
  'p.owner_unit',
  sql<string | null>`st_asgeojson(p.geom, 7)`.as('geojson'),
  'p.target_quantity',
  'p.unit',
  'p.responsible_unit',
  'p.start_date',
  'p.end_date',
  'p.notes',
  'p.done_quantity',
  'p.last_report_date',
  'p.demo',
  'p.version',
  'p.created_at',
  'p.updated_at',
] as const;

const geomOf = (geojson: string | null) =>
  geojson === null ? null : sql`st_setsrid(st_geomfromgeojson(${geojson}), 4326)`;

export async function listProjects(
  db: Tx,
  actor: Actor,
  q: { type?: string; district?: string; q?: string },
): Promise<ProjectRow[]> {
  let base = db.selectFrom('prevention_projects as p');
  const scope = scopeCondition(actor, { district: 'p.district_code', unit: 'p.owner_unit' });
  if (scope) base = base.where(scope);
  if (q.type) base = base.where('p.type', '=', q.type);
  if (q.district) base = base.where('p.district_code', '=', q.district);
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([eb('p.name', 'ilike', like), eb('p.responsible_unit', 'ilike', like)]));
  }
  return (await base.select(columns).orderBy('p.end_date').orderBy('p.name').orderBy('p.id').execute()) as ProjectRow[];
}

export async function findProject(db: Tx, id: string, forUpdate = false): Promise<ProjectRow | undefined> {
  const q = db.selectFrom('prevention_projects as p').select(columns).where('p.id', '=', id);
  return (await (forUpdate ? q.forUpdate() : q).executeTakeFirst()) as ProjectRow | undefined;
}

export async function insertProject(
  db: Tx,
  row: {
    id: string;
    name: string;
    type: string;
    district_code: string;
    owner_unit: string;
    target_quantity: number;
    unit: string;
    responsible_unit: string;
    start_date: string;
    end_date: string;
    notes: string | null;
    demo: boolean;
    created_by: string | null;
    created_at: Date;
    updated_at: Date;
  },
  geojson: string | null,
): Promise<void> {
  await db
    .insertInto('prevention_projects')
    .values({ ...row, geom: geomOf(geojson) })
    .execute();
}

export async function updateProject(
  db: Tx,
  id: string,
  set: {
    name: string;
    type: string;
    district_code: string;
    target_quantity: number;
    unit: string;
    responsible_unit: string;
    start_date: string;
    end_date: string;
    notes: string | null;
    updated_at: Date;
  },
  geojson: string | null,
): Promise<void> {
  await db
    .updateTable('prevention_projects')
    .set((eb) => ({ ...set, geom: geomOf(geojson), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteProject(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('project_progress').where('project_id', '=', id).execute();
  await db.deleteFrom('prevention_projects').where('id', '=', id).execute();
}

export function listProgress(db: Tx, projectId: string) {
  return db
    .selectFrom('project_progress')
    .select(['id', 'report_date', 'quantity', 'note', 'reporter', 'created_at'])
    .where('project_id', '=', projectId)
    .orderBy('report_date')
    .orderBy('created_at')
    .execute();
}

export async function insertProgress(
  db: Tx,
  row: {
    id: string;
    project_id: string;
    report_date: string;
    quantity: number;
    note: string | null;
    reporter: string;
    created_by: string | null;
    created_at: Date;
  },
): Promise<void> {
  await db.insertInto('project_progress').values(row).execute();
}

/** the project's done quantity and last report date: its latest report's (by date, then entry) */
export async function refreshDone(db: Tx, id: string, now: Date): Promise<void> {
  await sql`
    update prevention_projects p
       set done_quantity = coalesce(l.quantity, 0), last_report_date = l.report_date,
           version = p.version + 1, updated_at = ${now}
      from (select (select quantity from project_progress where project_id = ${id}
                     order by report_date desc, created_at desc limit 1) as quantity,
                   (select max(report_date) from project_progress where project_id = ${id}) as report_date) l
     where p.id = ${id}`.execute(db);
}

export async function hasDemoProjects(db: Tx): Promise<boolean> {
  return !!(await db
    .selectFrom('prevention_projects')
    .select('id')
    .where('demo', '=', true)
    .limit(1)
    .executeTakeFirst());
}
