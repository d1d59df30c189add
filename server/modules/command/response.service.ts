/**
 * The response on an incident: which plans it calls for (suggestions, also for a warning and its promotion), a
 * plan activated at a level (one transaction: the activation, its departments' tasks with due times, audit and
 * events; then the fact on the incident's log), the level raised or lowered, the response ended.
 *
 * Level change rule: an action is the same across levels when its unit and title are (its `action_key`). The new
 * level's actions without a live (not cancelled) task get one, due from the change; live tasks whose action the new
 * level lacks and that are not done are cancelled with a note; done tasks stay done.
 */
import {
  ActivationEnd,
  ActivationInput,
  ActivationPatch,
  type PlanActivation,
  type PlanLevel,
  type Suggestion,
} from '../../../contracts/command.ts';
import { IdParams } from '../../../contracts/common.ts';
import type { Incident, Level } from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import type { WarningsApi } from '../warnings/index.ts';
import * as repo from './command.repository.ts';
import { type MatchablePlan, matchIncident, matchWarning } from './matching.ts';
import { PLAN_ENTITY, toPlan } from './plans.service.ts';
import { type CommandDeps, emitTask } from './tasks.service.ts';

export const ACTIVATION_ENTITY = { zh: '预案响应', en: 'plan activation' };

export interface ResponseDeps extends CommandDeps {
  warnings(): WarningsApi;
  workers?: WorkerPool;
}

function matchable(
  deps: CommandDeps,
  r: repo.PlanRow,
  now: Date,
): (MatchablePlan & { id: string; name: string }) | undefined {
  const p = toPlan(deps, r, now);
  return p.activation
    ? { id: p.id, name: p.name, hazardCodes: p.hazardCodes, activation: p.activation, levels: p.levels }
    : undefined;
}

export async function incidentSuggestions(
  deps: ResponseDeps,
  ctx: RequestCtx,
  incidentId: string,
): Promise<{ items: Suggestion[]; total: number }> {
  requirePermission(ctx.actor, 'plans.read');
  checkInput(IdParams, { id: incidentId });
  const incident = await deps.incidents().getIncident(ctx, incidentId);
  return suggestionsFor(deps, incident);
}

async function suggestionsFor(deps: ResponseDeps, incident: Incident): Promise<{ items: Suggestion[]; total: number }> {
  const now = deps.clock.now();
  const active = await repo.activePlanIds(deps.db.kysely, incident.id);
  const items: Suggestion[] = [];
  for (const r of await repo.activatablePlans(deps.db.kysely)) {
    const p = matchable(deps, r, now);
    if (!p) continue;
    const m = matchIncident(p, {
      typeCode: incident.typeCode,
      level: incident.level,
      district: incident.district?.code ?? null,
    });
    if (m) items.push({ planId: p.id, name: p.name, level: m.level, reasons: m.reasons, active: active.has(p.id) });
  }
  return { items, total: items.length };
}

export async function warningSuggestions(
  deps: ResponseDeps,
  ctx: RequestCtx,
  warningId: string,
): Promise<{ items: Suggestion[]; total: number }> {
  requirePermission(ctx.actor, 'plans.read');
  checkInput(IdParams, { id: warningId });
  const w = await deps.warnings().getWarning(ctx, warningId);
  const now = deps.clock.now();
  const items: Suggestion[] = [];
  for (const r of await repo.activatablePlans(deps.db.kysely)) {
    const p = matchable(deps, r, now);
    if (!p) continue;
    const m = matchWarning(p, { hazardCode: w.hazardCode, colour: w.colour, district: w.district?.code ?? null });
    if (m) items.push({ planId: p.id, name: p.name, level: m.level, reasons: m.reasons, active: false });
  }
  return { items, total: items.length };
}

