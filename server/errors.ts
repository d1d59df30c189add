/**
 * Every error code Anlan answers with: HTTP status and the message in zh-CN and English. The platform's codes are
 * here; each module declares its own with `defineErrors` in its folder (and adds them to `ErrorCodes` by
 * declaration merging, so that `new AppError('CODE')` is checked by the compiler).
 */
export interface ErrorDef {
  status: number;
  zh: string;
  en: string;
}

const PLATFORM = {
  VALIDATION: { status: 400, zh: '字段 {field} 无效：{reason}', en: 'Invalid field {field}: {reason}' },
  BAD_REQUEST: { status: 400, zh: '请求无效：{reason}', en: 'Bad request: {reason}' },
  COORDINATES_OUT_OF_RANGE: {
    status: 400,
    zh: '坐标超出范围：经度须在 -180~180、纬度须在 -90~90 之间',
    en: 'Coordinates out of range: longitude must be within -180..180 and latitude within -90..90',
  },
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
  TOO_MANY_REQUESTS: {
    status: 429,
    zh: '请求过于频繁，请 {seconds} 秒后再试',
    en: 'Too many requests; try again in {seconds} s',
  },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    zh: '请先修改密码（管理员设置的密码须由本人更改）',
    en: 'Change your password first (a password set by an administrator must be changed by its owner)',
  },
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
  ROLE_FIXED: {
    status: 400,
    zh: '系统管理员角色始终拥有全部权限，不能修改',
    en: 'The administrator role always holds every permission and cannot be changed',
  },
  FILE_NOT_ALLOWED: {
    status: 400,
    zh: '{field} 只能是导入目录 {folder} 中的文件名：{value}',
    en: '{field} must name a file in the import folder {folder}: {value}',
  },
  JOB_LIMIT: {
    status: 429,
    zh: '您已有 {running} 项耗时计算在进行，请稍候再试',
    en: 'You already have {running} long computations running; try again shortly',
  },
  ALERT_NO_UNIT: {
    status: 400,
    zh: '您的账户不属于任何单位，不能接报确认（确认以单位为准）',
    en: 'Your account belongs to no unit: an alarm is acknowledged for a unit',
  },
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    zh: 'Idempotency-Key 请求头应为 1~200 个可见 ASCII 字符',
    en: 'The Idempotency-Key header must be 1 to 200 visible ASCII characters',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '此 Idempotency-Key 已用于另一个请求（{method} {path}，内容不同）；新的请求请使用新的键',
    en: 'This Idempotency-Key was already used for a different request ({method} {path}, other content); use a new key for a new request',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    zh: '使用此 Idempotency-Key 的请求仍在处理中，请稍后重试',
    en: 'The request with this Idempotency-Key is still being handled; try again shortly',
  },
  NOT_READY: { status: 503, zh: '服务尚未就绪', en: 'Not ready' },
  INTERNAL: {
    status: 500,
    zh: '服务器内部错误（请求 {requestId}）',
    en: 'Internal server error (request {requestId})',
  },
} satisfies Record<string, ErrorDef>;

/** The codes the compiler knows: the platform's, and each module's by declaration merging. */
export interface ErrorCodes extends Record<keyof typeof PLATFORM, ErrorDef> {}
export type ErrorCode = keyof ErrorCodes & string;
export type Lang = 'zh' | 'en';

const REGISTRY = new Map<string, ErrorDef & { owner: string }>(
  Object.entries(PLATFORM).map(([code, d]) => [code, { ...d, owner: 'platform' }]),
);

/**
 * A module's error codes, registered when its errors file is first imported (any code that throws them imports it).
 * A code declared twice stops the process: two modules must not answer the same code differently.
 */
export function defineErrors<T extends Record<string, ErrorDef>>(owner: string, defs: T): T {
  for (const [code, d] of Object.entries(defs)) {
    const had = REGISTRY.get(code);
    if (had && had.owner !== owner)
      throw new Error(`error code ${code} of ${owner} is already declared by ${had.owner}`);
    REGISTRY.set(code, { ...d, owner });
  }
  return defs;
}

/** Every declared code with its owner (documentation, tests). */
export function errorCatalogue(): { code: string; owner: string; status: number; zh: string; en: string }[] {
  return [...REGISTRY.entries()].map(([code, d]) => ({ code, ...d }));
}

/** An error a person can act on: a code, the offending field, and values for the message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: { field?: string; [key: string]: unknown } = {},
  ) {
    super(`${code}${details.field ? ` (${details.field})` : ''}`);
  }
  get status(): number {
    return statusOf(this.code);
  }
  get field(): string | undefined {
    return this.details.field;
  }
  message_(lang: Lang): string {
    return formatMessage(this.code, lang, this.details);
  }
}

export function statusOf(code: string): number {
  return REGISTRY.get(code)?.status ?? 500;
}

export function formatMessage(code: string, lang: Lang, values: Record<string, unknown>): string {
  const def = REGISTRY.get(code);
  if (!def) return code;
  return def[lang].replace(/\{(\w+)\}/g, (_, k: string) => valueIn(values[k], lang));
}

/** A message value: a `{zh, en}` pair is said in the reader's language. */
function valueIn(v: unknown, lang: Lang): string {
  if (v === undefined) return '';
  if (v && typeof v === 'object' && 'zh' in v && 'en' in v) return String((v as Record<Lang, unknown>)[lang]);
  return String(v);
}

/** zh-CN unless the request asks for English first. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
