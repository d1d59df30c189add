/**
 * The prevention projects' import (platform import contract): one row per project, checked and written by the same
 * rules as a project entered by hand (`prepareProject` / `insertProject`); an optional point (lon/lat, WGS-84 or the
 * datum chosen at upload). An export imports again as it is. One bad row and nothing of the file is written.
 */
import {
  PROJECT_TYPE_INFO,
  PROJECT_TYPES,
  type ProjectInput,
  ProjectInput as Schema,
} from '../../../contracts/risks.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import { cityDate } from '../../platform/time.ts';
import { insertProject, prepareProject } from './projects.service.ts';
import type { RisksDeps } from './risks.deps.ts';

const props = Schema.properties;
const max = (s: unknown) => (s as { maxLength?: number }).maxLength ?? 1000;

export const PROJECT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    zh: '项目名称',
    en: 'Name',
    kind: 'text',
    max: max(props.name),
    required: true,
    field: 'name',
    example: '里口山蓄水池（示例）',
    width: 28,
  },
  {
    key: 'type',
    zh: '项目类型',
    en: 'Type',
    kind: 'enum',
    options: PROJECT_TYPES.map((t) => ({ value: t, zh: PROJECT_TYPE_INFO[t].zh, en: PROJECT_TYPE_INFO[t].en })),
    required: true,
    field: 'type',
    example: '蓄水设施',
    width: 16,
  },
  {
    key: 'district',
    zh: '区市',
    en: 'District',
    kind: 'text',
    max: 40,
    required: true,
    field: 'district',
    noteZh: '区市代码或名称（如 371002 或 环翠区）',
    noteEn: 'district code or name (e.g. 371002)',
    example: '环翠区',
    width: 12,
  },
  {
    key: 'targetQuantity',
    zh: '目标数量',
    en: 'Target quantity',
    kind: 'number',
    min: 0,
    max: 1_000_000,
    decimals: 3,
    required: true,
    field: 'targetQuantity',
    example: 20,
    width: 10,
  },
  {
    key: 'unit',
    zh: '计量单位',
    en: 'Unit',
    kind: 'text',
    max: max(props.unit),
    required: true,
    field: 'unit',
    example: '个',
    width: 8,
  },
  {
    key: 'responsibleUnit',
    zh: '责任单位',
    en: 'Responsible unit',
    kind: 'text',
    max: max(props.responsibleUnit),
    required: true,
    field: 'responsibleUnit',
    example: '环翠区应急管理局',
    width: 20,
  },
  {
    key: 'startDate',
    zh: '开始日期',
    en: 'Start date',
    kind: 'datetime',
    required: true,
    field: 'startDate',
    example: '2021-03-01',
    width: 12,
  },
  {
    key: 'endDate',
    zh: '结束日期',
    en: 'End date',
    kind: 'datetime',
    required: true,
    field: 'endDate',
    example: '2021-12-31',
    width: 12,
  },
  { key: 'lon', zh: '经度', en: 'Longitude', kind: 'lon', point: 'location', width: 12 },
  { key: 'lat', zh: '纬度', en: 'Latitude', kind: 'lat', point: 'location', width: 12 },
  { key: 'notes', zh: '备注', en: 'Notes', kind: 'text', max: max(props.notes), field: 'notes', width: 24 },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) =>
  v[k] === null || v[k] === undefined ? undefined : String(v[k]).trim() || undefined;
const day = (v: Values, k: string) => (typeof v[k] === 'string' ? cityDate(new Date(v[k] as string)) : '');

export function projectInputOf(deps: RisksDeps, v: Values): ProjectInput {
  const district = text(v, 'district') ?? '';
  const unit = [...deps.units().values()].find(
    (u) => u.code === district || u.name === district || u.nameEn === district,
  );
  const at = v.location as { lng: number; lat: number } | null | undefined;
  const notes = text(v, 'notes');
  return {
    name: text(v, 'name') ?? '',
    type: (text(v, 'type') ?? '') as ProjectInput['type'],
    district: unit?.code ?? district,
    targetQuantity: Number(v.targetQuantity ?? 0),
    unit: text(v, 'unit') ?? '',
    responsibleUnit: text(v, 'responsibleUnit') ?? '',
    startDate: day(v, 'startDate'),
    endDate: day(v, 'endDate'),
    ...(at ? { location: { type: 'Point', coordinates: [at.lng, at.lat] } } : {}),
    ...(notes ? { notes } : {}),
  };
}

export function projectImport(deps: RisksDeps): ImportDeclaration<ProjectInput, ProjectInput> {
  return {
    registry: 'prevention-projects',
    zh: '防灾减灾工程项目',
    en: 'Prevention projects',
    entity: 'prevention_project',
    permission: 'projects.manage',
    columns: PROJECT_COLUMNS,
    noteZh: '每行一个项目，按手工登记的同一规则检查；进度另行填报。任何一行有错，整个文件都不导入。',
    noteEn:
      'One project per row, checked like one entered by hand; progress is reported separately. One bad row and nothing is imported.',
    schema: Schema,
    toInput: (v) => projectInputOf(deps, v),
    async prepare(ctx, input) {
      return prepareProject(deps, ctx, input);
    },
    async write(trx, ctx, input, now) {
      return insertProject(deps, trx, ctx, input, now);
    },
    committed: () => deps.afterCommit(),
  };
}