/** A warning becomes an incident in one step (the warnings module links them); the answer carries its suggestions. */
export async function promoteWarning(
  deps: ResponseDeps,
  ctx: RequestCtx,
  warningId: string,
): Promise<{ incident: Incident; suggestions: { items: Suggestion[]; total: number } }> {
  requirePermission(ctx.actor, 'incidents.create');
  checkInput(IdParams, { id: warningId });
  const { incidentId } = await deps.warnings().promote(ctx, warningId);
  const incident = await deps.incidents().getIncident(ctx, incidentId);
  return { incident, suggestions: await suggestionsFor(deps, incident) };
}

function toActivation(r: repo.ActivationWithCounts): PlanActivation {
  return {
    id: r.id,
    incidentId: r.incident_id,
    planId: r.plan_id,
    planName: r.plan_name,
    level: r.level as Level,
    status: r.status as PlanActivation['status'],
    activatedBy: r.activated_by_name,
    activatedAt: r.activated_at.toISOString(),
    endedAt: r.ended_at ? r.ended_at.toISOString() : null,
    endedNote: r.ended_note,
    tasks: { total: r.n_total, open: r.n_open, done: r.n_done, cancelled: r.n_cancelled },
  };
}

export async function listActivations(
  deps: ResponseDeps,
  ctx: RequestCtx,
  incidentId: string,
): Promise<{ items: PlanActivation[]; total: number }> {
  requirePermission(ctx.actor, 'tasks.read');
  checkInput(IdParams, { id: incidentId });
  await deps.incidents().getIncident(ctx, incidentId);
  const rows = await repo.listActivations(deps.db.kysely, incidentId);
  return { items: rows.map(toActivation), total: rows.length };
}

async function getActivation(deps: ResponseDeps, incidentId: string, id: string): Promise<PlanActivation> {
  const [r] = await repo.listActivations(deps.db.kysely, incidentId, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: ACTIVATION_ENTITY });
  return toActivation(r);
}

/** the incident, read in the caller's scope; a closed one refuses a response started or changed */
async function openIncident(deps: ResponseDeps, ctx: RequestCtx, incidentId: string): Promise<Incident> {
  const incident = await deps.incidents().getIncident(ctx, incidentId);
  if (incident.status === 'closed') throw new AppError('INCIDENT_CLOSED', { field: 'id' });
  return incident;
}

function actionKey(a: { unit: string; title: string }): string {
  return `${a.unit}|${a.title}`;
}

function newTasks(
  deps: ResponseDeps,
  a: { id: string; incident: Incident; planId: string; planName: string },
  actions: PlanLevel['actions'],
  now: Date,
): repo.TaskInsert[] {
  return actions.map((x) => ({
    id: deps.ids.next(),
    activation_id: a.id,
    incident_id: a.incident.id,
    incident_number: a.incident.number,
    incident_title: a.incident.title,
    incident_district: a.incident.district?.code ?? null,
    plan_id: a.planId,
    plan_name: a.planName,
    action_key: actionKey(x),
    unit: x.unit,
    title: x.title,
    detail: x.detail ?? '',
    due_at: new Date(now.getTime() + x.dueMinutes * 60_000),
    assignee_id: null,
    assignee_name: null,
    checklist: JSON.stringify((x.checklist ?? []).map((text) => ({ text, done: false }))),
    created_at: now,
    updated_at: now,
  }));
}

function activationVisibility(incident: { district: { code: string } | null }) {
  return { permission: 'tasks.read', district: incident.district?.code ?? null, unit: null };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === '23505';
}

