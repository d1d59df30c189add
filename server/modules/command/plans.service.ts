/**
 * The plans register: government plans (总体, 专项, 部门) and unit plans (GB/T 29639), their approval and editions
 * (every change of an approved plan is a new edition, kept), the review date (approval + 3 years), and the digital
 * part: activation criteria and each response level's actions per department.
 */

import {
  type ActivationCriteria,
  PLAN_REVIEW_WARN_DAYS,
  PLAN_REVIEW_YEARS,
  type Plan,
  PlanInput,
  type PlanKind,
  type PlanLevel,
  PlanListQuery,
  PlanPatch,
  type PlanStatus,
  type PlanVersion,
} from '../../../contracts/command.ts';
import { findEventType } from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, scopeCondition, type Visibility } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { can, type RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { cityDate } from '../../platform/time.ts';
import * as repo from './command.repository.ts';
import './command.errors.ts';

export const PLAN_ENTITY = { zh: '预案', en: 'plan' };

export interface UnitInfo {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  kind: string;
}

export interface PlanDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  /** org units by code and by id (both keys) */
  units(): Map<string, UnitInfo>;
}

export function planVisibility(r: { owner_unit: string | null }): Visibility {
  return { permission: 'plans.read', unit: r.owner_unit };
}

function addYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y + years, m - 1, d));
  // 29 February + 3 years: 1 March (Date rolls over), the day after the anniversary that does not exist
  return t.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function toPlan(deps: PlanDeps, r: repo.PlanRow, now: Date): Plan {
  const unit = r.owner_unit ? deps.units().get(r.owner_unit) : undefined;
  const today = cityDate(now);
  const reviewDueOn = r.status === 'approved' && r.approved_on ? addYears(r.approved_on, PLAN_REVIEW_YEARS) : null;
  const activation = (r.activation ?? null) as ActivationCriteria | null;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as PlanKind,
    hazardCodes: r.hazard_codes,
    ownerUnit: unit ? { code: unit.code, name: unit.name, nameEn: unit.nameEn } : null,
    scope: r.scope,
    summary: r.summary,
    status: r.status as PlanStatus,
    approvedBy: r.approved_by,
    approvedOn: r.approved_on,
    retiredAt: r.retired_at ? r.retired_at.toISOString() : null,
    reviewDueOn,
    reviewDue: reviewDueOn !== null && reviewDueOn <= addDays(today, PLAN_REVIEW_WARN_DAYS),
    overdue: reviewDueOn !== null && reviewDueOn < today,
    edition: r.edition,
    digital: activation !== null,
    activation,
    levels: (r.levels ?? []) as PlanLevel[],
    demo: r.demo,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function readPlan(deps: PlanDeps, ctx: RequestCtx, id: string): Promise<repo.PlanRow> {
  requirePermission(ctx.actor, 'plans.read');
  const r = await repo.findPlan(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: PLAN_ENTITY });
  requireInScope(ctx.actor, planVisibility(r), 'id');
  return r;
}

export async function getPlan(deps: PlanDeps, ctx: RequestCtx, id: string): Promise<Plan> {
  return toPlan(deps, await readPlan(deps, ctx, id), deps.clock.now());
}

