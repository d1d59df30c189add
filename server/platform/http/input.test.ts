/**
 * Bad input found by the security test: each must be a 400 naming the field, never a 500 (PostgreSQL refuses NUL in
 * text, numbers beyond a column, years before 1900, offsets beyond 2^53) and never silently ignored (unknown fields).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let admin: string;
let incidentId: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = (await t.login('admin', ADMIN_PASSWORD)).token;
  const r = await t.api('POST', '/api/v1/incidents', { token: admin, body: incidentBody() });
  incidentId = r.json().id;
});
afterAll(() => t.stop());

const NUL = '\u0000';

async function expect400(
  method: string,
  url: string,
  field: string,
  body?: unknown,
  token: string | undefined = admin,
): Promise<void> {
  const r = await t.api(method, url, { token, body, headers: { 'accept-language': 'en' } });
  expect(r.statusCode, `${method} ${url} ${JSON.stringify(body)}: ${r.body}`).toBe(400);
  expect(r.json().error.field, `${method} ${url}`).toBe(field);
}

describe('NUL characters (PostgreSQL refuses them in text)', () => {
  it.each([
    ['GET', '/api/v1/incidents?q=%00', 'q', undefined],
    ['GET', '/api/v1/incidents?q=a%00b&limit=5', 'q', undefined],
    ['GET', '/api/v1/map/search?q=%00', 'q', undefined],
    ['GET', '/api/v1/org/users?q=%00', 'q', undefined],
    ['GET', '/api/v1/geo/roads?q=%00', 'q', undefined],
    ['GET', '/api/v1/audit?entity=%00', 'entity', undefined],
    ['POST', '/api/v1/incidents', 'title', incidentBody({ title: `泄漏${NUL}` })],
    ['POST', '/api/v1/incidents', 'reporter.name', incidentBody({ reporter: { name: `张${NUL}` } })],
    ['POST', '/api/v1/closures', 'cause', { roadIds: [0], cause: `塌方${NUL}` }],
    ['PATCH', '/api/v1/org/roles/viewer', 'permissions.1', { permissions: ['geo.read', `x${NUL}`], version: 1 }],
  ])('%s %s names %s', async (method, url, field, body) => {
    await expect400(method, url, field, body);
  });

  it('in the command log, a transition note and the login', async () => {
    await expect400('POST', `/api/v1/incidents/${incidentId}/log`, 'text', { text: `已到场${NUL}` });
    await expect400('POST', `/api/v1/incidents/${incidentId}/transitions`, 'note', { to: 'verified', note: NUL });
    await expect400('POST', '/api/v1/auth/login', 'username', { username: `admin${NUL}`, password: 'x' }, undefined);
    await expect400('POST', '/api/v1/auth/login', 'password', { username: 'admin', password: `a${NUL}` }, undefined);
  });

  it('in a key of a free-form object', async () => {
    await expect400('POST', '/api/v1/geo/coverage', `area.a${NUL}`, {
      origins: [[122.1, 37.5]],
      minutes: 5,
      area: { [`a${NUL}`]: 1 },
    });
  });

  it('reaches no handler in any field of any documented route', async () => {
    const doc = (await t.api('GET', '/api/openapi.json', { token: admin })).json() as OpenApiDoc;
    const tried: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const probe of nulProbes(path, op)) {
          const r = await t.api(method.toUpperCase(), probe.url, {
            token: admin,
            body: probe.body,
            headers: { 'accept-language': 'en' },
          });
          const where = `${method.toUpperCase()} ${path} ${probe.field}`;
          expect(r.statusCode, `${where}: ${r.body}`).toBe(400);
          expect(r.json().error.field, where).toBe(probe.field);
          tried.push(where);
        }
      }
    }
    // every module's routes were reached: incidents, geo, closures, org, auth, audit, tiles
    expect(tried.length).toBeGreaterThan(40);
    for (const p of ['/api/v1/incidents ', '/api/v1/closures ', '/api/v1/org/users ', '/api/v1/auth/login ']) {
      expect(tried.some((w) => w.includes(p))).toBe(true);
    }
  }, 300_000);
});

describe('numbers beyond their columns and offsets beyond reason', () => {
  it.each(['/api/v1/incidents', '/api/v1/audit', '/api/v1/closures', '/api/v1/org/users'])(
    '%s refuses an offset beyond 2^53, and an absurd limit',
    async (url) => {
      await expect400('GET', `${url}?offset=9007199254740993`, 'offset');
      await expect400('GET', `${url}?offset=100000000`, 'offset');
      await expect400('GET', `${url}?limit=99999999999999999999`, 'limit');
    },
  );

  it('the command log refuses an offset beyond 2^53', async () => {
    await expect400('GET', `/api/v1/incidents/${incidentId}/log?offset=9007199254740993`, 'offset');
  });

  it('refuses casualty counts and losses beyond the column range', async () => {
    await expect400(
      'POST',
      '/api/v1/incidents',
      'casualties.deaths',
      incidentBody({ casualties: { deaths: 2 ** 31 } }),
    );
    await expect400(
      'POST',
      '/api/v1/incidents',
      'casualties.relocated',
      incidentBody({ casualties: { relocated: 1e20 } }),
    );
    await expect400('POST', '/api/v1/incidents', 'directLossWan', incidentBody({ directLossWan: 1e12 }));
    await expect400('PATCH', `/api/v1/incidents/${incidentId}`, 'casualties.injured', {
      casualties: { injured: 2147483648 },
    });
    await expect400('PATCH', `/api/v1/incidents/${incidentId}`, 'directLossWan', { directLossWan: 1_000_000_000_000 });
    await expect400('PATCH', `/api/v1/incidents/${incidentId}`, 'version', { version: 2 ** 31, title: 'x' });
    const ifMatch = await t.api('PATCH', `/api/v1/incidents/${incidentId}`, {
      token: admin,
      body: { title: 'x' },
      headers: { 'if-match': '"99999999999999999999"' },
    });
    expect(ifMatch.statusCode, ifMatch.body).toBe(400);
    expect(ifMatch.json().error.field).toBe('If-Match');
    // the largest values still fit
    const max = await t.api('POST', '/api/v1/incidents', {
      token: admin,
      body: incidentBody({ casualties: { affected: 2147483647 }, directLossWan: 999999999999.99 }),
    });
    expect(max.statusCode, max.body).toBe(201);
    expect(max.json().casualties.affected).toBe(2147483647);
    expect(max.json().directLossWan).toBe(999999999999.99);
  });

  it('refuses a non-UUID actor in the audit query', async () => {
    await expect400('GET', '/api/v1/audit?actor=admin', 'actor');
    await expect400('GET', "/api/v1/audit?actor=1'%20or%201=1", 'actor');
  });
});

describe('dates before 1900', () => {
  it.each([
    ['POST', '/api/v1/incidents', 'occurredAt', incidentBody({ occurredAt: '0000-01-01T00:00:00Z' })],
    ['POST', '/api/v1/incidents', 'occurredAt', incidentBody({ occurredAt: '1899-12-31T23:59:59Z' })],
    ['POST', '/api/v1/incidents', 'reportedAt', incidentBody({ reportedAt: '0001-01-01T00:00:00Z' })],
    ['POST', '/api/v1/closures', 'startsAt', { roadIds: [0], cause: 'x', startsAt: '0001-01-01T00:00:00Z' }],
    ['POST', '/api/v1/closures', 'expectedEndAt', { roadIds: [0], cause: 'x', expectedEndAt: '1000-01-01T00:00:00Z' }],
    ['GET', '/api/v1/incidents?from=0000-01-01T00:00:00Z', 'from', undefined],
    ['GET', '/api/v1/incidents?to=1899-01-01T00:00:00Z', 'to', undefined],
    ['GET', '/api/v1/incidents/export?from=0001-01-01T00:00:00Z', 'from', undefined],
    ['GET', '/api/v1/audit?from=0000-01-01T00:00:00Z', 'from', undefined],
    ['GET', '/api/v1/audit?to=1850-06-01T00:00:00Z', 'to', undefined],
  ])('%s %s names %s', async (method, url, field, body) => {
    await expect400(method, url, field, body);
  });

  it('says why in the message', async () => {
    const r = await t.api('GET', '/api/v1/incidents?from=1899-01-01T00:00:00Z', {
      token: admin,
      headers: { 'accept-language': 'en' },
    });
    expect(r.json().error.message).toContain('1900');
    const zh = await t.api('GET', '/api/v1/incidents?from=1899-01-01T00:00:00Z', { token: admin });
    expect(zh.json().error.message).toContain('1900');
  });

  it('accepts 1900 and later', async () => {
    const r = await t.api('GET', '/api/v1/incidents?from=1900-01-01T00:00:00Z&to=2999-01-01T00:00:00%2B08:00', {
      token: admin,
    });
    expect(r.statusCode, r.body).toBe(200);
  });
});

describe('unknown fields in bodies', () => {
  it.each([
    ['POST', '/api/v1/incidents', 'secret', incidentBody({ secret: 1 })],
    ['POST', '/api/v1/incidents', 'casualties.zombies', incidentBody({ casualties: { deaths: 0, zombies: 2 } })],
    [
      'POST',
      '/api/v1/incidents',
      'location.crs',
      incidentBody({ location: { type: 'Point', coordinates: [122.1, 37.5], crs: 'x' } }),
    ],
    ['POST', '/api/v1/auth/login', 'remember', { username: 'admin', password: ADMIN_PASSWORD, remember: true }],
    ['POST', '/api/v1/closures', 'severity', { roadIds: [0], cause: 'x', severity: 'high' }],
    ['PATCH', '/api/v1/org/roles/viewer', 'extra', { permissions: [], version: 1, extra: true }],
    [
      'PUT',
      '/api/v1/incidents/level-rules/natural',
      'criteria.0.IV',
      {
        id: 'n',
        labelZh: '表',
        labelEn: 'table',
        verified: false,
        criteria: [{ field: 'deaths', I: 3, II: 2, III: 1, IV: 0 }],
      },
    ],
    [
      'PUT',
      '/api/v1/incidents/level-rules/natural',
      'comment',
      { id: 'n', labelZh: '表', labelEn: 'table', verified: false, criteria: [], comment: 'x' },
    ],
  ])('%s %s names %s', async (method, url, field, body) => {
    await expect400(method, url, field, body, url.endsWith('/login') ? undefined : admin);
  });

  it('still accepts every known field of an intersection, and free GeoJSON where a body embeds it', async () => {
    const rules = (await t.api('GET', '/api/v1/incidents/level-rules', { token: admin })).json();
    const put = await t.api('PUT', '/api/v1/incidents/level-rules/natural', {
      token: admin,
      body: { ...rules.natural, version: rules.naturalVersion },
    });
    expect(put.statusCode, put.body).toBe(200);
    const b = await t.api('POST', '/api/v1/geo/boundaries', {
      token: admin,
      body: {
        crs: 'wgs84',
        source: 'test',
        featureCollection: {
          type: 'FeatureCollection',
          name: 'extra members of a FeatureCollection are GeoJSON',
          features: [
            {
              type: 'Feature',
              properties: { code: 'lingang', name: '临港区', anything: 1 },
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [122.2, 37.3],
                    [122.21, 37.3],
                    [122.21, 37.31],
                    [122.2, 37.3],
                  ],
                ],
              },
            },
          ],
        },
      },
    });
    expect(b.statusCode, b.body).toBe(200);
  });
});

describe('error replies in the OpenAPI document', () => {
  it('lists each route’s 4xx replies with the error body', async () => {
    const doc = (await t.api('GET', '/api/openapi.json', { token: admin })).json() as OpenApiDoc;
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const codes = Object.keys(op.responses ?? {});
        const hasInput = !!op.requestBody || (op.parameters ?? []).length > 0 || method !== 'get';
        const isPublic = !path.startsWith('/api/v1/') || PUBLIC.has(path);
        if (hasInput) expect(codes, where).toContain('400');
        if (DEVICE_ROUTES.has(where)) expect(codes, where).toContain('401');
        else if (!isPublic) expect(codes, where).toEqual(expect.arrayContaining(['401', '403']));
        if (path.includes('{')) expect(codes, where).toContain('404');
        for (const code of codes.filter((c) => c >= '400' && c < '500')) {
          const schema = op.responses?.[code]?.content?.['application/json']?.schema;
          expect(schema?.properties?.error?.properties?.code, `${where} ${code}`).toBeDefined();
          expect(schema?.properties?.error?.properties?.field, `${where} ${code}`).toBeDefined();
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    const p = doc.paths;
    // the routes' own replies: a stale version, an unreachable target, a running import
    expect(Object.keys(p['/api/v1/incidents/{id}'].patch.responses ?? {})).toContain('409');
    expect(Object.keys(p['/api/v1/geo/route'].post.responses ?? {})).toContain('422');
    expect(Object.keys(p['/api/v1/geo/networks/import'].post.responses ?? {})).toContain('409');
    expect(Object.keys(p['/api/v1/auth/login'].post.responses ?? {})).toContain('401');
  });
});

const PUBLIC = new Set(['/api/v1/auth/login', '/api/v1/system/info', '/api/v1/geo/basemap']);
/** routes a device calls with its own token, not a user's session (401 for a wrong token, never 403) */
const DEVICE_ROUTES = new Set(['POST /api/v1/devices/{id}/readings']);

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}
interface Operation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
}

