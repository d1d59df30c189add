import { defineErrors, type ErrorDef } from '../errors.ts';

export const GEO_ERRORS = defineErrors('geo', {
  OFF_NETWORK: {
    status: 422,
    zh: '{field} 距最近的可通行道路 {meters} 米，超过 {max} 米，不在路网上',
    en: '{field} lies {meters} m from the nearest drivable road, farther than {max} m: off the network',
  },
  NO_ROUTE: { status: 422, zh: '{field} 从起点无法经道路到达', en: '{field} cannot be reached by road from the start' },
  NO_ROAD_NETWORK: {
    status: 503,
    zh: '尚未导入路网（npx anlan import osm 文件）',
    en: 'No road network is loaded yet (npx anlan import osm FILE)',
  },
  OSM_INVALID: {
    status: 422,
    zh: 'OSM 文件无法读取（{file}）：{reason}；现有路网未改变',
    en: 'The OSM file cannot be read ({file}): {reason}; the current network is unchanged',
  },
  UPLOAD_TOO_LARGE: {
    status: 413,
    zh: '{field} 超过上传上限 {max} MB（ANLAN_UPLOAD_MAX_MB）',
    en: '{field} is larger than the upload limit of {max} MB (ANLAN_UPLOAD_MAX_MB)',
  },
  IMPORT_RUNNING: { status: 409, zh: '已有路网导入正在进行', en: 'A road network import is already running' },
  AREA_TOO_LARGE: {
    status: 400,
    zh: '{field} 过大：约 {cells} 个网格，上限 {max} 个（约 {maxKm2} 平方公里）；请缩小范围',
    en: '{field} is too large: about {cells} cells, the limit is {max} (about {maxKm2} km²); choose a smaller area',
  },
});

declare module '../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof GEO_ERRORS, ErrorDef> {}
}
