/**
 * Drill records (演练记录): typed by AQ/T 9007-2019 §4.2, a subject (an enterprise of the safety register or a
 * government unit), the plan tested (a plan of the command register, or an enterprise's own plan kind), participants,
 * evaluation, problems and their improvement actions. Scope: a record belongs to its subject's district and unit (an
 * enterprise's own org unit), so an enterprise user sees and records its own drills and district staff their
 * district's. Overdue improvement actions raise one alarm each (`alarmOverdueActions`); a command plan's problems
 * marked "needs plan revision" give one task to the plan's owner unit through the command door.
 */
import {
  type ActionPatch,
  ActionPatch as ActionPatchSchema,
  type Drill,
  DrillListQuery,
  DrillRecordInput,
  DrillRecordPatch,
  type DrillSubjectInput,
  type Evaluation,
  type Participant,
  type PlanTestedInput,
  type ProblemInput,
} from '../../../contracts/drills.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { cityDate } from '../../platform/time.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import type { CommandApi, PlanRef } from '../command/index.ts';
import * as repo from './drills.repository.ts';
import './drills.errors.ts';

export const DRILL_ENTITY = { zh: '演练记录', en: 'drill record' };

/** an enterprise as the drills module needs it (adapted from the safety door in module.ts) */
export interface EnterpriseInfo {
  id: string;
  name: string;
  districtCode: string | null;
  unitCode: string;
  highRisk: boolean;
  crowdedVenue: boolean;
  /** the registration date (YYYY-MM-DD, Beijing): a never-drilled enterprise's due dates count from it */
  since: string;
  active: boolean;
}

export interface UnitInfo {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
  parentCode: string | null;
}

export interface DrillsDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  alerts: AlertsApi;
  units(): Map<string, UnitInfo>;
  /** a unit by its code, read again from the organisation when added since the start (an enterprise's own unit) */
  unitOf(code: string): Promise<UnitInfo | undefined>;
  enterprises: {
    /** scope-checked for ctx */
    get(ctx: RequestCtx, id: string): Promise<EnterpriseInfo>;
    /** no scope check (compliance) */
    list(): Promise<EnterpriseInfo[]>;
  };
  command(): CommandApi;
  workers?: WorkerPool;
}

export function today(deps: Pick<DrillsDeps, 'clock'>): string {
  return cityDate(deps.clock.now());
}

export function drillVisibility(r: { district_code: string | null; owner_unit: string }): Visibility {
  return { permission: 'drills.read', district: r.district_code, unit: r.owner_unit };
}

/** the district a unit lies in: a district's own code, or its parent's when that is a district */
export function unitDistrict(deps: Pick<DrillsDeps, 'units'>, code: string): string | null {
  const u = deps.units().get(code);
  if (!u) return null;
  if (u.kind === 'district') return u.code;
  const parent = u.parentCode ? deps.units().get(u.parentCode) : undefined;
  return parent?.kind === 'district' ? parent.code : null;
}

export interface ResolvedSubject {
  kind: 'enterprise' | 'unit';
  id: string;
  name: string;
  district: string | null;
  unit: string;
}

export async function resolveSubject(
  deps: DrillsDeps,
  ctx: RequestCtx,
  s: DrillSubjectInput,
  field = 'subject',
): Promise<ResolvedSubject> {
  if (s.kind === 'enterprise') {
    const e = await deps.enterprises.get(ctx, s.enterpriseId);
    return { kind: 'enterprise', id: e.id, name: e.name, district: e.districtCode, unit: e.unitCode };
  }
  const u = await deps.unitOf(s.unitCode);
  if (!u) throw new AppError('UNKNOWN_UNIT', { field: `${field}.unitCode`, value: s.unitCode });
  const r: ResolvedSubject = {
    kind: 'unit',
    id: u.code,
    name: u.name,
    district: unitDistrict(deps, u.code),
    unit: u.code,
  };
  requireInScope(ctx.actor, { district: r.district, unit: r.unit }, `${field}.unitCode`);
  return r;
}

