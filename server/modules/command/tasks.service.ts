/**
 * Department tasks: created by plan activations (response.service.ts), answered by the departments (status,
 * assignee, checklist ticks, comments, attachments), and escalated when overdue: one alarm per task through the
 * platform's alert service, claimed in one statement so that two instances never both raise it.
 *
 * Scope: the city (command centre, commanders) sees every task; a department or an enterprise its unit's; a district
 * its unit's and those of incidents in its district.
 */
import type { Severity } from '../../../contracts/alerts.ts';
import {
  CommentInput,
  type Task,
  type TaskComment,
  TaskListQuery,
  TaskPatch,
  type TaskStatus,
} from '../../../contracts/command.ts';
import type { Level } from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import { requirePermission, scopeLabel, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type Actor, type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { parseTime } from '../../platform/time.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import * as repo from './command.repository.ts';
import type { PlanRevisionTaskInput } from './index.ts';
import type { PlanDeps } from './plans.service.ts';

export const TASK_ENTITY = { zh: '任务', en: 'task' };
const OPEN: readonly string[] = ['open', 'in_progress'];

export interface CommandDeps extends PlanDeps {
  alerts: AlertsApi;
  incidents(): IncidentsApi;
  /** a user's name and unit (assignees), and the users of a unit */
  users: {
    find(id: string): Promise<{ id: string; displayName: string; unitCode: string; disabled: boolean } | undefined>;
    ofUnit(unit: string): Promise<{ id: string; displayName: string }[]>;
  };
}

export function taskVisibility(r: { unit: string; incident_district: string | null }): Visibility {
  return { permission: 'tasks.read', unit: r.unit, district: r.incident_district, unitOnly: true };
}

/** the tasks an actor sees: undefined = all (city scope) */
export function taskScope(actor: Actor): repo.TaskFilter['scope'] {
  if (actor.scope === 'city') return undefined;
  if (actor.scope === 'district') return { unit: actor.unitCode, district: actor.unitCode };
  return { unit: actor.unitCode };
}

export function seesTask(actor: Actor, r: { unit: string; incident_district: string | null }): boolean {
  const s = taskScope(actor);
  if (!s) return true;
  return (s.unit !== null && r.unit === s.unit) || (!!s.district && r.incident_district === s.district);
}

export function toTask(deps: CommandDeps, r: repo.TaskRow, now: Date): Task {
  const unit = deps.units().get(r.unit);
  return {
    id: r.id,
    incidentId: r.incident_id,
    incidentNumber: r.incident_number,
    incidentTitle: r.incident_title,
    activationId: r.activation_id ?? '',
    planId: r.plan_id,
    planName: r.plan_name,
    unit: r.unit,
    unitName: unit?.name ?? r.unit,
    title: r.title,
    detail: r.detail,
    dueAt: r.due_at.toISOString(),
    status: r.status as TaskStatus,
    overdue: r.due_at.getTime() < now.getTime() && OPEN.includes(r.status),
    assignee: r.assignee_id ? { id: r.assignee_id, displayName: r.assignee_name ?? '' } : null,
    checklist: (r.checklist ?? []) as Task['checklist'],
    closedNote: r.closed_note,
    source: r.source_kind && r.source_id ? { kind: r.source_kind, id: r.source_id } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

/** `task.created` / `task.updated` with the Task, visible to the task's unit and the city (the stream's rule) */
export async function emitTask(
  deps: CommandDeps,
  trx: Tx,
  now: Date,
  type: 'task.created' | 'task.updated',
  r: repo.TaskRow,
): Promise<void> {
  await emitEvent(trx, now, {
    type,
    entity: 'task',
    entityId: r.id,
    payload: toTask(deps, r, now),
    visibility: taskVisibility(r),
  });
}

async function readTask(deps: CommandDeps, ctx: RequestCtx, id: string): Promise<repo.TaskRow> {
  requirePermission(ctx.actor, 'tasks.read');
  const r = await repo.findTask(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: TASK_ENTITY });
  if (!seesTask(ctx.actor, r)) throw new AppError('OUT_OF_SCOPE', { field: 'id', scope: scopeLabel(ctx.actor) });
  return r;
}

export async function getTask(deps: CommandDeps, ctx: RequestCtx, id: string): Promise<Task> {
  return toTask(deps, await readTask(deps, ctx, id), deps.clock.now());
}

export async function listTasks(
  deps: CommandDeps,
  ctx: RequestCtx,
  q: TaskListQuery,
): Promise<{ items: Task[]; total: number }> {
  requirePermission(ctx.actor, 'tasks.read');
  checkInput(TaskListQuery, q);
  const now = deps.clock.now();
  const unit = q.mine ? (ctx.actor.unitCode ?? '') : q.unit ? (deps.units().get(q.unit)?.code ?? q.unit) : undefined;
  const { rows, total } = await repo.listTasks(
    deps.db.kysely,
    {
      incidentId: q.incidentId,
      unit,
      status: q.status,
      overdueAt: q.overdue ? now : undefined,
      scope: taskScope(ctx.actor),
    },
    { limit: q.limit ?? 100, offset: q.offset ?? 0 },
  );
  return { items: rows.map((r) => toTask(deps, r, now)), total };
}

/**
 * A department answers its task: status, assignee (a user of the task's unit), checklist ticks. Cancelling is the
 * commander's (`plans.activate`); a cancelled task is closed for good, a done one may be reopened.
 */
export async function updateTask(deps: CommandDeps, ctx: RequestCtx, id: string, patch: TaskPatch): Promise<Task> {
  requirePermission(ctx.actor, 'tasks.update');
  checkInput(TaskPatch, patch);
  const had = await readTask(deps, ctx, id);
  if (had.status === 'cancelled') throw new AppError('TASK_CLOSED', { field: 'status', value: 'cancelled' });
  if (patch.status === 'cancelled') requirePermission(ctx.actor, 'plans.activate');
  const set: Parameters<typeof repo.updateTask>[3] = {};
  if (patch.status !== undefined && patch.status !== had.status) {
    set.status = patch.status;
    set.closed_note = patch.status === 'cancelled' || patch.status === 'done' ? patch.note?.trim() || null : null;
  }
  if (patch.assigneeId !== undefined) {
    if (patch.assigneeId === null) {
      set.assignee_id = null;
      set.assignee_name = null;
    } else {
      const u = await deps.users.find(patch.assigneeId);
      if (!u || u.disabled || u.unitCode !== had.unit)
        throw new AppError('ASSIGNEE_NOT_IN_UNIT', {
          field: 'assigneeId',
          value: deps.units().get(had.unit)?.name ?? had.unit,
        });
      set.assignee_id = u.id;
      set.assignee_name = u.displayName;
    }
  }
  if (patch.checklist !== undefined) {
    const items = (had.checklist ?? []) as Task['checklist'];
    if (patch.checklist.length !== items.length)
      throw new AppError('CHECKLIST_LENGTH', { field: 'checklist', value: items.length });
    set.checklist = JSON.stringify(items.map((c, i) => ({ text: c.text, done: patch.checklist?.[i] ?? c.done })));
  }
  const now = deps.clock.now();
  const after = await deps.db.transaction(async (trx) => {
    const r = await repo.updateTask(trx, id, patch.version, set, now);
    if (!r) throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'task.updated',
      entity: 'task',
      entityId: id,
      before: { status: had.status, assignee: had.assignee_name, checklist: had.checklist },
      after: patch,
    });
    // a task done or cancelled has nothing left to escalate: its alarms leave the trays
    if (set.status && !OPEN.includes(set.status)) await deps.alerts.resolve(trx, now, 'task', id);
    await emitTask(deps, trx, now, 'task.updated', r);
    return r;
  });
  deps.afterCommit();
  return toTask(deps, after, now);
}

