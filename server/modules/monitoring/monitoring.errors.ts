import { defineErrors, type ErrorDef } from '../../errors.ts';

export const MONITORING_ERRORS = defineErrors('monitoring', {
  DEVICE_TOKEN_INVALID: {
    status: 401,
    zh: '设备令牌无效或设备已停用',
    en: 'The device token is not valid, or the device is disabled',
  },
  DEVICE_CODE_TAKEN: {
    status: 409,
    zh: '站码 {value} 已被其他设备使用',
    en: 'Station code {value} is already used by another device',
  },
  UNKNOWN_METRIC: {
    status: 400,
    zh: '未知的监测指标：{value}（标准指标名如 rain_mm、water_level_m，或其中文名）',
    en: 'Unknown metric: {value} (standard names such as rain_mm, water_level_m, or their names)',
  },
  METRIC_NOT_OF_KIND: {
    status: 400,
    zh: '指标 {value} 不属于该设备',
    en: "Metric {value} is not one of this device's metrics",
  },
  RULE_NO_COLOUR: {
    status: 400,
    zh: '规则至少要有一个颜色的条件',
    en: 'A rule needs the condition of at least one colour',
  },
  RULE_WINDOW_REQUIRED: {
    status: 400,
    zh: '“{value}”需要填写时间窗口（分钟）',
    en: '"{value}" needs a window in minutes',
  },
  UNKNOWN_HAZARD: { status: 400, zh: '未知的灾种代码：{value}', en: 'Unknown hazard code: {value}' },
  NOT_BUILTIN: { status: 400, zh: '只有内置规则可以恢复默认', en: 'Only a built-in rule can be reset' },
  INGEST_UNAVAILABLE: {
    status: 503,
    zh: '数据暂时无法写入，请稍后重发',
    en: 'Readings cannot be stored at the moment: send them again shortly',
  },
  READINGS_RANGE_TOO_LONG: {
    status: 400,
    zh: '原始数据一次最多查询 {value} 天，请改用小时汇总',
    en: 'Raw readings can be read for at most {value} days at a time: use hourly roll-ups',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof MONITORING_ERRORS, ErrorDef> {}
}