async function resolvePlanTested(
  deps: DrillsDeps,
  subject: ResolvedSubject,
  p: PlanTestedInput | undefined,
  field = 'planTested',
): Promise<Pick<repo.DrillWrite, 'plan_kind' | 'plan_id' | 'plan_name' | 'plan_type' | 'plan_owner_unit'>> {
  const none = { plan_kind: null, plan_id: null, plan_name: null, plan_type: null, plan_owner_unit: null };
  if (!p) return none;
  if (p.kind === 'enterprise') {
    if (subject.kind !== 'enterprise') throw new AppError('ENTERPRISE_PLAN_FOR_UNIT', { field: `${field}.planKind` });
    return { ...none, plan_kind: 'enterprise', plan_type: p.planKind };
  }
  const plan = await deps.command().getPlanRef(p.planId);
  if (!plan) throw new AppError('NOT_FOUND', { field: `${field}.planId`, entity: { zh: '预案', en: 'plan' } });
  return {
    plan_kind: 'command',
    plan_id: plan.id,
    plan_name: plan.name,
    plan_type: plan.kind,
    plan_owner_unit: plan.ownerUnit,
  };
}

function participantsOf(list: Participant[] | undefined) {
  return (list ?? []).map((x) => ({
    name: x.name.trim(),
    unit: x.unit?.trim() ?? '',
    role: x.role?.trim() ?? '',
    attended: x.attended ?? true,
    hours: x.hours ?? 0,
  }));
}

async function drillWrite(
  deps: DrillsDeps,
  ctx: RequestCtx,
  input: DrillRecordInput,
  subject: ResolvedSubject,
): Promise<repo.DrillWrite> {
  if (input.startTime && input.endTime && input.endTime < input.startTime)
    throw new AppError('END_BEFORE_START', { field: 'endTime' });
  // the organiser named, else the subject's unit or the recorder's own (an enterprise user's unit, perhaps added since
  // the start: read so that the record shows its name)
  const organiser = input.organiserUnit ?? (subject.kind === 'unit' ? subject.unit : (ctx.actor.unitCode ?? null));
  if (organiser && !(await deps.unitOf(organiser)) && input.organiserUnit)
    throw new AppError('UNKNOWN_UNIT', { field: 'organiserUnit', value: input.organiserUnit });
  if (input.planItemId) {
    const plan = await findPlanOfItem(deps, subject, input.planItemId, input.date);
    if (!plan) throw new AppError('PLAN_ITEM_UNKNOWN', { field: 'planItemId' });
  }
  const plan = await resolvePlanTested(deps, subject, input.planTested ?? undefined);
  return {
    title: input.title.trim(),
    drill_date: input.date,
    start_time: input.startTime ?? null,
    end_time: input.endTime ?? null,
    location: input.location?.trim() ?? '',
    organiser_unit: organiser,
    subject_kind: subject.kind,
    subject_id: subject.id,
    subject_name: subject.name,
    ...plan,
    content: input.content,
    form: input.form,
    purpose: input.purpose ?? null,
    scenario: input.scenario ?? '',
    participants: JSON.stringify(participantsOf(input.participants)),
    evaluation: input.evaluation ? JSON.stringify(input.evaluation) : null,
    plan_item_id: input.planItemId ?? null,
    source_kind: input.source?.kind ?? 'manual',
    exercise_id: input.source?.kind === 'exercise' ? input.source.exerciseId : null,
    notes: input.notes ?? '',
    district_code: subject.district,
    owner_unit: subject.unit,
  };
}

async function findPlanOfItem(deps: DrillsDeps, subject: ResolvedSubject, itemId: string, date: string) {
  const plan = await repo.findPlanFor(deps.db.kysely, subject.kind, subject.id, Number(date.slice(0, 4)));
  const items = (plan?.items ?? []) as { id: string }[];
  return items.some((i) => i.id === itemId) ? plan : undefined;
}

function problemRows(deps: DrillsDeps, drillId: string, problems: ProblemInput[] | undefined) {
  const ps: repo.ProblemRow[] = [];
  const as: Omit<repo.ActionRow, 'alarmed_at'>[] = [];
  (problems ?? []).forEach((p, i) => {
    const pid = deps.ids.next();
    ps.push({
      id: pid,
      drill_id: drillId,
      idx: i,
      description: p.description.trim(),
      severity: p.severity,
      needs_plan_revision: p.needsPlanRevision ?? false,
    });
    (p.actions ?? []).forEach((a, j) => {
      as.push({
        id: deps.ids.next(),
        drill_id: drillId,
        problem_id: pid,
        idx: j,
        description: a.description.trim(),
        owner_name: a.ownerName?.trim() ?? '',
        owner_unit: a.ownerUnit?.trim() ?? '',
        deadline: a.deadline,
        status: a.status ?? 'open',
        done_note: a.doneNote ?? '',
      });
    });
  });
  return { ps, as };
}

