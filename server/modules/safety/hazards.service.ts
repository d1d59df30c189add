/**
 * GB 18218-2018 major hazards (重大危险源): the calculator (`identify`, contracts/gb18218.ts, shared with the web) and
 * each enterprise's hazard units (production or storage) with their inventories at design maximum quantities
 * (4.2.2). A unit's identification (S; R, α, grade when a major hazard) is computed and stored on every save, so the
 * register of major hazards filters by grade in SQL and an enterprise shows "重大危险源 N 个，最高 一级".
 */
import { Gb18218Problem, type Identification, identify } from '../../../contracts/gb18218.ts';
import {
  type HazardIdentification,
  HazardIdentificationRequest,
  type HazardUnit,
  HazardUnitInput,
  HazardUnitPatch,
  MajorHazardQuery,
  type Substance,
} from '../../../contracts/safety.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { enterpriseVisibility, readEnterprise } from './enterprises.service.ts';
import * as repo from './hazards.repository.ts';
import type { SafetyDeps } from './safety.deps.ts';

const UNIT_ENTITY = { zh: '危险化学品单元', en: 'hazard unit' };

/** The identification, or 400 naming the substance's field (`substances.N.…`, or `prefix.N.…`). */
export function identification(subs: readonly Substance[], people: number, prefix = 'substances'): Identification {
  try {
    return identify(subs, people);
  } catch (e) {
    if (e instanceof Gb18218Problem)
      throw new AppError('VALIDATION', { field: e.field.replace(/^substances/, prefix), reason: e.reason });
    throw e;
  }
}

export function identifyRequest(ctx: RequestCtx, body: HazardIdentificationRequest): HazardIdentification {
  requirePermission(ctx.actor, 'enterprises.read');
  checkInput(HazardIdentificationRequest, body);
  return identification(body.substances, body.exposedPopulation);
}

function cleanSubstances(list: readonly Substance[]): Substance[] {
  return list.map((s) => ({
    ...(s.cas?.trim() ? { cas: s.cas.trim() } : {}),
    ...(s.name?.trim() ? { name: s.name.trim() } : {}),
    ...(s.category?.trim() ? { category: s.category.trim() } : {}),
    quantityT: s.quantityT,
  }));
}

function toUnit(deps: SafetyDeps, r: repo.HazardUnitRow, lang: 'zh' | 'en'): HazardUnit {
  return {
    id: r.id,
    enterprise: { id: r.enterprise_id, name: r.enterprise_name },
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code, lang) } : null,
    name: r.name,
    kind: r.kind as HazardUnit['kind'],
    inventories: r.inventories as Substance[],
    exposedPopulation: r.exposed_population,
    identification: {
      S: r.s,
      isMajorHazard: r.is_major,
      R: r.r,
      alpha: r.alpha,
      grade: r.grade as HazardIdentification['grade'],
      lines: r.working as HazardIdentification['lines'],
    },
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function unitWrite(input: HazardUnitInput): repo.HazardUnitWrite {
  const inventories = cleanSubstances(input.inventories);
  const id = identification(inventories, input.exposedPopulation, 'inventories');
  return {
    name: input.name.trim(),
    kind: input.kind,
    inventories,
    exposed_population: input.exposedPopulation,
    s: id.S,
    is_major: id.isMajorHazard,
    r: id.R,
    alpha: id.alpha,
    grade: id.grade,
    working: id.lines,
    notes: input.notes?.trim() || null,
  };
}

export async function listHazardUnits(deps: SafetyDeps, ctx: RequestCtx, enterpriseId: string): Promise<HazardUnit[]> {
  await readEnterprise(deps, ctx, enterpriseId);
  return (await repo.hazardUnitsOf(deps.db.kysely, enterpriseId)).map((r) => toUnit(deps, r, ctx.lang));
}

async function readUnit(deps: SafetyDeps, ctx: RequestCtx, enterpriseId: string, id: string) {
  const r = await repo.findHazardUnit(deps.db.kysely, id);
  if (!r || r.enterprise_id !== enterpriseId) throw new AppError('NOT_FOUND', { field: 'unitId', entity: UNIT_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.unit_code }, 'unitId');
  return r;
}

