import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, formatMessage, type Lang, langOf } from '../../errors.ts';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/casualties/deaths` → `casualties.deaths`; a missing property is named itself. */
export function fieldOf(e: AjvError): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = (e.params.missingProperty ?? e.params.additionalProperty) as string | undefined;
  return [path, extra].filter(Boolean).join('.') || '(body)';
}

const REASONS: Record<string, { zh: string; en: string }> = {
  required: { zh: '必填', en: 'is required' },
  minimum: { zh: '不能小于 {limit}', en: 'must be ≥ {limit}' },
  maximum: { zh: '不能大于 {limit}', en: 'must be ≤ {limit}' },
  exclusiveMinimum: { zh: '必须大于 {limit}', en: 'must be > {limit}' },
  minLength: { zh: '至少 {limit} 个字符', en: 'needs at least {limit} characters' },
  maxLength: { zh: '不能超过 {limit} 个字符', en: 'must not exceed {limit} characters' },
  minItems: { zh: '至少 {limit} 项', en: 'needs at least {limit} items' },
  maxItems: { zh: '最多 {limit} 项', en: 'allows at most {limit} items' },
  type: { zh: '类型应为 {type}', en: 'must be of type {type}' },
  format: { zh: '格式应为 {format}', en: 'must be a valid {format}' },
  pattern: { zh: '格式不正确', en: 'has the wrong format' },
  additionalProperties: { zh: '不允许此字段', en: 'is not an allowed field' },
  const: { zh: '取值无效', en: 'has an invalid value' },
  enum: { zh: '取值无效', en: 'has an invalid value' },
  anyOf: { zh: '取值无效', en: 'has an invalid value' },
};

/** Fastify's `date-time` also refuses instants before 1900 (input.plugin.ts): the reason says both. */
const DATE_TIME: { zh: string; en: string } = {
  zh: '应为 ISO 8601 日期时间（含时区），且不早于 1900 年',
  en: 'must be an ISO 8601 date-time with its time zone, not before 1900',
};

export function reasonOf(e: AjvError, lang: Lang): string {
  if (e.keyword === 'format' && e.params.format === 'date-time') return DATE_TIME[lang];
  const r = REASONS[e.keyword];
  if (!r) return e.message ?? e.keyword;
  return r[lang].replace(/\{(\w+)\}/g, (_, k: string) => String(e.params[k] ?? ''));
}

function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  field?: string,
  reasons?: string[],
) {
  return reply
    .status(status)
    .send({ error: { code, message, ...(field ? { field } : {}), ...(reasons ? { reasons } : {}) } });
}

/**
 * Maps every error to `{"error": {code, message, field}}` in the request's language; 5xx internals stay in the log.
 * A refused permission is named in words (`permissionName`: the registry's names) with its code beside them.
 */
export function registerErrorHandler(
  app: FastifyInstance,
  permissionName: (code: string) => { zh: string; en: string } | undefined = () => undefined,
): void {
  app.setErrorHandler((err: FastifyError & { validation?: AjvError[] }, req: FastifyRequest, reply: FastifyReply) => {
    const lang = langOf(req.headers['accept-language']);
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err }, 'app error');
      // a document refused for several problems (CAP) lists them all, one line each
      const reasons = Array.isArray(err.details.reasons) ? (err.details.reasons as unknown[]).map(String) : undefined;
      const permission = err.code === 'FORBIDDEN' ? err.details.permission : undefined;
      const named = typeof permission === 'string' ? permissionName(permission) : undefined;
      const message = named
        ? formatMessage('FORBIDDEN', lang, {
            ...err.details,
            permission: { zh: `${named.zh}（${permission}）`, en: `${named.en} (${permission})` },
          })
        : err.message_(lang);
      return sendError(reply, err.status, err.code, message, err.field, reasons);
    }
    if (err.validation?.length) {
      // anyOf failures come with their branches' errors: the first specific one names the field best.
      const e = err.validation.find((v) => v.keyword !== 'anyOf') ?? err.validation[0];
      const field = fieldOf(e);
      return sendError(
        reply,
        400,
        'VALIDATION',
        formatMessage('VALIDATION', lang, { field: field, reason: reasonOf(e, lang) }),
        field,
      );
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error');
      return sendError(reply, status, 'INTERNAL', formatMessage('INTERNAL', lang, { requestId: req.id }));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || status === 400) {
      return sendError(reply, 400, 'BAD_REQUEST', formatMessage('BAD_REQUEST', lang, { reason: err.message }));
    }
    return sendError(reply, status, err.code ?? 'ERROR', err.message);
  });
}

export function notFound(req: FastifyRequest, reply: FastifyReply) {
  const lang = langOf(req.headers['accept-language']);
  return sendError(
    reply,
    404,
    'NOT_FOUND',
    formatMessage('NOT_FOUND', lang, { entity: `${req.method} ${req.url.split('?')[0]}` }),
  );
}
