/** The experts module's SQL: experts, draws and invitations, consultations and their templates. */
import { type Insertable, type Selectable, sql } from 'kysely';
import { scopeCondition } from '../../platform/access/scope.ts';
import type { Actor } from '../../platform/core/context.ts';
import type { Database, Tx } from '../../platform/db/index.ts';

export type ExpertRow = Selectable<Database['experts']>;
export type DrawRow = Selectable<Database['expert_draws']>;
export type InvitationRow = Selectable<Database['expert_invitations']>;
export type TemplateRow = Selectable<Database['consultation_templates']>;
export type ConsultationRow = Selectable<Database['consultations']>;

const escapeLike = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// ————— experts —————

export interface ExpertWrite {
  name: string;
  fields: string[];
  field_keys: string[];
  speciality: string;
  title: string;
  title_text: string;
  organisation: string;
  phones: string[];
  email: string;
  district_code: string | null;
  owner_unit: string | null;
  availability: string;
  unavailable_until: string | null;
  availability_reason: string;
  active: boolean;
  notes: string;
}

export interface ExpertFilter {
  q?: string;
  /** any of these codes among the expert's fields or the categories above them */
  fieldKeys?: string[];
  /** any of these codes among the expert's own fields */
  fieldsAny?: string[];
  organisation?: string;
  /** available as of this day (YYYY-MM-DD) or not */
  availableOn?: { day: string; available: boolean };
  active?: boolean;
  title?: string;
  district?: string;
  ids?: readonly string[];
}

function expertWhere(db: Tx, f: ExpertFilter) {
  let q = db.selectFrom('experts as e');
  if (f.q) {
    const like = escapeLike(f.q);
    q = q.where((eb) =>
      eb.or([eb('e.name', 'ilike', like), eb('e.organisation', 'ilike', like), eb('e.speciality', 'ilike', like)]),
    );
  }
  if (f.fieldKeys || f.fieldsAny) {
    const keys = f.fieldKeys ?? [];
    const own = f.fieldsAny ?? [];
    q = q.where(sql<boolean>`(e.field_keys && ${keys}::text[] or e.fields && ${own}::text[])`);
  }
  if (f.organisation) q = q.where('e.organisation', 'ilike', escapeLike(f.organisation));
  if (f.availableOn) {
    const now = sql<boolean>`(e.availability = 'available' or (e.unavailable_until is not null and e.unavailable_until < ${f.availableOn.day}))`;
    q = q.where(f.availableOn.available ? now : sql<boolean>`not ${now}`);
  }
  if (f.active !== undefined) q = q.where('e.active', '=', f.active);
  if (f.title) q = q.where('e.title', '=', f.title);
  if (f.district) q = q.where('e.district_code', '=', f.district);
  if (f.ids) q = q.where(sql<boolean>`e.id = any(${[...f.ids]}::text[])`);
  return q;
}

export async function listExperts(
  db: Tx,
  f: ExpertFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ExpertRow[]; total: number }> {
  const q = expertWhere(db, f);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll('e').orderBy('e.name').orderBy('e.id').limit(page.limit).offset(page.offset).execute();
  return { rows, total: Number(total.n) };
}

/** Every expert the filter matches, without paging (a draw's pool: hundreds, not millions). */
export async function allExperts(db: Tx, f: ExpertFilter): Promise<ExpertRow[]> {
  return expertWhere(db, f).selectAll('e').orderBy('e.id').execute();
}

