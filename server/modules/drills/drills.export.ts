/**
 * Excel exports: the drill register (same filters as the list) and the compliance list (same filters as the page);
 * each audited, with its notes sheet (who, when, the filter in words).
 */
import {
  COMPLIANCE_STATUS_INFO,
  type ComplianceItem,
  type ComplianceQuery,
  DRILL_CONTENT_INFO,
  DRILL_FORM_INFO,
  type Drill,
  type DrillListQuery,
  ENTERPRISE_PLAN_KIND_INFO,
  EVALUATION_RATING_INFO,
} from '../../../contracts/drills.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords } from '../../platform/excel/export-notes.ts';
import { cityDate } from '../../platform/time.ts';
import { compliance } from './compliance.service.ts';
import { type DrillsDeps, listDrills } from './drills.service.ts';

export const DRILL_EXPORT_MAX = 20_000;
const PAGE = 500;

export function exportFileName(kind: 'drills' | 'drill-compliance', now: Date): string {
  return `${kind}-${cityDate(now)}.xlsx`;
}

function drillColumns(lang: Lang): Column<Drill>[] {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  return [
    { header: h('编号', 'Number'), width: 18, value: (d) => d.number },
    { header: h('演练名称', 'Title'), width: 30, value: (d) => d.title },
    { header: h('日期', 'Date'), width: 12, value: (d) => d.date },
    { header: h('演练对象', 'Subject'), width: 24, value: (d) => d.subject.name },
    { header: h('区市', 'District'), width: 10, value: (d) => d.subject.district ?? '' },
    { header: h('内容', 'Content'), width: 10, value: (d) => DRILL_CONTENT_INFO[d.content][lang] },
    { header: h('形式', 'Form'), width: 10, value: (d) => DRILL_FORM_INFO[d.form][lang] },
    {
      header: h('检验的预案', 'Plan tested'),
      width: 28,
      value: (d) =>
        d.planTested?.kind === 'command'
          ? d.planTested.planName
          : d.planTested?.kind === 'enterprise'
            ? ENTERPRISE_PLAN_KIND_INFO[d.planTested.planKind][lang]
            : '',
    },
    { header: h('参演人数', 'Participants'), width: 10, value: (d) => d.attendance.attended },
    { header: h('总时长（小时）', 'Hours'), width: 10, value: (d) => d.attendance.hours },
    {
      header: h('评估等级', 'Rating'),
      width: 8,
      value: (d) => (d.evaluation ? EVALUATION_RATING_INFO[d.evaluation.rating][lang] : ''),
    },
    { header: h('得分', 'Score'), width: 8, value: (d) => d.evaluation?.score ?? null },
    { header: h('发现问题', 'Problems'), width: 8, value: (d) => d.problems.length },
    { header: h('未完成整改', 'Open actions'), width: 10, value: (d) => d.openActions },
    { header: h('逾期整改', 'Overdue actions'), width: 10, value: (d) => d.overdueActions },
  ];
}

function complianceColumns(lang: Lang): Column<ComplianceItem>[] {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  return [
    { header: h('对象', 'Subject'), width: 30, value: (i) => i.subject.name },
    {
      header: h('类别', 'Kind'),
      width: 10,
      value: (i) => (i.subject.kind === 'enterprise' ? h('企业', 'Enterprise') : h('政府预案', 'Government plan')),
    },
    { header: h('区市', 'District'), width: 10, value: (i) => i.subject.district ?? '' },
    { header: h('规则', 'Rule'), width: 40, value: (i) => (zh ? i.rule.zh : i.rule.en) },
    { header: h('依据', 'Basis'), width: 36, value: (i) => i.rule.basis },
    {
      header: h('最近演练', 'Last drill'),
      width: 12,
      value: (i) => i.lastDrillAt ?? h(`无演练记录，自登记起算（${i.since}）`, `never drilled, from ${i.since}`),
    },
    { header: h('应演练日期', 'Due'), width: 12, value: (i) => i.dueAt },
    { header: h('剩余天数', 'Days left'), width: 10, value: (i) => i.daysLeft },
    { header: h('状态', 'Status'), width: 10, value: (i) => COMPLIANCE_STATUS_INFO[i.status][lang] },
  ];
}

async function audited(deps: DrillsDeps, ctx: RequestCtx, action: string, after: unknown): Promise<void> {
  await deps.db.transaction((trx) => recordAudit(trx, ctx, deps.clock.now(), { action, entity: 'drill', after }));
}

export async function exportDrills(
  deps: DrillsDeps,
  ctx: RequestCtx,
  q: DrillListQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number }> {
  const { limit: _l, offset: _o, ...filter } = q;
  const first = await listDrills(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  let rows = 0;
  async function* pages() {
    let page = first.items;
    while (page.length && rows < DRILL_EXPORT_MAX) {
      signal?.throwIfAborted();
      rows += page.length;
      yield page;
      if (page.length < PAGE) break;
      page = (await listDrills(deps, ctx, { ...filter, limit: PAGE, offset: rows })).items;
    }
  }
  const zh = ctx.lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const note = exportNote(
    {
      title: { zh: '演练记录导出', en: 'drill records export' },
      actor: ctx.actor.name,
      now: deps.clock.now(),
      words: filtersInWords(
        [
          [h('关键词', 'Text'), q.q?.trim() || undefined],
          [h('起', 'From'), q.from],
          [h('止', 'To'), q.to],
          [h('内容', 'Content'), q.content ? DRILL_CONTENT_INFO[q.content][ctx.lang] : undefined],
          [h('形式', 'Form'), q.form ? DRILL_FORM_INFO[q.form][ctx.lang] : undefined],
          [h('区市', 'District'), q.district],
        ],
        ctx.lang,
      ),
      total: first.total,
      max: DRILL_EXPORT_MAX,
      unit: '条',
    },
    ctx.lang,
  );
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(h('演练记录', 'Drills'), drillColumns(ctx.lang), pages(), note, offThread);
  await audited(deps, ctx, 'drill.exported', { filters: filterQuery(filter), rows });
  return { file, rows };
}

export async function exportCompliance(
  deps: DrillsDeps,
  ctx: RequestCtx,
  q: ComplianceQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number }> {
  const { limit: _l, offset: _o, ...filter } = q;
  const reply = await compliance(deps, ctx, { ...filter, limit: 1000, offset: 0 });
  const all = [...reply.items];
  while (all.length < reply.total && all.length < DRILL_EXPORT_MAX) {
    signal?.throwIfAborted();
    all.push(...(await compliance(deps, ctx, { ...filter, limit: 1000, offset: all.length })).items);
  }
  const zh = ctx.lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const note = exportNote(
    {
      title: { zh: '演练合规情况导出', en: 'drill compliance export' },
      actor: ctx.actor.name,
      now: deps.clock.now(),
      words: filtersInWords(
        [
          [h('评估日期', 'As of'), reply.asOf],
          [h('状态', 'Status'), q.status ? COMPLIANCE_STATUS_INFO[q.status][ctx.lang] : undefined],
          [h('区市', 'District'), q.district],
          [h('规则', 'Rule'), q.rule],
          [h('类别', 'Kind'), q.kind],
        ],
        ctx.lang,
      ),
      total: reply.total,
      max: DRILL_EXPORT_MAX,
      unit: '条',
    },
    ctx.lang,
  );
  async function* pages() {
    yield all;
  }
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(h('演练合规', 'Compliance'), complianceColumns(ctx.lang), pages(), note, offThread);
  await audited(deps, ctx, 'drill.compliance_exported', { filters: filterQuery(filter), rows: all.length });
  return { file, rows: all.length };
}