export async function createHazardUnit(
  deps: SafetyDeps,
  ctx: RequestCtx,
  enterpriseId: string,
  input: HazardUnitInput,
  opts: { demo?: boolean } = {},
): Promise<HazardUnit> {
  requirePermission(ctx.actor, 'enterprises.manage');
  checkInput(HazardUnitInput, input);
  const e = await readEnterprise(deps, ctx, enterpriseId);
  const w = unitWrite(input);
  const id = deps.ids.next();
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.insertHazardUnit(trx, id, enterpriseId, w, ctx.actor.id, now, opts.demo ?? false);
    await recordAudit(trx, ctx, now, {
      action: 'hazard_unit.created',
      entity: 'hazard_unit',
      entityId: id,
      after: { enterpriseId, ...input, S: w.s, R: w.r, grade: w.grade },
    });
    await emitEvent(trx, now, {
      type: 'hazard_unit.created',
      entity: 'hazard_unit',
      entityId: id,
      payload: { id, enterpriseId },
      visibility: enterpriseVisibility(e),
    });
  });
  deps.afterCommit();
  return toUnit(deps, (await repo.findHazardUnit(deps.db.kysely, id)) as repo.HazardUnitRow, ctx.lang);
}

export async function updateHazardUnit(
  deps: SafetyDeps,
  ctx: RequestCtx,
  enterpriseId: string,
  id: string,
  patch: HazardUnitPatch,
): Promise<HazardUnit> {
  requirePermission(ctx.actor, 'enterprises.manage');
  checkInput(HazardUnitPatch, patch);
  const had = await readUnit(deps, ctx, enterpriseId, id);
  const { version, ...rest } = patch;
  const merged: HazardUnitInput = {
    name: had.name,
    kind: had.kind as HazardUnitInput['kind'],
    inventories: had.inventories as Substance[],
    exposedPopulation: had.exposed_population,
    ...(had.notes ? { notes: had.notes } : {}),
    ...rest,
  };
  const w = unitWrite(merged);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateHazardUnit(trx, id, w, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'hazard_unit.updated',
      entity: 'hazard_unit',
      entityId: id,
      before: had,
      after: { ...patch, S: w.s, R: w.r, grade: w.grade },
    });
    await emitEvent(trx, now, {
      type: 'hazard_unit.updated',
      entity: 'hazard_unit',
      entityId: id,
      payload: { id, enterpriseId },
      visibility: enterpriseVisibility(had),
    });
  });
  deps.afterCommit();
  return toUnit(deps, (await repo.findHazardUnit(deps.db.kysely, id)) as repo.HazardUnitRow, ctx.lang);
}

export async function removeHazardUnit(
  deps: SafetyDeps,
  ctx: RequestCtx,
  enterpriseId: string,
  id: string,
  version: number,
): Promise<{ id: string }> {
  requirePermission(ctx.actor, 'enterprises.manage');
  const had = await readUnit(deps, ctx, enterpriseId, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.deleteHazardUnit(trx, id, version)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'hazard_unit.deleted',
      entity: 'hazard_unit',
      entityId: id,
      before: had,
    });
    await emitEvent(trx, now, {
      type: 'hazard_unit.deleted',
      entity: 'hazard_unit',
      entityId: id,
      payload: { id, enterpriseId },
      visibility: enterpriseVisibility(had),
    });
  });
  deps.afterCommit();
  return { id };
}

/** The register of major hazards across the enterprises the actor may see (by grade, then R). */
export async function listMajorHazards(
  deps: SafetyDeps,
  ctx: RequestCtx,
  q: MajorHazardQuery,
): Promise<{ items: HazardUnit[]; total: number }> {
  requirePermission(ctx.actor, 'enterprises.read');
  checkInput(MajorHazardQuery, q);
  const { rows, total } = await repo.listMajorHazards(
    deps.db.kysely,
    ctx.actor,
    {
      ...(q.grade ? { grade: q.grade } : {}),
      ...(q.district ? { district: q.district } : {}),
      ...(q.q?.trim() ? { q: q.q.trim() } : {}),
    },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  return { items: rows.map((r) => toUnit(deps, r, ctx.lang)), total };
}
