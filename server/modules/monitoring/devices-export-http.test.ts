// The export's HTTP path beside /api/v1/devices/:id (whose uuid check must not get "export.xlsx"), the workbook's
// headers in the incidents' style, the list's filters, and the import's routes beside it.
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

describe('GET /api/v1/devices/export.xlsx', () => {
  it('answers a workbook named like the incidents’ export, with the list’s filters, beside /devices/{id}', async () => {
    for (const [name, code, kind, metrics] of [
      ['导出 雨量站', 'HX-RG', 'rain_gauge', ['rain_mm']],
      ['导出 水位站', 'HX-WL', 'water_level', ['water_level_m']],
    ] as const) {
      const r = await t.api('POST', '/api/v1/devices', {
        token: duty.token,
        body: { name, code, kind, metrics, location: { type: 'Point', coordinates: [122.12, 37.51] } },
      });
      expect(r.statusCode).toBe(201);
    }
    const r = await t.api('GET', '/api/v1/devices/export.xlsx?q=HX-&kind=water_level', { token: viewer.token });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const file = `devices-${cityDate(new Date())}.xlsx`;
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`监测设备-${file}`)}`,
    );
    expect(r.headers['x-row-count']).toBe('1');
    expect(r.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as never);
    const ws = wb.getWorksheet('监测设备')!;
    expect(ws.getRow(2).getCell(2).value).toBe('HX-WL');
    expect(ws.rowCount).toBe(2);

    // the record route is still there, and a filter the list refuses is refused here too
    const list = await t.api('GET', '/api/v1/devices?q=HX-WL', { token: viewer.token });
    const one = await t.api('GET', `/api/v1/devices/${list.json().items[0].id}`, { token: viewer.token });
    expect(one.json()).toMatchObject({ code: 'HX-WL' });
    const bad = await t.api('GET', '/api/v1/devices/export.xlsx?kind=volcano', { token: viewer.token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('kind');
  });

  it('has the import routes beside it: a CSV upload commits; the template for who may register devices only', async () => {
    const boundary = '----anlan-devices';
    const csv = '站码,设备名称,设备类型,监测指标,经度,纬度\nHX-WS,导入 气象站,气象站,"rain_mm、阵风",122.13,37.5\n';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="设备.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(csv),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const imp = await t.api('POST', '/api/v1/devices/import?mode=commit', { token: duty.token, body, headers });
    expect(imp.statusCode).toBe(202);
    expect(imp.json()).toMatchObject({ kind: 'import.devices', state: 'done', result: { format: 'csv', imported: 1 } });
    const ws = await t.api('GET', '/api/v1/devices?q=HX-WS', { token: viewer.token });
    expect(ws.json().items[0]).toMatchObject({ kind: 'weather_station', metrics: ['rain_mm', 'wind_gust_ms'] });
    const refused = await t.api('POST', '/api/v1/devices/import', { token: viewer.token, body, headers });
    expect(refused.statusCode).toBe(403);

    const x = await t.api('GET', '/api/v1/devices/import/template', { token: duty.token });
    expect(x.statusCode).toBe(200);
    expect(String(x.headers['content-disposition'])).toContain(encodeURIComponent('监测设备导入模板.xlsx'));
    const v = await t.api('GET', '/api/v1/devices/import/template', { token: viewer.token });
    expect(v.statusCode).toBe(403);
  });
});
