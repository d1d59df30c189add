/** The gazetteer over HTTP: the search for anyone who uses the map, the place list for those who keep it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let admin: string;
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  admin = (await t.login('admin', 'Admin-pass-1')).token;
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

describe('GET /api/v1/geo/places', () => {
  it('finds districts by pinyin for a viewer, nearest first, and refuses a malformed near', async () => {
    const r = await t.api('GET', `/api/v1/geo/places?q=wendeng&near=122.05,37.19`, { token: viewer.token });
    expect(r.statusCode).toBe(200);
    expect(r.json().items[0]).toMatchObject({ name: '文登区', kind: 'district', source: 'admin', match: 'prefix' });
    expect(r.json().items[0].meters).toBeLessThan(20_000);
    expect((await t.api('GET', '/api/v1/geo/places?q=wendeng&near=abc', { token: viewer.token })).statusCode).toBe(400);
    expect((await t.api('GET', '/api/v1/geo/places?q=wendeng')).statusCode).toBe(401);
  });

  it('the place list is kept by administrators: created, found, exported; a viewer may not', async () => {
    const body = { name: '刘公岛码头', nameEn: 'Liugong Island Pier', kind: 'ferry_terminal', point: [122.12, 37.505] };
    expect((await t.api('POST', '/api/v1/geo/place-list', { token: viewer.token, body })).statusCode).toBe(403);
    const created = await t.api('POST', '/api/v1/geo/place-list', { token: admin, body });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: '刘公岛码头', source: 'list', districtCode: '371002', version: 1 });
    const found = await t.api('GET', `/api/v1/geo/places?q=lgd`, { token: viewer.token });
    expect(found.json().items.map((h: { name: string }) => h.name)).toContain('刘公岛码头');
    const list = await t.api('GET', '/api/v1/geo/place-list?q=刘公岛', { token: admin });
    expect(list.json().total).toBe(1);
    const xlsx = await t.api('GET', '/api/v1/geo/place-list/export', { token: admin });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const tpl = await t.api('GET', '/api/v1/geo/place-list/import/template', { token: admin });
    expect(tpl.statusCode).toBe(200);
    const gone = await t.api('DELETE', `/api/v1/geo/place-list/${created.json().id}`, { token: admin });
    expect(gone.statusCode).toBe(200);
  });
});
