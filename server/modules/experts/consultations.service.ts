/**
 * Consultations (会商研判): sessions linked to an incident or a warning (checked through the incidents and warnings
 * doors: it must exist and be in the caller's scope, and its district places the session), or periodic
 * risk-situation assessments made from templates. Status moves planned → held → closed; a closed session is kept as
 * it was. Templates (monthly, quarterly, before occasions such as holidays and the flood season) carry the agenda and
 * the minutes' headings; their due days are configurable assumptions, not rules from a standard.
 */
import {
  type Cadence,
  CONSULTATION_NEXT,
  type Consultation,
  ConsultationInput,
  ConsultationListQuery,
  ConsultationPatch,
  type ConsultationStatus,
  type ConsultationTemplate,
  type DueAssessment,
  FromTemplateInput,
  type Occasion,
  TemplateInput,
  TemplatePatch,
} from '../../../contracts/experts.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { cityDate, parseTime } from '../../platform/time.ts';
import * as repo from './experts.repository.ts';
import { type ExpertsDeps, linkedDistrict } from './experts.service.ts';
import './experts.errors.ts';

export const CONSULTATION_ENTITY = { zh: '会商', en: 'consultation' };
export const TEMPLATE_ENTITY = { zh: '研判模板', en: 'assessment template' };

interface StoredParticipants {
  experts?: string[];
  units?: string[];
  users?: { id: string; name: string }[];
}

export function consultationVisibility(r: { district_code: string | null; owner_unit: string | null }): Visibility {
  return { permission: 'consultations.read', district: r.district_code, unit: r.owner_unit };
}

/** What the files service asks of a consultation: who reads it, and who may attach (those who keep its minutes). */
export function consultationRef(r: { district_code: string | null; owner_unit: string | null }) {
  return { ...consultationVisibility(r), attach: 'consultations.manage' };
}

