/**
 * The expert register as an Excel workbook: the import's columns under the import's headers (an export imports again
 * as it is), then availability, active and the district's name. Same filters as the list; phones and emails masked
 * for a viewer without personal.read (such a file does not import again, and the notes sheet says so); audited.
 */
import { EXPERT_TITLE_INFO, type Expert, type ExpertListQuery } from '../../../contracts/experts.ts';
import { eventTypeName } from '../../../contracts/incidents.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords } from '../../platform/excel/export-notes.ts';
import { headerOf, type ImportColumn } from '../../platform/imports/columns.ts';
import { cityDate } from '../../platform/time.ts';
import { EXPERT_COLUMNS } from './experts.import.ts';
import { type ExpertsDeps, listExperts } from './experts.service.ts';

export const EXPERT_EXPORT_MAX = 20_000;
const PAGE = 500;

export function expertExportFileName(now: Date): string {
  return `experts-${cityDate(now)}.xlsx`;
}

function importCell(c: ImportColumn, e: Expert, lang: Lang): string | number | null {
  const zh = lang === 'zh';
  switch (c.key) {
    case 'name':
      return e.name;
    case 'fields':
      return e.fields.map((f) => `${f} ${eventTypeName(f, lang)}`).join(zh ? '、' : ', ');
    case 'speciality':
      return e.speciality || null;
    case 'title':
      return EXPERT_TITLE_INFO[e.title][lang];
    case 'titleText':
      return e.titleText || null;
    case 'organisation':
      return e.organisation;
    case 'phones':
      return e.phones.join(zh ? '、' : '; ') || null;
    case 'email':
      return e.email || null;
    case 'district':
      return e.district?.code ?? null;
    case 'notes':
      return e.notes || null;
    default:
      return null;
  }
}

export function expertExportColumns(lang: Lang, districtName: (c: string) => string): Column<Expert>[] {
  const h = (a: string, b: string) => (lang === 'zh' ? a : b);
  return [
    ...EXPERT_COLUMNS.map(
      (c): Column<Expert> => ({ header: headerOf(c, lang), width: c.width, value: (e) => importCell(c, e, lang) }),
    ),
    {
      header: h('区市名称', 'District name'),
      width: 12,
      value: (e) => (e.district ? districtName(e.district.code) : ''),
    },
    {
      header: h('今日可用', 'Available today'),
      width: 10,
      value: (e) => (e.availableNow ? h('是', 'yes') : h('否', 'no')),
    },
    { header: h('不可用至', 'Unavailable until'), width: 12, value: (e) => e.availability.until ?? '' },
    { header: h('不可用原因', 'Unavailability reason'), width: 20, value: (e) => e.availability.reason },
    { header: h('在库', 'Active'), width: 8, value: (e) => (e.active ? h('是', 'yes') : h('否', 'no')) },
  ];
}

export async function exportExperts(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  q: ExpertListQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const { limit: _l, offset: _o, ...filter } = q;
  const first = await listExperts(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  const total = first.total;
  let rows = 0;
  async function* pages() {
    let page = first.items;
    while (page.length && rows < EXPERT_EXPORT_MAX) {
      signal?.throwIfAborted();
      const take = page.slice(0, EXPERT_EXPORT_MAX - rows);
      rows += take.length;
      yield take;
      if (page.length < PAGE) break;
      page = (await listExperts(deps, ctx, { ...filter, limit: PAGE, offset: rows })).items;
    }
  }
  const zh = ctx.lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const words = filtersInWords(
    [
      [h('关键词', 'Text'), q.q?.trim() || undefined],
      [h('领域', 'Field'), q.field ? `${q.field} ${eventTypeName(q.field, ctx.lang)}` : undefined],
      [h('单位', 'Organisation'), q.organisation?.trim() || undefined],
      [h('可用', 'Availability'), q.availability],
      [h('职称', 'Title'), q.title ? EXPERT_TITLE_INFO[q.title][ctx.lang] : undefined],
    ],
    ctx.lang,
  );
  const now = deps.clock.now();
  const note = exportNote(
    {
      title: { zh: '专家库导出', en: 'expert register export' },
      actor: ctx.actor.name,
      now,
      words,
      total,
      max: EXPERT_EXPORT_MAX,
      unit: '名',
    },
    ctx.lang,
    [
      h(
        '本表可修改后按“专家库”导入（“区市名称”及其后各列导入时忽略）。无个人信息查看权限者导出的电话和邮箱已脱敏，不能再导入。',
        'This sheet imports again as an expert register (the district name and the columns after it are ignored). ' +
          'Phones and emails exported by a user without personal data access are masked and do not import again.',
      ),
    ],
  );
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(
    h('专家库', 'Experts'),
    expertExportColumns(ctx.lang, deps.districtName),
    pages(),
    note,
    offThread,
  );
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'expert.exported',
      entity: 'expert',
      after: { filters: filterQuery(filter), rows, total },
    }),
  );
  return { file, rows, total };
}
