import {
  CATEGORY_INFO,
  type Category,
  eventTypeName,
  type Incident,
  type IncidentListQuery,
  LEVEL_INFO,
  STATUS_INFO,
  type Status,
} from '../../../contracts/incidents.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords, localTime } from '../../platform/excel/export-notes.ts';
import { cityDate } from '../../platform/time.ts';
import { unitNames } from './incidents.repository.ts';
import { type IncidentDeps, listIncidents, readIncidentPage } from './incidents.service.ts';

/**
 * At most this many rows in one export; the notes sheet says when the filter matched more. The workbook is built in
 * a worker thread (the caller's limit of heavy work applies: 429 JOB_LIMIT); this thread reads the pages.
 */
export const EXPORT_MAX = 50_000;

/** `incidents-YYYY-MM-DD.xlsx`, the day in the city's time zone */
export function exportFileName(now: Date): string {
  return `incidents-${cityDate(now)}.xlsx`;
}
const PAGE = 500;

function columns(lang: Lang): Column<Incident>[] {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  return [
    { header: h('事件编号', 'Number'), width: 18, value: (i) => i.number },
    { header: h('事件标题', 'Title'), width: 36, value: (i) => i.title },
    { header: h('类型代码', 'Type code'), width: 10, value: (i) => i.typeCode },
    { header: h('事件类型', 'Type'), width: 22, value: (i) => eventTypeName(i.typeCode, lang) },
    { header: h('事件类别', 'Category'), width: 12, value: (i) => CATEGORY_INFO[i.category][lang] },
    {
      header: h('级别', 'Level'),
      width: 10,
      value: (i) => (i.level ? `${i.level} ${LEVEL_INFO[i.level][lang]}` : h('未定级', 'not assessed')),
    },
    { header: h('计算级别', 'Computed level'), width: 10, value: (i) => i.computedLevel ?? '' },
    { header: h('定级依据', 'Level basis'), width: 40, value: (i) => (zh ? i.levelBasis : i.levelBasisEn) },
    { header: h('人工定级理由', 'Manual level reason'), width: 24, value: (i) => i.levelOverride?.reason ?? '' },
    {
      header: h('所属区市', 'District'),
      width: 10,
      value: (i) =>
        i.districtStatus === 'sea'
          ? i.district
            ? h(`${i.district.name}海域`, `${i.district.name} waters`)
            : h('本市海域', "the city's waters")
          : (i.district?.name ?? (i.districtStatus === 'outside' ? h('市外', 'outside') : '')),
    },
    { header: h('状态', 'Status'), width: 10, value: (i) => STATUS_INFO[i.status][lang] },
    { header: h('发生时间（北京时间）', 'Occurred (Beijing time)'), width: 18, value: (i) => localTime(i.occurredAt) },
    { header: h('接报时间（北京时间）', 'Reported (Beijing time)'), width: 18, value: (i) => localTime(i.reportedAt) },
    { header: h('地址', 'Address'), width: 30, value: (i) => i.address },
    { header: h('经度', 'Longitude'), width: 11, value: (i) => i.location?.coordinates[0] ?? null, format: '0.000000' },
    { header: h('纬度', 'Latitude'), width: 11, value: (i) => i.location?.coordinates[1] ?? null, format: '0.000000' },
    { header: h('死亡', 'Deaths'), width: 8, value: (i) => i.casualties.deaths },
    { header: h('失踪', 'Missing'), width: 8, value: (i) => i.casualties.missing },
    { header: h('重伤', 'Seriously injured'), width: 8, value: (i) => i.casualties.seriouslyInjured },
    { header: h('受伤', 'Injured'), width: 8, value: (i) => i.casualties.injured },
    { header: h('受灾', 'Affected'), width: 10, value: (i) => i.casualties.affected },
    { header: h('紧急转移安置', 'Relocated'), width: 12, value: (i) => i.casualties.relocated },
    {
      header: h('直接经济损失（万元）', 'Direct loss (10,000 CNY)'),
      width: 14,
      value: (i) => i.directLossWan,
      format: '0.00',
    },
    { header: h('报告人', 'Reporter'), width: 12, value: (i) => i.reporter.name ?? '' },
    { header: h('报告单位', 'Reporter unit'), width: 16, value: (i) => i.reporter.unit ?? '' },
    { header: h('联系电话', 'Phone'), width: 14, value: (i) => i.reporter.phone ?? '' },
  ];
}

