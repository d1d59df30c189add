import { defineErrors, type ErrorDef } from '../../errors.ts';

/** The risks module's refusals. The CENSUS_* row codes are what a census import's report names per row. */
export const RISKS_ERRORS = defineErrors('risks', {
  CENSUS_FILE_FORMAT: {
    status: 400,
    zh: '无法读取文件：{reason}',
    en: 'The file cannot be read: {reason}',
  },
  CENSUS_GEOMETRY_EMPTY: { status: 400, zh: '几何为空', en: 'The geometry is empty' },
  CENSUS_GEOMETRY_INVALID: {
    status: 400,
    zh: '几何无效：{reason}',
    en: 'The geometry is not valid: {reason}',
  },
  CENSUS_GEOMETRY_TYPE: {
    status: 400,
    zh: '“{kind}”不接受{given}几何，只接受：{allowed}',
    en: '"{kind}" takes no {given} geometry, only: {allowed}',
  },
  CENSUS_AXIS_SWAPPED: {
    status: 400,
    zh: '经纬度顺序颠倒（给出的是 纬度,经度：{given}）：交换后位于威海市域内，请按 经度,纬度 填写',
    en: 'Latitude and longitude are swapped (given lat,lon: {given}): swapped they lie in Weihai; give lon,lat',
  },
  CENSUS_OUTSIDE_REGION: {
    status: 400,
    zh: '位置 {given} 在威海市域 {km} 公里范围之外',
    en: 'The location {given} is more than {km} km outside Weihai',
  },
  CENSUS_NO_COORDINATES: {
    status: 400,
    zh: '缺少坐标（经度/纬度列或 WKT 列）',
    en: 'No coordinates (longitude/latitude columns or a WKT column)',
  },
  CENSUS_BAD_WKT: { status: 400, zh: 'WKT 无法解析：{value}', en: 'The WKT cannot be read: {value}' },
  CENSUS_BAD_NUMBER: {
    status: 400,
    zh: '“{column}”应为不小于 0 的数：{value}',
    en: '"{column}" must be a number not below 0: {value}',
  },
  CENSUS_BAD_LEVEL: {
    status: 400,
    zh: '“{column}”应为等级 1–4（或 I–IV、特大/大型/中型/小型）：{value}',
    en: '"{column}" must be a level 1–4 (or I–IV): {value}',
  },
  CENSUS_NO_FEATURES: { status: 400, zh: '文件中没有要素', en: 'The file holds no features' },
  CENSUS_TOO_MANY_FEATURES: {
    status: 400,
    zh: '文件有 {rows} 个要素，超过单次导入上限 {max}',
    en: 'The file holds {rows} features, more than the {max} one import takes',
  },
  CENSUS_DOCTYPE: {
    status: 400,
    zh: 'KML 文件含 DOCTYPE 声明，出于安全原因拒绝读取',
    en: 'The KML file declares a DOCTYPE; it is refused for safety',
  },
  NO_BOUNDARY: {
    status: 409,
    zh: '尚未加载威海市行政区划边界，无法检查位置和计算风险网格',
    en: 'Weihai’s boundaries are not loaded: locations cannot be checked nor the grid computed',
  },
  GRID_NOT_COMPUTED: {
    status: 404,
    zh: '风险网格尚未计算',
    en: 'The risk grid has not been computed yet',
  },
  CELL_NOT_IN_GRID: { status: 404, zh: '网格单元 {h3} 不在当前风险网格中', en: 'Cell {h3} is not in the current grid' },
  SETTINGS_THRESHOLDS: {
    status: 400,
    zh: '风险等级阈值须满足 重大 > 较大 > 一般 > 0',
    en: 'Class thresholds must be major > large > general > 0',
  },
  UNKNOWN_KIND: { status: 400, zh: '未知的普查图层类型：{value}', en: 'Unknown census kind: {value}' },
  PROJECT_DATES: {
    status: 400,
    zh: '结束日期不能早于开始日期',
    en: 'The end date cannot be before the start date',
  },
  PROJECT_DISTRICT: { status: 400, zh: '未知的区市：{value}', en: 'Unknown district: {value}' },
  PROGRESS_DATE: {
    status: 400,
    zh: '进度日期 {date} 不能早于项目开始日期 {start}，也不能晚于今天',
    en: 'The progress date {date} cannot be before the project start {start} nor after today',
  },
  PROGRESS_DECREASE: {
    status: 409,
    zh: '累计完成量 {quantity} 小于 {date} 之前已报的 {previous}（进度按累计量填报）',
    en: 'The cumulative quantity {quantity} is below the {previous} reported before {date} (progress is cumulative)',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof RISKS_ERRORS, ErrorDef> {}
}