export function toDrill(
  deps: DrillsDeps,
  r: repo.DrillRow,
  probs: { problems: repo.ProblemRow[]; actions: repo.ActionRow[] },
  day: string,
): Drill {
  const participants = (r.participants ?? []) as Drill['participants'];
  const unit = r.organiser_unit ? deps.units().get(r.organiser_unit) : undefined;
  let open = 0;
  let overdue = 0;
  const problems = probs.problems
    .filter((p) => p.drill_id === r.id)
    .map((p) => ({
      id: p.id,
      description: p.description,
      severity: p.severity as Drill['problems'][number]['severity'],
      needsPlanRevision: p.needs_plan_revision,
      actions: probs.actions
        .filter((a) => a.problem_id === p.id)
        .map((a) => {
          const late = a.status === 'open' && a.deadline < day;
          if (a.status === 'open') open++;
          if (late) overdue++;
          return {
            id: a.id,
            description: a.description,
            ownerName: a.owner_name,
            ownerUnit: a.owner_unit,
            deadline: a.deadline,
            status: a.status as 'open' | 'done',
            doneNote: a.done_note,
            overdue: late,
          };
        }),
    }));
  const attended = participants.filter((x) => x.attended);
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    date: r.drill_date,
    startTime: r.start_time,
    endTime: r.end_time,
    location: r.location,
    organiserUnit: unit ? { code: unit.code, name: unit.name, nameEn: unit.nameEn } : null,
    subject: {
      kind: r.subject_kind as 'enterprise' | 'unit',
      id: r.subject_id,
      name: r.subject_name,
      district: r.district_code,
    },
    planTested:
      r.plan_kind === 'command' && r.plan_id
        ? {
            kind: 'command',
            planId: r.plan_id,
            planName: r.plan_name ?? '',
            planKind: r.plan_type ?? '',
            ownerUnit: r.plan_owner_unit,
          }
        : r.plan_kind === 'enterprise' && r.plan_type
          ? { kind: 'enterprise', planKind: r.plan_type as 'comprehensive' | 'special' | 'onsite' }
          : null,
    content: r.content as Drill['content'],
    form: r.form as Drill['form'],
    purpose: r.purpose as Drill['purpose'],
    scenario: r.scenario,
    participants,
    attendance: {
      total: participants.length,
      attended: attended.length,
      hours: Math.round(attended.reduce((s, x) => s + (x.hours ?? 0), 0) * 100) / 100,
    },
    evaluation: (r.evaluation ?? null) as Evaluation | null,
    problems,
    openActions: open,
    overdueActions: overdue,
    planItemId: r.plan_item_id,
    source: r.exercise_id ? { kind: 'exercise', exerciseId: r.exercise_id } : { kind: 'manual' },
    revisionTaskId: r.revision_task_id,
    notes: r.notes,
    districtCode: r.district_code,
    ownerUnit: r.owner_unit,
    demo: r.demo,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function readDrill(deps: DrillsDeps, ctx: RequestCtx, id: string): Promise<repo.DrillRow> {
  requirePermission(ctx.actor, 'drills.read');
  const r = await repo.findDrill(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: DRILL_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.owner_unit }, 'id');
  return r;
}

export async function getDrill(deps: DrillsDeps, ctx: RequestCtx, id: string): Promise<Drill> {
  const r = await readDrill(deps, ctx, id);
  return toDrill(deps, r, await repo.problemsOf(deps.db.kysely, [r.id]), today(deps));
}

export async function listDrills(
  deps: DrillsDeps,
  ctx: RequestCtx,
  q: DrillListQuery,
): Promise<{ items: Drill[]; total: number }> {
  requirePermission(ctx.actor, 'drills.read');
  checkInput(DrillListQuery, q);
  const day = today(deps);
  const { rows, total } = await repo.listDrills(
    deps.db.kysely,
    ctx.actor,
    {
      q: q.q?.trim() || undefined,
      from: q.from,
      to: q.to,
      content: q.content,
      form: q.form,
      subjectKind: q.subjectKind,
      enterpriseId: q.enterpriseId,
      planId: q.planId,
      district: q.district,
      overdueBefore: q.overdueActions ? day : undefined,
    },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  const probs = await repo.problemsOf(
    deps.db.kysely,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toDrill(deps, r, probs, day)), total };
}