const list = (v: string | undefined) => (v ?? '').split(',').filter(Boolean);

/** The register's filter in words, as the notes sheet states it: `状态：已接报、已核实；级别：I` / `Status: Reported, …`. */
export function describeFilters(q: IncidentListQuery, lang: Lang, districtName: (code: string) => string): string {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const sep = zh ? '、' : ', ';
  const parts: [string, string | undefined][] = [
    [h('关键词', 'Text'), q.q?.trim() ? `“${q.q.trim()}”` : undefined],
    [
      h('状态', 'Status'),
      list(q.status)
        .map((v) => STATUS_INFO[v as Status]?.[lang] ?? v)
        .join(sep) || undefined,
    ],
    [
      h('类别', 'Category'),
      list(q.category)
        .map((v) => CATEGORY_INFO[v as Category]?.[lang] ?? v)
        .join(sep) || undefined,
    ],
    [h('类型', 'Type'), q.typeCode ? `${q.typeCode} ${eventTypeName(q.typeCode, lang)}` : undefined],
    [
      h('级别', 'Level'),
      list(q.level)
        .map((v) => (v === 'none' ? h('未定级', 'not assessed') : v))
        .join(sep) || undefined,
    ],
    [
      h('区市', 'District'),
      q.district === 'sea'
        ? h('本市海域', "the city's waters")
        : q.district === 'outside'
          ? h('市外', 'outside the city')
          : q.district === 'unknown'
            ? h('无位置', 'no location')
            : q.district
              ? districtName(q.district)
              : undefined,
    ],
    [h('发生时间起', 'Occurred from'), q.from ? localTime(q.from) : undefined],
    [h('发生时间止', 'Occurred before'), q.to ? localTime(q.to) : undefined],
  ];
  return filtersInWords(parts, lang);
}

/**
 * The register as the viewer sees it (same filters, same data scope, personal fields masked the same way),
 * as an Excel workbook. The export itself is audited: who took which records out, with which filter.
 */
export async function exportIncidents(
  deps: IncidentDeps,
  ctx: RequestCtx,
  q: IncidentListQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const first = await listIncidents(deps, ctx, { ...q, limit: PAGE, offset: 0 });
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
      // keyset from the last row: the 100th page costs what the first did (an offset walk grows with its depth)
      page = await readIncidentPage(deps, ctx, { ...q, limit: PAGE }, page[page.length - 1]);
    }
  }
  const zh = ctx.lang === 'zh';
  const filters = filterQuery(q);
  const districts =
    q.district && !['sea', 'outside', 'unknown'].includes(q.district)
      ? await unitNames(deps.db.kysely, [q.district])
      : [];
  const filterWords = describeFilters(q, ctx.lang, (code) => {
    const u = districts.find((d) => d.code === code);
    return u ? (zh ? u.name : (u.name_en ?? u.name)) : code;
  });
  const now = deps.clock.now();
  const note = exportNote(
    {
      title: { zh: '事件登记导出', en: 'incident register export' },
      actor: ctx.actor.name,
      now,
      words: filterWords,
      total,
      max: EXPORT_MAX,
      unit: '条',
    },
    ctx.lang,
  );
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(zh ? '事件登记' : 'Incidents', columns(ctx.lang), pages(), note, offThread);
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, { action: 'incident.exported', entity: 'incident', after: { filters, rows, total } }),
  );
  return { file, rows, total };
}