export async function listPlans(
  deps: PlanDeps,
  ctx: RequestCtx,
  q: PlanListQuery,
): Promise<{ items: Plan[]; total: number }> {
  requirePermission(ctx.actor, 'plans.read');
  checkInput(PlanListQuery, q);
  const now = deps.clock.now();
  const today = cityDate(now);
  // review due on or before today + 90 days ⇔ approved on or before that day − 3 years (likewise for overdue)
  const approvedBefore =
    q.review === 'due'
      ? addYears(addDays(today, PLAN_REVIEW_WARN_DAYS), -PLAN_REVIEW_YEARS)
      : q.review === 'overdue'
        ? addYears(addDays(today, -1), -PLAN_REVIEW_YEARS)
        : undefined;
  const { rows, total } = await repo.listPlans(
    deps.db.kysely,
    scopeCondition(ctx.actor, { unit: 'p.owner_unit' }),
    {
      q: q.q?.trim() || undefined,
      kind: q.kind,
      hazard: q.hazard,
      unit: q.unit ? (deps.units().get(q.unit)?.code ?? q.unit) : undefined,
      status: q.status,
      approvedBefore,
      digital: q.digital,
    },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  return { items: rows.map((r) => toPlan(deps, r, now)), total };
}

/** an org unit's code from a code or an id; undefined when neither */
export function unitCode(deps: PlanDeps, codeOrId: string): string | undefined {
  return deps.units().get(codeOrId.trim())?.code;
}

function checkDistricts(deps: PlanDeps, codes: readonly string[], field: string): string[] {
  return codes.map((c, i) => {
    const u = deps.units().get(c);
    if (!u || (u.kind !== 'district' && u.kind !== 'zone'))
      throw new AppError('UNKNOWN_DISTRICT', { field: `${field}.${i}`, value: c });
    return u.code;
  });
}

/** The rules of a plan beyond its schema; each refusal names its field. */
function planWrite(deps: PlanDeps, ctx: RequestCtx, input: PlanInput): repo.PlanWrite {
  input.hazardCodes.forEach((c, i) => {
    if (!findEventType(c)) throw new AppError('UNKNOWN_HAZARD_CODE', { field: `hazardCodes.${i}`, value: c });
  });
  const owner = input.ownerUnit?.trim() || ctx.actor.unitCode;
  const ownerCode = owner ? unitCode(deps, owner) : undefined;
  if (owner && !ownerCode) throw new AppError('UNKNOWN_UNIT', { field: 'ownerUnit', value: owner });
  requireInScope(ctx.actor, { unit: ownerCode ?? null }, 'ownerUnit');
  const scope = checkDistricts(deps, input.scope ?? [], 'scope');
  const levels = input.levels ?? [];
  const seen = new Set<string>();
  const cleanLevels: PlanLevel[] = levels.map((l, i) => {
    if (seen.has(l.level)) throw new AppError('DUPLICATE_LEVEL', { field: `levels.${i}.level`, value: l.level });
    seen.add(l.level);
    return {
      level: l.level,
      actions: l.actions.map((a, j) => {
        const code = unitCode(deps, a.unit);
        if (!code) throw new AppError('UNKNOWN_UNIT', { field: `levels.${i}.actions.${j}.unit`, value: a.unit });
        return {
          unit: code,
          title: a.title.trim(),
          ...(a.detail?.trim() ? { detail: a.detail.trim() } : {}),
          dueMinutes: a.dueMinutes,
          ...(a.checklist?.length ? { checklist: a.checklist.map((c) => c.trim()).filter(Boolean) } : {}),
        };
      }),
    };
  });
  const activation = input.activation ? { ...input.activation } : null;
  if (activation) {
    if (!cleanLevels.some((l) => l.actions.length > 0))
      throw new AppError('DIGITAL_PLAN_INCOMPLETE', { field: 'levels' });
    if (activation.districts) activation.districts = checkDistricts(deps, activation.districts, 'activation.districts');
  } else if (cleanLevels.length > 0) throw new AppError('DIGITAL_PLAN_INCOMPLETE', { field: 'activation' });
  // the levels in order of severity: I first
  cleanLevels.sort((a, b) => rank(a.level) - rank(b.level));
  return {
    name: input.name.trim(),
    kind: input.kind,
    hazard_codes: [...new Set(input.hazardCodes)],
    owner_unit: ownerCode ?? null,
    scope,
    summary: input.summary?.trim() ?? '',
    activation,
    levels: cleanLevels,
  };
}

function rank(l: string): number {
  return ['I', 'II', 'III', 'IV'].indexOf(l);
}

export async function createPlan(
  deps: PlanDeps,
  ctx: RequestCtx,
  input: PlanInput,
  opts: { demo?: boolean } = {},
): Promise<Plan> {
  requirePermission(ctx.actor, 'plans.manage');
  checkInput(PlanInput, input);
  const w = planWrite(deps, ctx, input);
  const now = deps.clock.now();
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    await repo.insertPlan(trx, id, w, ctx.actor.id, now, opts.demo ?? false);
    await recordAudit(trx, ctx, now, { action: 'plan.created', entity: 'plan', entityId: id, after: input });
    await emitEvent(trx, now, {
      type: 'plan.created',
      entity: 'plan',
      entityId: id,
      payload: { id },
      visibility: planVisibility(w),
    });
  });
  deps.afterCommit();
  return getPlan(deps, ctx, id);
}

