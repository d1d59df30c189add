/**
 * The gap analysis and the procurement proposal as Excel workbooks: the same lines the JSON answer holds, with the
 * rule and the norms' status (assumptions) on the notes sheet; audited like the registers' exports.
 */
import {
  type GapLine,
  type GapReport,
  type ProcurementLine,
  type ProcurementProposal,
  WAREHOUSE_TIER_INFO,
} from '../../../contracts/logistics.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords } from '../../platform/excel/export-notes.ts';
import { cityDate } from '../../platform/time.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { getNorms } from './norms.service.ts';

async function* once<R>(rows: R[]): AsyncIterable<R[]> {
  yield rows;
}

async function assumptionsNote(deps: LogisticsDeps, zh: boolean): Promise<string> {
  const n = await getNorms(deps);
  const assumed = n.reserve.filter((r) => r.assumption).length;
  return zh
    ? `储备定额共 ${n.reserve.length} 条，其中 ${assumed} 条为假设（国家人均定额未核实）；人口为约数，见“储备定额”设置中的依据。`
    : `${n.reserve.length} reserve norms, ${assumed} of them assumptions (national per-person quantities not verified); populations are approximate, see their basis in the norms settings.`;
}

export async function gapsWorkbook(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  report: GapReport,
  filter: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ name: string; file: Buffer }> {
  const zh = ctx.lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const columns: Column<GapLine>[] = [
    { header: h('区市代码', 'District code'), width: 10, value: (l) => l.districtCode },
    { header: h('区市', 'District'), width: 18, value: (l) => l.districtName },
    { header: h('层级', 'Tier'), width: 8, value: (l) => WAREHOUSE_TIER_INFO[l.tier][ctx.lang] },
    { header: h('物资代码', 'Item code'), width: 12, value: (l) => l.itemCode },
    { header: h('物资名称', 'Item'), width: 20, value: (l) => l.itemName },
    { header: h('单位', 'Unit'), width: 6, value: (l) => l.unit },
    { header: h('应储', 'Required'), width: 10, value: (l) => l.required },
    { header: h('库存', 'Stock'), width: 10, value: (l) => l.stock },
    { header: h('协议承诺', 'Committed'), width: 10, value: (l) => l.committed },
    { header: h('缺口', 'Gap'), width: 10, value: (l) => l.gap },
    { header: h('保障率', 'Ratio'), width: 8, value: (l) => l.ratio, format: '0.0%' },
  ];
  const now = deps.clock.now();
  const note = exportNote(
    {
      title: { zh: '物资储备缺口分析', en: 'reserve gap analysis' },
      actor: ctx.actor.name,
      now,
      words: filtersInWords(
        [
          [h('区市', 'District'), typeof filter.district === 'string' ? filter.district : undefined],
          [h('层级', 'Tier'), typeof filter.tier === 'string' ? filter.tier : undefined],
          [h('物资', 'Item'), typeof filter.itemCode === 'string' ? filter.itemCode : undefined],
          [h('仅缺口', 'Short only'), filter.short ? h('是', 'yes') : undefined],
        ],
        ctx.lang,
      ),
      total: report.total,
      max: report.total,
      unit: '行',
    },
    ctx.lang,
    [report.rule[ctx.lang], await assumptionsNote(deps, zh)],
  );
  const offThread = { workers: deps.workers, owner: ctx.actor, signal };
  const file = await workbookOf(h('储备缺口', 'Gaps'), columns, once(report.items), note, offThread);
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'logistics.gaps_exported',
      entity: 'setting',
      after: { filters: filterQuery(filter), rows: report.total },
    }),
  );
  return { name: `reserve-gaps-${cityDate(now)}.xlsx`, file };
}

type ProcurementRow = ProcurementLine & { where: string };

export async function procurementWorkbook(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  p: ProcurementProposal,
  signal?: AbortSignal,
): Promise<{ name: string; file: Buffer }> {
  const zh = ctx.lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const columns: Column<ProcurementRow>[] = [
    { header: h('物资代码', 'Item code'), width: 12, value: (l) => l.itemCode },
    { header: h('物资名称', 'Item'), width: 20, value: (l) => l.itemName },
    { header: h('单位', 'Unit'), width: 6, value: (l) => l.unit },
    { header: h('采购数量', 'Quantity'), width: 10, value: (l) => l.quantity },
    { header: h('其中轮换', 'Of which rotation'), width: 10, value: (l) => l.rotation },
    { header: h('单价（元）', 'Unit price (yuan)'), width: 10, value: (l) => l.unitPriceYuan, format: '0.00' },
    { header: h('估算金额（元）', 'Estimated cost (yuan)'), width: 14, value: (l) => l.costYuan, format: '0.00' },
    { header: h('去向', 'Where it goes'), width: 50, value: (l) => l.where },
  ];
  const rows: ProcurementRow[] = p.items.map((l) => ({
    ...l,
    where: l.to
      .map(
        (t) =>
          `${t.districtCode ? deps.districtName(t.districtCode, ctx.lang) : h('未定区市', 'no district')}` +
          `${WAREHOUSE_TIER_INFO[t.tier][ctx.lang]} ${t.quantity}`,
      )
      .join(zh ? '；' : '; '),
  }));
  const now = deps.clock.now();
  const note = exportNote(
    {
      title: { zh: `${p.year} 年度应急物资采购建议`, en: `procurement proposal ${p.year}` },
      actor: ctx.actor.name,
      now,
      words: '',
      total: p.total,
      max: p.total,
      unit: '项',
    },
    ctx.lang,
    [
      h(
        `估算总金额 ${p.costYuan.toFixed(2)} 元${p.unpriced.length ? `（${p.unpriced.join('、')} 无单价，未计入）` : ''}。`,
        `Estimated total ${p.costYuan.toFixed(2)} yuan${p.unpriced.length ? ` (${p.unpriced.join(', ')} without a unit price, not counted)` : ''}.`,
      ),
      h(
        '数量 = 补齐定额缺口 + 年内到期批次的轮换；无定额的物资按现有数量轮换。',
        'Quantity = closing the gap to the norm + rotating batches expiring within the year; items without a norm are rotated like for like.',
      ),
      await assumptionsNote(deps, zh),
    ],
  );
  const offThread = { workers: deps.workers, owner: ctx.actor, signal };
  const file = await workbookOf(h('采购建议', 'Procurement'), columns, once(rows), note, offThread);
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'logistics.procurement_exported',
      entity: 'setting',
      after: { year: p.year, rows: p.total, costYuan: p.costYuan },
    }),
  );
  return { name: `procurement-${p.year}-${cityDate(now)}.xlsx`, file };
}
