/**
 * Monitoring: devices and stations of every kind, their readings (by metric), the rules that turn readings into
 * warnings, and the dead letters of ingestion. Shared by the server (schemas) and the web (types, names, units).
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { Point } from './incidents.ts';

export const DEVICE_KINDS = [
  'rain_gauge',
  'water_level',
  'weather_station',
  'gas_detector',
  'displacement',
  'crowd_counter',
  'camera',
  'other',
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DEVICE_KIND_INFO: Record<DeviceKind, { zh: string; en: string; metrics: Metric[] }> = {
  rain_gauge: { zh: '雨量站', en: 'Rain gauge', metrics: ['rain_mm'] },
  water_level: { zh: '水位站', en: 'Water level gauge', metrics: ['water_level_m'] },
  weather_station: {
    zh: '气象站',
    en: 'Weather station',
    metrics: ['rain_mm', 'wind_speed_ms', 'wind_gust_ms', 'temperature_c', 'visibility_m'],
  },
  gas_detector: { zh: '可燃气体探测器', en: 'Gas detector', metrics: ['gas_lel_pct'] },
  displacement: {
    zh: '位移监测（尾矿库/边坡）',
    en: 'Displacement sensor (tailings dam, slope)',
    metrics: ['displacement_mm'],
  },
  crowd_counter: { zh: '客流计数', en: 'Crowd counter', metrics: ['people_count'] },
  camera: { zh: '视频监控', en: 'Video camera', metrics: [] },
  other: { zh: '其他', en: 'Other', metrics: [] },
};

export const METRICS = [
  'rain_mm',
  'water_level_m',
  'wind_speed_ms',
  'wind_gust_ms',
  'temperature_c',
  'visibility_m',
  'gas_lel_pct',
  'displacement_mm',
  'people_count',
] as const;
export type Metric = (typeof METRICS)[number];

export interface MetricInfo {
  zh: string;
  en: string;
  unit: string;
  /** the physical range: a value outside it is rejected into the dead letters */
  min: number;
  max: number;
  integer?: boolean;
  /** a value is an amount in the interval ending at its time (summed in roll-ups and rolling windows) */
  additive?: boolean;
}

/**
 * Names, units and physical ranges. The ranges are wide on purpose (records, not expectations): the world's hourly
 * rainfall record is about 305 mm, the strongest gust measured 113 m/s.
 */
export const METRIC_INFO: Record<Metric, MetricInfo> = {
  rain_mm: { zh: '降雨量', en: 'Rainfall', unit: 'mm', min: 0, max: 1000, additive: true },
  water_level_m: { zh: '水位', en: 'Water level', unit: 'm', min: -100, max: 9000 },
  wind_speed_ms: { zh: '平均风速', en: 'Wind speed', unit: 'm/s', min: 0, max: 120 },
  wind_gust_ms: { zh: '阵风', en: 'Wind gust', unit: 'm/s', min: 0, max: 150 },
  temperature_c: { zh: '气温', en: 'Temperature', unit: '℃', min: -90, max: 70 },
  visibility_m: { zh: '能见度', en: 'Visibility', unit: 'm', min: 0, max: 100_000 },
  gas_lel_pct: { zh: '可燃气体浓度', en: 'Gas concentration', unit: '%LEL', min: 0, max: 100 },
  displacement_mm: { zh: '累计位移', en: 'Displacement', unit: 'mm', min: -100_000, max: 100_000 },
  people_count: { zh: '人数', en: 'People count', unit: '', min: 0, max: 10_000_000, integer: true },
};

export function isMetric(m: string): m is Metric {
  return (METRICS as readonly string[]).includes(m);
}

