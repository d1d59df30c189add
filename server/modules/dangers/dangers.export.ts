/**
 * The hidden-danger register and the inspections as Excel workbooks: same filters as the lists, paged, built off
 * the event loop, the notes sheet saying who took it with which filter; audited.
 */
import {
  DANGER_CATEGORY_INFO,
  DANGER_GRADE_INFO,
  DANGER_SOURCE_INFO,
  DANGER_STATUS_INFO,
  type DangerListQuery,
  type HiddenDanger,
  INSPECTION_KIND_INFO,
  type Inspection,
  type InspectionListQuery,
} from '../../../contracts/dangers.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords, localTime } from '../../platform/excel/export-notes.ts';
import { cityDate } from '../../platform/time.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import { type DangersDeps, listDangers } from './dangers.service.ts';
import { listInspections } from './inspections.service.ts';

export const EXPORT_MAX = 20_000;
const PAGE = 500;

interface ExportSpec<R, Q> {
  title: { zh: string; en: string };
  sheet: { zh: string; en: string };
  entity: string;
  unit: string;
  columns: Column<R>[];
  list: (q: Q & { limit: number; offset: number }) => Promise<{ items: R[]; total: number }>;
  words: [string, string | undefined][];
}

async function exportList<R, Q extends object>(
  deps: DangersDeps & { workers?: WorkerPool },
  ctx: RequestCtx,
  filter: Q,
  spec: ExportSpec<R, Q>,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const first = await spec.list({ ...filter, limit: PAGE, offset: 0 });
  const total = first.total;
  let rows = 0;
  async function* pages() {
    let page = first.items;
    while (page.length && rows < EXPORT_MAX) {
      signal?.throwIfAborted();
      const take = page.slice(0, EXPORT_MAX - rows);
      rows += take.length;
      yield take;
      if (page.length < PAGE) break;
      page = (await spec.list({ ...filter, limit: PAGE, offset: rows })).items;
    }
  }
  const now = deps.clock.now();
  const note = exportNote(
    {
      title: spec.title,
      actor: ctx.actor.name,
      now,
      words: filtersInWords(spec.words, ctx.lang),
      total,
      max: EXPORT_MAX,
      unit: spec.unit,
    },
    ctx.lang,
  );
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(spec.sheet[ctx.lang], spec.columns, pages(), note, offThread);
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: `${spec.entity}.exported`,
      entity: spec.entity,
      after: { filters: filterQuery(filter as Record<string, unknown>), rows, total },
    }),
  );
  return { file, rows, total };
}

const time = (iso: string | null) => (iso ? localTime(iso) : '');

