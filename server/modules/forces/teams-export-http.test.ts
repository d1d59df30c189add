// The export's HTTP path beside /api/v1/teams/:id (whose uuid check must not get "export.xlsx"), the workbook's
// name and headers in the devices' style, the list's filters and data scope, and the import's routes beside it.
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
