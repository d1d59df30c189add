import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../../test/helpers.ts';
import { SHARED_DATA } from '../../test/template.ts';

let t: TestApp;
/** District boundaries this file uploads (tests run in any order). */
const uploaded = new Set<string>();
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

function bbox(coords: unknown): [number, number, number, number] {
  const b: [number, number, number, number] = [180, 90, -180, -90];
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0] as number);
      b[1] = Math.min(b[1], c[1] as number);
      b[2] = Math.max(b[2], c[0] as number);
      b[3] = Math.max(b[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(coords);
  return b;
}

describe('operations endpoints', () => {
  it('answers health and readiness without a token, and Prometheus metrics to an administrator', async () => {
    expect((await t.api('GET', '/healthz')).json()).toEqual({ ok: true });
    expect((await t.api('GET', '/readyz')).json().ready).toBe(true);
    await t.api('GET', '/healthz');
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const m = await t.api('GET', '/metrics', { token: admin.token });
    expect(m.body).toContain('anlan_http_request_duration_seconds');
    expect(m.body).toContain('process_resident_memory_bytes');
  });

  it('documents the API as OpenAPI', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const doc = (await t.api('GET', '/api/openapi.json', { token: admin.token })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/v1/incidents',
      '/api/v1/incidents/{id}',
      '/api/v1/incidents/{id}/transitions',
      '/api/v1/auth/login',
      '/api/v1/org/units',
      '/api/v1/audit',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect((await t.api('GET', '/api/docs/', { token: admin.token })).statusCode).toBe(200);
  });

  it('answers unknown API paths with the error shape (401 first without a token)', async () => {
    expect((await t.api('GET', '/api/v1/nothing-here')).statusCode).toBe(401);
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const r = await t.api('GET', '/api/v1/nothing-here', { token: admin.token, headers: { 'accept-language': 'en' } });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('NOT_FOUND');
  });
});

describe('the offline basemap', () => {
  it('serves the four districts converted from GCJ-02 to WGS-84, and the neighbouring cities', async () => {
    const fc = (await t.api('GET', '/api/v1/geo/basemap')).json();
    const districts = fc.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'district');
    // the four of the template, and no other but what this file's upload test may have added before
    const codes: string[] = districts.map((f: { properties: { code: string } }) => f.properties.code);
    expect(codes.filter((c) => !uploaded.has(c)).sort()).toEqual(['371002', '371003', '371082', '371083']);
    expect(fc.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'neighbour').length).toBe(
      15,
    );
    expect(fc.attribution[0]).toContain('DataV');
    // the neighbouring cities have English names too (the data carries Chinese only): 烟台市 is Yantai in English
    const yantai = fc.features.find((f: { properties: { code: string } }) => f.properties.code === '370600');
    expect(yantai.properties).toMatchObject({ name: '烟台市', nameEn: 'Yantai' });
    // GCJ-02 lies a few hundred metres east and north of WGS-84 around Weihai: the converted polygon moves back.
    const raw = JSON.parse(readFileSync(join(SHARED_DATA, 'boundaries', 'datav_371000_full.json'), 'utf8'));
    const rawHc = raw.features.find((f: { properties: { adcode: number } }) => f.properties.adcode === 371002);
    const hc = districts.find((f: { properties: { code: string } }) => f.properties.code === '371002');
    const [rx0, ry0] = bbox(rawHc.geometry.coordinates);
    const [x0, y0] = bbox(hc.geometry.coordinates);
    expect(rx0 - x0).toBeGreaterThan(0.002);
    expect(rx0 - x0).toBeLessThan(0.01);
    expect(ry0 - y0).toBeGreaterThan(-0.002);
    expect(ry0 - y0).toBeLessThan(0.005);
    expect(hc.properties.labelPoint).toHaveLength(2);
    // names stand at the seat of government (DataV's `center`, converted), not inland at a point of the surface:
    // 荣成市's seat is on the coast at about 122.42, 37.16 (issue 9 §5: the label stood far inland)
    const rc = districts.find((f: { properties: { code: string } }) => f.properties.code === '371082');
    const [lon, lat] = rc.properties.labelPoint;
    expect(Math.abs(lon - 122.417)).toBeLessThan(0.01);
    expect(Math.abs(lat - 37.159)).toBeLessThan(0.01);
  });

  it('says whether the data is demo data and what to attribute', async () => {
    const info = (await t.api('GET', '/api/v1/system/info')).json();
    expect(info.demo).toBe(false);
    expect(info.dataAttribution.join(' ')).toContain('DataV');
  });

  it('loads a customer boundary file through the admin API and places incidents with it', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    uploaded.add('nanhai');
    const square = {
      type: 'Polygon',
      coordinates: [
        [
          [100, 10],
          [101, 10],
          [101, 11],
          [100, 11],
          [100, 10],
        ],
      ],
    };
    const bad = await t.api('POST', '/api/v1/geo/boundaries', {
      token: admin.token,
      body: {
        crs: 'wgs84',
        source: 'test',
        featureCollection: {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { name: 'x' }, geometry: square }],
        },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('features.0.properties.code');
    const ok = await t.api('POST', '/api/v1/geo/boundaries', {
      token: admin.token,
      body: {
        crs: 'wgs84',
        source: 'test',
        featureCollection: {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { code: 'nanhai', name: '南海新区' }, geometry: square }],
        },
      },
    });
    expect(ok.json().codes).toEqual(['nanhai']);
    const i = await t.api('POST', '/api/v1/incidents', {
      token: admin.token,
      body: {
        title: 't',
        typeCode: '12H02',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        location: { type: 'Point', coordinates: [100.5, 10.5] },
      },
    });
    expect(i.json().district.code).toBe('nanhai');
  });
});
