/**
 * What every route gets from the platform, whatever module registers it, so that no module has to remember:
 * - no NUL character in any string or key of its params, query or body (PostgreSQL refuses `\u0000` in text: a 500
 *   otherwise), a 400 naming the field;
 * - a body refuses the fields its schema does not name (each object of a body schema is closed at registration
 *   unless it says `additionalProperties: true`, as free GeoJSON does), a 400 naming the field;
 * - a `date-time` is a real instant from 1900 on (PostgreSQL refuses year 0, and older dates are typing mistakes);
 * - its OpenAPI entry lists the error replies it can give, with the error body, from its traits (public or not,
 *   params, body, a `version` field) and the codes it declares in `config.errors`.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { ErrorBody } from '../../../contracts/common.ts';
import { AppError, type Lang, langOf } from '../../errors.ts';
import { EARLIEST } from '../time.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** error statuses the route gives beyond those its traits imply (e.g. 409, 422, 503), for the API document */
    errors?: readonly number[];
  }
}

const NUL_REASON: Record<Lang, string> = {
  zh: '不能包含 NUL 字符（\\u0000）',
  en: 'must not contain a NUL character (\\u0000)',
};

/**
 * The path (`casualties.deaths`, `roadIds.3`) of the first string or key holding a NUL character, or undefined.
 * Walks without recursion: a body nested thousands deep is answered, not a stack overflow.
 */
export function findNul(value: unknown, prefix = ''): string | undefined {
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path || '(body)';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], path ? `${path}.${i}` : String(i)]);
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i];
        const at = path ? `${path}.${k}` : k;
        if (k.includes('\u0000')) return at;
        stack.push([(v as Record<string, unknown>)[k], at]);
      }
    }
  }
  return undefined;
}

/** 400 naming the field when a value holds a NUL character (also for input a route reads itself, e.g. multipart). */
export function refuseNul(value: unknown, lang: Lang, prefix = ''): void {
  const field = findNul(value, prefix);
  if (field !== undefined) throw new AppError('VALIDATION', { field, reason: NUL_REASON[lang] });
}

type Schema = Record<string, unknown>;

const isObjectSchema = (s: Schema) => s.type === 'object' || (s.type === undefined && typeof s.properties === 'object');

/**
 * A copy of a body schema whose objects refuse fields they do not name (`additionalProperties: false` where the
 * schema leaves it unsaid). An intersection of objects (`T.Intersect`) becomes one object, since each part closed
 * on its own would refuse the other's fields. `where` names the route in the start-up error for a schema that
 * cannot be closed.
 */
export function closeBodySchema(schema: unknown, where: string): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  let s: Schema = { ...(schema as Schema) };
  if (Array.isArray(s.allOf)) s = mergeAllOf(s, where);
  for (const key of ['anyOf', 'oneOf', 'prefixItems'] as const) {
    if (Array.isArray(s[key])) s[key] = (s[key] as unknown[]).map((b) => closeBodySchema(b, where));
  }
  if (Array.isArray(s.items)) s.items = s.items.map((b) => closeBodySchema(b, where));
  else if (s.items) s.items = closeBodySchema(s.items, where);
  if (isObjectSchema(s)) {
    if (s.properties) {
      s.properties = Object.fromEntries(
        Object.entries(s.properties as Schema).map(([k, v]) => [k, closeBodySchema(v, where)]),
      );
    }
    if (typeof s.additionalProperties === 'object')
      s.additionalProperties = closeBodySchema(s.additionalProperties, where);
    if (!('additionalProperties' in s) && !('patternProperties' in s)) s.additionalProperties = false;
  }
  return s;
}

function mergeAllOf(s: Schema, where: string): Schema {
  const parts = (s.allOf as Schema[]).map((p) => (Array.isArray(p.allOf) ? mergeAllOf({ ...p }, where) : p));
  const mergeable = parts.every(
    (p) => isObjectSchema(p) && !('patternProperties' in p) && (p.additionalProperties ?? false) === false,
  );
  if (!mergeable) {
    throw new Error(`${where}: its body schema combines (allOf) what the platform cannot close; write one object`);
  }
  const properties: Schema = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries((p.properties ?? {}) as Schema)) {
      properties[k] = k in properties ? { allOf: [properties[k], v] } : v;
    }
  }
  const required = [...new Set(parts.flatMap((p) => (p.required ?? []) as string[]))];
  const { allOf: _, ...rest } = s;
  return { ...rest, type: 'object', properties, ...(required.length ? { required } : {}) };
}

