/** Every error code Anlan answers with: HTTP status and the message in zh-CN and English. */
const CODES = {
  VALIDATION: { status: 400, zh: '字段 {field} 无效：{reason}', en: 'Invalid field {field}: {reason}' },
  BAD_REQUEST: { status: 400, zh: '请求无效：{reason}', en: 'Bad request: {reason}' },
  UNKNOWN_TYPE_CODE: { status: 400, zh: '未知的事件类型代码：{value}', en: 'Unknown incident type code: {value}' },
  COORDINATES_OUT_OF_RANGE: {
    status: 400,
    zh: '坐标超出范围：经度须在 -180~180、纬度须在 -90~90 之间',
    en: 'Coordinates out of range: longitude must be within -180..180 and latitude within -90..90',
  },
  LEVEL_REASON_REQUIRED: {
    status: 400,
    zh: '人工调整级别时必须填写理由',
    en: 'A reason is required to set the level by hand',
  },
  INVALID_TRANSITION: {
    status: 400,
    zh: '不能从“{from}”转为“{to}”',
    en: 'Cannot change status from "{from}" to "{to}"',
  },
  INCIDENT_CLOSED: { status: 409, zh: '事件已关闭，不能修改', en: 'The incident is closed and cannot be changed' },
  VERSION_CONFLICT: {
    status: 409,
    zh: '该记录已被他人修改（当前版本 {current}），请刷新后重试',
    en: 'Someone else changed this record (now version {current}); reload and try again',
  },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  BAD_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账户已锁定至 {until}',
    en: 'Too many failed sign-ins; the account is locked until {until}',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账户已停用', en: 'The account is disabled' },
  CSRF: { status: 403, zh: '缺少或错误的 CSRF 令牌（x-csrf-token）', en: 'Missing or wrong CSRF token (x-csrf-token)' },
  FORBIDDEN: { status: 403, zh: '没有权限：{permission}', en: 'Not permitted: {permission}' },
  OUT_OF_SCOPE: { status: 403, zh: '超出数据范围：{scope}', en: 'Outside your data scope: {scope}' },
  NOT_FOUND: { status: 404, zh: '未找到：{entity}', en: 'Not found: {entity}' },
  DUPLICATE: { status: 409, zh: '{field} 已存在：{value}', en: '{field} already exists: {value}' },
  WRONG_PASSWORD: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  WEAK_PASSWORD: {
    status: 400,
    zh: '密码至少 8 位，且须包含字母和数字',
    en: 'The password needs at least 8 characters with letters and digits',
  },
  UNKNOWN_UNIT: { status: 400, zh: '未知的单位代码：{value}', en: 'Unknown unit code: {value}' },
  UNKNOWN_ROLE: { status: 400, zh: '未知的角色：{value}', en: 'Unknown role: {value}' },
  UNKNOWN_PERMISSION: { status: 400, zh: '未知的权限：{value}', en: 'Unknown permission: {value}' },
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
  IMPORT_RUNNING: { status: 409, zh: '已有路网导入正在进行', en: 'A road network import is already running' },
  NOT_READY: { status: 503, zh: '服务尚未就绪', en: 'Not ready' },
  INTERNAL: {
    status: 500,
    zh: '服务器内部错误（请求 {requestId}）',
    en: 'Internal server error (request {requestId})',
  },
} as const;

export type ErrorCode = keyof typeof CODES;
export type Lang = 'zh' | 'en';

/** An error a person can act on: a code, the offending field, and values for the message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: { field?: string; [key: string]: unknown } = {},
  ) {
    super(`${code}${details.field ? ` (${details.field})` : ''}`);
  }
  get status(): number {
    return CODES[this.code].status;
  }
  get field(): string | undefined {
    return this.details.field;
  }
  message_(lang: Lang): string {
    return formatMessage(this.code, lang, this.details);
  }
}

export function statusOf(code: ErrorCode): number {
  return CODES[code].status;
}

export function formatMessage(code: ErrorCode, lang: Lang, values: Record<string, unknown>): string {
  const template: string = CODES[code][lang];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (values[k] === undefined ? '' : String(values[k])));
}

/** zh-CN unless the request asks for English first. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

export const ERROR_CODES = Object.keys(CODES) as ErrorCode[];
