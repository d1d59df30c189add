/**
 * The enterprises register as an Excel workbook: the import's columns under the import's headers (an export imports
 * again as it is, except phones masked for a viewer without personal.read), then the district's name, insurance
 * status, major hazards and the highest risk colour. Same filters as the list; audited.
 */
import {
  AUTOMATION_INFO,
  type Enterprise,
  type EnterpriseQuery,
  HIGH_RISK_INFO,
  INDUSTRY_INFO,
  INSURANCE_INFO,
  RISK_COLOUR_INFO,
} from '../../../contracts/safety.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords } from '../../platform/excel/export-notes.ts';
import { headerOf, type ImportColumn } from '../../platform/imports/columns.ts';
import { cityDate } from '../../platform/time.ts';
import { ENTERPRISE_COLUMNS } from './enterprises.import.ts';
import { listEnterprises } from './enterprises.service.ts';
import type { SafetyDeps } from './safety.deps.ts';

export const ENTERPRISE_EXPORT_MAX = 20_000;
const PAGE = 500;

export function enterpriseExportFileName(now: Date): string {
  return `enterprises-${cityDate(now)}.xlsx`;
}

function importCell(c: ImportColumn, e: Enterprise, lang: Lang): string | number | null {
  const yes = lang === 'zh' ? '是' : 'yes';
  const no = lang === 'zh' ? '否' : 'no';
  switch (c.key) {
    case 'name':
      return e.name;
    case 'creditCode':
      return e.creditCode;
    case 'industry':
      return INDUSTRY_INFO[e.industry][lang];
    case 'highRiskCategory':
      return e.highRiskCategory ? HIGH_RISK_INFO[e.highRiskCategory][lang] : null;
    case 'crowded':
      return e.crowdedVenue ? yes : no;
    case 'park':
      return e.park;
    case 'lng':
      return e.location?.coordinates[0] ?? null;
    case 'lat':
      return e.location?.coordinates[1] ?? null;
    case 'district':
      return e.location ? null : (e.district?.code ?? null);
    case 'address':
      return e.address;
    case 'legal':
      return e.legalRepresentative;
    case 'contact':
      return e.safetyContacts[0]?.name ?? null;
    case 'phone':
      return e.safetyContacts[0]?.phone ?? null;
    case 'employees':
      return e.employees;
    case 'insurance':
      return e.insuranceExpiry;
    case 'automation':
      return AUTOMATION_INFO[e.automation][lang];
    case 'notes':
      return e.notes;
    default:
      return null;
  }
}

export async function exportEnterprises(
  deps: SafetyDeps,
  ctx: RequestCtx,
  q: EnterpriseQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const { limit: _l, offset: _o, ...filter } = q;
  const first = await listEnterprises(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  const total = first.total;
  let rows = 0;
  async function* pages() {
    let page = first.items;
    while (page.length && rows < ENTERPRISE_EXPORT_MAX) {
      signal?.throwIfAborted();
      const take = page.slice(0, ENTERPRISE_EXPORT_MAX - rows);
      rows += take.length;
      yield take;
      if (page.length < PAGE) break;
      page = (await listEnterprises(deps, ctx, { ...filter, limit: PAGE, offset: rows })).items;
    }
  }
  const lang = ctx.lang;
  const h = (a: string, b: string) => (lang === 'zh' ? a : b);
  const columns: Column<Enterprise>[] = [
    ...ENTERPRISE_COLUMNS.map(
      (c): Column<Enterprise> => ({ header: headerOf(c, lang), width: c.width, value: (e) => importCell(c, e, lang) }),
    ),
    { header: h('区市名称', 'District name'), width: 12, value: (e) => e.district?.name ?? '' },
    { header: h('安责险', 'Insurance'), width: 12, value: (e) => INSURANCE_INFO[e.insuranceStatus][lang] },
    { header: h('重大危险源（个）', 'Major hazards'), width: 10, value: (e) => e.majorHazards.count },
    { header: h('最高级别', 'Highest grade'), width: 10, value: (e) => e.majorHazards.highestGrade ?? '' },
    {
      header: h('风险点最高颜色', 'Highest risk colour'),
      width: 14,
      value: (e) => (e.riskColour ? RISK_COLOUR_INFO[e.riskColour][lang] : ''),
    },
  ];
  const words = filtersInWords(
    [
      [h('关键词', 'Text'), q.q?.trim() || undefined],
      [h('区市', 'District'), q.district],
      [h('行业', 'Industry'), q.industry ? INDUSTRY_INFO[q.industry][lang] : undefined],
    ],
    lang,
  );
  const now = deps.clock.now();
  const note = exportNote(
    {
      title: { zh: '企业导出', en: 'enterprises export' },
      actor: ctx.actor.name,
      now,
      words,
      total,
      max: ENTERPRISE_EXPORT_MAX,
      unit: '家',
    },
    lang,
    [
      h(
        '本表可修改后按“企业”导入（“区市名称”及其后各列导入时忽略）。无个人信息查看权限者导出的电话已脱敏。',
        'This sheet imports again as the enterprises register (the district name and the columns after it are ignored). Phones exported without personal data access are masked.',
      ),
    ],
  );
  const file = await workbookOf(h('企业', 'Enterprises'), columns, pages(), note, {
    workers: deps.platform.workers,
    owner: ctx.actor,
    ...(signal ? { signal } : {}),
  });
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'enterprise.exported',
      entity: 'enterprise',
      after: { filters: filterQuery(filter), rows, total },
    }),
  );
  return { file, rows, total };
}