/** Parameters of a device that rules may compare with (a reservoir's levels, a venue's capacity). */
export const DEVICE_PARAMS = ['flood_limit_m', 'warning_level_m', 'guaranteed_level_m', 'capacity'] as const;
export type DeviceParam = (typeof DEVICE_PARAMS)[number];
export const DEVICE_PARAM_INFO: Record<DeviceParam, { zh: string; en: string; unit: string }> = {
  flood_limit_m: { zh: '汛限水位', en: 'Flood-limit level', unit: 'm' },
  warning_level_m: { zh: '警戒水位', en: 'Warning level', unit: 'm' },
  guaranteed_level_m: { zh: '保证水位', en: 'Guaranteed level', unit: 'm' },
  capacity: { zh: '最大承载量', en: 'Capacity', unit: '' },
};

export const DEVICE_STATUSES = ['online', 'offline', 'never', 'disabled'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const DEVICE_STATUS_INFO: Record<DeviceStatus, { zh: string; en: string; color: string }> = {
  online: { zh: '在线', en: 'Online', color: '#52c41a' },
  offline: { zh: '离线', en: 'Offline', color: '#8c8c8c' },
  never: { zh: '未上报', en: 'No data yet', color: '#bfbfbf' },
  disabled: { zh: '已停用', en: 'Disabled', color: '#595959' },
};

const MetricName = T.Enum(METRICS);
const Params = T.Object(
  Object.fromEntries(DEVICE_PARAMS.map((p) => [p, T.Optional(T.Number({ minimum: -100_000, maximum: 10_000_000 }))])),
  { additionalProperties: false },
);

export const DeviceInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  /** the station's own code (站码), unique when given */
  code: T.Optional(T.String({ maxLength: 64 })),
  kind: T.Enum(DEVICE_KINDS),
  metrics: T.Array(MetricName, { maxItems: METRICS.length, uniqueItems: true }),
  location: Point,
  /** the owning department or enterprise (org unit code); default: the creator's unit */
  ownerUnit: T.Optional(T.String({ maxLength: 64 })),
  params: T.Optional(Params),
  /** a camera's stream link (rtsp://, https://…m3u8) */
  streamUrl: T.Optional(T.String({ maxLength: 1000 })),
  /** minutes without data after which the device counts as offline (default 30) */
  offlineAfterMinutes: T.Optional(T.Integer({ minimum: 1, maximum: 10_080 })),
  enabled: T.Optional(T.Boolean()),
  notes: T.Optional(T.String({ maxLength: 2000 })),
});
export type DeviceInput = Static<typeof DeviceInput>;

export const DevicePatch = T.Object({ ...T.Partial(DeviceInput).properties, version: Version() });
export type DevicePatch = Static<typeof DevicePatch>;

export const LatestValue = T.Object({ value: T.Number(), ts: T.String() });
export const Device = T.Object({
  id: T.String(),
  name: T.String(),
  code: T.Union([T.String(), T.Null()]),
  kind: T.Enum(DEVICE_KINDS),
  metrics: T.Array(MetricName),
  location: Point,
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  ownerUnit: T.Union([T.Object({ code: T.String(), name: T.String(), nameEn: T.String() }), T.Null()]),
  params: Params,
  streamUrl: T.Union([T.String(), T.Null()]),
  offlineAfterMinutes: T.Integer(),
  enabled: T.Boolean(),
  status: T.Enum(DEVICE_STATUSES),
  lastSeenAt: T.Union([T.String(), T.Null()]),
  /** the latest value of each metric */
  latest: T.Record(T.String(), LatestValue),
  /** the colour of its most severe active warning, if any */
  warningColour: T.Union([T.String(), T.Null()]),
  notes: T.String(),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
});
export type Device = Static<typeof Device>;

export const DeviceCreated = T.Object({
  device: Device,
  /** the device's API token (MQTT password, HTTP bearer): shown once; rotate to get a new one */
  token: T.String(),
});
export type DeviceCreated = Static<typeof DeviceCreated>;

export const DeviceListQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100, description: 'name or code contains' })),
  kind: T.Optional(T.Enum(DEVICE_KINDS)),
  status: T.Optional(T.Enum(DEVICE_STATUSES)),
  district: T.Optional(T.String({ maxLength: 64 })),
  ...paging({ maxLimit: 2000, defaultLimit: 50 }),
});
export type DeviceListQuery = Static<typeof DeviceListQuery>;