/** Activates an approved digital plan at a level: the activation and its tasks in one transaction, then the log. */
export async function activate(
  deps: ResponseDeps,
  ctx: RequestCtx,
  incidentId: string,
  body: ActivationInput,
): Promise<PlanActivation> {
  requirePermission(ctx.actor, 'plans.activate');
  checkInput(IdParams, { id: incidentId });
  checkInput(ActivationInput, body);
  const incident = await openIncident(deps, ctx, incidentId);
  const planRow = await repo.findPlan(deps.db.kysely, body.planId);
  if (!planRow) throw new AppError('NOT_FOUND', { field: 'planId', entity: PLAN_ENTITY });
  const now = deps.clock.now();
  const plan = toPlan(deps, planRow, now);
  if (plan.status !== 'approved' || !plan.activation) throw new AppError('PLAN_NOT_ACTIVATABLE', { field: 'planId' });
  const level = plan.levels.find((l) => l.level === body.level);
  if (!level) throw new AppError('PLAN_LEVEL_UNDEFINED', { field: 'level', value: body.level });
  const id = deps.ids.next();
  let created = 0;
  try {
    await deps.db.transaction(async (trx) => {
      await repo.insertActivation(trx, {
        id,
        incident_id: incident.id,
        incident_number: incident.number,
        incident_title: incident.title,
        incident_district: incident.district?.code ?? null,
        plan_id: plan.id,
        plan_name: plan.name,
        level: body.level,
        activated_by: ctx.actor.id,
        activated_by_name: ctx.actor.name,
        activated_at: now,
      });
      const tasks = await repo.insertTasks(
        trx,
        newTasks(deps, { id, incident, planId: plan.id, planName: plan.name }, level.actions, now),
      );
      created = tasks.length;
      await recordAudit(trx, ctx, now, {
        action: 'plan.activated',
        entity: 'plan_activation',
        entityId: id,
        after: { incidentId, incidentNumber: incident.number, planId: plan.id, level: body.level, tasks: created },
      });
      await emitEvent(trx, now, {
        type: 'plan.activated',
        entity: 'plan_activation',
        entityId: id,
        payload: { id, incidentId, planId: plan.id, planName: plan.name, level: body.level, tasks: created },
        visibility: activationVisibility(incident),
      });
      for (const t of tasks) await emitTask(deps, trx, now, 'task.created', t);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('PLAN_ALREADY_ACTIVE', { field: 'planId' });
    throw err;
  }
  deps.afterCommit();
  await deps.incidents().recordFact(ctx, incidentId, {
    kind: 'plan_activated',
    planName: plan.name,
    level: body.level,
    tasks: created,
  });
  return getActivation(deps, incidentId, id);
}

async function readActive(deps: ResponseDeps, incidentId: string, id: string): Promise<repo.ActivationRow> {
  const a = await repo.findActivation(deps.db.kysely, id);
  if (!a || a.incident_id !== incidentId) throw new AppError('NOT_FOUND', { field: 'id', entity: ACTIVATION_ENTITY });
  if (a.status !== 'active') throw new AppError('ACTIVATION_ENDED', { field: 'id' });
  return a;
}

async function cancelWithEvents(
  deps: ResponseDeps,
  trx: Tx,
  now: Date,
  ids: string[],
  note: string,
): Promise<repo.TaskRow[]> {
  const cancelled = await repo.cancelTasks(trx, ids, note, now);
  for (const t of cancelled) {
    await deps.alerts.resolve(trx, now, 'task', t.id);
    await emitTask(deps, trx, now, 'task.updated', t);
  }
  return cancelled;
}

/** Raises or lowers the response level: the new level's missing tasks added, tasks it lacks cancelled (rule above). */
export async function changeLevel(
  deps: ResponseDeps,
  ctx: RequestCtx,
  incidentId: string,
  id: string,
  body: ActivationPatch,
): Promise<PlanActivation> {
  requirePermission(ctx.actor, 'plans.activate');
  checkInput(IdParams, { id: incidentId });
  checkInput(IdParams, { id });
  checkInput(ActivationPatch, body);
  const incident = await openIncident(deps, ctx, incidentId);
  const a = await readActive(deps, incidentId, id);
  if (a.level === body.level) throw new AppError('ACTIVATION_SAME_LEVEL', { field: 'level', value: body.level });
  const now = deps.clock.now();
  const planRow = await repo.findPlan(deps.db.kysely, a.plan_id);
  const plan = planRow ? toPlan(deps, planRow, now) : undefined;
  const level = plan?.levels.find((l) => l.level === body.level);
  if (!level) throw new AppError('PLAN_LEVEL_UNDEFINED', { field: 'level', value: body.level });
  const from = a.level as Level;
  const note = `响应级别由${from}级调整为${body.level}级，新级别无此行动 / response level changed from ${from} to ${body.level}: the new level has no such action`;
  const { added, closed } = await deps.db.transaction(async (trx) => {
    if (!(await repo.updateActivation(trx, id, a.version, { level: body.level })))
      throw new AppError('VERSION_CONFLICT', { field: 'level', current: a.version });
    const had = await repo.tasksOfActivation(trx, id);
    const live = had.filter((t) => t.status !== 'cancelled');
    const liveKeys = new Set(live.map((t) => t.action_key));
    const wanted = new Set(level.actions.map(actionKey));
    const toAdd = level.actions.filter((x) => !liveKeys.has(actionKey(x)));
    const toCancel = live.filter((t) => t.status !== 'done' && !wanted.has(t.action_key)).map((t) => t.id);
    const inserted = await repo.insertTasks(
      trx,
      newTasks(deps, { id, incident, planId: a.plan_id, planName: a.plan_name }, toAdd, now),
    );
    for (const t of inserted) await emitTask(deps, trx, now, 'task.created', t);
    const cancelled = await cancelWithEvents(deps, trx, now, toCancel, note);
    await recordAudit(trx, ctx, now, {
      action: 'plan.level_changed',
      entity: 'plan_activation',
      entityId: id,
      before: { level: from },
      after: { level: body.level, added: inserted.length, cancelled: cancelled.length },
    });
    await emitEvent(trx, now, {
      type: 'plan.level_changed',
      entity: 'plan_activation',
      entityId: id,
      payload: { id, incidentId, from, to: body.level, added: inserted.length, closed: cancelled.length },
      visibility: activationVisibility(incident),
    });
    return { added: inserted.length, closed: cancelled.length };
  });
  deps.afterCommit();
  await deps.incidents().recordFact(ctx, incidentId, {
    kind: 'response_level',
    planName: a.plan_name,
    from,
    to: body.level,
    added,
    closed,
  });
  return getActivation(deps, incidentId, id);
}

/** Ends the response under a plan: its open tasks cancelled with the note (also on a closed incident: clean-up). */
export async function endActivation(
  deps: ResponseDeps,
  ctx: RequestCtx,
  incidentId: string,
  id: string,
  body: ActivationEnd,
): Promise<PlanActivation> {
  requirePermission(ctx.actor, 'plans.activate');
  checkInput(IdParams, { id: incidentId });
  checkInput(IdParams, { id });
  checkInput(ActivationEnd, body);
  const incident = await deps.incidents().getIncident(ctx, incidentId);
  const a = await readActive(deps, incidentId, id);
  const now = deps.clock.now();
  const note = body.note?.trim() || null;
  const closed = await deps.db.transaction(async (trx) => {
    if (!(await repo.updateActivation(trx, id, a.version, { status: 'ended', ended_at: now, ended_note: note })))
      throw new AppError('ACTIVATION_ENDED', { field: 'id' });
    const open = (await repo.tasksOfActivation(trx, id)).filter(
      (t) => t.status === 'open' || t.status === 'in_progress',
    );
    const cancelled = await cancelWithEvents(
      deps,
      trx,
      now,
      open.map((t) => t.id),
      note ?? '响应结束 / response ended',
    );
    await recordAudit(trx, ctx, now, {
      action: 'plan.response_ended',
      entity: 'plan_activation',
      entityId: id,
      after: { note, closed: cancelled.length },
    });
    await emitEvent(trx, now, {
      type: 'plan.ended',
      entity: 'plan_activation',
      entityId: id,
      payload: { id, incidentId, closed: cancelled.length },
      visibility: activationVisibility(incident),
    });
    return cancelled.length;
  });
  deps.afterCommit();
  await deps
    .incidents()
    .recordFact(
      ctx,
      incidentId,
      { kind: 'response_ended', planName: a.plan_name, closed, note },
      { allowClosed: true },
    );
  return getActivation(deps, incidentId, id);
}
