/**
 * The risk grading rule in force (setting `safety.riskGrading`): thresholds of LEC and LS to four colours. Scores are
 * stored, colours computed on read from this setting, so a change re-colours every risk point at once. Changed with
 * its version (409 on a stale one), validated monotonic (red above orange above yellow), audited.
 */
import {
  DEFAULT_RISK_GRADING,
  RiskGrading,
  RiskGradingPut,
  type RiskGradingSetting,
} from '../../../contracts/safety.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import type { SafetyDeps } from './safety.deps.ts';

export const GRADING_KEY = 'safety.riskGrading';

/** The rule in force (the default until changed). */
export async function grading(db: Tx): Promise<RiskGrading> {
  const row = await getSetting(db, GRADING_KEY);
  if (!row) return DEFAULT_RISK_GRADING;
  const v = typeof row.value === 'string' ? JSON.parse(row.value) : row.value;
  return v as RiskGrading;
}

export async function getGrading(deps: SafetyDeps, ctx: RequestCtx): Promise<RiskGradingSetting> {
  requirePermission(ctx.actor, 'enterprises.read');
  const row = await getSetting(deps.db.kysely, GRADING_KEY);
  if (!row) return { value: DEFAULT_RISK_GRADING, version: 0, changed: false, updatedAt: null };
  const v = (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as RiskGrading;
  return { value: v, version: Number(row.version), changed: true, updatedAt: new Date(row.updated_at).toISOString() };
}

function monotonic(g: RiskGrading): void {
  for (const m of ['lec', 'ls'] as const) {
    const t = g[m];
    if (!(t.red > t.orange))
      throw new AppError('VALIDATION', {
        field: `value.${m}.red`,
        reason: { zh: '红色阈值须高于橙色阈值', en: 'the red threshold must be above the orange one' },
      });
    if (!(t.orange > t.yellow))
      throw new AppError('VALIDATION', {
        field: `value.${m}.orange`,
        reason: { zh: '橙色阈值须高于黄色阈值', en: 'the orange threshold must be above the yellow one' },
      });
  }
}

/** Changes the rule: version-checked (the default is version 0), monotonic, audited, one event. */
export async function putGrading(deps: SafetyDeps, ctx: RequestCtx, body: RiskGradingPut): Promise<RiskGradingSetting> {
  requirePermission(ctx.actor, 'safety.settings');
  checkInput(RiskGradingPut, body);
  checkInput(RiskGrading, body.value);
  monotonic(body.value);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const had = await getSetting(trx, GRADING_KEY, { forUpdate: true });
    const current = had ? Number(had.version) : 0;
    if (current !== body.version) throw new AppError('VERSION_CONFLICT', { field: 'version', current });
    const before = had ? (typeof had.value === 'string' ? JSON.parse(had.value) : had.value) : DEFAULT_RISK_GRADING;
    await putSetting(trx, GRADING_KEY, body.value, now);
    await recordAudit(trx, ctx, now, {
      action: 'setting.changed',
      entity: 'setting',
      entityId: GRADING_KEY,
      before,
      after: body.value,
    });
    await emitEvent(trx, now, {
      type: 'safety.grading_changed',
      entity: 'setting',
      entityId: GRADING_KEY,
      payload: {},
      visibility: { permission: 'enterprises.read' },
    });
  });
  deps.afterCommit();
  return getGrading(deps, ctx);
}