const ERROR_REPLIES: Record<number, string> = {
  400: 'Invalid input: `error.field` names the field (VALIDATION), or the body cannot be read',
  401: 'Not signed in, or the session or token has ended (UNAUTHENTICATED)',
  403: 'Not permitted (FORBIDDEN), outside the data scope (OUT_OF_SCOPE), or a write without its CSRF token',
  404: 'No such record (NOT_FOUND)',
  409: 'Changed meanwhile: reload and try again (VERSION_CONFLICT), or already there',
  413: 'The body is larger than this route takes',
  422: 'Understood, but it cannot be done (the reply says why)',
  423: 'Locked for now (the reply says until when)',
  429: 'Too many requests: try again later (the reply says when)',
  503: 'Not available yet (the reply says what is missing)',
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function methodsOf(r: RouteOptions): string[] {
  return (Array.isArray(r.method) ? r.method : [r.method]).map((m) => m.toUpperCase());
}

/** Which error statuses a route can answer, from what it is. */
export function errorStatuses(r: RouteOptions, schema: Schema = (r.schema ?? {}) as Schema): number[] {
  const cfg = r.config ?? {};
  const codes = new Set<number>(cfg.errors ?? []);
  const unsafe = methodsOf(r).some((m) => UNSAFE.has(m));
  const hasParams = r.url.includes(':') || !!schema.params;
  if (schema.body || schema.querystring || hasParams || unsafe) codes.add(400);
  if (r.url.startsWith('/api/v1/') && !cfg.public) {
    codes.add(401);
    codes.add(403);
  }
  if (hasParams) codes.add(404);
  if (schema.body) codes.add(413);
  const body = schema.body as Schema | undefined;
  if (body && typeof body.properties === 'object' && 'version' in (body.properties as Schema)) codes.add(409);
  return [...codes].sort((a, b) => a - b);
}

function errorReply(status: number): Schema {
  return { ...ErrorBody, description: ERROR_REPLIES[status] ?? 'Error' };
}

/**
 * Installs the rules above on every route registered after it (call before any route). The Ajv options are
 * separate (`AJV_OPTIONS`), since Fastify takes them when it is created.
 */
export function registerInputRules(app: FastifyInstance): void {
  app.addHook('onRoute', (r) => {
    const schema = r.schema as Schema | undefined;
    if (!schema || schema.hide) return;
    const where = `${methodsOf(r).join(',')} ${r.url}`;
    const next: Schema = { ...schema };
    if (schema.body) {
      const body = schema.body as Schema;
      next.body =
        body.content && typeof body.content === 'object'
          ? {
              ...body,
              content: Object.fromEntries(
                Object.entries(body.content as Record<string, Schema>).map(([type, c]) => [
                  type,
                  { ...c, schema: closeBodySchema(c.schema, where) },
                ]),
              ),
            }
          : closeBodySchema(body, where);
    }
    const response: Schema = { ...((schema.response as Schema | undefined) ?? {}) };
    for (const status of errorStatuses(r, next)) response[status] ??= errorReply(status);
    next.response = response;
    r.schema = next;
  });

  app.addHook('preValidation', async (req: FastifyRequest) => {
    const lang = langOf(req.headers['accept-language']);
    refuseNul(req.params, lang);
    refuseNul(req.query, lang);
    refuseNul(req.body, lang);
  });
}

const EARLIEST_MS = EARLIEST.getTime();

/**
 * Fastify's Ajv, as every route validates with it: types coerced from query strings, no silent removal of fields
 * (a closed body refuses them instead), the first error only (all errors is a denial of service), and `date-time`
 * narrowed to instants from 1900 on.
 */
export const AJV_OPTIONS = {
  customOptions: { coerceTypes: 'array' as const, removeAdditional: false, allErrors: false },
  onCreate(ajv: {
    formats: Record<string, unknown>;
    addFormat(name: string, f: { type: 'string'; validate: (s: string) => boolean }): unknown;
  }) {
    const base = ajv.formats['date-time'];
    const check =
      typeof base === 'function'
        ? (base as (s: string) => boolean)
        : base instanceof RegExp
          ? (s: string) => base.test(s)
          : typeof (base as { validate?: unknown })?.validate === 'function'
            ? ((base as { validate: (s: string) => boolean }).validate as (s: string) => boolean)
            : (s: string) => !Number.isNaN(Date.parse(s));
    ajv.addFormat('date-time', {
      type: 'string',
      validate: (s: string) => check(s) && Date.parse(s.toUpperCase()) >= EARLIEST_MS,
    });
  },
};