export async function findExpert(db: Tx, id: string): Promise<ExpertRow | undefined> {
  return db.selectFrom('experts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertExpert(
  trx: Tx,
  id: string,
  w: ExpertWrite,
  opts: { demo: boolean; by: string | null; now: Date },
): Promise<void> {
  await trx
    .insertInto('experts')
    .values({ id, ...w, demo: opts.demo, created_by: opts.by, created_at: opts.now, updated_at: opts.now })
    .execute();
}

export async function updateExpert(trx: Tx, id: string, w: ExpertWrite, version: number, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('experts')
    .set({ ...w, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ————— draws —————

export type DrawInsert = Insertable<Database['expert_draws']>;

export async function insertDraw(trx: Tx, d: DrawInsert): Promise<void> {
  await trx.insertInto('expert_draws').values(d).execute();
}

export async function findDraw(db: Tx, id: string): Promise<DrawRow | undefined> {
  return db.selectFrom('expert_draws').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The first round and its replacements, in order. */
export async function drawRounds(db: Tx, rootId: string): Promise<DrawRow[]> {
  return db
    .selectFrom('expert_draws')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', rootId), eb('parent_id', '=', rootId)]))
    .orderBy('round')
    .execute();
}

export async function listDraws(
  db: Tx,
  actor: Actor,
  f: { incidentId?: string; warningId?: string },
  page: { limit: number; offset: number },
) {
  let q = db.selectFrom('expert_draws as d').where('d.parent_id', 'is', null);
  const cond = scopeCondition(actor, { district: 'd.district_code', unit: 'd.owner_unit' });
  if (cond) q = q.where(cond);
  if (f.incidentId) q = q.where('d.incident_id', '=', f.incidentId);
  if (f.warningId) q = q.where('d.warning_id', '=', f.warningId);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('d')
    .select([
      sql<number>`(select count(*) from expert_draws r where r.parent_id = d.id)`.as('replacements'),
      sql<number>`(select count(*) from expert_invitations i where i.draw_id = d.id and i.status = 'accepted')`.as(
        'accepted',
      ),
      sql<number>`(select count(*) from expert_invitations i where i.draw_id = d.id and i.status = 'declined')`.as(
        'declined',
      ),
      sql<number>`(select count(*) from expert_invitations i where i.draw_id = d.id and i.status = 'invited')`.as(
        'invited',
      ),
    ])
    .orderBy('d.drawn_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function insertInvitation(
  trx: Tx,
  r: { id: string; drawId: string; roundId: string; expertId: string; now: Date },
): Promise<void> {
  await trx
    .insertInto('expert_invitations')
    .values({ id: r.id, draw_id: r.drawId, round_id: r.roundId, expert_id: r.expertId, created_at: r.now })
    .execute();
}

export async function invitationsOf(db: Tx, drawId: string): Promise<InvitationRow[]> {
  return db
    .selectFrom('expert_invitations')
    .selectAll()
    .where('draw_id', '=', drawId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findInvitation(db: Tx, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('expert_invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function replyInvitation(
  trx: Tx,
  id: string,
  r: { status: string; reason: string; by: string | null; now: Date },
  version: number,
): Promise<boolean> {
  const u = await trx
    .updateTable('expert_invitations')
    .set({ status: r.status, reason: r.reason, replied_by: r.by, replied_at: r.now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'invited')
    .executeTakeFirst();
  return Number(u.numUpdatedRows) === 1;
}

export async function markReplaced(trx: Tx, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await trx
    .updateTable('expert_invitations')
    .set({ replaced: true, version: sql`version + 1` })
    .where(sql<boolean>`id = any(${[...ids]}::text[])`)
    .execute();
}

// ————— consultations —————

export interface ConsultationWrite {
  title: string;
  kind: string;
  starts_at: Date;
  place: string;
  link: string;
  participants: unknown;
  agenda: string[];
  minutes: string;
  conclusions: string[];
  incident_id: string | null;
  warning_id: string | null;
  district_code: string | null;
}

function consultationValues(w: ConsultationWrite) {
  return {
    ...w,
    participants: JSON.stringify(w.participants),
    agenda: JSON.stringify(w.agenda),
    conclusions: JSON.stringify(w.conclusions),
  };
}

export async function insertConsultation(
  trx: Tx,
  id: string,
  w: ConsultationWrite,
  o: {
    template: string | null;
    period: string | null;
    ownerUnit: string | null;
    by: string | null;
    demo: boolean;
    now: Date;
  },
): Promise<void> {
  await trx
    .insertInto('consultations')
    .values({
      id,
      ...consultationValues(w),
      template_key: o.template,
      period: o.period,
      owner_unit: o.ownerUnit,
      created_by: o.by,
      demo: o.demo,
      created_at: o.now,
      updated_at: o.now,
    })
    .execute();
}

export async function updateConsultation(
  trx: Tx,
  id: string,
  w: ConsultationWrite & { status: string },
  version: number,
  now: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('consultations')
    .set({ ...consultationValues(w), status: w.status, version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findConsultation(db: Tx, id: string): Promise<ConsultationRow | undefined> {
  return db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByTemplatePeriod(db: Tx, template: string, period: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'status'])
    .where('template_key', '=', template)
    .where('period', '=', period)
    .executeTakeFirst();
}

export async function listConsultations(
  db: Tx,
  actor: Actor,
  f: { q?: string; kind?: string; status?: string; incidentId?: string; warningId?: string; template?: string },
  page: { limit: number; offset: number },
): Promise<{ rows: ConsultationRow[]; total: number }> {
  let q = db.selectFrom('consultations as c');
  const cond = scopeCondition(actor, { district: 'c.district_code', unit: 'c.owner_unit' });
  if (cond) q = q.where(cond);
  if (f.q) {
    const like = escapeLike(f.q);
    q = q.where((eb) => eb.or([eb('c.title', 'ilike', like), eb('c.minutes', 'ilike', like)]));
  }
  if (f.kind) q = q.where('c.kind', '=', f.kind);
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.incidentId) q = q.where('c.incident_id', '=', f.incidentId);
  if (f.warningId) q = q.where('c.warning_id', '=', f.warningId);
  if (f.template) q = q.where('c.template_key', '=', f.template);
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('c')
    .orderBy('c.starts_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** The assessments made from templates in these periods (the due list), whatever the viewer's scope. */
export async function assessmentsIn(db: Tx, periods: readonly string[]) {
  if (!periods.length) return [];
  return db
    .selectFrom('consultations')
    .select(['id', 'template_key', 'period', 'status'])
    .where('template_key', 'is not', null)
    .where(sql<boolean>`period = any(${[...periods]}::text[])`)
    .execute();
}

// ————— templates —————

export interface TemplateWrite {
  name: string;
  name_en: string;
  cadence: string;
  due_day: number;
  occasions: unknown[];
  lead_days: number;
  agenda: string[];
  sections: string[];
  active: boolean;
}

function templateValues(w: TemplateWrite) {
  return {
    ...w,
    occasions: JSON.stringify(w.occasions),
    agenda: JSON.stringify(w.agenda),
    sections: JSON.stringify(w.sections),
  };
}

export async function listTemplates(db: Tx): Promise<TemplateRow[]> {
  return db.selectFrom('consultation_templates').selectAll().orderBy('created_at').orderBy('key').execute();
}

export async function findTemplate(db: Tx, idOrKey: string): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('consultation_templates')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrKey), eb('key', '=', idOrKey)]))
    .executeTakeFirst();
}

export async function insertTemplate(
  trx: Tx,
  id: string,
  key: string,
  w: TemplateWrite,
  o: { demo: boolean; now: Date },
): Promise<boolean> {
  const r = await trx
    .insertInto('consultation_templates')
    .values({ id, key, ...templateValues(w), demo: o.demo, created_at: o.now, updated_at: o.now })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function updateTemplate(trx: Tx, id: string, w: TemplateWrite, version: number, now: Date) {
  const r = await trx
    .updateTable('consultation_templates')
    .set({ ...templateValues(w), version: sql`version + 1`, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** whether an earlier demo load already wrote its experts (a load interrupted half-way is finished, not doubled) */
export async function demoExpertsLoaded(db: Tx): Promise<boolean> {
  return !!(await db.selectFrom('experts').select('id').where('demo', '=', true).limit(1).executeTakeFirst());
}
