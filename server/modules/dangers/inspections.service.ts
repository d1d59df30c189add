/**
 * Inspections (执法检查): an inspection of an enterprise by department or district staff records its findings; each
 * finding becomes a hidden danger (source `inspection`, linked back) in the inspection's own transaction, so either
 * the inspection and all its dangers are written or none.
 */
import { type DangerInput, type Inspection, InspectionInput, InspectionListQuery } from '../../../contracts/dangers.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { nextDailyNumber } from '../../platform/numbering.ts';
import { cityDate } from '../../platform/time.ts';
import * as repo from './dangers.repository.ts';
import { type DangersDeps, insertDangerInTx, type PreparedDanger, prepareDanger } from './dangers.service.ts';

export const INSPECTION_ENTITY = { zh: '执法检查', en: 'inspection' };

interface StoredFinding {
  description: string;
  category: string;
  grade: string;
  location: string;
  legalBasis: string;
  dangerId: string;
  dangerNumber: string;
}

function toInspection(r: repo.InspectionRow): Inspection {
  return {
    id: r.id,
    number: r.number,
    enterprise: { id: r.enterprise_id, name: r.enterprise_name },
    district: r.district_code,
    date: r.date,
    inspectors: (r.inspectors ?? []) as Inspection['inspectors'],
    kind: r.kind as Inspection['kind'],
    basis: r.basis,
    conclusion: r.conclusion,
    findings: (r.findings ?? []) as Inspection['findings'],
    demo: r.demo,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

export async function getInspection(deps: DangersDeps, ctx: RequestCtx, id: string): Promise<Inspection> {
  requirePermission(ctx.actor, 'dangers.read');
  const r = await repo.findInspection(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: INSPECTION_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.owner_unit }, 'id');
  return toInspection(r);
}

export async function listInspections(
  deps: DangersDeps,
  ctx: RequestCtx,
  q: InspectionListQuery,
): Promise<{ items: Inspection[]; total: number }> {
  requirePermission(ctx.actor, 'dangers.read');
  checkInput(InspectionListQuery, q);
  const { rows, total } = await repo.listInspections(
    deps.db.kysely,
    ctx.actor,
    { ...q, q: q.q?.trim() || undefined },
    { limit: q.limit ?? 50, offset: q.offset ?? 0 },
  );
  return { items: rows.map(toInspection), total };
}

export async function createInspection(
  deps: DangersDeps,
  ctx: RequestCtx,
  input: InspectionInput,
  opts: { demo?: boolean } = {},
): Promise<Inspection> {
  requirePermission(ctx.actor, 'inspections.manage');
  checkInput(InspectionInput, input);
  const inspectors: { id: string | null; name: string }[] = [];
  for (const [i, id] of (input.inspectorIds ?? []).entries()) {
    const name = await deps.userName(id);
    if (name === undefined) throw new AppError('VALIDATION', { field: `inspectorIds.${i}`, reason: `no user ${id}` });
    inspectors.push({ id, name });
  }
  for (const n of input.inspectorNames ?? []) if (n.trim()) inspectors.push({ id: null, name: n.trim() });
  if (!inspectors.length)
    throw new AppError('VALIDATION', {
      field: 'inspectorIds',
      reason: { zh: '须至少有一名检查人员', en: 'at least one inspector' },
    });
  const now = deps.clock.now();
  if (input.date > cityDate(now))
    throw new AppError('VALIDATION', { field: 'date', reason: { zh: '不能晚于今天', en: 'not after today' } });
  // every finding checked as a danger report before anything is written (the enterprise in the caller's scope)
  const prepared: PreparedDanger[] = [];
  for (const [i, f] of input.findings.entries()) {
    const d: DangerInput = {
      title: f.description.trim().slice(0, 200),
      description: [f.description.trim(), f.legalBasis ? `依据 / Basis: ${f.legalBasis.trim()}` : '']
        .filter(Boolean)
        .join('\n'),
      category: f.category,
      grade: f.grade,
      source: 'inspection',
      enterpriseId: input.enterpriseId,
      address: f.location?.trim(),
      foundAt: new Date(`${input.date}T09:00:00+08:00`) > now ? now.toISOString() : `${input.date}T09:00:00+08:00`,
      reporterName: inspectors
        .map((x) => x.name)
        .join('、')
        .slice(0, 100),
    };
    try {
      prepared.push(await prepareDanger(deps, ctx, d, { permission: 'inspections.manage' }));
    } catch (err) {
      if (err instanceof AppError && err.field === 'enterpriseId') throw err;
      if (err instanceof AppError)
        throw new AppError(err.code, { ...err.details, field: `findings.${i}.${err.field ?? ''}` });
      throw err;
    }
  }
  // the enterprise itself (also when there are no findings)
  const ent =
    prepared[0]?.enterprise ??
    (
      await prepareDanger(
        deps,
        ctx,
        {
          title: '-',
          category: 'other',
          grade: 'general',
          source: 'inspection',
          enterpriseId: input.enterpriseId,
        },
        { permission: 'inspections.manage' },
      )
    ).enterprise;
  if (!ent) throw new AppError('DANGER_UNKNOWN_ENTERPRISE', { field: 'enterpriseId', value: input.enterpriseId });
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    const number = await nextDailyNumber(trx, 'JC', new Date(`${input.date}T12:00:00+08:00`));
    await repo.insertInspection(trx, {
      id,
      number,
      enterprise_id: ent.id,
      enterprise_name: ent.name,
      district_code: ent.districtCode,
      owner_unit: ent.unitCode,
      date: input.date,
      inspectors: JSON.stringify(inspectors),
      kind: input.kind,
      basis: input.basis?.trim() ?? '',
      conclusion: input.conclusion?.trim() ?? '',
      findings: '[]',
      demo: opts.demo ?? false,
      created_by: ctx.actor.id,
      created_at: now,
      updated_at: now,
    });
    const findings: StoredFinding[] = [];
    for (const [i, p] of prepared.entries()) {
      const f = input.findings[i] as InspectionInput['findings'][number];
      const d = await insertDangerInTx(deps, trx, ctx, p, now, { inspectionId: id, demo: opts.demo });
      findings.push({
        description: f.description.trim(),
        category: f.category,
        grade: f.grade,
        location: f.location?.trim() ?? '',
        legalBasis: f.legalBasis?.trim() ?? '',
        dangerId: d.id,
        dangerNumber: d.number,
      });
    }
    await repo.setInspectionFindings(trx, id, findings);
    await recordAudit(trx, ctx, now, {
      action: 'inspection.created',
      entity: 'inspection',
      entityId: id,
      after: { number, ...input },
    });
    await emitEvent(trx, now, {
      type: 'inspection.created',
      entity: 'inspection',
      entityId: id,
      payload: { id, number, findings: findings.length },
      visibility: { permission: 'dangers.read', district: ent.districtCode, unit: ent.unitCode },
    });
  });
  deps.afterCommit();
  return getInspection(deps, ctx, id);
}
