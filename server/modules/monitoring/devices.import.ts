/**
 * The device register's import: its columns once, each row mapped to `DeviceInput` and checked and written by the
 * same rules as a device registered by hand (`prepareDevice` / `writeDevice`): coordinates, district, owner, data
 * scope, a free station code, the audit row and the event of each device.
 *
 * Tokens: every imported device gets its own random token (only its hash is stored), but the import shows none: a
 * report cannot hand out the secrets of hundreds of devices safely (it is a job result any reader of the job sees, and
 * is kept). Whoever connects a device rotates its token (`POST /api/v1/devices/{id}/token`) and gets it once. The
 * template's rules sheet says so.
 */
import { Type as T } from 'typebox';
import {
  DEVICE_KIND_INFO,
  DEVICE_KINDS,
  DEVICE_PARAM_INFO,
  DEVICE_PARAMS,
  type DeviceInput,
  DeviceInput as DeviceInputSchema,
  type DeviceKind,
  type DeviceParam,
  isMetric,
  METRIC_INFO,
  METRICS,
  type Metric,
} from '../../../contracts/monitoring.ts';
import { AppError } from '../../errors.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import { newDeviceToken } from './device-token.ts';
import {
  devicesCommitted,
  type MonitoringDeps,
  type PreparedDevice,
  prepareDevice,
  writeDevice,
} from './monitoring.service.ts';
import './monitoring.errors.ts';

/** limits of the service's own schema, so that the template states what the service enforces */
const props = DeviceInputSchema.properties;
const max = (s: unknown) => (s as { maxLength?: number }).maxLength ?? 1000;

const YES_NO = [
  { value: 'yes', zh: '是', en: 'yes' },
  { value: 'no', zh: '否', en: 'no' },
] as const;

/** what a metrics cell may say for "none" (a kind whose default metrics are not wanted) */
const NONE = ['无', 'none', '-'];

const param = (p: DeviceParam, example?: number): ImportColumn => {
  const info = DEVICE_PARAM_INFO[p];
  return p === 'capacity'
    ? {
        key: p,
        zh: info.zh,
        en: info.en,
        kind: 'integer',
        min: 0,
        max: 10_000_000,
        field: `params.${p}`,
        noteZh: '场所的最大承载人数，客流规则可与之比较',
        noteEn: 'the most people a venue holds, which crowd rules may compare with',
        width: 12,
      }
    : {
        key: p,
        zh: info.zh,
        en: info.en,
        kind: 'number',
        min: -100_000,
        max: 10_000_000,
        decimals: 3,
        field: `params.${p}`,
        noteZh: `单位 ${info.unit}；水库、河段的特征水位，水位规则可与之比较`,
        noteEn: `in ${info.unit}; a reservoir's or river section's characteristic level, which water level rules may compare with`,
        ...(example !== undefined ? { example } : {}),
        width: 12,
      };
};