async function toConsultation(deps: ExpertsDeps, ctx: RequestCtx, r: repo.ConsultationRow): Promise<Consultation> {
  const p = (r.participants ?? {}) as StoredParticipants;
  const expertIds = p.experts ?? [];
  const experts = expertIds.length
    ? new Map((await repo.allExperts(deps.db.kysely, { ids: expertIds })).map((e) => [e.id, e]))
    : new Map<string, repo.ExpertRow>();
  // the links are shown by number and title when the viewer may still read them
  const link = async (kind: 'incident' | 'warning', id: string | null) => {
    if (!id) return null;
    try {
      if (kind === 'incident') {
        const i = await deps.incidents().getIncident(ctx, id);
        return { id, number: i.number, title: i.title };
      }
      const w = await deps.warnings().getWarning(ctx, id);
      return { id, number: w.number, title: ctx.lang === 'en' ? w.titleEn || w.title : w.title };
    } catch {
      return { id, number: '', title: '' };
    }
  };
  const units = deps.units();
  return {
    id: r.id,
    title: r.title,
    kind: r.kind as Consultation['kind'],
    startsAt: r.starts_at.toISOString(),
    place: r.place,
    link: r.link,
    participants: {
      experts: expertIds.map((id) => ({
        id,
        name: experts.get(id)?.name ?? '',
        organisation: experts.get(id)?.organisation ?? '',
      })),
      units: (p.units ?? []).map((code) => {
        const u = units.get(code);
        return { code, name: u ? (ctx.lang === 'en' ? u.nameEn : u.name) : code };
      }),
      users: p.users ?? [],
    },
    agenda: (r.agenda ?? []) as string[],
    minutes: r.minutes,
    conclusions: (r.conclusions ?? []) as string[],
    incident: await link('incident', r.incident_id),
    warning: await link('warning', r.warning_id),
    template: r.template_key,
    period: r.period,
    status: r.status as ConsultationStatus,
    district: r.district_code,
    ownerUnit: r.owner_unit,
    demo: r.demo,
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function readConsultation(deps: ExpertsDeps, ctx: RequestCtx, id: string): Promise<repo.ConsultationRow> {
  requirePermission(ctx.actor, 'consultations.read');
  const r = await repo.findConsultation(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: CONSULTATION_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.owner_unit }, 'id');
  return r;
}

export async function getConsultation(deps: ExpertsDeps, ctx: RequestCtx, id: string): Promise<Consultation> {
  return toConsultation(deps, ctx, await readConsultation(deps, ctx, id));
}

export async function listConsultations(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  q: ConsultationListQuery,
): Promise<{ items: Consultation[]; total: number }> {
  requirePermission(ctx.actor, 'consultations.read');
  checkInput(ConsultationListQuery, q);
  const { rows, total } = await repo.listConsultations(
    deps.db.kysely,
    ctx.actor,
    { ...q, q: q.q?.trim() || undefined },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  const items: Consultation[] = [];
  for (const r of rows) items.push(await toConsultation(deps, ctx, r));
  return { items, total };
}

/** Participants checked (experts registered, units known, users existing), stored with the users' names. */
async function participantsOf(deps: ExpertsDeps, p: ConsultationInput['participants']): Promise<StoredParticipants> {
  const experts = p?.experts ?? [];
  if (experts.length) {
    const found = new Set((await repo.allExperts(deps.db.kysely, { ids: experts })).map((e) => e.id));
    experts.forEach((id, i) => {
      if (!found.has(id))
        throw new AppError('VALIDATION', { field: `participants.experts.${i}`, reason: `no expert ${id}` });
    });
  }
  const units = p?.units ?? [];
  units.forEach((code, i) => {
    if (!deps.units().has(code)) throw new AppError('UNKNOWN_UNIT', { field: `participants.units.${i}`, value: code });
  });
  const users: { id: string; name: string }[] = [];
  for (const [i, id] of (p?.users ?? []).entries()) {
    const name = await deps.userName(id);
    if (name === undefined)
      throw new AppError('VALIDATION', { field: `participants.users.${i}`, reason: `no user ${id}` });
    users.push({ id, name });
  }
  return { experts, units, users };
}

function requireLinks(kind: string, incidentId: string | null | undefined, warningId: string | null | undefined) {
  if (kind === 'incident' && !incidentId)
    throw new AppError('LINK_REQUIRED', {
      field: 'incidentId',
      kind: { zh: '事件会商', en: 'incident consultation' },
      what: { zh: '事件', en: 'incident' },
    });
  if (kind === 'warning' && !warningId)
    throw new AppError('LINK_REQUIRED', {
      field: 'warningId',
      kind: { zh: '预警会商', en: 'warning consultation' },
      what: { zh: '预警', en: 'warning' },
    });
}

async function consultationWrite(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  input: ConsultationInput,
): Promise<repo.ConsultationWrite> {
  requireLinks(input.kind, input.incidentId, input.warningId);
  const startsAt = parseTime(input.startsAt, 'startsAt');
  const link = await linkedDistrict(deps, ctx, input);
  return {
    title: input.title.trim(),
    kind: input.kind,
    starts_at: startsAt,
    place: input.place?.trim() ?? '',
    link: input.link?.trim() ?? '',
    participants: await participantsOf(deps, input.participants),
    agenda: (input.agenda ?? []).map((a) => a.trim()).filter(Boolean),
    minutes: input.minutes ?? '',
    conclusions: (input.conclusions ?? []).map((c) => c.trim()).filter(Boolean),
    incident_id: input.incidentId ?? null,
    warning_id: input.warningId ?? null,
    district_code: link.district,
  };
}

async function insertConsultation(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  w: repo.ConsultationWrite,
  o: { template: string | null; period: string | null; demo?: boolean; audit: unknown },
): Promise<string> {
  const id = deps.ids.next();
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (o.template && o.period) {
      const had = await repo.findByTemplatePeriod(trx, o.template, o.period);
      if (had) throw new AppError('ASSESSMENT_EXISTS', { field: 'period', value: o.period });
    }
    await repo.insertConsultation(trx, id, w, {
      template: o.template,
      period: o.period,
      ownerUnit: ctx.actor.unitCode,
      by: ctx.actor.id,
      demo: o.demo ?? false,
      now,
    });
    await recordAudit(trx, ctx, now, {
      action: 'consultation.created',
      entity: 'consultation',
      entityId: id,
      after: o.audit,
    });
    await emitEvent(trx, now, {
      type: 'consultation.created',
      entity: 'consultation',
      entityId: id,
      payload: { id },
      visibility: consultationVisibility({ district_code: w.district_code, owner_unit: ctx.actor.unitCode }),
    });
  });
  deps.afterCommit();
  return id;
}

