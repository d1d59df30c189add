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
  EQUIPMENT_ITEM_FORMAT: {
    status: 400,
    zh: '装备应写作“编码×数量”（多项以顿号分隔），如 2010205×40：{value}',
    en: 'Equipment is written "code×quantity" (items separated by commas), e.g. 2010205×40: {value}',
  },
  UNKNOWN_SPECIALTY: {
    status: 400,
    zh: '未知的专业方向：{value}',
    en: 'Unknown specialty: {value}',
  },
  CONTACTS_UNPAIRED: {
    status: 400,
    zh: '联系人与联系电话须一一对应：{names} 个联系人，{phones} 个电话',
    en: 'Contacts and phones must pair up: {names} names, {phones} phones',
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
  INCIDENT_NO_LOCATION: {
    status: 400,
    zh: '事件没有位置，无法按路程排列或调派队伍：请先补充事发地点',
    en: 'The incident has no location: teams cannot be ranked or sent by road until it has one',
  },
  TEAM_ALREADY_DISPATCHED: {
    status: 409,
    zh: '该队伍已调派至事件 {value}，须先撤离归队',
    en: 'The team is already dispatched to incident {value}; release it first',
  },
  TEAM_NOT_DISPATCHABLE: {
    status: 409,
    zh: '该队伍当前状态（{value}）不可调派：须为待命或执勤',
    en: 'The team cannot be dispatched in its status ({value}): it must be available or on duty',
  },
  DISPATCH_ARRIVED: { status: 409, zh: '该调派已记录到达', en: 'Arrival was already recorded for this dispatch' },
  DISPATCH_RELEASED: { status: 409, zh: '该调派已撤离归队', en: 'This dispatch was already released' },
  POSITION_IN_FUTURE: {
    status: 400,
    zh: '位置时间晚于当前时间超过 {value} 秒：请校准设备时钟',
    en: "The position's time is more than {value} s ahead of now: check the device's clock",
  },
  POSITION_TOO_OLD: {
    status: 400,
    zh: '位置时间早于 {value} 小时前，不再接收',
    en: 'The position is older than {value} hours and is not taken',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof FORCES_ERRORS, ErrorDef> {}
}
