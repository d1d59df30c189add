// The HTTP paths of norms, gaps, procurement and orders (part C): the norms read and refused by field in the asker's
// language, the gap analysis and the procurement proposal downloaded as workbooks, and the refusals a client meets
// (an unknown plan, a bad filter) as 4xx with the field named.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let staff: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  staff = await t.loginAs('department_staff');
  viewer = await t.loginAs('viewer');
});
afterAll(() => t.stop());

async function sheet(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('the norms, gaps and orders routes', () => {
  it('reads the norms and refuses a bad save naming the field, in English when asked', async () => {
    const r = await t.api('GET', '/api/v1/logistics/norms', { token: viewer.token });
    expect(r.statusCode).toBe(200);
    const n = r.json();
    expect(n).toMatchObject({ defaults: true, version: 0 });
    const body = {
      relief: n.relief,
      reserve: n.reserve,
      population: [{ districtCode: 'nowhere', people: 1, basis: '' }],
    };
    const bad = await t.api('PUT', '/api/v1/logistics/norms', {
      token: staff.token,
      body,
      headers: { 'accept-language': 'en' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'NORM_UNKNOWN_DISTRICT', field: 'population.0.districtCode' });
    expect(bad.json().error.message).toContain('nowhere');
    const refused = await t.api('PUT', '/api/v1/logistics/norms', { token: viewer.token, body: n });
    expect(refused.statusCode).toBe(403);
    // the permission in words, its code beside them
    expect(refused.json().error.message).toBe('没有权限：维护物资目录、仓库和储备定额（supplies.manage）');
    const refusedEn = await t.api('PUT', '/api/v1/logistics/norms', {
      token: viewer.token,
      body: n,
      headers: { 'accept-language': 'en' },
    });
    expect(refusedEn.json().error.message).toBe(
      'Not permitted: Maintain the supply catalogue, warehouses and norms (supplies.manage)',
    );
  });

  it('downloads the gaps and the procurement proposal as workbooks', async () => {
    const g = await t.api('GET', '/api/v1/logistics/gaps?format=xlsx&tier=city', { token: viewer.token });
    expect(g.statusCode).toBe(200);
    expect(g.headers['content-type']).toContain('spreadsheetml');
    expect(String(g.headers['content-disposition'])).toContain('reserve-gaps-');
    const ws = await sheet(g.rawPayload);
    expect(ws.getRow(1).getCell(1).value).toBe('区市代码');
    // the default norms: one city-tier line per item with a city norm, nothing held
    const json = (await t.api('GET', '/api/v1/logistics/gaps?tier=city', { token: viewer.token })).json();
    expect(ws.rowCount - 1).toBe(json.total);
    expect(json.items[0]).toMatchObject({ districtCode: '371000', tier: 'city', stock: 0 });
    expect(json.items[0].gap).toBe(json.items[0].required);

    const p = await t.api('GET', '/api/v1/logistics/procurement?format=xlsx', {
      token: viewer.token,
      headers: { 'accept-language': 'en' },
    });
    expect(p.statusCode).toBe(200);
    expect((await sheet(p.rawPayload)).getRow(1).getCell(4).value).toBe('Quantity');
    const past = await t.api('GET', '/api/v1/logistics/procurement?year=2001', { token: viewer.token });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.field).toBe('year');
  });

  it('answers an unknown plan with 404 and a bad filter with 400', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const none = await t.api('POST', `/api/v1/logistics/plans/${id}/orders`, { token: staff.token });
    expect(none.statusCode).toBe(404);
    expect((await t.api('GET', `/api/v1/logistics/plans/${id}/progress`, { token: viewer.token })).statusCode).toBe(
      404,
    );
    const bad = await t.api('GET', '/api/v1/logistics/orders?state=lost', { token: viewer.token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('state');
    const ok = await t.api('GET', '/api/v1/logistics/orders?late=true', { token: viewer.token });
    expect(ok.json()).toEqual({ items: [], total: 0 });
  });
});
