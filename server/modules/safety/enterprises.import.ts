/**
 * The enterprises register's import: one row per enterprise, checked and written by the same rules as one registered
 * by hand (`prepareEnterprise` / `writeEnterprise`): the credit code by its GB 32100-2015 check character (a bad one
 * names its row), unique in the file and the register, the district from the point or given, the importer's scope.
 * Any bad row and nothing of the file is written (the platform's import contract); each enterprise's own org unit is
 * written in the same transaction.
 */
import {
  AUTOMATION_INFO,
  AUTOMATION_STATUSES,
  type EnterpriseInput,
  HIGH_RISK_CATEGORIES,
  HIGH_RISK_INFO,
  INDUSTRIES,
  INDUSTRY_INFO,
} from '../../../contracts/safety.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import { type PreparedEnterprise, prepareEnterprise, writeEnterprise } from './enterprises.service.ts';
import type { SafetyDeps } from './safety.deps.ts';

const YES_NO = [
  { value: 'yes', zh: '是', en: 'yes' },
  { value: 'no', zh: '否', en: 'no' },
];

export const ENTERPRISE_COLUMNS: readonly ImportColumn[] = [
  { key: 'name', zh: '企业名称', en: 'Name', kind: 'text', max: 200, required: true, field: 'name', width: 28 },
  {
    key: 'creditCode',
    zh: '统一社会信用代码',
    en: 'Credit code',
    kind: 'text',
    max: 40,
    required: true,
    unique: true,
    field: 'creditCode',
    noteZh: '18 位，按 GB 32100-2015 核对校验码',
    noteEn: '18 characters, the check character verified (GB 32100-2015)',
    width: 22,
  },
  {
    key: 'industry',
    zh: '行业',
    en: 'Industry',
    kind: 'enum',
    options: INDUSTRIES.map((k) => ({ value: k, zh: INDUSTRY_INFO[k].zh, en: INDUSTRY_INFO[k].en })),
    required: true,
    field: 'industry',
    width: 14,
  },
  {
    key: 'highRiskCategory',
    zh: '高危行业类别',
    en: 'High-risk category',
    kind: 'enum',
    options: HIGH_RISK_CATEGORIES.map((k) => ({ value: k, zh: HIGH_RISK_INFO[k].zh, en: HIGH_RISK_INFO[k].en })),
    field: 'highRiskCategory',
    width: 14,
  },
  {
    key: 'crowded',
    zh: '人员密集场所',
    en: 'Crowded venue',
    kind: 'enum',
    options: YES_NO,
    field: 'crowdedVenue',
    width: 10,
  },
  { key: 'park', zh: '化工园区', en: 'Chemical park', kind: 'text', max: 100, field: 'park', width: 18 },
  { key: 'lng', zh: '经度', en: 'Longitude', kind: 'lon', point: 'location', field: 'location', width: 12 },
  { key: 'lat', zh: '纬度', en: 'Latitude', kind: 'lat', point: 'location', field: 'location', width: 12 },
  {
    key: 'district',
    zh: '区市代码',
    en: 'District code',
    kind: 'text',
    max: 64,
    field: 'districtCode',
    noteZh: '无经纬度时填写（如 371002）；有经纬度时按位置确定',
    noteEn: 'when there is no point (e.g. 371002); a point decides it otherwise',
    width: 12,
  },
  { key: 'address', zh: '地址', en: 'Address', kind: 'text', max: 300, field: 'address', width: 28 },
  {
    key: 'legal',
    zh: '法定代表人',
    en: 'Legal representative',
    kind: 'text',
    max: 50,
    field: 'legalRepresentative',
    width: 12,
  },
  { key: 'contact', zh: '安全负责人', en: 'Safety contact', kind: 'text', max: 50, field: 'safetyContacts', width: 12 },
  { key: 'phone', zh: '联系电话', en: 'Phone', kind: 'text', max: 40, field: 'safetyContacts', width: 14 },
  {
    key: 'employees',
    zh: '从业人员数',
    en: 'Employees',
    kind: 'integer',
    min: 0,
    max: 1_000_000,
    field: 'employees',
    width: 10,
  },
  {
    key: 'insurance',
    zh: '安责险到期日',
    en: 'Insurance expiry',
    kind: 'text',
    max: 20,
    field: 'insuranceExpiry',
    noteZh: '日期，如 2027-06-30',
    noteEn: 'a day, e.g. 2027-06-30',
    width: 14,
  },
  {
    key: 'automation',
    zh: '危险化工工艺自动化',
    en: 'Process automation',
    kind: 'enum',
    options: AUTOMATION_STATUSES.map((k) => ({ value: k, zh: AUTOMATION_INFO[k].zh, en: AUTOMATION_INFO[k].en })),
    field: 'automation',
    width: 18,
  },
  { key: 'notes', zh: '备注', en: 'Notes', kind: 'text', max: 2000, field: 'notes', width: 24 },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) => {
  const x = v[k];
  return x === null || x === undefined || String(x).trim() === '' ? undefined : String(x).trim();
};

/** A row's values as the enterprise a user would have registered in the form. */
export function enterpriseInputOf(v: Values): EnterpriseInput {
  const loc = v.location as { lng: number; lat: number } | null;
  const opt = <K extends string>(k: K, x: unknown) => (x === undefined ? {} : { [k]: x });
  const contact = text(v, 'contact');
  const phone = text(v, 'phone');
  return {
    name: text(v, 'name') ?? '',
    creditCode: text(v, 'creditCode') ?? '',
    industry: (text(v, 'industry') ?? '') as EnterpriseInput['industry'],
    ...opt('highRiskCategory', text(v, 'highRiskCategory')),
    ...(text(v, 'crowded') ? { crowdedVenue: text(v, 'crowded') === 'yes' } : {}),
    ...opt('park', text(v, 'park')),
    ...(loc ? { location: { type: 'Point' as const, coordinates: [loc.lng, loc.lat] } } : {}),
    ...opt('districtCode', text(v, 'district')),
    ...opt('address', text(v, 'address')),
    ...opt('legalRepresentative', text(v, 'legal')),
    ...(contact || phone ? { safetyContacts: [{ name: contact ?? '', phone: phone ?? '' }] } : {}),
    ...opt('employees', typeof v.employees === 'number' ? v.employees : undefined),
    ...opt('insuranceExpiry', text(v, 'insurance')),
    ...opt('automation', text(v, 'automation')),
    ...opt('notes', text(v, 'notes')),
  };
}

export function enterpriseImport(deps: SafetyDeps): ImportDeclaration<EnterpriseInput, PreparedEnterprise> {
  return {
    registry: 'enterprises',
    zh: '企业',
    en: 'Enterprises',
    entity: 'enterprise',
    permission: 'enterprises.manage',
    columns: ENTERPRISE_COLUMNS,
    noteZh:
      '每行一家企业，与手工登记的规则相同：统一社会信用代码按 GB 32100-2015 核对校验码且不得重复；有经纬度时按位置确定区市。任一行有误则整个文件都不导入。',
    noteEn:
      'One enterprise per row, by the same rules as one registered by hand: the credit code’s check character is verified ' +
      '(GB 32100-2015) and must be new; a point decides the district. One bad row and nothing of the file is imported.',
    toInput: enterpriseInputOf,
    prepare: (ctx, input) => prepareEnterprise(deps, ctx, input),
    write: (trx, ctx, prepared, now) => writeEnterprise(deps, trx, ctx, prepared, now),
    committed: () => deps.afterCommit(),
  };
}
