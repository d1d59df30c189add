/**
 * The expert register's import: one row per expert, checked and written by the same rules as an expert registered
 * by hand (`prepareExpert` / `writeExpert`): known GB/T 35561 field codes, a known district, the importer's scope.
 * Fields are written as codes or the standard's names (洪水、11A01), phones as a list in one cell; an export imports
 * again as it is. Any bad row and nothing of the file is written (the platform's import contract).
 */
import { Type as T } from 'typebox';
import {
  EXPERT_TITLE_INFO,
  EXPERT_TITLES,
  type ExpertInput,
  ExpertInput as ExpertInputSchema,
} from '../../../contracts/experts.ts';
import { EVENT_TYPES } from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import { type ImportColumn, parseCell } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import { type ExpertsDeps, type PreparedExpert, prepareExpert, writeExpert } from './experts.service.ts';
import './experts.errors.ts';

const props = ExpertInputSchema.properties;
const max = (s: unknown) => (s as { maxLength?: number }).maxLength ?? 1000;

export const EXPERT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    zh: '姓名',
    en: 'Name',
    kind: 'text',
    max: max(props.name),
    required: true,
    field: 'name',
    example: '王建国',
    width: 12,
  },
  {
    key: 'fields',
    zh: '专业领域',
    en: 'Fields',
    kind: 'text',
    max: 1000,
    required: true,
    field: 'fields',
    noteZh: 'GB/T 35561 突发事件类型代码或名称，以顿号或逗号分隔；可写大类（如 11A00 水旱灾害）',
    noteEn: 'GB/T 35561 incident type codes or names, separated by commas; a category (e.g. 11A00) is allowed',
    example: '11A01、11B01',
    width: 24,
  },
  {
    key: 'speciality',
    zh: '专业特长',
    en: 'Speciality',
    kind: 'text',
    max: max(props.speciality),
    field: 'speciality',
    example: '水文预报、防洪调度',
    width: 24,
  },
  {
    key: 'title',
    zh: '职称级别',
    en: 'Title level',
    kind: 'enum',
    options: EXPERT_TITLES.map((k) => ({ value: k, zh: EXPERT_TITLE_INFO[k].zh, en: EXPERT_TITLE_INFO[k].en })),
    required: true,
    field: 'title',
    example: '正高级',
    width: 12,
  },
  {
    key: 'titleText',
    zh: '职称',
    en: 'Title',
    kind: 'text',
    max: max(props.titleText),
    field: 'titleText',
    example: '教授级高级工程师',
    width: 18,
  },
  {
    key: 'organisation',
    zh: '工作单位',
    en: 'Organisation',
    kind: 'text',
    max: max(props.organisation),
    required: true,
    field: 'organisation',
    noteZh: '抽取时按单位回避，请写全称',
    noteEn: 'draws avoid by organisation: write its full name',
    example: '威海市水文中心',
    width: 24,
  },
  {
    key: 'phones',
    zh: '联系电话',
    en: 'Phones',
    kind: 'text',
    max: 200,
    field: 'phones',
    noteZh: '最多 3 个，以顿号或分号分隔',
    noteEn: 'at most 3, separated by semicolons',
    example: '13806311234',
    width: 18,
  },
  { key: 'email', zh: '电子邮箱', en: 'Email', kind: 'text', max: max(props.email), field: 'email', width: 22 },
  {
    key: 'district',
    zh: '所在区市',
    en: 'District',
    kind: 'text',
    max: 40,
    field: 'district',
    noteZh: '区市代码或名称（如 371002 或 环翠区）；留空为全市',
    noteEn: 'district code or name (e.g. 371002); empty: the city',
    example: '环翠区',
    width: 12,
  },
  { key: 'notes', zh: '备注', en: 'Notes', kind: 'text', max: max(props.notes), field: 'notes', width: 24 },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) =>
  v[k] === null || v[k] === undefined ? undefined : String(v[k]).trim() || undefined;