export async function addComment(
  deps: CommandDeps,
  ctx: RequestCtx,
  id: string,
  body: CommentInput,
): Promise<TaskComment> {
  requirePermission(ctx.actor, 'tasks.update');
  checkInput(CommentInput, body);
  await readTask(deps, ctx, id);
  const now = deps.clock.now();
  const c = {
    id: deps.ids.next(),
    task_id: id,
    text: body.text.trim(),
    by_user: ctx.actor.id,
    by_name: ctx.actor.name,
    at: now,
  };
  await deps.db.transaction(async (trx) => {
    await repo.insertComment(trx, c);
    await recordAudit(trx, ctx, now, { action: 'task.commented', entity: 'task', entityId: id, after: body });
    const r = await repo.touchTask(trx, id, now);
    if (r) await emitTask(deps, trx, now, 'task.updated', r);
  });
  deps.afterCommit();
  return { id: c.id, text: c.text, by: c.by_name, at: now.toISOString() };
}

export async function listComments(
  deps: CommandDeps,
  ctx: RequestCtx,
  id: string,
): Promise<{ items: TaskComment[]; total: number }> {
  await readTask(deps, ctx, id);
  const rows = await repo.listComments(deps.db.kysely, id);
  return {
    items: rows.map((r) => ({ id: r.id, text: r.text, by: r.by_name, at: r.at.toISOString() })),
    total: rows.length,
  };
}

/** the users a task may be assigned to: its unit's */
export async function assignees(
  deps: CommandDeps,
  ctx: RequestCtx,
  id: string,
): Promise<{ items: { id: string; displayName: string }[]; total: number }> {
  const r = await readTask(deps, ctx, id);
  const items = await deps.users.ofUnit(r.unit);
  return { items, total: items.length };
}

// ————— escalation —————

/**
 * A task on a plan's owner unit to revise the plan, made by another module (a drill whose evaluation found problems
 * needing a revision). It has no activation and no incident; one per source record (a second call returns the first).
 * Scope: the caller must be allowed to read the plan; the task shows in the owner unit's "my tasks".
 */
