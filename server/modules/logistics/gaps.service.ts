/**
 * The gap analysis by district, tier and item, and the annual procurement proposal (quantities, where each goes,
 * estimated cost), from the norms in force and part A's holdings. The rules are in gaps.ts. Both are read by anyone
 * with supplies.read; the stock they count is the whole city's (a district sees the city tier too: it draws on it),
 * filtered by the query, not by scope. Excel: `?format=xlsx`.
 */
import { GapQuery, type GapReport, type ProcurementProposal, ProcurementQuery } from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { cityDate } from '../../platform/time.ts';
import { computeGaps, GAP_RULE, type GapCalc, type ItemNames, procurementOf } from './gaps.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { getNorms } from './norms.service.ts';
import { holdings, itemInfo } from './stock.service.ts';

/** the city's unit code (the city tier's area) */
function cityCode(deps: LogisticsDeps): string {
  for (const u of deps.units().values()) if (u.kind === 'city') return u.code;
  return '371000';
}

async function computeAll(deps: LogisticsDeps, ctx: RequestCtx, at: Date): Promise<GapCalc[]> {
  const [norms, held] = await Promise.all([getNorms(deps), holdings(deps, at)]);
  const codes = new Set([...norms.reserve.map((r) => r.itemCode), ...held.map((h) => h.itemCode)]);
  const info = await itemInfo(deps, [...codes]);
  const names = (code: string): ItemNames => {
    const i = info.get(code);
    return {
      name: (ctx.lang === 'en' ? i?.nameEn : null) || i?.name || code,
      unit: i?.unit ?? '件',
      unitPriceYuan: i?.unitPriceYuan ?? null,
    };
  };
  const units = deps.units();
  return computeGaps(norms, held, names, {
    cityCode: cityCode(deps),
    name: (code) => (code ? deps.districtName(code, ctx.lang) : ctx.lang === 'en' ? 'no district' : '未定区市'),
    kind: (code) => units.get(code)?.kind,
  });
}

export async function gapReport(deps: LogisticsDeps, ctx: RequestCtx, q: GapQuery): Promise<GapReport> {
  requirePermission(ctx.actor, 'supplies.read');
  checkInput(GapQuery, q);
  const at = deps.clock.now();
  const items = (await computeAll(deps, ctx, at))
    .filter(
      (l) =>
        (!q.district || l.districtCode === q.district) &&
        (!q.tier || l.tier === q.tier) &&
        (!q.itemCode || l.itemCode === q.itemCode) &&
        (!q.short || l.gap > 0),
    )
    .map(({ expiring: _e, ...l }) => l);
  return { at: at.toISOString(), items, total: items.length, rule: GAP_RULE };
}

/** the instant stock is counted for year `year`: now in the current year, the year's first Beijing midnight later */
export function yearStart(year: number, now: Date): Date {
  const current = Number(cityDate(now).slice(0, 4));
  if (year < current)
    throw new AppError('VALIDATION', {
      field: 'year',
      reason: { zh: `不能早于今年（${current}）`, en: `must not be before this year (${current})` },
    });
  // China keeps no daylight saving time: a Beijing midnight is +08:00 all year
  return year === current ? now : new Date(`${year}-01-01T00:00:00+08:00`);
}

export async function procurementProposal(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: ProcurementQuery,
): Promise<ProcurementProposal> {
  requirePermission(ctx.actor, 'supplies.read');
  checkInput(ProcurementQuery, q);
  const now = deps.clock.now();
  const year = q.year ?? Number(cityDate(now).slice(0, 4));
  const at = yearStart(year, now);
  const lines = await computeAll(deps, ctx, at);
  const codes = new Set(lines.map((l) => l.itemCode));
  const info = await itemInfo(deps, [...codes]);
  const items = procurementOf(lines, (code) => {
    const l = lines.find((x) => x.itemCode === code)!;
    return { name: l.itemName, unit: l.unit, unitPriceYuan: info.get(code)?.unitPriceYuan ?? null };
  });
  return {
    year,
    at: at.toISOString(),
    items,
    total: items.length,
    costYuan: Math.round(items.reduce((s, p) => s + (p.costYuan ?? 0), 0) * 100) / 100,
    unpriced: items.filter((p) => p.costYuan === null).map((p) => p.itemCode),
  };
}
