/**
 * The prevention projects as an Excel workbook: the import's columns under its headers (an export imports again),
 * then the progress figures and status of the day. Same filters as the list; audited.
 */
import {
  PROJECT_STATUS_INFO,
  PROJECT_TYPE_INFO,
  type PreventionProject,
  type ProjectExportQuery,
} from '../../../contracts/risks.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords } from '../../platform/excel/export-notes.ts';
import { headerOf } from '../../platform/imports/columns.ts';
import { cityDate } from '../../platform/time.ts';
import { PROJECT_COLUMNS } from './projects.import.ts';
import { listProjects } from './projects.service.ts';
import type { RisksDeps } from './risks.deps.ts';

export const projectExportFileName = (now: Date) => `prevention-projects-${cityDate(now)}.xlsx`;

function importCell(key: string, p: PreventionProject, lang: Lang): string | number | null {
  const point = p.location?.type === 'Point' ? (p.location.coordinates as [number, number]) : null;
  switch (key) {
    case 'type':
      return PROJECT_TYPE_INFO[p.type][lang];
    case 'district':
      return p.district;
    case 'lon':
      return point?.[0] ?? null;
    case 'lat':
      return point?.[1] ?? null;
    case 'notes':
      return p.notes;
    default:
      return (p as unknown as Record<string, string | number | null>)[key] ?? null;
  }
}

export async function exportProjects(
  deps: RisksDeps,
  ctx: RequestCtx,
  q: ProjectExportQuery,
): Promise<{ file: Buffer; rows: number }> {
  const { items } = await listProjects(deps, ctx, { ...q, limit: Number.MAX_SAFE_INTEGER, offset: 0 });
  const lang = ctx.lang;
  const h = (a: string, b: string) => (lang === 'zh' ? a : b);
  const columns: Column<PreventionProject>[] = [
    ...PROJECT_COLUMNS.map(
      (c): Column<PreventionProject> => ({
        header: headerOf(c, lang),
        width: c.width,
        value: (p) => importCell(c.key, p, lang),
      }),
    ),
    { header: h('区市名称', 'District name'), width: 12, value: (p) => p.districtName },
    { header: h('累计完成', 'Done (cumulative)'), width: 10, value: (p) => p.doneQuantity },
    { header: h('完成比例', 'Share done'), width: 10, value: (p) => p.share, format: '0.0%' },
    { header: h('时间进度', 'Time elapsed'), width: 10, value: (p) => p.expectedShare, format: '0.0%' },
    { header: h('状态', 'Status'), width: 10, value: (p) => PROJECT_STATUS_INFO[p.status][lang] },
    { header: h('最近填报', 'Last report'), width: 12, value: (p) => p.lastReportDate },
  ];
  const now = deps.clock.now();
  const words = filtersInWords(
    [
      [h('类型', 'Type'), q.type ? PROJECT_TYPE_INFO[q.type][lang] : undefined],
      [h('区市', 'District'), q.district],
      [h('状态', 'Status'), q.status ? PROJECT_STATUS_INFO[q.status][lang] : undefined],
    ],
    lang,
  );
  const note = exportNote(
    {
      title: { zh: '防灾减灾工程项目导出', en: 'prevention projects export' },
      actor: ctx.actor.name,
      now,
      words,
      total: items.length,
      max: items.length,
      unit: '个',
    },
    lang,
    [
      h(
        '本表可修改后按“防灾减灾工程项目”导入（“区市名称”及其后各列导入时忽略）；完成量按累计填报。',
        'This sheet imports again as prevention projects (the district name and the columns after it are ignored); progress is cumulative.',
      ),
    ],
  );
  async function* pages() {
    yield items;
  }
  const file = await workbookOf(h('防灾减灾工程', 'Prevention projects'), columns, pages(), note, {
    workers: deps.workers,
    owner: ctx.actor,
  });
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'prevention_project.exported',
      entity: 'prevention_project',
      after: { filters: filterQuery(q), rows: items.length },
    }),
  );
  return { file, rows: items.length };
}
