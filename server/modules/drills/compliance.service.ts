/**
 * Drill compliance: the subjects (active enterprises of the safety register; approved government special and
 * department plans of the command register), the drills recorded, and the rules in force (setting
 * `drills.compliance`, version-checked and audited; defaults in contracts/drills.ts) → `compliance.ts` judges. Scope:
 * an enterprise user sees its own enterprise, district staff their district's subjects.
 */
import {
  type ComplianceItem,
  ComplianceQuery,
  type ComplianceReply,
  type ComplianceSettings,
  type ComplianceSettingsPut,
  ComplianceSettingsPut as ComplianceSettingsPutSchema,
  type ComplianceSettingsReply,
  ComplianceSettings as ComplianceSettingsSchema,
  DEFAULT_COMPLIANCE,
} from '../../../contracts/drills.ts';
import { AppError } from '../../errors.ts';
import { inScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import { cityDate } from '../../platform/time.ts';
import { type ComplianceSubject, judge } from './compliance.ts';
import * as repo from './drills.repository.ts';
import { type DrillsDeps, today, unitDistrict } from './drills.service.ts';

export const COMPLIANCE_SETTING = 'drills.compliance';

/** the stored rules, each completed from the defaults (a rule added later appears with its default) */
export async function readSettings(deps: DrillsDeps): Promise<ComplianceSettingsReply> {
  const row = await getSetting(deps.db.kysely, COMPLIANCE_SETTING);
  const v = (row?.value ?? null) as Partial<ComplianceSettings> | null;
  const rules = DEFAULT_COMPLIANCE.rules.map((d) => ({ ...d, ...(v?.rules?.find((r) => r.key === d.key) ?? {}) }));
  return { rules, dueSoonDays: v?.dueSoonDays ?? DEFAULT_COMPLIANCE.dueSoonDays, version: row?.version ?? 0 };
}

export async function getSettings(deps: DrillsDeps, ctx: RequestCtx): Promise<ComplianceSettingsReply> {
  requirePermission(ctx.actor, 'drills.read');
  return readSettings(deps);
}

export async function putSettings(
  deps: DrillsDeps,
  ctx: RequestCtx,
  body: ComplianceSettingsPut,
): Promise<ComplianceSettingsReply> {
  requirePermission(ctx.actor, 'drills.settings');
  checkInput(ComplianceSettingsPutSchema, body);
  const { version, ...value } = body;
  checkInput(ComplianceSettingsSchema, value);
  const seen = new Set<string>();
  value.rules.forEach((r, i) => {
    if (seen.has(r.key)) throw new AppError('DUPLICATE_RULE', { field: `rules.${i}.key`, value: r.key });
    seen.add(r.key);
  });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const row = await getSetting(trx, COMPLIANCE_SETTING, { forUpdate: true });
    const current = row?.version ?? 0;
    if (current !== version) throw new AppError('VERSION_CONFLICT', { field: 'version', current });
    await putSetting(trx, COMPLIANCE_SETTING, value, now);
    await recordAudit(trx, ctx, now, {
      action: 'setting.updated',
      entity: 'setting',
      entityId: COMPLIANCE_SETTING,
      before: row?.value ?? DEFAULT_COMPLIANCE,
      after: value,
    });
  });
  return readSettings(deps);
}

/** every subject with the unit and district it belongs to (for scope) */
async function subjects(deps: DrillsDeps): Promise<ComplianceSubject[]> {
  const out: ComplianceSubject[] = [];
  for (const e of await deps.enterprises.list()) {
    if (!e.active) continue;
    out.push({
      kind: 'enterprise',
      ref: { kind: 'enterprise', id: e.id, name: e.name, district: e.districtCode },
      unit: e.unitCode,
      highRisk: e.highRisk,
      crowdedVenue: e.crowdedVenue,
      since: e.since,
    });
  }
  for (const p of await deps.command().listPlansForCompliance()) {
    const district =
      p.scope.length === 1 ? (p.scope[0] as string) : p.ownerUnit ? unitDistrict(deps, p.ownerUnit) : null;
    out.push({
      kind: 'plan',
      ref: { kind: 'plan', id: p.id, name: p.name, district },
      unit: p.ownerUnit,
      since: p.approvedOn ?? cityDate(new Date(p.createdAt)),
    });
  }
  return out;
}

export async function compliance(deps: DrillsDeps, ctx: RequestCtx, q: ComplianceQuery): Promise<ComplianceReply> {
  requirePermission(ctx.actor, 'drills.read');
  checkInput(ComplianceQuery, q);
  const all = await complianceItems(deps, ctx, q.asOf);
  const asOf = q.asOf ?? today(deps);
  const base = all.filter((i) => (!q.rule || i.rule.key === q.rule) && (!q.kind || i.subject.kind === q.kind));
  const inDistrict = base.filter((i) => !q.district || i.subject.district === q.district);
  const counts = { ok: 0, due_soon: 0, overdue: 0 };
  for (const i of inDistrict) counts[i.status]++;
  const byDistrict = new Map<string | null, { ok: number; due_soon: number; overdue: number }>();
  for (const i of base) {
    const c = byDistrict.get(i.subject.district) ?? { ok: 0, due_soon: 0, overdue: 0 };
    c[i.status]++;
    byDistrict.set(i.subject.district, c);
  }
  const items = inDistrict.filter((i) => !q.status || i.status === q.status);
  const offset = q.offset ?? 0;
  return {
    asOf,
    items: items.slice(offset, offset + (q.limit ?? 100)),
    total: items.length,
    counts,
    byDistrict: [...byDistrict.entries()]
      .map(([district, c]) => ({ district, ...c }))
      .sort((a, b) => (a.district ?? '~').localeCompare(b.district ?? '~')),
  };
}

/** every item the caller may see, judged on `asOf` (today when left out) */
export async function complianceItems(deps: DrillsDeps, ctx: RequestCtx, asOf?: string): Promise<ComplianceItem[]> {
  const settings = await readSettings(deps);
  const subs = (await subjects(deps)).filter((s) =>
    inScope(ctx.actor, { district: s.ref.district, unit: s.unit ?? null }),
  );
  const facts = (await repo.drillFacts(deps.db.kysely)).map((d) => ({
    id: d.id,
    date: d.drill_date,
    subjectKind: d.subject_kind,
    subjectId: d.subject_id,
    planKind: d.plan_kind,
    planId: d.plan_id,
    planType: d.plan_type,
  }));
  return judge(subs, facts, settings, asOf ?? today(deps));
}
