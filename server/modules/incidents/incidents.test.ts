import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let admin: { token: string; csrf: string; cookie: string };
let duty: { token: string; csrf: string; cookie: string; id: string };

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin', ADMIN_PASSWORD);
  duty = await t.userWith('duty_officer', 'yjj', 'city');
});
afterAll(() => t.stop());

const create = async (over: Record<string, unknown> = {}, token = duty.token) =>
  t.api('POST', '/api/v1/incidents', { token, body: incidentBody(over) });

describe('taking a report', () => {
  it('numbers, classifies, places and levels a new incident', async () => {
    const r = await create({ typeCode: '12D01', casualties: { deaths: 10 }, directLossWan: 20 });
    expect(r.statusCode).toBe(201);
    const i = r.json();
    expect(i.number).toMatch(/^WH-\d{4}-\d{6}$/);
    expect(i.category).toBe('accident');
    expect(i.typeName).toBe('危险化学品爆炸事故');
    expect(i.district).toEqual({ code: '371002', name: '环翠区' });
    expect(i.districtStatus).toBe('inside');
    expect(i.level).toBe('II');
    expect(i.computedLevel).toBe('II');
    expect(i.levelBasis).toContain('死亡 10人');
    expect(i.status).toBe('reported');
    expect(i.version).toBe(1);
    const got = await t.api('GET', `/api/v1/incidents/${i.id}`, { token: duty.token });
    expect(got.json().number).toBe(i.number);
  });

  it('places points in each district and says when a point is outside the city', async () => {
    const at = async (lng: number, lat: number) =>
      (await create({ location: { type: 'Point', coordinates: [lng, lat] } })).json();
    expect((await at(121.54, 36.92)).district.code).toBe('371083');
    expect((await at(122.06, 37.19)).district.code).toBe('371003');
    expect((await at(122.42, 37.16)).district.code).toBe('371082');
    const shanghai = await at(121.47, 31.23);
    expect(shanghai.district).toBeNull();
    expect(shanghai.districtStatus).toBe('outside');
    const nowhere = (await create({ location: null })).json();
    expect(nowhere.districtStatus).toBe('unknown');
  });

  it('leaves public-health incidents unassessed and levels natural disasters by the configured table', async () => {
    expect((await create({ typeCode: '13A07', casualties: { injured: 50 } })).json().level).toBeNull();
    const n = (await create({ typeCode: '11B01', casualties: { relocated: 600_000 } })).json();
    expect(n.category).toBe('natural');
    expect(n.level).toBe('III');
  });

  it.each([
    [{ typeCode: '99Z99' }, 'typeCode', 'UNKNOWN_TYPE_CODE'],
    [{ typeCode: '10000' }, 'typeCode', 'UNKNOWN_TYPE_CODE'],
    [{ location: { type: 'Point', coordinates: [200, 37] } }, 'location.coordinates', 'COORDINATES_OUT_OF_RANGE'],
    [{ location: { type: 'Point', coordinates: [122, -91] } }, 'location.coordinates', 'COORDINATES_OUT_OF_RANGE'],
    [{ casualties: { deaths: -1 } }, 'casualties.deaths', 'VALIDATION'],
    [{ directLossWan: -5 }, 'directLossWan', 'VALIDATION'],
    [{ title: '' }, 'title', 'VALIDATION'],
    [{ title: undefined }, 'title', 'VALIDATION'],
    [{ occurredAt: 'yesterday' }, 'occurredAt', 'VALIDATION'],
    [{ occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, 'occurredAt', 'VALIDATION'],
  ])('refuses %o naming the field %s', async (over, field, code) => {
    const before = (await t.api('GET', '/api/v1/incidents?limit=1', { token: admin.token })).json().total;
    const r = await create(over);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe(field);
    expect(r.json().error.code).toBe(code);
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
});

describe('access', () => {
  it('401 without a token, with a wrong token', async () => {
    expect((await t.api('GET', '/api/v1/incidents')).statusCode).toBe(401);
    expect((await t.api('GET', '/api/v1/incidents', { token: 'nonsense' })).statusCode).toBe(401);
    expect((await t.api('GET', '/api/v1/incidents')).json().error.code).toBe('UNAUTHENTICATED');
  });

  it('403 for a role without the permission', async () => {
    const viewer = await t.userWith('viewer', 'yjj', 'city');
    expect((await t.api('GET', '/api/v1/incidents', { token: viewer.token })).statusCode).toBe(200);
    const r = await create({}, viewer.token);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('FORBIDDEN');
  });

  it('a district sees its district only: 403 for an incident elsewhere, and not listed', async () => {
    const wendeng = (
      await create({ location: { type: 'Point', coordinates: [122.06, 37.19] }, title: '文登的事件' })
    ).json();
    const huancui = (await create({ title: '环翠的事件' })).json();
    const hc = await t.userWith('district_staff', '371002', 'district');
    expect((await t.api('GET', `/api/v1/incidents/${huancui.id}`, { token: hc.token })).statusCode).toBe(200);
    const r = await t.api('GET', `/api/v1/incidents/${wendeng.id}`, { token: hc.token });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('OUT_OF_SCOPE');
    const list = (await t.api('GET', '/api/v1/incidents?limit=500', { token: hc.token })).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i: { district: { code: string } | null }) => i.district?.code === '371002')).toBe(true);
    const elsewhere = await create({ location: { type: 'Point', coordinates: [122.06, 37.19] } }, hc.token);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.field).toBe('location');
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
    const reads = await t.api('GET', '/api/v1/incidents?limit=1', { headers: { cookie: duty.cookie } });
    expect(reads.statusCode).toBe(200);
  });

  it("masks the reporter's phone for roles without personal.read", async () => {
    const i = (await create()).json();
    expect(i.reporter.phone).toBe('13812345678');
    const viewer = await t.userWith('viewer', 'yjj', 'city');
    const seen = (await t.api('GET', `/api/v1/incidents/${i.id}`, { token: viewer.token })).json();
    expect(seen.reporter.phone).toBe('138****5678');
  });
});