/** records a drill (a form, the demo, or the exercises module through the door) */
export async function createDrill(
  deps: DrillsDeps,
  ctx: RequestCtx,
  input: DrillRecordInput,
  opts: { demo?: boolean } = {},
): Promise<Drill> {
  requirePermission(ctx.actor, 'drills.manage');
  checkInput(DrillRecordInput, input);
  if (input.source?.kind === 'exercise') {
    const had = await repo.findByExercise(deps.db.kysely, input.source.exerciseId);
    if (had) return getDrill(deps, ctx, had.id);
  }
  const subject = await resolveSubject(deps, ctx, input.subject);
  const w = await drillWrite(deps, ctx, input, subject);
  const id = deps.ids.next();
  const now = deps.clock.now();
  const { ps, as } = problemRows(deps, id, input.problems);
  await deps.db.transaction(async (trx) => {
    const number = await nextNumber(trx, 'YL', now);
    await repo.insertDrill(trx, { ...w, id, number, created_by: ctx.actor.id, demo: opts.demo ?? false, now });
    await repo.replaceProblems(trx, id, ps, as);
    await recordAudit(trx, ctx, now, {
      action: 'drill.created',
      entity: 'drill',
      entityId: id,
      after: { number, ...input },
    });
    await emitEvent(trx, now, {
      type: 'drill.created',
      entity: 'drill',
      entityId: id,
      payload: { id, number, title: w.title, date: w.drill_date },
      visibility: drillVisibility(w),
    });
  });
  deps.afterCommit();
  await ensureRevisionTask(deps, ctx, id, { quiet: true });
  return getDrill(deps, ctx, id);
}

export async function updateDrill(
  deps: DrillsDeps,
  ctx: RequestCtx,
  id: string,
  patch: DrillRecordPatch,
): Promise<Drill> {
  requirePermission(ctx.actor, 'drills.manage');
  checkInput(DrillRecordPatch, patch);
  const had = await getDrill(deps, ctx, id);
  const { version, ...rest } = patch;
  const merged: DrillRecordInput = {
    title: had.title,
    date: had.date,
    startTime: had.startTime,
    endTime: had.endTime,
    location: had.location,
    organiserUnit: had.organiserUnit?.code,
    subject:
      had.subject.kind === 'enterprise'
        ? { kind: 'enterprise', enterpriseId: had.subject.id }
        : { kind: 'unit', unitCode: had.subject.id },
    planTested:
      had.planTested?.kind === 'command'
        ? { kind: 'command', planId: had.planTested.planId }
        : had.planTested?.kind === 'enterprise'
          ? had.planTested
          : null,
    content: had.content,
    form: had.form,
    purpose: had.purpose,
    scenario: had.scenario,
    participants: had.participants,
    evaluation: had.evaluation,
    planItemId: had.planItemId,
    source: had.source,
    notes: had.notes,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
  const subject = await resolveSubject(deps, ctx, merged.subject);
  const w = await drillWrite(deps, ctx, merged, subject);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateDrill(trx, id, version, w, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    if (patch.problems !== undefined) {
      const { ps, as } = problemRows(deps, id, patch.problems);
      await repo.replaceProblems(trx, id, ps, as);
      await deps.alerts.resolve(trx, now, 'drill', id);
    }
    await recordAudit(trx, ctx, now, { action: 'drill.updated', entity: 'drill', entityId: id, after: patch });
    await emitEvent(trx, now, {
      type: 'drill.updated',
      entity: 'drill',
      entityId: id,
      payload: { id, number: had.number },
      visibility: drillVisibility(w),
    });
  });
  deps.afterCommit();
  await ensureRevisionTask(deps, ctx, id, { quiet: true });
  return getDrill(deps, ctx, id);
}

