/**
 * Risk points (风险点) of the dual prevention mechanism: graded by LEC (D = L×E×C, only the values of the method's
 * tables, standards-facts §5) or LS (R = L×S, each 1–5). The score is stored; the colour is computed on every read
 * from the grading rule in force (`safety.riskGrading`), so a change of thresholds re-colours every point at once.
 * Responsible people's phones are masked without `personal.read`; a review past its date is flagged overdue.
 */
import {
  type INDUSTRIES,
  LEC_VALUES,
  RISK_COLOURS,
  type RiskCounts,
  type RiskGrading,
  type RiskMethod,
  type RiskPoint,
  RiskPointInput,
  RiskPointPatch,
  RiskPointQuery,
  riskColourOf,
  riskScore,
} from '../../../contracts/safety.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { maskPhone } from '../../platform/auth/mask.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { can, type RequestCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { enterpriseVisibility, readEnterprise, today } from './enterprises.service.ts';
import { grading } from './grading.service.ts';
import * as repo from './hazards.repository.ts';
import type { SafetyDeps } from './safety.deps.ts';

const POINT_ENTITY = { zh: '风险点', en: 'risk point' };

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function toPoint(deps: SafetyDeps, ctx: RequestCtx, r: repo.RiskPointRow, g: RiskGrading): RiskPoint {
  const show = can(ctx.actor, 'personal.read');
  return {
    id: r.id,
    enterprise: { id: r.enterprise_id, name: r.enterprise_name, industry: r.industry as (typeof INDUSTRIES)[number] },
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code, ctx.lang) } : null,
    name: r.name,
    area: r.area,
    hazard: r.hazard,
    accidentTypes: r.accident_types,
    method: r.method as RiskMethod,
    l: r.l,
    e: r.e,
    c: r.c,
    s: r.s,
    score: r.score,
    colour: riskColourOf(r.method as RiskMethod, r.score, g),
    controlMeasures: r.control_measures,
    responsible: r.responsible.map((p) => (p.phone && !show ? { ...p, phone: maskPhone(p.phone) } : p)),
    reviewIntervalDays: r.review_interval_days,
    nextReview: r.next_review,
    reviewOverdue: r.active && r.next_review !== null && r.next_review < today(deps),
    active: r.active,
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The personal fields masked (audit rows and events for viewers without personal.read). */
export function redactRiskPoint(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const v = { ...(value as Record<string, unknown>) };
  if (Array.isArray(v.responsible))
    v.responsible = (v.responsible as { phone?: unknown }[]).map((p) =>
      p && typeof p.phone === 'string' ? { ...p, phone: maskPhone(p.phone) } : p,
    );
  return v;
}

function allowed(field: string, v: number | null | undefined, list: readonly { v: number }[], words: string) {
  if (v === null || v === undefined || !list.some((x) => x.v === v))
    throw new AppError('VALIDATION', {
      field,
      reason: {
        zh: `${words}只能取 ${list.map((x) => x.v).join('、')}`,
        en: `${words} must be one of ${list.map((x) => x.v).join(', ')}`,
      },
    });
}

function oneToFive(field: string, v: number | null | undefined) {
  if (v === null || v === undefined || !Number.isInteger(v) || v < 1 || v > 5)
    throw new AppError('VALIDATION', { field, reason: { zh: '应为 1–5 的整数', en: 'must be a whole number 1–5' } });
}

function pointWrite(deps: SafetyDeps, input: RiskPointInput): repo.RiskPointWrite {
  let e: number | null = null;
  let c: number | null = null;
  let s: number | null = null;
  if (input.method === 'LEC') {
    allowed('l', input.l, LEC_VALUES.L, 'L（事故发生可能性）');
    allowed('e', input.e, LEC_VALUES.E, 'E（暴露频繁程度）');
    allowed('c', input.c, LEC_VALUES.C, 'C（后果）');
    e = input.e as number;
    c = input.c as number;
  } else {
    oneToFive('l', input.l);
    oneToFive('s', input.s);
    s = input.s as number;
  }
  const interval = input.reviewIntervalDays ?? null;
  const nextReview = input.nextReview ?? (interval ? addDays(today(deps), interval) : null);
  return {
    name: input.name.trim(),
    area: input.area?.trim() || null,
    hazard: input.hazard?.trim() ?? '',
    accident_types: (input.accidentTypes ?? []).map((x) => x.trim()).filter(Boolean),
    method: input.method,
    l: input.l,
    e,
    c,
    s,
    score: riskScore(input.method, input.l, e, c, s),
    control_measures: (input.controlMeasures ?? []).map((x) => x.trim()).filter(Boolean),
    responsible: (input.responsible ?? []).map((p) => ({
      name: p.name.trim(),
      ...(p.role?.trim() ? { role: p.role.trim() } : {}),
      ...(p.phone?.trim() ? { phone: p.phone.trim() } : {}),
    })),
    review_interval_days: interval,
    next_review: nextReview,
    active: input.active ?? true,
    notes: input.notes?.trim() || null,
  };
}

async function readPoint(deps: SafetyDeps, ctx: RequestCtx, enterpriseId: string, id: string) {
  requirePermission(ctx.actor, 'enterprises.read');
  const r = await repo.findRiskPoint(deps.db.kysely, id);
  if (!r || r.enterprise_id !== enterpriseId)
    throw new AppError('NOT_FOUND', { field: 'pointId', entity: POINT_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.unit_code }, 'pointId');
  return r;
}

async function one(deps: SafetyDeps, ctx: RequestCtx, id: string): Promise<RiskPoint> {
  const db = deps.db.kysely;
  return toPoint(deps, ctx, (await repo.findRiskPoint(db, id)) as repo.RiskPointRow, await grading(db));
}

export async function createRiskPoint(
  deps: SafetyDeps,
  ctx: RequestCtx,
  enterpriseId: string,
  input: RiskPointInput,
  opts: { demo?: boolean } = {},
): Promise<RiskPoint> {
  requirePermission(ctx.actor, 'enterprises.manage');
  checkInput(RiskPointInput, input);
  const e = await readEnterprise(deps, ctx, enterpriseId);
  const w = pointWrite(deps, input);
  const id = deps.ids.next();
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.insertRiskPoint(trx, id, enterpriseId, w, ctx.actor.id, now, opts.demo ?? false);
    await recordAudit(trx, ctx, now, {
      action: 'risk_point.created',
      entity: 'risk_point',
      entityId: id,
      after: { enterpriseId, ...input, score: w.score },
    });
    await emitEvent(trx, now, {
      type: 'risk_point.created',
      entity: 'risk_point',
      entityId: id,
      payload: { id, enterpriseId },
      visibility: enterpriseVisibility(e),
    });
  });
  deps.afterCommit();
  return one(deps, ctx, id);
}