describe('changing an incident', () => {
  it('refuses a stale version with 409 and keeps the other change', async () => {
    const i = (await create()).json();
    const first = await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
      token: duty.token,
      body: { version: 1, title: '第一' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(2);
    const stale = await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
      token: duty.token,
      body: { version: 1, title: '第二' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const ifMatch = await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
      token: duty.token,
      body: { title: '第三' },
      headers: { 'if-match': '"1"' },
    });
    expect(ifMatch.statusCode).toBe(409);
    expect((await t.api('GET', `/api/v1/incidents/${i.id}`, { token: duty.token })).json().title).toBe('第一');
  });

  it('recomputes the level when casualties change and says so in the log', async () => {
    const i = (await create({ casualties: { deaths: 1 } })).json();
    expect(i.level).toBe('IV');
    const r = (
      await t.api('PATCH', `/api/v1/incidents/${i.id}`, { token: duty.token, body: { casualties: { deaths: 3 } } })
    ).json();
    expect(r.level).toBe('III');
    const log = (await t.api('GET', `/api/v1/incidents/${i.id}/log`, { token: duty.token })).json();
    expect(
      log.items.some((e: { kind: string; text: string }) => e.kind === 'level' && e.text.includes('IV级 变为 III级')),
    ).toBe(true);
  });

  it('keeps a manual level, with its reason, until it is removed; the computed level stays beside it', async () => {
    const i = (await create({ casualties: { deaths: 1 } })).json();
    const noReason = await t.api('PATCH', `/api/v1/incidents/${i.id}`, { token: duty.token, body: { level: 'II' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('levelReason');
    const set = (
      await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
        token: duty.token,
        body: { level: 'II', levelReason: '社会影响大' },
      })
    ).json();
    expect(set.level).toBe('II');
    expect(set.computedLevel).toBe('IV');
    expect(set.levelOverride.reason).toBe('社会影响大');
    const moved = (
      await t.api('PATCH', `/api/v1/incidents/${i.id}`, { token: duty.token, body: { casualties: { deaths: 4 } } })
    ).json();
    expect(moved.level).toBe('II');
    expect(moved.computedLevel).toBe('III');
    const log = (await t.api('GET', `/api/v1/incidents/${i.id}/log`, { token: duty.token })).json();
    expect(log.items.some((e: { text: string }) => e.text.includes('人工级别 II级 仍有效'))).toBe(true);
    const removed = (
      await t.api('PATCH', `/api/v1/incidents/${i.id}`, { token: duty.token, body: { level: null } })
    ).json();
    expect(removed.level).toBe('III');
    expect(removed.levelOverride).toBeNull();
    const audit = (await t.api('GET', `/api/v1/audit?entity=incident&entityId=${i.id}`, { token: admin.token })).json();
    expect(audit.items.some((a: { action: string }) => a.action === 'incident.level_set')).toBe(true);
  });

  it('moves through the statuses in order, logs each step, and refuses edits once closed', async () => {
    const i = (await create()).json();
    const skip = await t.api('POST', `/api/v1/incidents/${i.id}/transitions`, {
      token: duty.token,
      body: { to: 'recovering' },
    });
    expect(skip.statusCode).toBe(400);
    expect(skip.json().error.code).toBe('INVALID_TRANSITION');
    for (const to of ['verified', 'responding', 'recovering', 'closed']) {
      const r = await t.api('POST', `/api/v1/incidents/${i.id}/transitions`, {
        token: duty.token,
        body: { to, note: `to ${to}` },
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().status).toBe(to);
    }
    const edit = await t.api('PATCH', `/api/v1/incidents/${i.id}`, { token: duty.token, body: { title: 'x' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('INCIDENT_CLOSED');
    const note = await t.api('POST', `/api/v1/incidents/${i.id}/log`, { token: duty.token, body: { text: 'late' } });
    expect(note.statusCode).toBe(409);
    const log = (await t.api('GET', `/api/v1/incidents/${i.id}/log`, { token: duty.token })).json();
    expect(log.items.filter((e: { kind: string }) => e.kind === 'status')).toHaveLength(4);
  });

  it('adds notes to the timeline', async () => {
    const i = (await create()).json();
    const r = await t.api('POST', `/api/v1/incidents/${i.id}/log`, { token: duty.token, body: { text: '消防已到场' } });
    expect(r.statusCode).toBe(201);
    const log = (await t.api('GET', `/api/v1/incidents/${i.id}/log`, { token: duty.token })).json();
    expect(log.items[0].text).toBe('消防已到场');
    expect(log.items[0].actor.displayName).toBeTruthy();
  });
});

describe('the register', () => {
  it('filters by status, category, level, district, type class, time and text', async () => {
    const mark = `筛选-${Date.now()}`;
    await create({ title: `${mark} 甲`, typeCode: '11B03', casualties: { deaths: 60 } });
    await create({ title: `${mark} 乙`, typeCode: '12H02', location: { type: 'Point', coordinates: [122.42, 37.16] } });
    const q = async (s: string) =>
      (await t.api('GET', `/api/v1/incidents?q=${encodeURIComponent(mark)}&${s}`, { token: duty.token })).json();
    expect((await q('')).total).toBe(2);
    expect((await q('category=natural')).items.map((i: { title: string }) => i.title)).toEqual([`${mark} 甲`]);
    expect((await q('level=III')).total).toBe(1);
    expect((await q('level=I,II')).total).toBe(0);
    expect((await q('district=371082')).total).toBe(1);
    expect((await q('typeCode=11B00')).total).toBe(1);
    expect((await q('typeCode=12000')).total).toBe(1);
    expect((await q('status=reported')).total).toBe(2);
    expect((await q('status=closed')).total).toBe(0);
    expect((await q(`from=${new Date(Date.now() + 60_000).toISOString()}`)).total).toBe(0);
    const bad = await t.api('GET', '/api/v1/incidents?status=burning', { token: duty.token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('status');
  });

  it('pages with limit and offset and a total', async () => {
    const mark = `分页-${Date.now()}`;
    for (let k = 0; k < 5; k++) await create({ title: `${mark} ${k}` });
    const p1 = (
      await t.api('GET', `/api/v1/incidents?q=${encodeURIComponent(mark)}&limit=2&offset=0`, { token: duty.token })
    ).json();
    const p3 = (
      await t.api('GET', `/api/v1/incidents?q=${encodeURIComponent(mark)}&limit=2&offset=4`, { token: duty.token })
    ).json();
    expect(p1.total).toBe(5);
    expect(p1.items).toHaveLength(2);
    expect(p3.items).toHaveLength(1);
  });
});

describe('the natural-disaster level table', () => {
  it('is shown with its label, can be replaced by an administrator, and then levels new reports', async () => {
    const rules = (await t.api('GET', '/api/v1/incidents/level-rules', { token: duty.token })).json();
    expect(rules.accident.labelZh).toContain('493');
    expect(rules.natural.labelZh).toContain('2016');
    expect(rules.natural.verified).toBe(false);
    const local = {
      id: 'weihai-local',
      labelZh: '威海市自然灾害分级（测试）',
      labelEn: 'Weihai local table (test)',
      verified: false,
      criteria: [{ field: 'deathsAndMissing', I: 30, II: 10, III: 3 }],
    };
    expect(
      (await t.api('PUT', '/api/v1/incidents/level-rules/natural', { token: duty.token, body: local })).statusCode,
    ).toBe(403);
    const bad = await t.api('PUT', '/api/v1/incidents/level-rules/natural', {
      token: admin.token,
      body: { ...local, criteria: [{ field: 'deaths', I: 3, II: 10, III: 30 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('criteria.0');
    expect(
      (await t.api('PUT', '/api/v1/incidents/level-rules/natural', { token: admin.token, body: local })).statusCode,
    ).toBe(200);
    const n = (await create({ typeCode: '11B03', casualties: { deaths: 2, missing: 1 } })).json();
    expect(n.level).toBe('III');
    expect(n.levelBasis).toContain('威海市自然灾害分级（测试）');
    const restored = await t.api('PUT', '/api/v1/incidents/level-rules/natural', {
      token: admin.token,
      body: rules.natural,
    });
    expect(restored.json().natural.id).toBe('natural-2016');
  });
});

describe('Excel export of the register', () => {
  it('exports what the filter shows, masked as the viewer sees it, and audits the export', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const mark = `导出-${Date.now()}`;
    await create({ title: `${mark} 甲`, casualties: { deaths: 3 } });
    await create({ title: `${mark} 乙` });
    const viewer = await t.userWith('viewer', 'yjj', 'city');
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