export async function createConsultation(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  input: ConsultationInput,
  opts: { demo?: boolean } = {},
): Promise<Consultation> {
  requirePermission(ctx.actor, 'consultations.manage');
  checkInput(ConsultationInput, input);
  const w = await consultationWrite(deps, ctx, input);
  const id = await insertConsultation(deps, ctx, w, { template: null, period: null, demo: opts.demo, audit: input });
  return getConsultation(deps, ctx, id);
}

export async function updateConsultation(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  id: string,
  patch: ConsultationPatch,
): Promise<Consultation> {
  requirePermission(ctx.actor, 'consultations.manage');
  checkInput(ConsultationPatch, patch);
  const had = await readConsultation(deps, ctx, id);
  const from = had.status as ConsultationStatus;
  if (from === 'closed') throw new AppError('CONSULTATION_CLOSED', { field: 'id' });
  const to = patch.status ?? from;
  if (to !== from && CONSULTATION_NEXT[from] !== to)
    throw new AppError('CONSULTATION_STATUS_STEP', { field: 'status', from, to });
  const { version, status: _s, ...rest } = patch;
  const p = (had.participants ?? {}) as StoredParticipants;
  const merged: ConsultationInput = {
    title: had.title,
    kind: had.kind as ConsultationInput['kind'],
    startsAt: had.starts_at.toISOString(),
    place: had.place,
    link: had.link,
    participants: { experts: p.experts ?? [], units: p.units ?? [], users: (p.users ?? []).map((u) => u.id) },
    agenda: had.agenda as string[],
    minutes: had.minutes,
    conclusions: had.conclusions as string[],
    incidentId: had.incident_id,
    warningId: had.warning_id,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
  const w = await consultationWrite(deps, ctx, merged);
  if (to === 'closed' && w.conclusions.length === 0)
    throw new AppError('VALIDATION', {
      field: 'conclusions',
      reason: { zh: '办结前须写明会商结论', en: 'a consultation is closed with its conclusions' },
    });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateConsultation(trx, id, { ...w, status: to }, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: to !== from ? `consultation.${to}` : 'consultation.updated',
      entity: 'consultation',
      entityId: id,
      before: had,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'consultation.updated',
      entity: 'consultation',
      entityId: id,
      payload: { id, status: to },
      visibility: consultationVisibility({ district_code: w.district_code, owner_unit: had.owner_unit }),
    });
  });
  deps.afterCommit();
  return getConsultation(deps, ctx, id);
}

// ————— templates and periods —————

export function toTemplate(r: repo.TemplateRow): ConsultationTemplate {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    nameEn: r.name_en,
    cadence: r.cadence as Cadence,
    dueDay: r.due_day,
    occasions: (r.occasions ?? []) as Occasion[],
    leadDays: r.lead_days,
    agenda: (r.agenda ?? []) as string[],
    sections: (r.sections ?? []) as string[],
    active: r.active,
    version: r.version,
  };
}

export async function listTemplates(deps: ExpertsDeps, ctx: RequestCtx) {
  requirePermission(ctx.actor, 'consultations.read');
  const items = (await repo.listTemplates(deps.db.kysely)).map(toTemplate);
  return { items, total: items.length };
}

function templateWrite(input: TemplateInput): repo.TemplateWrite {
  if (input.cadence === 'occasion' && !(input.occasions ?? []).length)
    throw new AppError('VALIDATION', {
      field: 'occasions',
      reason: { zh: '节点类模板须至少有一个节点', en: 'an occasion template needs at least one occasion' },
    });
  const keys = new Set<string>();
  (input.occasions ?? []).forEach((o, i) => {
    if (keys.has(o.key))
      throw new AppError('VALIDATION', { field: `occasions.${i}.key`, reason: { zh: '重复', en: 'repeated' } });
    keys.add(o.key);
  });
  return {
    name: input.name.trim(),
    name_en: input.nameEn.trim(),
    cadence: input.cadence,
    due_day: input.dueDay ?? 1,
    occasions: input.cadence === 'occasion' ? (input.occasions ?? []) : [],
    lead_days: input.leadDays ?? 0,
    agenda: input.agenda.map((a) => a.trim()).filter(Boolean),
    sections: input.sections.map((a) => a.trim()).filter(Boolean),
    active: input.active ?? true,
  };
}