/** One reading message: a time and the values of one or more metrics. */
export const ReadingMessage = T.Object({
  ts: T.String({ description: 'ISO-8601 with offset: the end of the interval a rain amount covers' }),
  values: T.Record(T.String(), T.Number()),
});
export type ReadingMessage = Static<typeof ReadingMessage>;

export const IngestReply = T.Object({
  /** readings stored (a repeat of a stored (device, metric, ts) counts as accepted and changes nothing) */
  accepted: T.Integer(),
  rejected: T.Array(T.Object({ index: T.Integer(), metric: T.Optional(T.String()), reason: T.String() })),
});
export type IngestReply = Static<typeof IngestReply>;

export const ReadingsQuery = T.Object({
  metric: MetricName,
  from: T.Optional(T.String({ format: 'date-time' })),
  to: T.Optional(T.String({ format: 'date-time' })),
  /** raw readings, or hourly roll-ups (default: raw up to 7 days, hourly beyond) */
  resolution: T.Optional(T.Union([T.Literal('raw'), T.Literal('hour')])),
});
export type ReadingsQuery = Static<typeof ReadingsQuery>;

export const ReadingsReply = T.Object({
  metric: MetricName,
  resolution: T.Union([T.Literal('raw'), T.Literal('hour')]),
  /** raw: [ts, value]; hour: [hour start, min, max, sum, mean, count] */
  points: T.Array(T.Array(T.Union([T.String(), T.Number()]))),
  /** the thresholds of the rules that apply to this device and metric, to draw on the chart */
  thresholds: T.Array(
    T.Object({
      colour: T.String(),
      value: T.Number(),
      fn: T.String(),
      windowMinutes: T.Union([T.Integer(), T.Null()]),
      hazardCode: T.String(),
    }),
  ),
});
export type ReadingsReply = Static<typeof ReadingsReply>;

export const DeadLetter = T.Object({
  id: T.String(),
  at: T.String(),
  deviceId: T.Union([T.String(), T.Null()]),
  via: T.String(),
  reason: T.String(),
  /** the message as received (cut at 2,000 characters) */
  payload: T.String(),
});
export type DeadLetter = Static<typeof DeadLetter>;
export const DeadLetterQuery = T.Object({
  deviceId: T.Optional(T.String({ maxLength: 64 })),
  ...paging({ maxLimit: 500, defaultLimit: 50 }),
});
export type DeadLetterQuery = Static<typeof DeadLetterQuery>;

// ---- rules ----

export const RULE_FNS = ['value', 'sum', 'max', 'min', 'rate', 'drop', 'absence'] as const;
export type RuleFn = (typeof RULE_FNS)[number];
export const RULE_FN_INFO: Record<RuleFn, { zh: string; en: string; window: boolean }> = {
  value: { zh: '当前值', en: 'Value', window: false },
  sum: { zh: '滑动累计', en: 'Rolling sum', window: true },
  max: { zh: '时段最大值', en: 'Maximum over window', window: true },
  min: { zh: '时段最小值', en: 'Minimum over window', window: true },
  rate: { zh: '变化速率（每小时）', en: 'Rate of change (per hour)', window: true },
  drop: { zh: '时段内降幅', en: 'Drop over window', window: true },
  absence: { zh: '无数据（分钟）', en: 'No data (minutes)', window: true },
};
export const RULE_OPS = ['>=', '>', '<=', '<'] as const;
export type RuleOp = (typeof RULE_OPS)[number];

/** A threshold: a number, or a device parameter times a factor (a reservoir's warning level, 80 % of capacity). */
export const Threshold = T.Union([
  T.Number(),
  T.Object({ param: T.Enum(DEVICE_PARAMS), factor: T.Optional(T.Number({ minimum: 0, maximum: 100 })) }),
]);
export type Threshold = Static<typeof Threshold>;