const isString = (s: JsonSchema | undefined) => !!s && (s.type === 'string' || (!s.type && !s.properties && !s.items));

/** Every string field of a route, each carried alone with a NUL inside: the URL, the body, the field's name. */
function nulProbes(path: string, op: Operation): { url: string; body?: unknown; field: string }[] {
  const fill = (p: string, nul?: string) =>
    p.replace(/\{(\w+)\}/g, (_, name: string) => (name === nul ? 'a%00b' : name === 'id' ? incidentId : '1'));
  const url = fill(path);
  const out: { url: string; body?: unknown; field: string }[] = [];
  for (const prm of op.parameters ?? []) {
    if (!isString(prm.schema) && prm.schema?.type !== undefined) continue;
    if (prm.in === 'path') out.push({ url: fill(path, prm.name), field: prm.name });
    if (prm.in === 'query' && prm.schema?.type === 'string')
      out.push({ url: `${url}?${prm.name}=a%00b`, field: prm.name });
  }
  const schema = op.requestBody?.content['application/json']?.schema;
  if (schema) {
    for (const { field, body } of stringPaths(schema, [])) out.push({ url, body, field: field.join('.') });
  }
  return out;
}

/** Paths to the string fields of a schema, each with a body holding only that field (NUL inside). */
function stringPaths(s: JsonSchema, at: string[], depth = 0): { field: string[]; body: unknown }[] {
  if (depth > 6) return [];
  if (s.type === 'string') return [{ field: at, body: `a${NUL}b` }];
  const out: { field: string[]; body: unknown }[] = [];
  for (const branch of [...(s.anyOf ?? []), ...(s.allOf ?? []), ...(s.oneOf ?? [])]) {
    out.push(...stringPaths(branch, at, depth + 1));
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    for (const p of stringPaths(v, [...at, k], depth + 1)) out.push({ field: p.field, body: wrapIn(p.body, k) });
  }
  if (s.items && !Array.isArray(s.items)) {
    for (const p of stringPaths(s.items, [...at, '0'], depth + 1)) out.push({ field: p.field, body: [p.body] });
  }
  // one probe per field name is enough (anyOf branches repeat them)
  return out.filter((p, i) => out.findIndex((q) => q.field.join('.') === p.field.join('.')) === i);
}

function wrapIn(body: unknown, key: string): unknown {
  return { [key]: body };
}