export const DEVICE_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    zh: '设备名称',
    en: 'Name',
    kind: 'text',
    max: max(props.name),
    required: true,
    field: 'name',
    example: '文登区 米山水库水位站',
    width: 30,
  },
  {
    key: 'code',
    zh: '站码',
    en: 'Station code',
    kind: 'text',
    max: max(props.code),
    unique: true,
    field: 'code',
    noteZh: '不得与已登记的设备重复',
    noteEn: 'must not be the code of a registered device',
    example: 'WL-371081-001',
    width: 16,
  },
  {
    key: 'kind',
    zh: '设备类型',
    en: 'Kind',
    kind: 'enum',
    options: DEVICE_KINDS.map((k) => ({ value: k, zh: DEVICE_KIND_INFO[k].zh, en: DEVICE_KIND_INFO[k].en })),
    required: true,
    field: 'kind',
    example: 'water_level 水位站',
    width: 22,
  },
  {
    key: 'metrics',
    zh: '监测指标',
    en: 'Metrics',
    kind: 'text',
    max: 500,
    field: 'metrics',
    noteZh: `标准指标名，以逗号或顿号分隔（${METRICS.join('、')}），也可写中文名；留空为该类型的默认指标；“无”表示没有指标`,
    noteEn: `standard metric names separated by commas (${METRICS.join(', ')}), or their English names; empty: the kind's default metrics; "none": no metrics`,
    example: 'water_level_m',
    width: 24,
  },
  {
    key: 'lon',
    zh: '经度',
    en: 'Longitude',
    kind: 'lon',
    point: 'location',
    field: 'location',
    required: true,
    noteZh: '用于判定所属区市',
    noteEn: 'places the device in its district',
    example: 122.0046,
    width: 12,
  },
  {
    key: 'lat',
    zh: '纬度',
    en: 'Latitude',
    kind: 'lat',
    point: 'location',
    field: 'location',
    required: true,
    example: 37.2012,
    width: 12,
  },
  {
    key: 'ownerUnit',
    zh: '权属单位代码',
    en: 'Owner unit code',
    kind: 'text',
    max: max(props.ownerUnit),
    field: 'ownerUnit',
    noteZh: '组织机构中的单位代码，如 swj；留空为导入人所在单位',
    noteEn: 'the unit code of the organisation, e.g. swj; empty: the importer’s unit',
    example: 'swj',
    width: 14,
  },
  param('flood_limit_m', 26.5),
  param('warning_level_m', 28),
  param('guaranteed_level_m', 30.2),
  param('capacity'),
  {
    key: 'streamUrl',
    zh: '视频流地址',
    en: 'Stream URL',
    kind: 'text',
    max: max(props.streamUrl),
    field: 'streamUrl',
    noteZh: '视频监控的 rtsp://、rtmp://、http:// 或 https:// 地址',
    noteEn: 'a camera’s rtsp://, rtmp://, http:// or https:// link',
    width: 30,
  },
  {
    key: 'offlineAfterMinutes',
    zh: '离线判定（分钟）',
    en: 'Offline after (minutes)',
    kind: 'integer',
    min: 1,
    max: 10_080,
    field: 'offlineAfterMinutes',
    noteZh: '超过该时间无数据即视为离线；留空为 30',
    noteEn: 'no data for this long counts as offline; empty: 30',
    example: 60,
    width: 12,
  },
  {
    key: 'enabled',
    zh: '启用',
    en: 'Enabled',
    kind: 'enum',
    options: YES_NO,
    field: 'enabled',
    noteZh: '留空为“是”；停用的设备不接收数据',
    noteEn: 'empty: yes; a disabled device receives no readings',
    example: '是',
    width: 8,
  },
  {
    key: 'notes',
    zh: '备注',
    en: 'Notes',
    kind: 'text',
    max: max(props.notes),
    field: 'notes',
    width: 30,
  },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) => (v[k] === null || v[k] === undefined ? undefined : String(v[k]));
const num = (v: Values, k: string) => (typeof v[k] === 'number' ? v[k] : undefined);

const metricNames = new Map<string, Metric>();
for (const m of METRICS) {
  metricNames.set(m.toLowerCase(), m);
  metricNames.set(METRIC_INFO[m].zh, m);
  metricNames.set(METRIC_INFO[m].en.toLowerCase(), m);
}

/**
 * A metrics cell as names: split at commas (full- or half-width), 顿号 and semicolons; each a standard name, or its
 * Chinese or English name. An unknown name stays as written, for `prepare` to name it.
 */
export function metricsOf(cell: string | undefined, kind: string | undefined): string[] {
  const s = (cell ?? '').normalize('NFKC').trim();
  if (!s) return kind && kind in DEVICE_KIND_INFO ? [...DEVICE_KIND_INFO[kind as DeviceKind].metrics] : [];
  if (NONE.includes(s.toLowerCase())) return [];
  const names = s
    .split(/[,、;]+/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => metricNames.get(x.toLowerCase()) ?? metricNames.get(x) ?? x);
  return [...new Set(names)];
}