export async function updateRiskPoint(
  deps: SafetyDeps,
  ctx: RequestCtx,
  enterpriseId: string,
  id: string,
  patch: RiskPointPatch,
): Promise<RiskPoint> {
  requirePermission(ctx.actor, 'enterprises.manage');
  checkInput(RiskPointPatch, patch);
  const had = await readPoint(deps, ctx, enterpriseId, id);
  const { version, ...rest } = patch;
  const merged: RiskPointInput = {
    name: had.name,
    ...(had.area ? { area: had.area } : {}),
    hazard: had.hazard,
    accidentTypes: had.accident_types,
    method: had.method as RiskMethod,
    l: had.l,
    e: had.e,
    c: had.c,
    s: had.s,
    controlMeasures: had.control_measures,
    responsible: had.responsible,
    reviewIntervalDays: had.review_interval_days,
    nextReview: had.next_review,
    active: had.active,
    ...(had.notes ? { notes: had.notes } : {}),
    ...rest,
  };
  // masked phones sent back unchanged keep the stored number
  if (rest.responsible)
    merged.responsible = rest.responsible.map((p) => {
      const same = had.responsible.find((h) => h.name === p.name && h.phone && maskPhone(h.phone) === p.phone);
      return same && p.phone?.includes('*') ? { ...p, phone: same.phone } : p;
    });
  const w = pointWrite(deps, merged);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateRiskPoint(trx, id, w, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'risk_point.updated',
      entity: 'risk_point',
      entityId: id,
      before: had,
      after: { ...patch, score: w.score },
    });
    await emitEvent(trx, now, {
      type: 'risk_point.updated',
      entity: 'risk_point',
      entityId: id,
      payload: { id, enterpriseId },
      visibility: enterpriseVisibility(had),
    });
  });
  deps.afterCommit();
  return one(deps, ctx, id);
}

