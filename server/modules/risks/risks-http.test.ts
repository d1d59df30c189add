// The HTTP paths of the risks module: a census import uploaded as multipart (the job answered done for a small file,
// its report naming a bad row), nearby's query form and its refusals (bad near, radius above 50 km), the permission
// on imports, the grid's routes before a computation, and a project with its progress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let cmd: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  cmd = await t.userWith('commander', 'yjj', 'city');
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

const geojson = Buffer.from(
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [122.116, 37.505] }, properties: { name: '一' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [37.505, 122.116] }, properties: { name: '二' } },
    ],
  }),
);

describe('the risks routes', () => {
  it('takes a census file over multipart and reports its bad rows; viewers may not import', async () => {
    const { body, headers } = multipart('点.geojson', geojson);
    const url = `/api/v1/census/layers/import?kind=school&name=${encodeURIComponent('学校')}&mode=commit`;
    const r = await t.api('POST', url, { token: cmd.token, body, headers: { ...headers, 'accept-language': 'en' } });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toMatchObject({ kind: 'import.census', state: 'done' });
    expect(r.json().result).toMatchObject({
      imported: 0,
      errorCount: 1,
      errors: [{ row: 2, code: 'CENSUS_AXIS_SWAPPED' }],
    });
    const denied = await t.api('POST', url, { token: viewer.token, body, headers });
    expect(denied.statusCode).toBe(403);
    const none = await t.api('POST', '/api/v1/census/layers/import?kind=school&name=x', { token: cmd.token, body: {} });
    expect(none.statusCode).toBe(400);
  });

  it('answers nearby in the query form of geo/roads and refuses a bad point or too large a radius', async () => {
    const ok = await t.api('GET', '/api/v1/risks/nearby?near=122.116,37.505&radiusM=5000', { token: viewer.token });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ items: [], total: 0 });
    const far = await t.api('GET', '/api/v1/risks/nearby?near=122.116,37.505&radiusM=60000', { token: viewer.token });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.field).toBe('radiusM');
    const bad = await t.api('GET', '/api/v1/risks/nearby?near=500,37.505', { token: viewer.token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('near');
    expect((await t.api('GET', '/api/v1/risks/nearby', { token: viewer.token })).statusCode).toBe(400);
  });

  it('answers the grid routes before any computation, and a project with its progress', async () => {
    const st = await t.api('GET', '/api/v1/risks/grid/status', { token: viewer.token });
    expect(st.json()).toMatchObject({ computedAt: null, stale: true });
    expect((await t.api('GET', '/api/v1/risks/grid', { token: viewer.token })).json()).toMatchObject({
      items: [],
      total: 0,
    });
    expect((await t.api('GET', '/api/v1/risks/grid/8831aa5001fffff', { token: viewer.token })).statusCode).toBe(404);
    expect((await t.api('GET', '/api/v1/census/kinds', { token: viewer.token })).json().total).toBe(11);
    const p = await t.api('POST', '/api/v1/prevention-projects', {
      token: cmd.token,
      body: {
        name: '防火道路',
        type: 'fire_road',
        district: '371003',
        targetQuantity: 10,
        unit: '公里',
        responsibleUnit: '市林业局',
        startDate: '2021-01-01',
        endDate: '2030-12-31',
      },
    });
    expect(p.statusCode).toBe(201);
    const g = await t.api('POST', `/api/v1/prevention-projects/${p.json().id}/progress`, {
      token: cmd.token,
      body: { date: '2022-01-01', quantity: 4 },
    });
    expect(g.statusCode).toBe(201);
    expect(g.json()).toMatchObject({ doneQuantity: 4, share: 0.4 });
    const x = await t.api('GET', '/api/v1/prevention-projects/export', { token: viewer.token });
    expect(x.statusCode).toBe(200);
    expect(x.headers['x-row-count']).toBe('1');
  });
});
