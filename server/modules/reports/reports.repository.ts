import type { Tx } from '../../platform/db/index.ts';

export type ReportRow = NonNullable<Awaited<ReturnType<typeof findReport>>>;

export function findReport(db: Tx, id: string, forUpdate = false) {
  const q = db.selectFrom('incident_reports').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export function listReports(db: Tx, incidentIds: readonly string[]) {
  if (!incidentIds.length) return Promise.resolve([] as ReportRow[]);
  return db
    .selectFrom('incident_reports')
    .selectAll()
    .where('incident_id', 'in', incidentIds)
    .orderBy('kind')
    .orderBy('seq')
    .execute();
}

/** Writes a new report; false when its slot is taken already (another draft got there first). */
export async function insertReport(
  db: Tx,
  v: {
    id: string;
    incident_id: string;
    kind: string;
    seq: number;
    due_at: Date;
    title: string;
    sections: unknown;
    header: unknown;
    district_code: string | null;
    unit_code: string | null;
    created_by: string | null;
    now: Date;
  },
): Promise<boolean> {
  const { now, sections, header, ...rest } = v;
  const r = await db
    .insertInto('incident_reports')
    .values({
      ...rest,
      sections: JSON.stringify(sections),
      header: JSON.stringify(header),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['incident_id', 'kind', 'seq']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** New text if the row is still at `version`; false when someone else changed it first. */
export async function updateReport(
  db: Tx,
  id: string,
  version: number,
  v: { title: string; sections: unknown; header: unknown },
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('incident_reports')
    .set({
      title: v.title,
      sections: JSON.stringify(v.sections),
      header: JSON.stringify(v.header),
      changed_since_issue: true,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Keeps the text as issued version `n` (never changed afterwards) and marks the report issued. */
export async function insertVersion(
  db: Tx,
  r: ReportRow,
  n: number,
  by: { id: string | null; name: string },
  now: Date,
): Promise<boolean> {
  const done = await db
    .updateTable('incident_reports')
    .set({ issued_versions: n, issued_at: now, changed_since_issue: false, version: r.version + 1, updated_at: now })
    .where('id', '=', r.id)
    .where('version', '=', r.version)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) return false;
  await db
    .insertInto('incident_report_versions')
    .values({
      report_id: r.id,
      version: n,
      title: r.title,
      sections: JSON.stringify(r.sections),
      header: JSON.stringify(r.header),
      issued_at: now,
      issued_by: by.name,
      issued_by_id: by.id,
    })
    .execute();
  return true;
}

export function listVersions(db: Tx, reportId: string) {
  return db
    .selectFrom('incident_report_versions')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('version', 'desc')
    .execute();
}

export function findVersion(db: Tx, reportId: string, version: number) {
  return db
    .selectFrom('incident_report_versions')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function listLevelChanges(db: Tx, incidentIds: readonly string[]) {
  if (!incidentIds.length) return Promise.resolve([]);
  return db
    .selectFrom('report_level_changes')
    .select(['incident_id', 'at', 'level'])
    .where('incident_id', 'in', incidentIds)
    .orderBy('at')
    .execute();
}

/** Records the level an incident has from `at` on, when it differs from the last one recorded. */
export async function recordLevel(db: Tx, incidentId: string, at: Date, level: string | null): Promise<void> {
  const last = await db
    .selectFrom('report_level_changes')
    .select('level')
    .where('incident_id', '=', incidentId)
    .where('at', '<=', at)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && last.level === level) return;
  await db
    .insertInto('report_level_changes')
    .values({ incident_id: incidentId, at, level })
    .onConflict((oc) => oc.columns(['incident_id', 'at']).doUpdateSet({ level }))
    .execute();
}

/** Claims a reminder: true for the one caller whose row went in (every other instance gets false). */
export async function claimReminder(
  db: Tx,
  v: { incident_id: string; kind: string; seq: number; due_at: Date; what: 'soon' | 'overdue'; sent_at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('report_reminders')
    .values(v)
    .onConflict((oc) => oc.columns(['incident_id', 'kind', 'seq', 'due_at', 'what']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertSitrep(
  db: Tx,
  v: { id: string; generated_at: Date; trigger: string; incidents: number; file: Uint8Array; slot: string | null },
): Promise<boolean> {
  const r = await db
    .insertInto('sitreps')
    .values(v)
    .onConflict((oc) => oc.column('slot').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listSitreps(db: Tx, limit: number, offset: number) {
  const [items, total] = await Promise.all([
    db
      .selectFrom('sitreps')
      .select(['id', 'generated_at', 'trigger', 'incidents', (eb) => eb.fn('octet_length', ['file']).as('size')])
      .orderBy('generated_at', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('sitreps')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function findSitrep(db: Tx, id: string) {
  return db.selectFrom('sitreps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function sitrepSlotTaken(db: Tx, slot: string): Promise<boolean> {
  return !!(await db.selectFrom('sitreps').select('id').where('slot', '=', slot).executeTakeFirst());
}
