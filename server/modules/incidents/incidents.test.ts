import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLogEntry } from '../../../contracts/incident-text.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { incidentInput, seededCtx } from '../../test/factories.ts';
import {
  ADMIN_PASSWORD,
  incidentBody,
  refusal,
  startTestApp,
  type TestApp,
  type TestPlatform,
} from '../../test/helpers.ts';
import { incidentsGeoJson, searchIncidents } from './incidents.map.ts';
import * as svc from './incidents.service.ts';
import type { IncidentsApi } from './index.ts';

// Two parts on one database (one start of the embedded PostgreSQL per file): the rules, through the service with a
// signed-in user's context on the app's platform (no request goes through HTTP), and the HTTP path itself (status
// codes and headers, the route's schema, cookies and CSRF, the export's download).
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

// ───────────────────────────── rules, at the service level ─────────────────────────────
describe('incident rules (service level)', () => {
  // what a module's rules need: its platform and modules (startTestPlatform gives the same without HTTP)
  let t: Pick<TestPlatform, 'platform' | 'module'>;
  let deps: svc.IncidentDeps;
  let duty: RequestCtx;
  let admin: RequestCtx;
  beforeAll(async () => {
    t = app;
    deps = t.module<IncidentsApi & { deps: svc.IncidentDeps }>('incidents').deps;
    duty = await seededCtx(t.platform, 'duty_officer');
    admin = await seededCtx(t.platform, 'admin');
  });

  const report = (over: Record<string, unknown> = {}, ctx = duty) => svc.createIncident(deps, ctx, incidentInput(over));
  const total = async () => (await svc.listIncidents(deps, admin, { limit: 1 })).total;

  describe('taking a report', () => {
    it('numbers, classifies, places and levels a new incident', async () => {
      const i = await report({ typeCode: '12D01', casualties: { deaths: 10 }, directLossWan: 20 });
      expect(i.number).toMatch(/^WH-\d{4}-\d{6}$/);
      expect(i.category).toBe('accident');
      expect(i.typeName).toBe('危险化学品爆炸事故');
      expect(i.district).toEqual({ code: '371002', name: '环翠区' });
      expect(i.districtStatus).toBe('inside');
      expect(i.level).toBe('II');
      expect(i.computedLevel).toBe('II');
      expect(i.levelBasis).toContain('死亡 10人');
      expect(i.levelBasisEn).toContain('deaths 10 ≥ 10 → level II');
      expect(i.status).toBe('reported');
      expect(i.version).toBe(1);
      expect((await svc.getIncident(deps, duty, i.id)).number).toBe(i.number);
      // a reader in English gets our English name of the type (the standard's Chinese stays the stored truth)
      expect((await svc.getIncident(deps, { ...duty, lang: 'en' }, i.id)).typeName).toBe(
        'Hazardous chemical explosion',
      );
    });

    it('places points in each district and says when a point is outside the city', async () => {
      const at = (lng: number, lat: number) => report({ location: { type: 'Point', coordinates: [lng, lat] } });
      expect((await at(121.54, 36.92)).district?.code).toBe('371083');
      expect((await at(122.06, 37.19)).district?.code).toBe('371003');
      expect((await at(122.42, 37.16)).district?.code).toBe('371082');
      const shanghai = await at(121.47, 31.23);
      expect(shanghai.district).toBeNull();
      expect(shanghai.districtStatus).toBe('outside');
      expect((await report({ location: null })).districtStatus).toBe('unknown');
    });

    it('takes a point entered in GCJ-02 or CGCS2000, stores it in WGS-84 and records how it was entered', async () => {
      const gcj = await report({
        location: undefined,
        locationEntered: { datum: 'gcj02', coordinates: [122.12, 37.5] },
      });
      const [x, y] = gcj.location!.coordinates;
      // GCJ-02 lies some hundreds of metres off WGS-84 here: the stored point is shifted back
      expect(Math.hypot((x - 122.12) * 88_000, (y - 37.5) * 111_000)).toBeGreaterThan(200);
      expect(gcj.locationEntered).toEqual({ datum: 'gcj02', coordinates: [122.12, 37.5] });
      expect(gcj.district?.code).toBe('371002');
      const cgcs = await report({ locationEntered: { datum: 'cgcs2000', coordinates: [122.06, 37.19] } });
      expect(cgcs.location?.coordinates).toEqual([122.06, 37.19]);
      expect(cgcs.district?.code).toBe('371003');
      // moved on the map afterwards: a WGS-84 point, nothing entered any more
      const moved = await svc.updateIncident(deps, duty, gcj.id, {
        location: { type: 'Point', coordinates: [122.1, 37.5] },
      });
      expect(moved.locationEntered).toBeNull();
      const typed = await svc.updateIncident(deps, duty, gcj.id, {
        locationEntered: { datum: 'gcj02', coordinates: [122.13, 37.51] },
      });
      expect(typed.locationEntered).toEqual({ datum: 'gcj02', coordinates: [122.13, 37.51] });
      expect(typed.location!.coordinates[0]).not.toBe(122.13);
      expect(
        await refusal(report({ locationEntered: { datum: 'bd09' as never, coordinates: [122, 37] } })),
      ).toMatchObject({
        code: 'VALIDATION',
        field: 'locationEntered.datum',
      });
    });

    it('leaves public-health incidents unassessed and levels natural disasters by the configured table', async () => {
      expect((await report({ typeCode: '13A07', casualties: { injured: 50 } })).level).toBeNull();
      const n = await report({ typeCode: '11B01', casualties: { relocated: 600_000 } });
      expect(n.category).toBe('natural');
      expect(n.level).toBe('III');
    });

    // The route's schema is checked again by the service (imports, the CLI and other modules call it directly).
    it.each([
      [{ title: '' }, 'title', 'VALIDATION'],
      [{ title: '   ' }, 'title', 'VALIDATION'],
      [{ casualties: { deaths: -1 } }, 'casualties.deaths', 'VALIDATION'],
      [{ directLossWan: -5 }, 'directLossWan', 'VALIDATION'],
      [{ occurredAt: 'yesterday' }, 'occurredAt', 'VALIDATION'],
      [{ typeCode: '99Z99' }, 'typeCode', 'UNKNOWN_TYPE_CODE'],
      [{ typeCode: '10000' }, 'typeCode', 'UNKNOWN_TYPE_CODE'],
      // a class of types is not what happened: 森林草原火灾 has its types under it
      [{ typeCode: '11G00' }, 'typeCode', 'TYPE_NOT_LEAF'],
      [{ typeCode: '12000' }, 'typeCode', 'TYPE_NOT_LEAF'],
      [{ location: { type: 'Point', coordinates: [200, 37] } }, 'location.coordinates', 'COORDINATES_OUT_OF_RANGE'],
      [{ location: { type: 'Point', coordinates: [122, -91] } }, 'location.coordinates', 'COORDINATES_OUT_OF_RANGE'],
      [{ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, 'occurredAt', 'VALIDATION'],
    ])('refuses %o naming the field %s, and writes nothing', async (over, field, code) => {
      const before = await total();
      const r = await refusal(report(over), 'zh');
      expect(r).toMatchObject({ code, field, status: 400 });
      expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await total()).toBe(before);
    });

    it('files a report under a class without types under it (其他自然灾害事件 11Y00, 其它突发事件 19000)', async () => {
      expect((await report({ typeCode: '11Y00' })).category).toBe('natural');
      expect((await report({ typeCode: '19000' })).category).toBe('other');
    });

    it("refuses a wrong edit, transition or log entry below the route too, in the reader's language", async () => {
      const i = await report();
      const en = await refusal(svc.updateIncident(deps, duty, i.id, { casualties: { injured: -2 } }), 'en');
      expect(en).toMatchObject({ code: 'VALIDATION', field: 'casualties.injured', status: 400 });
      expect(en.message).toBe('Invalid field casualties.injured: must be ≥ 0');
      expect(await refusal(svc.updateIncident(deps, duty, i.id, { title: ' ' }))).toMatchObject({ field: 'title' });
      const to = await refusal(svc.transitionIncident(deps, duty, i.id, { to: 'gone' as never }), 'zh');
      expect(to).toMatchObject({ code: 'VALIDATION', field: 'to' });
      expect(to.message).toContain('取值无效');
      expect(await refusal(svc.addLog(deps, duty, i.id, ''))).toMatchObject({ code: 'VALIDATION', field: 'text' });
      expect((await svc.getIncident(deps, duty, i.id)).version).toBe(1);
    });
  });

  describe('access', () => {
    it('a role without the permission reads but does not report', async () => {
      const viewer = await seededCtx(t.platform, 'viewer');
      expect((await svc.listIncidents(deps, viewer, {})).total).toBeGreaterThanOrEqual(0);
      expect(await refusal(report({}, viewer))).toEqual({ code: 'FORBIDDEN', status: 403 });
    });

    it('a district sees its district only: refused for an incident elsewhere, and not listed', async () => {
      const wendeng = await report({ location: { type: 'Point', coordinates: [122.06, 37.19] }, title: '文登的事件' });
      const huancui = await report({ title: '环翠的事件' });
      const hc = await seededCtx(t.platform, 'district_staff');
      expect((await svc.getIncident(deps, hc, huancui.id)).id).toBe(huancui.id);
      expect(await refusal(svc.getIncident(deps, hc, wendeng.id))).toEqual({ code: 'OUT_OF_SCOPE', status: 403 });
      const list = await svc.listIncidents(deps, hc, { limit: 500 });
      expect(list.items.length).toBeGreaterThan(0);
      expect(list.items.every((i) => i.district?.code === '371002')).toBe(true);
      const elsewhere = refusal(report({ location: { type: 'Point', coordinates: [122.06, 37.19] } }, hc));
      expect(await elsewhere).toEqual({ code: 'OUT_OF_SCOPE', status: 403, field: 'location' });
      // said in words, naming both districts (was "超出数据范围：district:371002")
      const at = { location: { type: 'Point', coordinates: [122.06, 37.19] } };
      expect((await refusal(report(at, hc), 'zh')).message).toBe(
        '超出数据范围：该位置在文登区，区市人员只能登记和处理本区市（环翠区）的事件',
      );
      expect((await refusal(report(at, hc), 'en')).message).toMatch(/the place is in Wendeng.*\(Huancui/);
      expect((await refusal(svc.getIncident(deps, hc, wendeng.id), 'en')).message).toBe(
        "Outside your data scope: district staff see and handle their own district's records",
      );
    });

    it("masks the reporter's phone for roles without personal.read", async () => {
      const i = await report();
      expect(i.reporter.phone).toBe('13812345678');
      const viewer = await seededCtx(t.platform, 'viewer');
      expect((await svc.getIncident(deps, viewer, i.id)).reporter.phone).toBe('138****5678');
    });
  });

  describe('changing an incident', () => {
    it('refuses a stale version with a conflict and keeps the other change', async () => {
      const i = await report();
      const first = await svc.updateIncident(deps, duty, i.id, { version: 1, title: '第一' });
      expect(first.version).toBe(2);
      expect(await refusal(svc.updateIncident(deps, duty, i.id, { version: 1, title: '第二' }))).toEqual({
        code: 'VERSION_CONFLICT',
        status: 409,
        field: 'version',
      });
      // the version of an If-Match header (the HTTP part checks the header itself)
      expect(await refusal(svc.updateIncident(deps, duty, i.id, { title: '第三' }, 1))).toMatchObject({
        code: 'VERSION_CONFLICT',
      });
      expect((await svc.getIncident(deps, duty, i.id)).title).toBe('第一');
    });

    it('recomputes the level when casualties change and says so in the log', async () => {
      const i = await report({ casualties: { deaths: 1 } });
      expect(i.level).toBe('IV');
      const r = await svc.updateIncident(deps, duty, i.id, { casualties: { deaths: 3 } });
      expect(r.level).toBe('III');
      const log = await svc.listLog(deps, duty, i.id);
      expect(log.items.some((e) => e.kind === 'level' && e.text.includes('IV级 变为 III级'))).toBe(true);
      // an English reader sees the same entries from their facts, with no Chinese the system wrote
      const en = log.items.map((e) => describeLogEntry(e.kind, e.data, 'en'));
      expect(en).toContain('Computed level changed from level IV to level III');
      expect(en).toContain('Changed: casualties');
      expect(en.find((x) => x?.startsWith('Reported as WH-'))).toMatch(/computed level IV$/);
    });

    it('keeps a manual level, with its reason, until it is removed; the computed level stays beside it', async () => {
      const i = await report({ casualties: { deaths: 1 } });
      expect(await refusal(svc.updateIncident(deps, duty, i.id, { level: 'II' }))).toEqual({
        code: 'LEVEL_REASON_REQUIRED',
        status: 400,
        field: 'levelReason',
      });
      const set = await svc.updateIncident(deps, duty, i.id, { level: 'II', levelReason: '社会影响大' });
      expect(set.level).toBe('II');
      expect(set.computedLevel).toBe('IV');
      expect(set.levelOverride?.reason).toBe('社会影响大');
      const moved = await svc.updateIncident(deps, duty, i.id, { casualties: { deaths: 4 } });
      expect(moved.level).toBe('II');
      expect(moved.computedLevel).toBe('III');
      const log = await svc.listLog(deps, duty, i.id);
      expect(log.items.some((e) => e.text.includes('人工级别 II级 仍有效'))).toBe(true);
      const removed = await svc.updateIncident(deps, duty, i.id, { level: null });
      expect(removed.level).toBe('III');
      expect(removed.levelOverride).toBeNull();
      const audit = await t.platform.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('entity', '=', 'incident')
        .where('entity_id', '=', i.id)
        .execute();
      expect(audit.some((a) => a.action === 'incident.level_set')).toBe(true);
    });

    it('moves through the statuses in order, logs each step, and refuses edits once closed', async () => {
      const i = await report();
      expect(await refusal(svc.transitionIncident(deps, duty, i.id, { to: 'recovering' }))).toEqual({
        code: 'INVALID_TRANSITION',
        status: 400,
        field: 'to',
      });
      expect(i.closedAt).toBeNull();
      for (const to of ['verified', 'responding', 'recovering', 'closed'] as const) {
        const moved = await svc.transitionIncident(deps, duty, i.id, { to, note: `to ${to}` });
        expect(moved.status).toBe(to);
        // the time of closing is kept (the final report's clock runs from it), and only then
        expect(moved.closedAt).toBe(to === 'closed' ? moved.updatedAt : null);
      }
      expect(await refusal(svc.updateIncident(deps, duty, i.id, { title: 'x' }))).toEqual({
        code: 'INCIDENT_CLOSED',
        status: 409,
        field: 'status',
      });
      expect(await refusal(svc.addLog(deps, duty, i.id, 'late'))).toMatchObject({
        code: 'INCIDENT_CLOSED',
        status: 409,
      });
      const log = await svc.listLog(deps, duty, i.id);
      expect(log.items.filter((e) => e.kind === 'status')).toHaveLength(4);
    });

    it('adds notes to the timeline', async () => {
      const i = await report();
      await svc.addLog(deps, duty, i.id, '消防已到场');
      const log = await svc.listLog(deps, duty, i.id);
      expect(log.items[0].text).toBe('消防已到场');
      expect(log.items[0].actor?.displayName).toBeTruthy();
    });
  });

  describe('the map search', () => {
    it('finds a closed incident and says it is closed and how to see it on the map, in both languages', async () => {
      const open = await report({ title: `搜索-${Date.now()}` });
      const closed = await report({ title: `${open.title} 已办` });
      await svc.transitionIncident(deps, duty, closed.id, { to: 'closed', version: 1 });
      const hits = await searchIncidents(deps, duty, open.title, 10);
      const byId = new Map(hits.map((h) => [h.id, h]));
      expect(byId.get(`incident:${open.id}`)?.subtitle).not.toContain('已关闭');
      expect(byId.get(`incident:${closed.id}`)?.subtitle).toContain('已关闭（打开“显示已关闭”后在地图上显示）');
      expect(byId.get(`incident:${closed.id}`)?.subtitleEn).toContain('closed (on the map with “Show closed”)');
      const layer = await incidentsGeoJson(deps, duty);
      expect(layer.features.some((f) => f.id === closed.id)).toBe(false);
    });
  });

  describe('the register', () => {
    it('filters by status, category, level, district, type class, time and text', async () => {
      const mark = `筛选-${Date.now()}`;
      await report({ title: `${mark} 甲`, typeCode: '11B03', casualties: { deaths: 60 } });
      await report({
        title: `${mark} 乙`,
        typeCode: '12H02',
        location: { type: 'Point', coordinates: [122.42, 37.16] },
      });
      const q = (f: Record<string, string> = {}) => svc.listIncidents(deps, duty, { q: mark, ...f });
      expect((await q()).total).toBe(2);
      expect((await q({ category: 'natural' })).items.map((i) => i.title)).toEqual([`${mark} 甲`]);
      expect((await q({ level: 'III' })).total).toBe(1);
      expect((await q({ level: 'I,II' })).total).toBe(0);
      expect((await q({ district: '371082' })).total).toBe(1);
      expect((await q({ typeCode: '11B00' })).total).toBe(1);
      expect((await q({ typeCode: '12000' })).total).toBe(1);
      expect((await q({ status: 'reported' })).total).toBe(2);
      expect((await q({ status: 'closed' })).total).toBe(0);
      expect((await q({ from: new Date(Date.now() + 60_000).toISOString() })).total).toBe(0);
      expect(await refusal(svc.listIncidents(deps, duty, { status: 'burning' }))).toEqual({
        code: 'VALIDATION',
        status: 400,
        field: 'status',
      });
    });

    it('pages with limit and offset and a total', async () => {
      const mark = `分页-${Date.now()}`;
      for (let k = 0; k < 5; k++) await report({ title: `${mark} ${k}` });
      const p1 = await svc.listIncidents(deps, duty, { q: mark, limit: 2, offset: 0 });
      const p3 = await svc.listIncidents(deps, duty, { q: mark, limit: 2, offset: 4 });
      expect(p1.total).toBe(5);
      expect(p1.items).toHaveLength(2);
      expect(p3.items).toHaveLength(1);
    });
  });

  describe('the natural-disaster level table', () => {
    it('is shown with its label, can be replaced by an administrator, and then levels new reports', async () => {
      const rules = await svc.getLevelRules(t.platform.db.kysely);
      expect(rules.accident.labelZh).toContain('493');
      expect(rules.natural.labelZh).toContain('2016');
      expect(rules.natural.verified).toBe(false);
      const local = {
        id: 'weihai-local',
        labelZh: '威海市自然灾害分级（测试）',
        labelEn: 'Weihai local table (test)',
        verified: false,
        criteria: [{ field: 'deathsAndMissing', I: 30, II: 10, III: 3 }],
      } as Parameters<typeof svc.setNaturalRule>[2];
      expect(await refusal(svc.setNaturalRule(deps, duty, local))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
      const bad = { ...local, criteria: [{ field: 'deaths', I: 3, II: 10, III: 30 }] } as typeof local;
      expect(await refusal(svc.setNaturalRule(deps, admin, bad))).toMatchObject({ status: 400, field: 'criteria.0' });
      try {
        expect((await svc.setNaturalRule(deps, admin, local)).natural.id).toBe('weihai-local');
        const n = await report({ typeCode: '11B03', casualties: { deaths: 2, missing: 1 } });
        expect(n.level).toBe('III');
        expect(n.levelBasis).toContain('威海市自然灾害分级（测试）');
      } finally {
        // the other tests level by the default table, whatever their order
        expect((await svc.setNaturalRule(deps, admin, rules.natural)).natural.id).toBe('natural-2016');
      }
    });
  });
});

// ───────────────────────────── the HTTP path ─────────────────────────────
describe('incidents over HTTP', () => {
  let t: TestApp;
  let admin: { token: string; csrf: string; cookie: string };
  let duty: { token: string; csrf: string; cookie: string };

  beforeAll(async () => {
    t = app;
    admin = await t.login('admin', ADMIN_PASSWORD);
    duty = await t.loginAs('duty_officer');
  });

  const create = async (over: Record<string, unknown> = {}, token = duty.token) =>
    t.api('POST', '/api/v1/incidents', { token, body: incidentBody(over) });

  it('answers a new report with 201, its Location and the record', async () => {
    const r = await create({ title: '新报告' });
    expect(r.statusCode).toBe(201);
    expect(r.headers.location).toBe(`/api/v1/incidents/${r.json().id}`);
    const got = await t.api('GET', r.headers.location as string, { token: duty.token });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(r.json());
  });

  // the route's schema: what the body may hold before the service sees it
  it.each([
    [{ casualties: { deaths: -1 } }, 'casualties.deaths'],
    [{ directLossWan: -5 }, 'directLossWan'],
    [{ title: '' }, 'title'],
    [{ title: undefined }, 'title'],
    [{ occurredAt: 'yesterday' }, 'occurredAt'],
  ])('refuses %o with 400 naming the field %s, in Chinese, and writes nothing', async (over, field) => {
    const before = (await t.api('GET', '/api/v1/incidents?limit=1', { token: admin.token })).json().total;
    const r = await create(over);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe(field);
    expect(r.json().error.code).toBe('VALIDATION');
    expect(r.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    const after = (await t.api('GET', '/api/v1/incidents?limit=1', { token: admin.token })).json().total;
    expect(after).toBe(before);
  });

  it('answers in English when asked', async () => {
    const r = await t.api('POST', '/api/v1/incidents', {
      token: duty.token,
      body: incidentBody({ casualties: { deaths: -1 } }),
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(r.json().error.message).toBe('Invalid field casualties.deaths: must be ≥ 0');
  });

  it('401 without a token or with a wrong one, 403 for a role without the permission', async () => {
    expect((await t.api('GET', '/api/v1/incidents')).statusCode).toBe(401);
    expect((await t.api('GET', '/api/v1/incidents', { token: 'nonsense' })).statusCode).toBe(401);
    expect((await t.api('GET', '/api/v1/incidents')).json().error.code).toBe('UNAUTHENTICATED');
    const viewer = await t.loginAs('viewer');
    expect((await t.api('GET', '/api/v1/incidents', { token: viewer.token })).statusCode).toBe(200);
    const r = await create({}, viewer.token);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('FORBIDDEN');
  });

  it('cookie-authenticated writes need the CSRF token; bearer writes do not', async () => {
    const body = incidentBody();
    const noCsrf = await t.api('POST', '/api/v1/incidents', { body, headers: { cookie: duty.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF');
    const wrong = await t.api('POST', '/api/v1/incidents', {
      body,
      headers: { cookie: duty.cookie, 'x-csrf-token': 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await t.api('POST', '/api/v1/incidents', {
      body,
      headers: { cookie: duty.cookie, 'x-csrf-token': duty.csrf },
    });
    expect(ok.statusCode).toBe(201);
    expect((await create({}, duty.token)).statusCode).toBe(201);
    const reads = await t.api('GET', '/api/v1/incidents?limit=1', { headers: { cookie: duty.cookie } });
    expect(reads.statusCode).toBe(200);
  });

  it('takes the version from If-Match: a stale one is 409, a malformed one 400 naming the header', async () => {
    const i = (await create()).json();
    const first = await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
      token: duty.token,
      body: { title: '第一' },
      headers: { 'if-match': '"1"' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const stale = await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
      token: duty.token,
      body: { title: '第三' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const bad = await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
      token: duty.token,
      body: { title: '第四' },
      headers: { 'if-match': 'yesterday' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('If-Match');
    expect((await t.api('GET', `/api/v1/incidents/${i.id}`, { token: duty.token })).json().title).toBe('第一');
  });

  it('answers a wrong status filter with 400 naming the field', async () => {
    const bad = await t.api('GET', '/api/v1/incidents?status=burning', { token: duty.token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('status');
  });

  describe('Excel export of the register', () => {
    it('exports what the filter shows, masked as the viewer sees it, and audits the export', async () => {
      const ExcelJS = (await import('exceljs')).default;
      const mark = `导出-${Date.now()}`;
      await create({ title: `${mark} 甲`, casualties: { deaths: 3 } });
      await create({ title: `${mark} 乙` });
      const viewer = await t.loginAs('viewer');
      const r = await t.api('GET', `/api/v1/incidents/export?q=${encodeURIComponent(mark)}`, { token: viewer.token });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('spreadsheetml');
      expect(r.headers['x-row-count']).toBe('2');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as never);
      const ws = wb.getWorksheet('事件登记')!;
      expect(ws.getRow(1).getCell(1).value).toBe('事件编号');
      expect(ws.rowCount).toBe(3);
      const titles = [ws.getRow(2).getCell(2).value, ws.getRow(3).getCell(2).value].sort();
      expect(titles).toEqual([`${mark} 乙`, `${mark} 甲`].sort());
      const header = (ws.getRow(1).values as unknown[]).indexOf('联系电话');
      expect(ws.getRow(2).getCell(header).value).toBe('138****5678');
      const levelCol = (ws.getRow(1).values as unknown[]).indexOf('级别');
      const levels = [ws.getRow(2).getCell(levelCol).value, ws.getRow(3).getCell(levelCol).value].sort();
      expect(levels).toEqual(['III 较大', 'IV 一般']);
      expect(wb.getWorksheet('说明 Notes')!.getRow(4).getCell(1).value).toContain('2');
      const audit = (await t.api('GET', '/api/v1/audit?action=incident.exported', { token: admin.token })).json();
      expect(audit.items[0].actorId).toBe(
        (await t.api('GET', '/api/v1/auth/me', { token: viewer.token })).json().user.id,
      );
      expect(audit.items[0].after.rows).toBe(2);
    });

    it('answers in English with English headers', async () => {
      const ExcelJS = (await import('exceljs')).default;
      const r = await t.api('GET', '/api/v1/incidents/export?limit=1&status=closed', {
        token: duty.token,
        headers: { 'accept-language': 'en' },
      });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as never);
      expect(wb.getWorksheet('Incidents')!.getRow(1).getCell(1).value).toBe('Number');
    });
  });
});