const TRANSITIONS: Record<PlanStatus, PlanStatus[]> = {
  draft: ['approved', 'retired'],
  approved: ['retired'],
  retired: [],
};

/**
 * Edits, approves or retires a plan. Approving needs `plans.approve` and makes edition 1; any change of an approved
 * plan is the next edition, its snapshot kept (`GET …/versions`); a retired plan refuses every change.
 */
export async function updatePlan(deps: PlanDeps, ctx: RequestCtx, id: string, patch: PlanPatch): Promise<Plan> {
  requirePermission(ctx.actor, 'plans.manage');
  checkInput(PlanPatch, patch);
  const had = await readPlan(deps, ctx, id);
  if (had.status === 'retired') throw new AppError('PLAN_RETIRED', { field: 'id' });
  const { version, status, approvedOn, note, ...rest } = patch;
  const before = toPlan(deps, had, deps.clock.now());
  const merged: PlanInput = {
    name: had.name,
    kind: had.kind as PlanKind,
    hazardCodes: had.hazard_codes,
    ownerUnit: had.owner_unit ?? undefined,
    scope: had.scope,
    summary: had.summary,
    activation: before.activation,
    levels: before.levels,
    ...rest,
  };
  checkInput(PlanInput, merged);
  const w = planWrite(deps, ctx, merged);
  const to = status ?? (had.status as PlanStatus);
  if (to !== had.status && !TRANSITIONS[had.status as PlanStatus].includes(to))
    throw new AppError('PLAN_STATUS_TRANSITION', { field: 'status', from: had.status, to });
  if ((to === 'approved' && had.status !== 'approved') || (approvedOn && to === 'approved'))
    requirePermission(ctx.actor, 'plans.approve');
  const now = deps.clock.now();
  const approving = to === 'approved' && had.status === 'draft';
  const state = {
    status: to,
    approved_by: approving || (approvedOn && to === 'approved') ? ctx.actor.name : had.approved_by,
    approved_on: approving
      ? (approvedOn ?? cityDate(now))
      : to === 'approved' && approvedOn
        ? approvedOn
        : had.approved_on,
    retired_at: to === 'retired' ? now : null,
    // an approved plan's every change is a new edition; approval is the first
    edition: to === 'approved' ? had.edition + 1 : had.edition,
  };
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updatePlan(trx, id, version, w, state, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    const after = (await repo.findPlan(trx, id)) as repo.PlanRow;
    if (to === 'approved') {
      const {
        version: _v,
        createdAt: _c,
        updatedAt: _u,
        reviewDue: _r,
        overdue: _o,
        ...snapshot
      } = toPlan(deps, after, now);
      await repo.insertPlanVersion(trx, {
        id: deps.ids.next(),
        planId: id,
        edition: state.edition,
        note: note?.trim() || (approving ? '批准 / approved' : ''),
        snapshot,
        by: ctx.actor.name,
        at: now,
      });
    }
    await recordAudit(trx, ctx, now, {
      action: approving ? 'plan.approved' : to === 'retired' ? 'plan.retired' : 'plan.updated',
      entity: 'plan',
      entityId: id,
      before,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'plan.updated',
      entity: 'plan',
      entityId: id,
      payload: { id, status: to, edition: state.edition },
      visibility: planVisibility(w),
    });
  });
  deps.afterCommit();
  return getPlan(deps, ctx, id);
}

export async function planVersions(
  deps: PlanDeps,
  ctx: RequestCtx,
  id: string,
): Promise<{ items: PlanVersion[]; total: number }> {
  await readPlan(deps, ctx, id);
  const rows = await repo.listPlanVersions(deps.db.kysely, id);
  return {
    items: rows.map((r) => ({
      edition: r.edition,
      note: r.note,
      by: r.by_name,
      at: r.at.toISOString(),
      plan: r.snapshot,
    })),
    total: rows.length,
  };
}

/** who may approve (the web shows the action) */
export function mayApprove(ctx: RequestCtx): boolean {
  return can(ctx.actor, 'plans.approve');
}