/** Adds a template; an existing key is left as it is (the seed runs at every start). Returns whether it was added. */
export async function addTemplate(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  input: TemplateInput,
  opts: { demo?: boolean; quietIfExists?: boolean } = {},
): Promise<ConsultationTemplate> {
  requirePermission(ctx.actor, 'consultations.templates');
  checkInput(TemplateInput, input);
  const w = templateWrite(input);
  const now = deps.clock.now();
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    const added = await repo.insertTemplate(trx, id, input.key, w, { demo: opts.demo ?? false, now });
    if (!added) {
      if (opts.quietIfExists) return;
      throw new AppError('DUPLICATE', { field: 'key', value: input.key });
    }
    await recordAudit(trx, ctx, now, {
      action: 'consultation_template.created',
      entity: 'consultation_template',
      entityId: id,
      after: input,
    });
    await emitEvent(trx, now, {
      type: 'consultation_template.changed',
      entity: 'consultation_template',
      entityId: id,
      payload: { id },
      visibility: { permission: 'consultations.read', district: null, unit: null },
    });
  });
  deps.afterCommit();
  return toTemplate((await repo.findTemplate(deps.db.kysely, input.key)) as repo.TemplateRow);
}

export async function updateTemplate(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  id: string,
  patch: TemplatePatch,
): Promise<ConsultationTemplate> {
  requirePermission(ctx.actor, 'consultations.templates');
  checkInput(TemplatePatch, patch);
  const had = await repo.findTemplate(deps.db.kysely, id);
  if (!had) throw new AppError('NOT_FOUND', { field: 'id', entity: TEMPLATE_ENTITY });
  const cur = toTemplate(had);
  const { version, ...rest } = patch;
  const merged: TemplateInput = {
    key: cur.key,
    name: cur.name,
    nameEn: cur.nameEn,
    cadence: cur.cadence,
    dueDay: cur.dueDay,
    occasions: cur.occasions,
    leadDays: cur.leadDays,
    agenda: cur.agenda,
    sections: cur.sections,
    active: cur.active,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
  const w = templateWrite(merged);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateTemplate(trx, had.id, w, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'consultation_template.updated',
      entity: 'consultation_template',
      entityId: had.id,
      before: cur,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'consultation_template.changed',
      entity: 'consultation_template',
      entityId: had.id,
      payload: { id: had.id },
      visibility: { permission: 'consultations.read', district: null, unit: null },
    });
  });
  deps.afterCommit();
  return toTemplate((await repo.findTemplate(deps.db.kysely, had.id)) as repo.TemplateRow);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD minus days, on the calendar (no time zone involved). */
function minusDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** A period of a template: its due day and its words; or why the period does not fit the template. */
export function periodOf(
  t: ConsultationTemplate,
  period: string,
): { dueOn: string; zh: string; en: string } | { expected: string } {
  const year = period.slice(0, 4);
  const rest = period.slice(5);
  switch (t.cadence) {
    case 'monthly': {
      if (!/^(0[1-9]|1[0-2])$/.test(rest)) return { expected: `${year}-06` };
      return { dueOn: `${year}-${rest}-${pad(t.dueDay)}`, zh: `${year}年${Number(rest)}月`, en: `${year}-${rest}` };
    }
    case 'quarterly': {
      if (!/^Q[1-4]$/.test(rest)) return { expected: `${year}-Q2` };
      const q = Number(rest.slice(1));
      return {
        dueOn: `${year}-${pad((q - 1) * 3 + 1)}-${pad(t.dueDay)}`,
        zh: `${year}年第${q}季度`,
        en: `${year} Q${q}`,
      };
    }
    default: {
      const o = t.occasions.find((x) => x.key === rest);
      if (!o) return { expected: t.occasions.map((x) => `${year}-${x.key}`).join(' / ') || `${year}-…` };
      return { dueOn: minusDays(`${year}-${o.date}`, t.leadDays), zh: `${year}年${o.zh}`, en: `${o.en} ${year}` };
    }
  }
}

