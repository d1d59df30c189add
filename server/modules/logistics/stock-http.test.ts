// The HTTP paths of part A: the static routes beside /warehouses/{id} (movements, export, import template), a
// receipt and an issue over HTTP, the 409 of a short issue naming its line in the reader's language, a stale
// version, and the ledger's export.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let keeper: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  keeper = await t.userWith('department_staff', 'yjj', 'department');
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

describe('the stock routes', () => {
  it('receives, issues, refuses a short issue whole with 409 on its line, and exports the ledger', async () => {
    const items = await t.api('GET', '/api/v1/supply-items?q=mb&described=true', { token: viewer.token });
    expect(items.statusCode).toBe(200);
    expect(items.json().items.map((i: { code: string }) => i.code)).toContain('1110203-MB');

    const c = await t.api('POST', '/api/v1/warehouses', {
      token: keeper.token,
      body: {
        name: 'HTTP 储备库',
        tier: 'city',
        reserveType: 'government',
        location: { type: 'Point', coordinates: [122.116, 37.507] },
      },
    });
    expect(c.statusCode).toBe(201);
    const w = c.json();
    const r = await t.api('POST', `/api/v1/warehouses/${w.id}/receipts`, {
      token: keeper.token,
      body: { docNo: 'RK-001', items: [{ itemCode: '1110203-MB', quantity: 30, batch: 'B1' }] },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ docNo: 'RK-001', movements: [{ kind: 'receive', quantity: 30, balance: 30 }] });

    const short = await t.api('POST', `/api/v1/warehouses/${w.id}/issues`, {
      token: keeper.token,
      headers: { 'accept-language': 'en' },
      body: {
        items: [
          { itemCode: '1110203-MB', quantity: 10 },
          { itemCode: '1110203-MB', quantity: 25 },
        ],
      },
    });
    expect(short.statusCode).toBe(409);
    expect(short.json().error).toMatchObject({ code: 'STOCK_SHORT', field: 'items.1.quantity' });
    expect(short.json().error.message).toContain('35 床 needed, 30 床 available');

    const ok = await t.api('POST', `/api/v1/warehouses/${w.id}/issues`, {
      token: keeper.token,
      body: { recipient: '安置点', items: [{ itemCode: '1110203-MB', quantity: 12 }] },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().docNo).toMatch(/^WZ-/);

    const stock = await t.api('GET', `/api/v1/warehouses/${w.id}/stock`, { token: viewer.token });
    expect(stock.json().items[0]).toMatchObject({ itemCode: '1110203-MB', quantity: 18, unit: '床' });
    const ledger = await t.api('GET', `/api/v1/warehouses/movements?warehouseId=${w.id}`, { token: viewer.token });
    expect(ledger.json().items.map((m: { balance: number }) => m.balance)).toEqual([18, 30]);
    const own = await t.api('GET', `/api/v1/warehouses/${w.id}/movements?kind=issue`, { token: viewer.token });
    expect(own.json().total).toBe(1);

    const stale = await t.api('PATCH', `/api/v1/warehouses/${w.id}`, {
      token: keeper.token,
      body: { version: w.version + 3, name: '改名' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');

    const x = await t.api('GET', `/api/v1/warehouses/movements/export.xlsx?warehouseId=${w.id}`, {
      token: viewer.token,
    });
    expect(x.statusCode).toBe(200);
    expect(x.headers['x-row-count']).toBe('2');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(2).getCell(2).value).toBe(ok.json().docNo);

    const tpl = await t.api('GET', '/api/v1/warehouses/import/template', { token: keeper.token });
    expect(tpl.statusCode).toBe(200);
    const reg = await t.api('GET', '/api/v1/warehouses/export.xlsx?q=HTTP', { token: viewer.token });
    expect(reg.statusCode).toBe(200);
    expect(reg.headers['x-row-count']).toBe('1');
  });
});
