/**
 * Annual drill plans (年度演练计划): one per unit (an enterprise or a government unit) and year, its planned drills
 * by month; fulfilment = the items a drill record links to (`planItemId`). Scope as the records'.
 */
import {
  type DrillPlan,
  DrillPlanInput,
  type DrillPlanItemInput,
  DrillPlanListQuery,
  DrillPlanPatch,
} from '../../../contracts/drills.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import * as repo from './drills.repository.ts';
import { type DrillsDeps, drillVisibility, resolveSubject } from './drills.service.ts';

const PLAN_ENTITY = { zh: '演练计划', en: 'drill plan' };

type StoredItem = Omit<DrillPlan['items'][number], 'drills'>;

function storedItems(deps: DrillsDeps, items: DrillPlanItemInput[]): StoredItem[] {
  return items
    .map((i) => ({
      id: i.id ?? deps.ids.next(),
      month: i.month,
      title: i.title.trim(),
      content: i.content,
      form: i.form,
      planTested: i.planTested ?? null,
      topic: i.topic?.trim() ?? '',
    }))
    .sort((a, b) => a.month - b.month);
}

async function toPlans(deps: DrillsDeps, rows: repo.PlanRow[]): Promise<DrillPlan[]> {
  const all = rows.flatMap((r) => (r.items as StoredItem[]).map((i) => i.id));
  const done = await repo.drillsOfItems(deps.db.kysely, all);
  return rows.map((r) => {
    const items = (r.items as StoredItem[]).map((i) => ({
      ...i,
      drills: done
        .filter((d) => d.plan_item_id === i.id)
        .map((d) => ({ id: d.id, number: d.number, date: d.drill_date })),
    }));
    return {
      id: r.id,
      year: r.year,
      unit: {
        kind: r.unit_kind as 'enterprise' | 'unit',
        id: r.unit_id,
        name: r.unit_name,
        district: r.district_code,
      },
      title: r.title,
      items,
      fulfilment: { planned: items.length, done: items.filter((i) => i.drills.length > 0).length },
      districtCode: r.district_code,
      ownerUnit: r.owner_unit,
      demo: r.demo,
      version: r.version,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

async function readPlan(deps: DrillsDeps, ctx: RequestCtx, id: string) {
  requirePermission(ctx.actor, 'drills.read');
  const r = await repo.findPlan(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: PLAN_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.owner_unit }, 'id');
  return r;
}

export async function getPlan(deps: DrillsDeps, ctx: RequestCtx, id: string): Promise<DrillPlan> {
  const [p] = await toPlans(deps, [await readPlan(deps, ctx, id)]);
  return p as DrillPlan;
}

export async function listPlans(
  deps: DrillsDeps,
  ctx: RequestCtx,
  q: DrillPlanListQuery,
): Promise<{ items: DrillPlan[]; total: number }> {
  requirePermission(ctx.actor, 'drills.read');
  checkInput(DrillPlanListQuery, q);
  const unit = q.enterpriseId
    ? { unitKind: 'enterprise', unitId: q.enterpriseId }
    : q.unitCode
      ? { unitKind: 'unit', unitId: q.unitCode }
      : {};
  const { rows, total } = await repo.listPlans(
    deps.db.kysely,
    ctx.actor,
    { year: q.year, ...unit },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  return { items: await toPlans(deps, rows), total };
}

export async function createPlan(
  deps: DrillsDeps,
  ctx: RequestCtx,
  input: DrillPlanInput,
  opts: { demo?: boolean } = {},
): Promise<DrillPlan> {
  requirePermission(ctx.actor, 'drills.manage');
  checkInput(DrillPlanInput, input);
  const s = await resolveSubject(deps, ctx, input.unit, 'unit');
  if (await repo.findPlanFor(deps.db.kysely, s.kind, s.id, input.year))
    throw new AppError('DRILL_PLAN_EXISTS', { field: 'year', value: input.year });
  const id = deps.ids.next();
  const now = deps.clock.now();
  const items = storedItems(deps, input.items);
  const row = { district_code: s.district, owner_unit: s.unit };
  await deps.db.transaction(async (trx) => {
    await repo.insertPlan(trx, {
      id,
      year: input.year,
      unit_kind: s.kind,
      unit_id: s.id,
      unit_name: s.name,
      title: input.title?.trim() || `${input.year}年度应急演练计划`,
      items: JSON.stringify(items),
      ...row,
      demo: opts.demo ?? false,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, ctx, now, {
      action: 'drill_plan.created',
      entity: 'drill_plan',
      entityId: id,
      after: input,
    });
    await emitEvent(trx, now, {
      type: 'drill_plan.created',
      entity: 'drill_plan',
      entityId: id,
      payload: { id, year: input.year },
      visibility: drillVisibility(row),
    });
  });
  deps.afterCommit();
  return getPlan(deps, ctx, id);
}

export async function updatePlan(
  deps: DrillsDeps,
  ctx: RequestCtx,
  id: string,
  patch: DrillPlanPatch,
): Promise<DrillPlan> {
  requirePermission(ctx.actor, 'drills.manage');
  checkInput(DrillPlanPatch, patch);
  const had = await readPlan(deps, ctx, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const ok = await repo.updatePlan(
      trx,
      id,
      patch.version,
      {
        title: patch.title?.trim() || undefined,
        items: patch.items ? JSON.stringify(storedItems(deps, patch.items)) : undefined,
      },
      now,
    );
    if (!ok) throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'drill_plan.updated',
      entity: 'drill_plan',
      entityId: id,
      before: { title: had.title, items: had.items },
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'drill_plan.updated',
      entity: 'drill_plan',
      entityId: id,
      payload: { id, year: had.year },
      visibility: drillVisibility(had),
    });
  });
  deps.afterCommit();
  return getPlan(deps, ctx, id);
}