export const Clause = T.Object({
  metric: MetricName,
  fn: T.Enum(RULE_FNS),
  /** sum over (ts − window, ts]; max/min/drop over the window; rate over the window; absence after this many minutes */
  windowMinutes: T.Optional(T.Integer({ minimum: 1, maximum: 10_080 })),
  op: T.Enum(RULE_OPS),
  value: Threshold,
});
export type Clause = Static<typeof Clause>;

/** A colour holds when any (or all) of its clauses hold. */
export const ColourCondition = T.Object({
  mode: T.Union([T.Literal('any'), T.Literal('all')]),
  clauses: T.Array(Clause, { minItems: 1, maxItems: 8 }),
});
export type ColourCondition = Static<typeof ColourCondition>;

export const COLOURS = ['blue', 'yellow', 'orange', 'red'] as const;
export type Colour = (typeof COLOURS)[number];
/** blue < yellow < orange < red (levels IV … I). */
export function colourRank(c: Colour): number {
  return COLOURS.indexOf(c);
}
export const COLOUR_INFO: Record<Colour, { zh: string; en: string; color: string; level: 'I' | 'II' | 'III' | 'IV' }> =
  {
    blue: { zh: '蓝色', en: 'Blue', color: '#1677ff', level: 'IV' },
    yellow: { zh: '黄色', en: 'Yellow', color: '#fadb14', level: 'III' },
    orange: { zh: '橙色', en: 'Orange', color: '#fa8c16', level: 'II' },
    red: { zh: '红色', en: 'Red', color: '#d4380d', level: 'I' },
  };

export const RuleInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  nameEn: T.Optional(T.String({ maxLength: 200 })),
  /** the hazard it warns of (GB/T 35561 type code, e.g. 11B03 rainstorm) */
  hazardCode: T.String({ minLength: 5, maxLength: 5 }),
  /** which devices: every device with the metrics (no kind, no devices), a kind, or named devices */
  kind: T.Optional(T.Union([T.Enum(DEVICE_KINDS), T.Null()])),
  deviceIds: T.Optional(T.Array(T.String({ maxLength: 64 }), { maxItems: 1000 })),
  colours: T.Object({
    blue: T.Optional(ColourCondition),
    yellow: T.Optional(ColourCondition),
    orange: T.Optional(ColourCondition),
    red: T.Optional(ColourCondition),
  }),
  /**
   * how far a value must go back past a threshold before its colour stops holding (in the metric's unit; 0: none),
   * so that a value wavering at a threshold does not raise and lower the warning at every reading
   */
  hysteresis: T.Optional(T.Number({ minimum: 0, maximum: 100_000 })),
  /** with no colour holding, the warning keeps its colour until none has held for this long, then it is lifted */
  clearAfterMinutes: T.Optional(T.Integer({ minimum: 0, maximum: 10_080 })),
  enabled: T.Optional(T.Boolean()),
  /** where the criteria come from, and what is approximate about them */
  basis: T.Optional(T.String({ maxLength: 2000 })),
});
export type RuleInput = Static<typeof RuleInput>;

export const RulePatch = T.Object({ ...T.Partial(RuleInput).properties, version: Version() });
export type RulePatch = Static<typeof RulePatch>;

export const Rule = T.Object({
  id: T.String(),
  /** a built-in rule's stable key (`rainstorm` …), null for a rule users made */
  builtin: T.Union([T.String(), T.Null()]),
  /** a built-in rule someone edited: it no longer follows the shipped criteria */
  modified: T.Boolean(),
  name: T.String(),
  nameEn: T.String(),
  hazardCode: T.String(),
  kind: T.Union([T.Enum(DEVICE_KINDS), T.Null()]),
  deviceIds: T.Array(T.String()),
  colours: RuleInput.properties.colours,
  hysteresis: T.Number(),
  clearAfterMinutes: T.Integer(),
  enabled: T.Boolean(),
  basis: T.String(),
  version: T.Integer(),
  updatedAt: T.String(),
});
export type Rule = Static<typeof Rule>;
