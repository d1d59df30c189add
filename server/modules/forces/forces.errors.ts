import { defineErrors, type ErrorDef } from '../../errors.ts';

export const FORCES_ERRORS = defineErrors('forces', {
  STATION_CLASS_REQUIRED: {
    status: 400,
    zh: '消防救援站须填写站级（一级、二级、小型、特勤、战勤保障）',
    en: 'A fire and rescue station needs its class (class1, class2, small, special, support)',
  },
  STATION_CLASS_NOT_FIRE: {
    status: 400,
    zh: '只有综合性消防救援队伍有站级',
    en: 'Only fire and rescue stations have a station class',
  },
  UNKNOWN_SUPPLY_CODE: {
    status: 400,
    zh: '不是 GB/T 38565-2020 的物资编码：{value}',
    en: 'Not a GB/T 38565-2020 supply code: {value}',
  },
  INVALID_GEOMETRY: {
    status: 400,
    zh: '多边形无效：{value}',
    en: 'The polygon is not valid: {value}',
  },
  NO_AREAS: {
    status: 400,
    zh: '没有可分析的{value}：请先登记或在请求中给出区域',
    en: 'No {value} to analyse: register some, or give the areas in the request',
  },
  NO_TEAMS: {
    status: 400,
    zh: '没有可计入分析的{value}（须为待命或执勤状态）',
    en: 'No {value} to count (teams must be available or on duty)',
  },
  NO_DISTRICTS: {
    status: 400,
    zh: '尚未导入区县边界，无法按区县统计',
    en: 'No district boundaries are loaded: nothing to measure by district',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof FORCES_ERRORS, ErrorDef> {}
}