export async function createPlanRevisionTask(
  deps: CommandDeps,
  ctx: RequestCtx,
  input: PlanRevisionTaskInput,
): Promise<{ id: string; created: boolean; unit: string }> {
  requirePermission(ctx.actor, 'plans.read');
  const plan = await repo.findPlan(deps.db.kysely, input.planId);
  if (!plan) throw new AppError('NOT_FOUND', { field: 'planId', entity: { zh: '预案', en: 'plan' } });
  if (!plan.owner_unit) throw new AppError('PLAN_WITHOUT_OWNER', { field: 'planId' });
  const had = await repo.findTaskBySource(deps.db.kysely, input.source.kind, input.source.id);
  if (had) return { id: had.id, created: false, unit: had.unit };
  const now = deps.clock.now();
  const dueAt = parseTime(input.dueAt, 'dueAt');
  const row = await deps.db.transaction(async (trx) => {
    const [r] = await repo.insertTasks(trx, [
      {
        id: deps.ids.next(),
        activation_id: null,
        incident_id: '',
        incident_number: '',
        incident_title: '',
        incident_district: null,
        plan_id: plan.id,
        plan_name: plan.name,
        action_key: `${input.source.kind}:${input.source.id}`,
        unit: plan.owner_unit as string,
        title: input.title.trim(),
        detail: input.detail?.trim() ?? '',
        due_at: dueAt,
        assignee_id: null,
        assignee_name: null,
        checklist: '[]',
        source_kind: input.source.kind,
        source_id: input.source.id,
        created_at: now,
        updated_at: now,
      },
    ]);
    if (!r) throw new Error('task not inserted');
    await recordAudit(trx, ctx, now, {
      action: 'task.created',
      entity: 'task',
      entityId: r.id,
      after: { planId: plan.id, unit: r.unit, title: r.title, source: input.source },
    });
    await emitTask(deps, trx, now, 'task.created', r);
    return r;
  });
  deps.afterCommit();
  return { id: row.id, created: true, unit: row.unit };
}

const SEVERITY_OF_LEVEL: Record<Level, Severity> = { I: 'I', II: 'II', III: 'III', IV: 'IV' };

/**
 * Raises one alarm per overdue task not yet escalated (severity: the incident's level; unassessed → IV), visible to
 * the task's unit and the city command. Called by the module's interval, and by tests with their own clock.
 */
export async function escalateOverdue(deps: CommandDeps, now: Date = deps.clock.now()): Promise<number> {
  // the incidents' levels first (another module's door, outside this transaction)
  const { rows: pending } = await repo.listTasks(
    deps.db.kysely,
    { overdueAt: now, unescalated: true },
    { limit: 200, offset: 0 },
  );
  if (pending.length === 0) return 0;
  const levels = new Map<string, Level | null>();
  for (const id of new Set(pending.map((r) => r.incident_id).filter(Boolean))) {
    try {
      levels.set(id, (await deps.incidents().getIncident(systemCtx(), id)).level);
    } catch {
      levels.set(id, null);
    }
  }
  const ctx = systemCtx();
  const n = await deps.db.transaction(async (trx) => {
    const claimed = await repo.claimOverdue(trx, now);
    for (const r of claimed) {
      const level = levels.get(r.incident_id) ?? null;
      const unit = deps.units().get(r.unit);
      await deps.alerts.raise(trx, now, {
        source: 'task',
        sourceId: r.id,
        severity: level ? SEVERITY_OF_LEVEL[level] : 'IV',
        title: {
          zh: `任务逾期：${r.title}（${unit?.name ?? r.unit}，${r.incident_number}）`,
          en: `Task overdue: ${r.title} (${unit?.nameEn || r.unit}, ${r.incident_number})`,
        },
        link: r.incident_id ? `/incidents/${r.incident_id}?panel=response` : `/plans/${r.plan_id}`,
        visibility: taskVisibility(r),
      });
      await recordAudit(trx, ctx, now, {
        action: 'task.escalated',
        entity: 'task',
        entityId: r.id,
        after: { dueAt: r.due_at.toISOString(), unit: r.unit, severity: level ?? 'IV' },
      });
    }
    return claimed.length;
  });
  if (n > 0) deps.afterCommit();
  return n;
}

/** what acknowledging a task's alarm means: a line on the task (who, which unit), in the acknowledging transaction */
export function onTaskAlarmAcknowledged(deps: CommandDeps) {
  return async (
    trx: Tx,
    alert: { sourceId: string; acknowledged: { unitName: string; userName: string; at: string } },
    _ctx: RequestCtx,
  ): Promise<void> => {
    const now = new Date(alert.acknowledged.at);
    await repo.insertComment(trx, {
      id: deps.ids.next(),
      task_id: alert.sourceId,
      text: `逾期告警已确认 / overdue alarm acknowledged：${alert.acknowledged.userName}（${alert.acknowledged.unitName}）`,
      by_user: null,
      by_name: alert.acknowledged.userName,
      at: now,
    });
  };
}