/** closes (or reopens) an improvement action with its note */
export async function updateAction(
  deps: DrillsDeps,
  ctx: RequestCtx,
  drillId: string,
  actionId: string,
  patch: ActionPatch,
): Promise<Drill> {
  requirePermission(ctx.actor, 'drills.manage');
  checkInput(ActionPatchSchema, patch);
  const d = await readDrill(deps, ctx, drillId);
  const a = await repo.findAction(deps.db.kysely, actionId);
  if (!a || a.drill_id !== drillId)
    throw new AppError('NOT_FOUND', { field: 'actionId', entity: { zh: '整改措施', en: 'improvement action' } });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.updateAction(trx, actionId, { status: patch.status, done_note: patch.doneNote?.trim() ?? a.done_note });
    await repo.touchDrill(trx, drillId, now);
    if (patch.status === 'done') await deps.alerts.resolve(trx, now, 'drill_action', actionId);
    await recordAudit(trx, ctx, now, {
      action: 'drill.action_updated',
      entity: 'drill',
      entityId: drillId,
      before: { action: actionId, status: a.status },
      after: { action: actionId, ...patch },
    });
    await emitEvent(trx, now, {
      type: 'drill.updated',
      entity: 'drill',
      entityId: drillId,
      payload: { id: drillId, number: d.number },
      visibility: drillVisibility(d),
    });
  });
  deps.afterCommit();
  return getDrill(deps, ctx, drillId);
}

/**
 * The plan-revision task: when the drill tested a plan of the command register and a problem is marked "needs plan
 * revision", one task on the plan's owner unit (command door; once per drill). Due by the latest deadline of those
 * problems' actions, else 30 days after the drill. `quiet`: nothing to do is no error (after a create or an update).
 */
export async function ensureRevisionTask(
  deps: DrillsDeps,
  ctx: RequestCtx,
  id: string,
  o: { quiet?: boolean } = {},
): Promise<Drill> {
  const d = await getDrill(deps, ctx, id);
  const problems = d.problems.filter((p) => p.needsPlanRevision);
  if (d.revisionTaskId) return d;
  if (d.planTested?.kind !== 'command' || problems.length === 0) {
    if (o.quiet) return d;
    throw new AppError('NO_REVISION_PROBLEMS', { field: 'problems' });
  }
  const deadlines = problems.flatMap((p) => p.actions.map((a) => a.deadline)).sort();
  const due = deadlines.at(-1) ?? addDays(d.date, 30);
  const task = await deps.command().createPlanRevisionTask(ctx, {
    planId: d.planTested.planId,
    title: `修订预案：${d.planTested.planName}（演练 ${d.number} 发现问题） / Revise the plan after drill ${d.number}`,
    detail: problems.map((p, i) => `${i + 1}. ${p.description}`).join('\n'),
    // the end of the due day, Beijing time
    dueAt: new Date(`${due}T23:59:00+08:00`).toISOString(),
    source: { kind: 'drill', id: d.id },
  });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.setRevisionTask(trx, id, task.id, now);
    await recordAudit(trx, ctx, now, {
      action: 'drill.revision_task',
      entity: 'drill',
      entityId: id,
      after: {
        taskId: task.id,
        unit: task.unit,
        planId: d.planTested?.kind === 'command' ? d.planTested.planId : null,
      },
    });
  });
  return getDrill(deps, ctx, id);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * One alarm per improvement action past its deadline (Beijing date) and still open, claimed in one transaction so
 * that it is raised once. Called by the module's timer (when `config.timers`) and by tests.
 */
export async function alarmOverdueActions(deps: DrillsDeps, now: Date = deps.clock.now()): Promise<number> {
  const day = cityDate(now);
  const ctx = systemCtx();
  const n = await deps.db.transaction(async (trx) => {
    const claimed = await repo.claimOverdueActions(trx, day, now);
    for (const a of claimed) {
      await deps.alerts.raise(trx, now, {
        source: 'drill_action',
        sourceId: a.id,
        severity: 'IV',
        title: {
          zh: `演练整改逾期：${a.description}（${a.number}，期限 ${a.deadline}）`,
          en: `Drill improvement overdue: ${a.description} (${a.number}, due ${a.deadline})`,
        },
        link: `/drills/records/${a.drill_id}`,
        visibility: drillVisibility({ district_code: a.district_code, owner_unit: a.drill_owner_unit }),
      });
      await recordAudit(trx, ctx, now, {
        action: 'drill.action_overdue',
        entity: 'drill',
        entityId: a.drill_id,
        after: { action: a.id, deadline: a.deadline },
      });
    }
    return claimed.length;
  });
  if (n > 0) deps.afterCommit();
  return n;
}

/** the plan refs for display (a drill's plan tested) */
export type { PlanRef };

/** a transaction-free read for the demo: is there demo data already? */
export async function hasDemo(deps: DrillsDeps, db: Tx = deps.db.kysely): Promise<boolean> {
  return repo.hasDemo(db);
}