export async function removeRiskPoint(
  deps: SafetyDeps,
  ctx: RequestCtx,
  enterpriseId: string,
  id: string,
  version: number,
): Promise<{ id: string }> {
  requirePermission(ctx.actor, 'enterprises.manage');
  const had = await readPoint(deps, ctx, enterpriseId, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.deleteRiskPoint(trx, id, version)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, { action: 'risk_point.deleted', entity: 'risk_point', entityId: id, before: had });
    await emitEvent(trx, now, {
      type: 'risk_point.deleted',
      entity: 'risk_point',
      entityId: id,
      payload: { id, enterpriseId },
      visibility: enterpriseVisibility(had),
    });
  });
  deps.afterCommit();
  return { id };
}

export async function listEnterpriseRiskPoints(
  deps: SafetyDeps,
  ctx: RequestCtx,
  enterpriseId: string,
): Promise<RiskPoint[]> {
  await readEnterprise(deps, ctx, enterpriseId);
  const db = deps.db.kysely;
  const g = await grading(db);
  const { rows } = await repo.listRiskPoints(db, ctx.actor, { enterpriseId }, { limit: 1000, offset: 0 });
  return rows.map((r) => toPoint(deps, ctx, r, g));
}

function filterOf(deps: SafetyDeps, q: RiskPointQuery, g: RiskGrading): repo.RiskPointFilter {
  return {
    ...(q.district ? { district: q.district } : {}),
    ...(q.industry ? { industry: q.industry } : {}),
    ...(q.colour ? { colour: repo.colourCondition(q.colour, g) } : {}),
    ...(q.overdue ? { overdueBefore: today(deps), active: true } : {}),
    ...(q.q?.trim() ? { q: q.q.trim() } : {}),
  };
}

/** Risk points across the enterprises the actor may see, highest first. */
export async function listRiskPoints(
  deps: SafetyDeps,
  ctx: RequestCtx,
  q: RiskPointQuery,
): Promise<{ items: RiskPoint[]; total: number }> {
  requirePermission(ctx.actor, 'enterprises.read');
  checkInput(RiskPointQuery, q);
  const db = deps.db.kysely;
  const g = await grading(db);
  const { rows, total } = await repo.listRiskPoints(db, ctx.actor, filterOf(deps, q, g), {
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  return { items: rows.map((r) => toPoint(deps, ctx, r, g)), total };
}

/** Four-colour counts of the active risk points the actor may see, in total and by district. */
export async function riskCounts(
  deps: SafetyDeps,
  ctx: RequestCtx,
  q: Pick<RiskPointQuery, 'district' | 'industry'>,
): Promise<RiskCounts> {
  requirePermission(ctx.actor, 'enterprises.read');
  const db = deps.db.kysely;
  const g = await grading(db);
  const rows = await repo.scores(db, ctx.actor, {
    ...(q.district ? { district: q.district } : {}),
    ...(q.industry ? { industry: q.industry } : {}),
  });
  const zero = () => ({ red: 0, orange: 0, yellow: 0, blue: 0 });
  const total = zero();
  const by = new Map<string | null, ReturnType<typeof zero>>();
  const day = today(deps);
  let overdue = 0;
  for (const r of rows) {
    const c = riskColourOf(r.method as RiskMethod, r.score, g);
    total[c]++;
    const d = by.get(r.district_code) ?? zero();
    d[c]++;
    by.set(r.district_code, d);
    if (r.next_review !== null && r.next_review < day) overdue++;
  }
  return {
    ...total,
    overdue,
    byDistrict: [...by.entries()]
      .map(([code, n]) => ({
        code,
        name: code ? deps.districtName(code, ctx.lang) : ctx.lang === 'en' ? 'No district' : '未定区市',
        ...n,
      }))
      .sort(
        (a, b) =>
          RISK_COLOURS.reduce((acc, c) => acc || b[c] - a[c], 0) || String(a.code).localeCompare(String(b.code)),
      ),
    rule: ctx.lang === 'en' ? g.ruleNameEn : g.ruleName,
  };
}