/** The minutes of a new assessment: the template's headings, each followed by an empty paragraph. */
export function minutesSkeleton(sections: readonly string[]): string {
  return sections.map((s) => `${s}\n\n`).join('\n');
}

export async function fromTemplate(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  input: FromTemplateInput,
  opts: { demo?: boolean } = {},
): Promise<Consultation> {
  requirePermission(ctx.actor, 'consultations.manage');
  checkInput(FromTemplateInput, input);
  const row = await repo.findTemplate(deps.db.kysely, input.template);
  if (!row) throw new AppError('UNKNOWN_TEMPLATE', { field: 'template', value: input.template });
  const t = toTemplate(row);
  const p = periodOf(t, input.period);
  if ('expected' in p)
    throw new AppError('PERIOD_MISMATCH', { field: 'period', value: input.period, expected: p.expected });
  const title = ctx.lang === 'en' ? `${t.nameEn}, ${p.en}` : `${p.zh}${t.name}`;
  const w = await consultationWrite(deps, ctx, {
    title,
    kind: 'periodic',
    // by default at 09:00 Beijing time on the day it is due
    startsAt: input.startsAt ?? `${p.dueOn}T09:00:00+08:00`,
    place: input.place,
    agenda: t.agenda,
    minutes: minutesSkeleton(t.sections),
  });
  const id = await insertConsultation(deps, ctx, w, {
    template: t.key,
    period: input.period,
    demo: opts.demo,
    audit: input,
  });
  return getConsultation(deps, ctx, id);
}

/**
 * What is due around a day: this month's monthly assessment, this quarter's quarterly one, and every occasion due
 * from the start of this quarter to the later of its end and 30 days ahead; each with its state.
 */
export async function dueAssessments(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  q: { on?: string },
): Promise<{ items: DueAssessment[]; total: number }> {
  requirePermission(ctx.actor, 'consultations.read');
  const on = q.on ?? cityDate(deps.clock.now());
  const year = Number(on.slice(0, 4));
  const month = Number(on.slice(5, 7));
  const quarter = Math.floor((month - 1) / 3) + 1;
  const qStart = `${year}-${pad((quarter - 1) * 3 + 1)}-01`;
  const qEnd = minusDays(quarter === 4 ? `${year + 1}-01-01` : `${year}-${pad(quarter * 3 + 1)}-01`, 1);
  const ahead = minusDays(on, -30);
  // YYYY-MM-DD strings: the later of the two sorts last
  const windowEnd = [ahead, qEnd].sort()[1] as string;
  const templates = (await repo.listTemplates(deps.db.kysely)).map(toTemplate).filter((t) => t.active);
  const wanted: { t: ConsultationTemplate; period: string; dueOn: string }[] = [];
  for (const t of templates) {
    const periods =
      t.cadence === 'monthly'
        ? [`${year}-${pad(month)}`]
        : t.cadence === 'quarterly'
          ? [`${year}-Q${quarter}`]
          : [year, year + 1].flatMap((y) => t.occasions.map((o) => `${y}-${o.key}`));
    for (const period of periods) {
      const p = periodOf(t, period);
      if ('expected' in p) continue;
      if (t.cadence === 'occasion' && (p.dueOn < qStart || p.dueOn > windowEnd)) continue;
      wanted.push({ t, period, dueOn: p.dueOn });
    }
  }
  const made = await repo.assessmentsIn(
    deps.db.kysely,
    wanted.map((w) => w.period),
  );
  const items = wanted
    .map(({ t, period, dueOn }): DueAssessment => {
      const c = made.find((m) => m.template_key === t.key && m.period === period);
      const state = c ? (c.status === 'planned' ? 'planned' : 'done') : dueOn < on ? 'overdue' : 'due';
      return {
        template: t.key,
        templateName: t.name,
        templateNameEn: t.nameEn,
        period,
        dueOn,
        state,
        consultationId: c?.id ?? null,
      };
    })
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.template.localeCompare(b.template));
  return { items, total: items.length };
}