/** A list cell's items: commas (full- or half-width), 顿号, semicolons and line breaks separate. */
export function listOf(cell: string | undefined): string[] {
  return (cell ?? '')
    .normalize('NFKC')
    .split(/[,、;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

const byName = new Map<string, string>();
for (const t of EVENT_TYPES) {
  byName.set(t.code, t.code);
  byName.set(t.name, t.code);
  byName.set(t.nameEn.toLowerCase(), t.code);
}

/** Fields by code or name (`11A01 洪水` too); an unknown one stays as written, for the check to name it. */
export function fieldsOf(cell: string | undefined): string[] {
  return [
    ...new Set(
      listOf(cell).map((x) => {
        const code = /^(1[0-9][0-9A-Z][0-9]{2})\b/.exec(x)?.[1];
        return code ?? byName.get(x) ?? byName.get(x.toLowerCase()) ?? x;
      }),
    ),
  ];
}

export function expertInputOf(deps: ExpertsDeps, v: Values): ExpertInput {
  const district = text(v, 'district');
  const unit = district
    ? [...deps.units().values()].find((u) => u.code === district || u.name === district || u.nameEn === district)
    : undefined;
  const phones = (text(v, 'phones') ?? '')
    .normalize('NFKC')
    .split(/[、;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
  const opt = <K extends string>(k: K, x: unknown) => (x === undefined ? {} : { [k]: x });
  return {
    name: text(v, 'name') ?? '',
    fields: fieldsOf(text(v, 'fields')),
    title: (text(v, 'title') ?? '') as ExpertInput['title'],
    organisation: text(v, 'organisation') ?? '',
    ...opt('speciality', text(v, 'speciality')),
    ...opt('titleText', text(v, 'titleText')),
    ...(phones.length ? { phones } : {}),
    ...opt('email', text(v, 'email')),
    ...opt('district', unit?.code ?? district),
    ...opt('notes', text(v, 'notes')),
  };
}

/** The service's schema with the list cells loosened, so that `prepare` names what was written. */
const ImportSchema = T.Object({
  ...props,
  fields: T.Array(T.String({ maxLength: 200 }), { minItems: 1, maxItems: 20 }),
  phones: T.Optional(T.Array(T.String({ maxLength: 200 }), { maxItems: 20 })),
});

export function checkPhones(input: ExpertInput): void {
  const phones = input.phones ?? [];
  if (phones.length > 3)
    throw new AppError('VALIDATION', { field: 'phones', reason: { zh: '最多 3 个', en: 'at most 3' } });
  for (const p of phones) {
    const parsed = parseCell({ key: 'phone', zh: '', en: '', kind: 'phone' }, p);
    if ('problem' in parsed || p.length > 40) throw new AppError('IMPORT_BAD_PHONE', { field: 'phones', value: p });
  }
}

export const EXPERT_IMPORT_NOTE = {
  zh:
    '每行一名专家，按手工登记的同一规则检查：专业领域须为 GB/T 35561 突发事件类型代码（或其名称），区市须为本市区市，' +
    '须在导入人的数据范围内。导入的专家均为“在库、可用”。任何一行有错，整个文件都不导入。',
  en:
    'One expert per row, checked by the same rules as an expert registered by hand: fields must be GB/T 35561 ' +
    'incident type codes (or their names), the district one of the city’s, within the importer’s data scope. ' +
    'Imported experts are active and available. One bad row and nothing of the file is imported.',
};

export function expertImport(deps: ExpertsDeps): ImportDeclaration<ExpertInput, PreparedExpert> {
  return {
    registry: 'experts',
    zh: '专家库',
    en: 'Expert register',
    entity: 'expert',
    permission: 'experts.manage',
    columns: EXPERT_COLUMNS,
    noteZh: EXPERT_IMPORT_NOTE.zh,
    noteEn: EXPERT_IMPORT_NOTE.en,
    schema: ImportSchema,
    toInput: (v) => expertInputOf(deps, v),
    async prepare(ctx, input) {
      checkPhones(input);
      return prepareExpert(deps, ctx, input);
    },
    async write(trx, ctx, prepared, now) {
      return writeExpert(deps, trx, ctx, prepared, now);
    },
    committed: () => deps.afterCommit(),
  };
}
