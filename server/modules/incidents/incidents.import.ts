/**
 * The incident register's import: its columns once, each row mapped to `IncidentInput` and checked and written by the
 * same rules as a report taken by hand (`prepareIncident` / `writeIncident`): number, district, level, the data
 * scope, the first log line, the audit row and the event of each incident.
 */
import { EVENT_TYPES, IncidentInput, isLeafType } from '../../../contracts/incidents.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import {
  committed,
  type IncidentDeps,
  type PreparedIncident,
  prepareIncident,
  writeIncident,
} from './incidents.service.ts';

const TYPE_OPTIONS = EVENT_TYPES.filter((t) => isLeafType(t.code)).map((t) => ({
  value: t.code,
  zh: t.name,
  en: t.nameEn,
}));

/** limits of the service's own schema, so that the template states what the service enforces */
const props = IncidentInput.properties;
const max = (s: unknown) => (s as { maxLength?: number }).maxLength ?? 1000;
const PEOPLE = 100_000_000;

const count = (key: string, zh: string, en: string, example: number): ImportColumn => ({
  key,
  zh,
  en,
  kind: 'integer',
  min: 0,
  max: PEOPLE,
  field: `casualties.${key}`,
  example,
  width: 10,
});

export const INCIDENT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'title',
    zh: '事件标题',
    en: 'Title',
    kind: 'text',
    max: max(props.title),
    required: true,
    field: 'title',
    example: '环翠区世昌大道两车相撞',
    width: 30,
  },
  {
    key: 'typeCode',
    zh: '事件类型',
    en: 'Type code',
    kind: 'enum',
    options: TYPE_OPTIONS,
    required: true,
    field: 'typeCode',
    noteZh: 'GB/T 35561 突发事件分类代码，如 12H02',
    noteEn: 'GB/T 35561 incident type code, e.g. 12H02',
    example: '12H02 道路交通事故',
    width: 24,
  },
  {
    key: 'occurredAt',
    zh: '发生时间',
    en: 'Occurred at',
    kind: 'datetime',
    required: true,
    field: 'occurredAt',
    noteZh: '不能晚于当前时间',
    noteEn: 'not in the future',
    example: '2026-07-01 08:30',
    width: 18,
  },
  {
    key: 'reportedAt',
    zh: '接报时间',
    en: 'Reported at',
    kind: 'datetime',
    field: 'reportedAt',
    noteZh: '留空为导入时间；决定事件编号的年份',
    noteEn: 'empty: the time of the import; gives the year of the incident number',
    example: '2026-07-01 08:41',
    width: 18,
  },
  {
    key: 'lon',
    zh: '经度',
    en: 'Longitude',
    kind: 'lon',
    point: 'location',
    field: 'location',
    noteZh: '用于判定所属区市',
    noteEn: 'places the incident in its district',
    example: 122.1216,
    width: 12,
  },
  {
    key: 'lat',
    zh: '纬度',
    en: 'Latitude',
    kind: 'lat',
    point: 'location',
    field: 'location',
    example: 37.5091,
    width: 12,
  },
  {
    key: 'address',
    zh: '地址',
    en: 'Address',
    kind: 'text',
    max: max(props.address),
    field: 'address',
    example: '环翠区世昌大道与青岛路交叉口',
    width: 30,
  },
  {
    key: 'reporterName',
    zh: '报告人',
    en: 'Reporter',
    kind: 'text',
    max: max(props.reporter.properties.name),
    field: 'reporter.name',
    example: '张伟',
  },
  {
    key: 'reporterUnit',
    zh: '报告单位',
    en: 'Reporter unit',
    kind: 'text',
    max: max(props.reporter.properties.unit),
    field: 'reporter.unit',
    example: '环翠区交警大队',
    width: 18,
  },
  { key: 'reporterPhone', zh: '联系电话', en: 'Phone', kind: 'phone', field: 'reporter.phone', example: '13806311234' },
  count('deaths', '死亡', 'Deaths', 0),
  count('missing', '失踪', 'Missing', 0),
  count('seriouslyInjured', '重伤', 'Seriously injured', 0),
  count('injured', '受伤', 'Injured', 2),
  count('affected', '受灾', 'Affected', 0),
  count('relocated', '紧急转移安置', 'Relocated', 0),
  {
    key: 'directLossWan',
    zh: '直接经济损失（万元）',
    en: 'Direct loss (10,000 CNY)',
    kind: 'number',
    min: 0,
    max: 100_000_000,
    decimals: 2,
    field: 'directLossWan',
    example: 3.5,
    width: 14,
  },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) => (v[k] === null || v[k] === undefined ? undefined : String(v[k]));
const num = (v: Values, k: string) => (typeof v[k] === 'number' ? v[k] : undefined);

/** A row's values as the report a duty officer would have typed into the form. */
export function incidentInputOf(v: Values): IncidentInput {
  const loc = v.location as { lng: number; lat: number } | null;
  const casualties: Record<string, number> = {};
  for (const k of ['deaths', 'missing', 'seriouslyInjured', 'injured', 'affected', 'relocated']) {
    const n = num(v, k);
    if (n !== undefined) casualties[k] = n;
  }
  const reporter = { name: text(v, 'reporterName'), unit: text(v, 'reporterUnit'), phone: text(v, 'reporterPhone') };
  return {
    title: text(v, 'title') ?? '',
    typeCode: text(v, 'typeCode') ?? '',
    occurredAt: text(v, 'occurredAt') ?? '',
    ...(text(v, 'reportedAt') ? { reportedAt: text(v, 'reportedAt') } : {}),
    location: loc ? { type: 'Point', coordinates: [loc.lng, loc.lat] } : null,
    ...(text(v, 'address') ? { address: text(v, 'address') } : {}),
    reporter: Object.fromEntries(Object.entries(reporter).filter(([, x]) => x !== undefined)),
    casualties,
    ...(num(v, 'directLossWan') !== undefined ? { directLossWan: num(v, 'directLossWan') } : {}),
  };
}

export function incidentImport(deps: IncidentDeps): ImportDeclaration<IncidentInput, PreparedIncident> {
  return {
    registry: 'incidents',
    zh: '事件登记',
    en: 'Incident register',
    entity: 'incident',
    permission: 'incidents.create',
    columns: INCIDENT_COLUMNS,
    schema: IncidentInput,
    toInput: incidentInputOf,
    prepare: (ctx, input, now) => prepareIncident(deps, ctx, input, now),
    write: (trx, ctx, prepared, now) => writeIncident(deps, trx, ctx, prepared, now, { alarm: 'serious' }),
    committed: () => committed(deps),
  };
}
