/**
 * The rules every installation starts with, active for every device that has the metric until someone changes or
 * disables them. Each says where its criteria come from and what is approximate (`basis`): the CMA signal criteria
 * (CMA Order 16, `../shared/reference/cma16_warning_signals.csv`) are written for forecasts and observations of an
 * area; a rule sees one station. Where no national criterion exists the numbers are placeholders to configure.
 */
import type { Clause, ColourCondition, RuleInput } from '../../../contracts/monitoring.ts';

export interface BuiltinRule extends RuleInput {
  key: string;
}

const any = (...clauses: Clause[]): ColourCondition => ({ mode: 'any', clauses });
const all = (...clauses: Clause[]): ColourCondition => ({ mode: 'all', clauses });
const rainSum = (hours: number, mm: number): ColourCondition =>
  any({ metric: 'rain_mm', fn: 'sum', windowMinutes: hours * 60, op: '>=', value: mm });

/** Beaufort scale, lower bound of each force in m/s (10 m above ground; WMO / GB/T 28591-2012). */
export const BEAUFORT_MS: Record<number, number> = {
  5: 8.0,
  6: 10.8,
  7: 13.9,
  8: 17.2,
  9: 20.8,
  10: 24.5,
  11: 28.5,
  12: 32.7,
  13: 37.0,
  14: 41.5,
};
const gale = (mean: number, gust: number): ColourCondition =>
  any(
    { metric: 'wind_speed_ms', fn: 'value', op: '>=', value: BEAUFORT_MS[mean]! },
    { metric: 'wind_gust_ms', fn: 'value', op: '>=', value: BEAUFORT_MS[gust]! },
  );

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  {
    key: 'rainstorm',
    name: '暴雨（实况累计雨量）',
    nameEn: 'Rainstorm (observed rolling rainfall)',
    hazardCode: '11B03',
    colours: { blue: rainSum(12, 50), yellow: rainSum(6, 50), orange: rainSum(3, 50), red: rainSum(3, 100) },
    hysteresis: 0,
    clearAfterMinutes: 60,
    basis:
      '中国气象局令第16号暴雨预警信号“已达”部分：蓝色12小时≥50毫米，黄色6小时≥50毫米，橙色3小时≥50毫米，红色3小时≥100毫米；按单站滑动累计（ts−窗口, ts]。各省可有地方标准，请按本省标准调整。 / CMA Order 16 rainstorm signal, "already reached" part, on one station\'s rolling sum; provinces may set their own criteria.',
  },
  {
    key: 'gale',
    name: '大风（平均风速或阵风，蒲福风级）',
    nameEn: 'Gale (mean wind or gust, Beaufort scale)',
    hazardCode: '11B06',
    colours: { blue: gale(6, 7), yellow: gale(8, 9), orange: gale(10, 11), red: gale(12, 13) },
    hysteresis: 1,
    clearAfterMinutes: 60,
    basis:
      '中国气象局令第16号大风预警信号“已经受大风影响”部分：蓝色平均6级或阵风7级，黄色8级或阵风9级，橙色10级或阵风11级，红色12级或阵风13级；风级下限按蒲福风级（GB/T 28591-2012）。 / CMA Order 16 gale signal, observed part; Beaufort lower bounds.',
  },
  {
    key: 'high-temperature',
    name: '高温',
    nameEn: 'High temperature',
    hazardCode: '11B09',
    colours: {
      yellow: any({ metric: 'temperature_c', fn: 'value', op: '>=', value: 35 }),
      orange: any({ metric: 'temperature_c', fn: 'max', windowMinutes: 1440, op: '>=', value: 37 }),
      red: any({ metric: 'temperature_c', fn: 'max', windowMinutes: 1440, op: '>=', value: 40 }),
    },
    hysteresis: 0.5,
    clearAfterMinutes: 180,
    basis:
      '中国气象局令第16号高温信号：黄色“连续三天日最高气温35℃以上”（此处近似为实测气温≥35℃，未检查连续三天），橙色24小时内最高气温≥37℃，红色≥40℃。 / CMA Order 16; yellow approximated by a reading ≥ 35 ℃ (the three-day condition is not checked).',
  },
  {
    key: 'fog',
    name: '大雾（能见度）',
    nameEn: 'Heavy fog (visibility)',
    hazardCode: '11B17',
    colours: {
      yellow: any({ metric: 'visibility_m', fn: 'value', op: '<', value: 500 }),
      orange: any({ metric: 'visibility_m', fn: 'value', op: '<', value: 200 }),
      red: any({ metric: 'visibility_m', fn: 'value', op: '<', value: 50 }),
    },
    hysteresis: 20,
    clearAfterMinutes: 60,
    basis:
      '中国气象局令第16号大雾信号“已经出现”部分：黄色能见度<500米，橙色<200米，红色<50米（能见度低也可能是霾或沙尘，需人工判断）。 / CMA Order 16 fog signal, observed part (low visibility may also be haze or dust).',
  },
  {
    key: 'cold-wave',
    name: '寒潮（气温降幅）',
    nameEn: 'Cold wave (temperature drop)',
    hazardCode: '11B05',
    colours: {
      blue: all(
        { metric: 'temperature_c', fn: 'drop', windowMinutes: 2880, op: '>=', value: 8 },
        { metric: 'temperature_c', fn: 'value', op: '<=', value: 4 },
      ),
      yellow: all(
        { metric: 'temperature_c', fn: 'drop', windowMinutes: 1440, op: '>=', value: 10 },
        { metric: 'temperature_c', fn: 'value', op: '<=', value: 4 },
      ),
      orange: all(
        { metric: 'temperature_c', fn: 'drop', windowMinutes: 1440, op: '>=', value: 12 },
        { metric: 'temperature_c', fn: 'value', op: '<=', value: 0 },
      ),
      red: all(
        { metric: 'temperature_c', fn: 'drop', windowMinutes: 1440, op: '>=', value: 16 },
        { metric: 'temperature_c', fn: 'value', op: '<=', value: 0 },
      ),
    },
    hysteresis: 0,
    clearAfterMinutes: 720,
    basis:
      "中国气象局令第16号寒潮信号：蓝色48小时降温≥8℃且最低≤4℃，黄色24小时≥10℃且≤4℃，橙色24小时≥12℃且≤0℃，红色24小时≥16℃且≤0℃。近似：用实测气温的时段最高值与当前值之差代替“最低气温降幅”，未检查风力条件。 / Approximation: the drop from the window's highest reading, not of daily minima; the wind condition is not checked.",
  },
  {
    key: 'water-level',
    name: '水位（汛限/警戒/保证水位）',
    nameEn: 'Water level (flood-limit / warning / guaranteed)',
    hazardCode: '11A01',
    colours: {
      blue: any({ metric: 'water_level_m', fn: 'value', op: '>=', value: { param: 'flood_limit_m' } }),
      yellow: any({ metric: 'water_level_m', fn: 'value', op: '>=', value: { param: 'warning_level_m' } }),
      orange: any({ metric: 'water_level_m', fn: 'value', op: '>=', value: { param: 'guaranteed_level_m' } }),
    },
    hysteresis: 0.05,
    clearAfterMinutes: 120,
    basis:
      "按本站（水库、河道断面）登记的特征水位：超汛限水位蓝色，超警戒水位黄色，超保证水位橙色。颜色对应关系为本系统设定，未见全国统一规定，请按本地防汛预案调整。 / Against the station's own characteristic levels; the colour mapping is Anlan's choice, not a national rule: configure it.",
  },
  {
    key: 'gas',
    name: '可燃气体浓度（%LEL）',
    nameEn: 'Combustible gas (%LEL)',
    hazardCode: '12D02',
    colours: {
      yellow: any({ metric: 'gas_lel_pct', fn: 'value', op: '>=', value: 25 }),
      orange: any({ metric: 'gas_lel_pct', fn: 'value', op: '>=', value: 50 }),
    },
    hysteresis: 2,
    clearAfterMinutes: 30,
    basis:
      "参照GB/T 50493-2019可燃气体一级报警设定值≤25%LEL、二级报警≤50%LEL（未核实原文）；颜色对应为本系统设定，请按企业报警设定值调整。 / After GB/T 50493-2019 alarm set points (not verified against the text); colours are Anlan's choice.",
  },
  {
    key: 'tailings-displacement',
    name: '尾矿库/边坡位移速率',
    nameEn: 'Tailings dam / slope displacement rate',
    hazardCode: '12B04',
    colours: {
      blue: any({ metric: 'displacement_mm', fn: 'rate', windowMinutes: 1440, op: '>=', value: 0.1 }),
      yellow: any({ metric: 'displacement_mm', fn: 'rate', windowMinutes: 1440, op: '>=', value: 0.25 }),
      orange: any({ metric: 'displacement_mm', fn: 'rate', windowMinutes: 360, op: '>=', value: 1 }),
      red: any({ metric: 'displacement_mm', fn: 'rate', windowMinutes: 60, op: '>=', value: 5 }),
    },
    hysteresis: 0,
    clearAfterMinutes: 1440,
    basis:
      "占位阈值（毫米/小时）：无全国统一的位移速率分级标准，须按该库/边坡的设计与监测方案设定。 / Placeholder thresholds (mm per hour): no national criterion; set them from the dam's or slope's own monitoring design.",
  },
  {
    key: 'crowd-density',
    name: '人员密集（占最大承载量比例）',
    nameEn: 'Crowd density (share of capacity)',
    hazardCode: '12S01',
    colours: {
      blue: any({ metric: 'people_count', fn: 'value', op: '>=', value: { param: 'capacity', factor: 0.7 } }),
      yellow: any({ metric: 'people_count', fn: 'value', op: '>=', value: { param: 'capacity', factor: 0.8 } }),
      orange: any({ metric: 'people_count', fn: 'value', op: '>=', value: { param: 'capacity', factor: 0.9 } }),
      red: any({ metric: 'people_count', fn: 'value', op: '>=', value: { param: 'capacity', factor: 1 } }),
    },
    hysteresis: 0,
    clearAfterMinutes: 30,
    basis:
      "按场所登记的最大承载量：70%蓝色、80%黄色、90%橙色、100%红色（本系统设定，参照景区流量管控常见做法，请按场所预案调整）。 / Shares of the venue's registered capacity; Anlan's choice, configure per venue plan.",
  },
];