/** A row's values as the device a user would have registered in the form. */
export function deviceInputOf(v: Values): DeviceInput {
  const loc = v.location as { lng: number; lat: number } | null;
  const kind = text(v, 'kind');
  const params: Record<string, number> = {};
  for (const p of DEVICE_PARAMS) {
    const n = num(v, p);
    if (n !== undefined) params[p] = n;
  }
  const opt = <K extends string>(k: K, x: unknown) => (x === undefined ? {} : { [k]: x });
  return {
    name: text(v, 'name') ?? '',
    ...opt('code', text(v, 'code')),
    kind: (kind ?? '') as DeviceKind,
    metrics: metricsOf(text(v, 'metrics'), kind) as Metric[],
    location: loc ? { type: 'Point', coordinates: [loc.lng, loc.lat] } : (null as unknown as DeviceInput['location']),
    ...opt('ownerUnit', text(v, 'ownerUnit')),
    ...(Object.keys(params).length ? { params } : {}),
    ...opt('streamUrl', text(v, 'streamUrl')),
    ...opt('offlineAfterMinutes', num(v, 'offlineAfterMinutes')),
    ...(text(v, 'enabled') ? { enabled: text(v, 'enabled') === 'yes' } : {}),
    ...opt('notes', text(v, 'notes')),
  };
}

/**
 * The service's schema with the metrics as plain names: an unknown metric is then refused by `prepare` naming it
 * (`UNKNOWN_METRIC`), not as "must be one of …" at its position in the list.
 */
const ImportSchema = T.Object({
  ...props,
  metrics: T.Array(T.String({ maxLength: 64 }), { maxItems: 64 }),
});

export const DEVICE_IMPORT_NOTE = {
  zh:
    '接入令牌：导入的每台设备都生成自己的令牌，但导入结果不显示令牌（数百台设备的密钥不宜在一份报告里交付）。' +
    '设备接入前，由管理员在设备页面“重置令牌”（POST /api/v1/devices/{id}/token）取得该设备的令牌；令牌只显示一次。',
  en:
    'Device tokens: every imported device gets its own token, but the import shows none (the secrets of hundreds of ' +
    'devices do not belong in one report). Before connecting a device, an administrator rotates its token on the ' +
    'device page (POST /api/v1/devices/{id}/token) and gets it, shown once.',
};

export function deviceImport(deps: MonitoringDeps): ImportDeclaration<DeviceInput, PreparedDevice> {
  // ids written by the import's transaction, put into the ingestion cache once it committed (ids of a batch that
  // rolled back are simply not found then)
  let written: string[] = [];
  return {
    registry: 'devices',
    zh: '监测设备',
    en: 'Device register',
    entity: 'device',
    permission: 'monitoring.manage',
    columns: DEVICE_COLUMNS,
    noteZh: DEVICE_IMPORT_NOTE.zh,
    noteEn: DEVICE_IMPORT_NOTE.en,
    schema: ImportSchema,
    toInput: deviceInputOf,
    async prepare(ctx, input) {
      const unknown = input.metrics.filter((m) => !isMetric(m));
      if (unknown.length) throw new AppError('UNKNOWN_METRIC', { field: 'metrics', value: unknown.join(', ') });
      return prepareDevice(deps, ctx, input);
    },
    async write(trx, ctx, prepared, now) {
      // the token is made and forgotten: only its hash is kept, until someone rotates it
      const row = await writeDevice(deps, trx, ctx, prepared, newDeviceToken(), now);
      written.push(row.id);
      return row;
    },
    committed() {
      const ids = written;
      written = [];
      // a failed read here only delays ingestion: the `device.created` listener puts the devices in as well
      void devicesCommitted(deps, ids).catch(() => undefined);
    },
  };
}
