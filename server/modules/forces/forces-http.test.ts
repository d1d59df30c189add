// The HTTP paths of the forces module: the export beside /api/v1/teams/:id (whose uuid check must not get
// "export.xlsx"), its workbook and the import routes beside it; the analyses as JSON, Excel and GeoJSON, and refused.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityDate } from '../../platform/time.ts';
import { startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let duty: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  duty = await t.userWith('duty_officer', 'yjj', 'city');
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

describe('GET /api/v1/teams/export.xlsx', () => {
  it('answers a workbook with the list’s filters beside /teams/{id}; the import routes stand beside it', async () => {
    for (const body of [
      { name: 'HX 消防站', type: 'fire_rescue', stationClass: 'class1' },
      { name: 'HX 救援队', type: 'volunteer' },
    ]) {
      const r = await t.api('POST', '/api/v1/teams', {
        token: duty.token,
        body: { ...body, location: { type: 'Point', coordinates: [122.12, 37.51] } },
      });
      expect(r.statusCode).toBe(201);
    }
    const r = await t.api('GET', '/api/v1/teams/export.xlsx?q=HX&type=fire_rescue', { token: viewer.token });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const file = `teams-${cityDate(new Date())}.xlsx`;
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`救援队伍-${file}`)}`,
    );
    expect(r.headers['x-row-count']).toBe('1');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as never);
    const ws = wb.getWorksheet('救援队伍')!;
    expect(ws.getRow(2).getCell(1).value).toBe('HX 消防站');
    expect(ws.getRow(2).getCell(3).value).toBe('class1 一级普通消防站');
    expect(ws.rowCount).toBe(2);

    // the record route is still there, and a filter the list refuses is refused here too
    const list = await t.api('GET', '/api/v1/teams?q=HX 救援队', { token: viewer.token });
    const one = await t.api('GET', `/api/v1/teams/${list.json().items[0].id}`, { token: viewer.token });
    expect(one.json()).toMatchObject({ name: 'HX 救援队', type: 'volunteer' });
    const bad = await t.api('GET', '/api/v1/teams/export.xlsx?type=navy', { token: viewer.token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('type');

    // the import's template for who may register teams only
    const tpl = await t.api('GET', '/api/v1/teams/import/template', { token: duty.token });
    expect(tpl.statusCode).toBe(200);
    expect(String(tpl.headers['content-disposition'])).toContain(encodeURIComponent('救援队伍导入模板.xlsx'));
    expect((await t.api('GET', '/api/v1/teams/import/template', { token: viewer.token })).statusCode).toBe(403);
  });
});

describe('POST /api/v1/analyses/*', () => {
  it('answers an analysis as JSON, Excel or GeoJSON, and refuses in words what it cannot do', async () => {
    const commander = await t.userWith('commander', 'yjj', 'city');
    const base = await t.api('POST', '/api/v1/teams', {
      token: commander.token,
      body: {
        name: 'HX 航空基地',
        type: 'aviation',
        radiusKm: 40,
        location: { type: 'Point', coordinates: [122.05, 37.2] },
      },
    });
    expect(base.statusCode).toBe(201);
    const body = { teamIds: [base.json().id] };
    const json = await t.api('POST', '/api/v1/analyses/aviation-coverage', { token: commander.token, body });
    expect(json.statusCode).toBe(200);
    const answer = json.json();
    expect(answer.coveredShare).toBeGreaterThan(0.2);
    expect(answer.coveredShare).toBeLessThan(1);
    expect(answer.districts.find((d: { code: string }) => d.code === '371003').coveredShare).toBeGreaterThan(0.5);
    const xlsx = await t.api('POST', '/api/v1/analyses/aviation-coverage?format=xlsx', {
      token: commander.token,
      body,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('aviation-coverage-');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const rows = wb.worksheets[0].getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(rows.some((r) => r[1] === '371003' && Number(r[3]) > 0.5)).toBe(true);
    const geo = await t.api('POST', '/api/v1/analyses/aviation-coverage?format=geojson', {
      token: commander.token,
      body,
    });
    expect(geo.statusCode).toBe(200);
    expect(geo.headers['content-type']).toContain('application/geo+json');
    const fc = geo.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { geometry: { type: string } | null }) => f.geometry?.type)).toEqual(
      expect.arrayContaining(['MultiPolygon', 'Polygon', 'Point']),
    );
    // no road network in this installation: the road analyses are refused in words (the geo module's 503)
    const fire = await t.api('POST', '/api/v1/analyses/fire-coverage', {
      token: commander.token,
      body: {
        areas: {
          type: 'Polygon',
          coordinates: [
            [
              [122.1, 37.5],
              [122.11, 37.5],
              [122.11, 37.51],
              [122.1, 37.5],
            ],
          ],
        },
      },
      headers: { 'accept-language': 'en' },
    });
    expect(fire.statusCode).toBe(503);
    expect(fire.json().error.code).toBe('NO_ROAD_NETWORK');
    expect(fire.json().error.message).toMatch(/road network/i);
    const noK = await t.api('POST', '/api/v1/analyses/station-siting', { token: commander.token, body: {} });
    expect(noK.statusCode).toBe(400);
    expect(noK.json().error.field).toBe('k');
    const refused = await t.api('POST', '/api/v1/analyses/aviation-coverage', { token: viewer.token, body });
    expect(refused.statusCode).toBe(403);
  });
});