export function exportDangers(
  deps: DangersDeps & { workers?: WorkerPool },
  ctx: RequestCtx,
  q: DangerListQuery,
  signal?: AbortSignal,
) {
  const lang = ctx.lang;
  const h = (a: string, b: string) => (lang === 'zh' ? a : b);
  const { limit: _l, offset: _o, ...filter } = q;
  const columns: Column<HiddenDanger>[] = [
    { header: h('编号', 'Number'), width: 18, value: (d) => d.number },
    { header: h('隐患名称', 'Title'), width: 28, value: (d) => d.title },
    { header: h('隐患等级', 'Grade'), width: 10, value: (d) => DANGER_GRADE_INFO[d.grade][lang] },
    { header: h('隐患类别', 'Category'), width: 12, value: (d) => DANGER_CATEGORY_INFO[d.category][lang] },
    { header: h('来源', 'Source'), width: 10, value: (d) => DANGER_SOURCE_INFO[d.source][lang] },
    { header: h('状态', 'Status'), width: 10, value: (d) => DANGER_STATUS_INFO[d.status][lang] },
    { header: h('逾期', 'Overdue'), width: 6, value: (d) => (d.overdue ? h('是', 'yes') : '') },
    { header: h('企业', 'Enterprise'), width: 24, value: (d) => d.enterprise?.name ?? '' },
    { header: h('区市', 'District'), width: 10, value: (d) => d.districtName },
    { header: h('位置描述', 'Address'), width: 20, value: (d) => d.address },
    { header: h('发现时间', 'Found at'), width: 16, value: (d) => time(d.foundAt) },
    { header: h('上报人', 'Reporter'), width: 12, value: (d) => d.reporter.name },
    { header: h('责任单位', 'Responsible unit'), width: 16, value: (d) => d.responsibleUnitName },
    { header: h('整改责任人', 'Responsible person'), width: 12, value: (d) => d.responsiblePerson },
    { header: h('整改期限', 'Deadline'), width: 12, value: (d) => d.deadline ?? '' },
    { header: h('整改措施', 'Measures'), width: 24, value: (d) => d.measures },
    { header: h('整改资金（元）', 'Funds (yuan)'), width: 12, value: (d) => d.funds },
    { header: h('整改情况', 'Rectification'), width: 24, value: (d) => d.rectificationNote },
    { header: h('复核意见', 'Verification'), width: 20, value: (d) => d.verificationNote },
    { header: h('销号时间', 'Closed at'), width: 16, value: (d) => time(d.closedAt) },
  ];
  return exportList(
    deps,
    ctx,
    filter,
    {
      title: { zh: '隐患台账导出', en: 'hidden-danger register export' },
      sheet: { zh: '隐患台账', en: 'Hidden dangers' },
      entity: 'hidden_danger',
      unit: '条',
      columns,
      list: (x) => listDangers(deps, ctx, x),
      words: [
        [h('状态', 'Status'), q.status ? DANGER_STATUS_INFO[q.status][lang] : undefined],
        [h('等级', 'Grade'), q.grade ? DANGER_GRADE_INFO[q.grade][lang] : undefined],
        [h('来源', 'Source'), q.source ? DANGER_SOURCE_INFO[q.source][lang] : undefined],
        [h('区市', 'District'), q.district],
        [h('逾期', 'Overdue'), q.overdue === undefined ? undefined : String(q.overdue)],
        [h('关键词', 'Text'), q.q?.trim() || undefined],
      ],
    },
    signal,
  );
}

export function exportInspections(
  deps: DangersDeps & { workers?: WorkerPool },
  ctx: RequestCtx,
  q: InspectionListQuery,
  signal?: AbortSignal,
) {
  const lang = ctx.lang;
  const h = (a: string, b: string) => (lang === 'zh' ? a : b);
  const { limit: _l, offset: _o, ...filter } = q;
  const columns: Column<Inspection>[] = [
    { header: h('编号', 'Number'), width: 18, value: (i) => i.number },
    { header: h('检查日期', 'Date'), width: 12, value: (i) => i.date },
    { header: h('企业', 'Enterprise'), width: 24, value: (i) => i.enterprise.name },
    { header: h('检查类型', 'Kind'), width: 10, value: (i) => INSPECTION_KIND_INFO[i.kind][lang] },
    { header: h('检查人员', 'Inspectors'), width: 20, value: (i) => i.inspectors.map((x) => x.name).join('、') },
    { header: h('检查依据', 'Basis'), width: 24, value: (i) => i.basis },
    { header: h('发现问题数', 'Findings'), width: 10, value: (i) => i.findings.length },
    {
      header: h('其中重大隐患', 'Of which major'),
      width: 10,
      value: (i) => i.findings.filter((f) => f.grade === 'major').length,
    },
    {
      header: h('隐患编号', 'Danger numbers'),
      width: 30,
      value: (i) => i.findings.map((f) => f.dangerNumber).join('、'),
    },
    { header: h('检查结论', 'Conclusion'), width: 30, value: (i) => i.conclusion },
  ];
  return exportList(
    deps,
    ctx,
    filter,
    {
      title: { zh: '执法检查导出', en: 'inspections export' },
      sheet: { zh: '执法检查', en: 'Inspections' },
      entity: 'inspection',
      unit: '次',
      columns,
      list: (x) => listInspections(deps, ctx, x),
      words: [
        [h('类型', 'Kind'), q.kind ? INSPECTION_KIND_INFO[q.kind][lang] : undefined],
        [h('区市', 'District'), q.district],
        [h('自', 'From'), q.from],
        [h('至', 'To'), q.to],
        [h('关键词', 'Text'), q.q?.trim() || undefined],
      ],
    },
    signal,
  );
}

export const exportFileName = (kind: string, now: Date) => `${kind}-${cityDate(now)}.xlsx`;
