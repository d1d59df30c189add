import type { LightMyRequestResponse } from 'fastify';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteReply } from '../../contracts/geo.ts';
import { systemCtx } from '../platform/core/context.ts';
import { startTestApp, type TestApp } from '../test/helpers.ts';
import type { GeoInternal } from './module.ts';
import { NetworkBuilder } from './network-builder.ts';

// A ladder in 环翠 (Huancui): a fast straight road (直通路, 60 km/h) from A0 to A4 and a slow detour (绕行路,
// 30 km/h) 500 m north joined at both ends; an island road far away that nothing reaches.
const LAT = 37.5;
const LON0 = 122.1;
const STEP = 0.5 / (111.32 * Math.cos((LAT * Math.PI) / 180)); // 500 m in longitude
const NORTH = 0.5 / 111.32; // 500 m in latitude
const A = [0, 1, 2, 3, 4].map((i) => [LON0 + i * STEP, LAT] as [number, number]);
const B = [0, 1, 2, 3, 4].map((i) => [LON0 + i * STEP, LAT + NORTH] as [number, number]);
const ISLAND: [number, number][] = [
  [122.3, 37.45],
  [122.305, 37.45],
];

function ladder() {
  const b = new NetworkBuilder(() => 30);
  const a = A.map(([x, y]) => b.vertex(x, y));
  const n = B.map(([x, y]) => b.vertex(x, y));
  const direct: number[] = [];
  for (let i = 0; i < 4; i++) direct.push(b.add(a[i], a[i + 1], 'primary', '直通路', false, 60));
  for (let i = 0; i < 4; i++) b.add(n[i], n[i + 1], 'residential', '绕行路', false, 30);
  b.add(a[0], n[0], 'residential', '西连接路', false, 30);
  b.add(a[4], n[4], 'residential', '东连接路', false, 30);
  b.add(b.vertex(...ISLAND[0]), b.vertex(...ISLAND[1]), 'residential', '孤岛路', false, 30);
  return { net: b.build(), direct };
}

describe('road network API', () => {
  let t: TestApp;
  const geo = () => t.module<GeoInternal>('geo');
  let admin: string;
  let viewer: { token: string };
  let direct: number[];
  let segmentCount: number;
  // what the API answered before any network was installed
  let beforeInstall: { network: LightMyRequestResponse; route: LightMyRequestResponse };
  const installLadder = async () => {
    const l = ladder();
    await geo().networks.installNetwork(systemCtx(), l.net, [], {
      name: 'ladder',
      synthetic: true,
      source: 'test',
      attribution: 'test network',
    });
    direct = l.direct;
    segmentCount = l.net.segmentCount;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await t.login('admin', 'Admin-pass-1')).token;
    viewer = await t.userWith('viewer', 'yjj', 'city');
    beforeInstall = {
      network: await t.api('GET', '/api/v1/geo/network', { token: admin }),
      route: await t.api('POST', '/api/v1/geo/route', { token: admin, body: { from: A[0], to: A[4] } }),
    };
    await installLadder();
  });
  afterAll(() => t?.stop());

  it('says there is no network before one is installed', async () => {
    expect(beforeInstall.network.statusCode).toBe(503);
    expect(beforeInstall.network.json().error.code).toBe('NO_ROAD_NETWORK');
    expect(beforeInstall.route.json().error.code).toBe('NO_ROAD_NETWORK');
  });

  it('installs a network and answers routes on it', async () => {
    const info = (await t.api('GET', '/api/v1/geo/network', { token: viewer.token })).json();
    expect(info).toMatchObject({ name: 'ladder', synthetic: true, segmentCount });

    const r = await t.api('POST', '/api/v1/geo/route', { token: viewer.token, body: { from: A[0], to: A[4] } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.seconds).toBeCloseTo(120, 0);
    expect(body.meters).toBeGreaterThan(1990);
    expect(body.meters).toBeLessThan(2010);
    expect(body.roadIds).toEqual(direct);
    expect(body.geometry.coordinates[0][0]).toBeCloseTo(A[0][0], 5);
    expect(body.network).toEqual({ name: 'ladder', synthetic: true });
    // the reply as the contract describes it, with the directions a dispatcher reads out
    expect(Value.Errors(RouteReply, body)).toEqual([]);
    expect(body.steps.map((s: { maneuver: string; name: string }) => [s.maneuver, s.name])).toEqual([
      ['depart', '直通路'],
      ['arrive', '直通路'],
    ]);
    expect(body.ferry).toBe(false);
    expect(body.snapped.from).toMatchObject({ roadId: direct[0], name: '直通路', meters: 0 });
    expect(body.snapped.to).toMatchObject({ roadId: direct[3], name: '直通路', meters: 0 });
  });

  it('refuses points off the network and unreachable targets, naming the field', async () => {
    const off = await t.api('POST', '/api/v1/geo/route', {
      token: admin,
      body: { from: A[0], to: [122.2, 37.3] },
      headers: { 'accept-language': 'en' },
    });
    expect(off.statusCode).toBe(422);
    expect(off.json().error).toMatchObject({ code: 'OFF_NETWORK', field: 'to' });
    expect(off.json().error.message).toContain('off the network');
    const island = await t.api('POST', '/api/v1/geo/route', { token: admin, body: { from: A[0], to: ISLAND[1] } });
    expect(island.json().error).toMatchObject({ code: 'NO_ROUTE', field: 'to' });
    const m = await t.api('POST', '/api/v1/geo/matrix', {
      token: admin,
      body: { sources: [A[0]], targets: [A[4], ISLAND[1]] },
    });
    expect(m.statusCode).toBe(200);
    expect(m.json().seconds[0][0]).toBeCloseTo(120, 0);
    expect(m.json().seconds[0][1]).toBeNull();
    expect(m.json().meters[0][1]).toBeNull();
  });

  it('closes a road at once: routes detour, matrices and isochrones follow; clearing restores them', async () => {
    const iso0 = (
      await t.api('POST', '/api/v1/geo/isochrone', { token: admin, body: { origins: [A[0]], minutes: 2 } })
    ).json();
    expect(iso0.areaKm2).toBeGreaterThan(0);

    const denied = await t.api('POST', '/api/v1/closures', {
      token: viewer.token,
      body: { roadIds: [direct[1]], cause: 'x' },
    });
    expect(denied.statusCode).toBe(403);

    const c = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: { roadIds: [direct[1]], cause: '桥梁受损', expectedEndAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(c.statusCode).toBe(201);
    const closure = c.json();
    expect(closure).toMatchObject({ state: 'active', roadIds: [direct[1]], roadNames: ['直通路'] });
    expect(closure.number).toMatch(/^FB-\d{4}-\d{6}$/);

    const detour = (await t.api('POST', '/api/v1/geo/route', { token: admin, body: { from: A[0], to: A[4] } })).json();
    expect(detour.seconds).toBeCloseTo(360, 0);
    expect(detour.roadIds).not.toContain(direct[1]);
    const m = (
      await t.api('POST', '/api/v1/geo/matrix', { token: admin, body: { sources: [A[0]], targets: [A[4]] } })
    ).json();
    expect(m.seconds[0][0]).toBeCloseTo(360, 0);
    const iso1 = (
      await t.api('POST', '/api/v1/geo/isochrone', { token: admin, body: { origins: [A[0]], minutes: 2 } })
    ).json();
    expect(iso1.areaKm2).toBeLessThan(iso0.areaKm2);

    const near = (
      await t.api('GET', `/api/v1/geo/roads?near=${A[1][0]},${A[1][1]}&radiusM=30`, { token: admin })
    ).json();
    expect(near.items.find((r: { id: number }) => r.id === direct[1])?.closed).toBe(true);
    const list = (await t.api('GET', '/api/v1/closures?state=active', { token: viewer.token })).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(closure.id);
    const fc = (await t.api('GET', '/api/v1/closures/geojson', { token: viewer.token })).json();
    expect(fc.features[0].geometry.type).toBe('MultiLineString');

    const cleared = await t.api('POST', `/api/v1/closures/${closure.id}/clear`, { token: admin });
    expect(cleared.json().state).toBe('cleared');
    const back = (await t.api('POST', '/api/v1/geo/route', { token: admin, body: { from: A[0], to: A[4] } })).json();
    expect(back.seconds).toBeCloseTo(120, 0);
  });

  it('finds the roads along a drawn line, and refuses a line along no road', async () => {
    const along = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: {
        geometry: { type: 'LineString', coordinates: [A[2], A[4]] },
        cause: '积水',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(along.statusCode).toBe(201);
    expect(along.json().roadIds).toEqual([direct[2], direct[3]]);
    expect(along.json().state).toBe('scheduled');
    // scheduled: not yet closed
    const r = (await t.api('POST', '/api/v1/geo/route', { token: admin, body: { from: A[0], to: A[4] } })).json();
    expect(r.seconds).toBeCloseTo(120, 0);

    const nowhere = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: {
        geometry: {
          type: 'LineString',
          coordinates: [
            [122.2, 37.3],
            [122.21, 37.3],
          ],
        },
        cause: 'x',
      },
    });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json().error.field).toBe('geometry');
    const badEnd = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: {
        roadIds: [direct[0]],
        cause: 'x',
        startsAt: '2026-01-02T00:00:00Z',
        expectedEndAt: '2026-01-01T00:00:00Z',
      },
    });
    expect(badEnd.json().error.field).toBe('expectedEndAt');
    const badId = await t.api('POST', '/api/v1/closures', { token: admin, body: { roadIds: [0, 99999], cause: 'x' } });
    expect(badId.json().error.field).toBe('roadIds.1');
  });

  it('reports coverage of a drawn area and of a district', async () => {
    const square = {
      type: 'Polygon',
      coordinates: [
        [
          [LON0, LAT - 0.002],
          [LON0 + 4 * STEP, LAT - 0.002],
          [LON0 + 4 * STEP, LAT + NORTH + 0.002],
          [LON0, LAT + NORTH + 0.002],
          [LON0, LAT - 0.002],
        ],
      ],
    };
    const r = await t.api('POST', '/api/v1/geo/coverage', {
      token: admin,
      body: { origins: [A[0]], minutes: 10, area: square },
    });
    expect(r.statusCode).toBe(200);
    const c = r.json();
    expect(c.h3Resolution).toBe(9);
    expect(c.coveredShare).toBeGreaterThan(0);
    expect(c.coveredShare).toBeLessThanOrEqual(1);
    expect(c.covered.features.length + c.uncovered.features.length).toBe(c.cellCount);
    const d = (
      await t.api('POST', '/api/v1/geo/coverage', {
        token: admin,
        body: { origins: [A[0]], minutes: 5, area: '371002' },
      })
    ).json();
    expect(d.coveredShare).toBeGreaterThan(0);
    expect(d.coveredShare).toBeLessThan(0.05);
    const bad = await t.api('POST', '/api/v1/geo/coverage', {
      token: admin,
      body: { origins: [A[0]], minutes: 5, area: '999999' },
    });
    expect(bad.json().error.field).toBe('area');
  });

  it('lists the map layers a user may see and searches roads and places', async () => {
    const layers = (await t.api('GET', '/api/v1/map/layers', { token: viewer.token })).json().items;
    const ids = layers.map((l: { id: string }) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['boundaries', 'roads', 'closures', 'incidents']));
    expect(layers.find((l: { id: string }) => l.id === 'roads').note).toContain('示例路网');
    // the legend in the dark theme shows the dark basemap's colours: no white street where the map draws grey
    type Legend = { legend: { color: string; colorDark?: string }[] };
    const roadLegend = layers.find((l: { id: string }) => l.id === 'roads') as Legend;
    expect(roadLegend.legend.map((r) => r.colorDark)).not.toContain(undefined);
    expect(roadLegend.legend.map((r) => r.colorDark)).not.toContain('#ffffff');
    const darkStyle = (await t.app.inject({ url: '/map/style.json?theme=dark' })).json();
    const districtLine = darkStyle.layers.find((l: { id: string }) => l.id === 'district-line').paint['line-color'];
    const boundaryLegend = layers.find((l: { id: string }) => l.id === 'boundaries') as Legend;
    expect(boundaryLegend.legend[0].colorDark).toBe(districtLine);
    const s = (
      await t.api('GET', `/api/v1/map/search?q=${encodeURIComponent('绕行')}`, { token: viewer.token })
    ).json();
    expect(s.items[0]).toMatchObject({ kind: 'road', name: '绕行路' });
    const p = (
      await t.api('GET', `/api/v1/map/search?q=${encodeURIComponent('环翠')}`, { token: viewer.token })
    ).json();
    expect(p.items.some((h: { kind: string; name: string }) => h.kind === 'place' && h.name === '环翠区')).toBe(true);
  });

  it('keeps another district out of a closure: no reading its cause, no clearing it, no naming a missing incident', async () => {
    const wendeng = await t.userWith('district_staff', '371003', 'district');
    const huancui = await t.userWith('district_staff', '371002', 'district');
    const c = (
      await t.api('POST', '/api/v1/closures', { token: admin, body: { roadIds: [direct[2]], cause: '环翠：桥梁检修' } })
    ).json();
    const read = await t.api('GET', `/api/v1/closures/${c.id}`, { token: wendeng.token });
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe('OUT_OF_SCOPE');
    const clear = await t.api('POST', `/api/v1/closures/${c.id}/clear`, { token: wendeng.token });
    expect(clear.statusCode).toBe(403);
    const list = (await t.api('GET', '/api/v1/closures?state=all', { token: wendeng.token })).json();
    expect(JSON.stringify(list)).not.toContain('桥梁检修');
    const map = (await t.api('GET', '/api/v1/closures/geojson', { token: wendeng.token })).json();
    expect(map.features.length).toBeGreaterThan(0);
    expect(JSON.stringify(map)).not.toContain('桥梁检修');
    expect((await t.api('GET', `/api/v1/closures/${c.id}`, { token: admin })).json().state).toBe('active');
    const ok = await t.api('POST', `/api/v1/closures/${c.id}/clear`, { token: huancui.token });
    expect(ok.json().state).toBe('cleared');
    const ghost = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: { roadIds: [direct[2]], cause: 'x', incidentId: '01900000-0000-7000-8000-000000000001' },
    });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().error.field).toBe('incidentId');
  });

  it('keeps closures across a network swap, on the roads at the same place', async () => {
    const active = await t.api('POST', '/api/v1/closures', {
      token: admin,
      body: { roadIds: [direct[1]], cause: '塌方' },
    });
    const id = active.json().id;
    const before = geo().networks.current()!.id;
    // the same roads, built again (new ids come in a different order)
    const l = ladder();
    await geo().networks.installNetwork(systemCtx(), l.net, [], {
      name: 'ladder 2',
      synthetic: false,
      source: 'test',
      attribution: '© OpenStreetMap contributors',
    });
    expect(geo().networks.current()!.id).not.toBe(before);
    const after = (await t.api('GET', `/api/v1/closures/${id}`, { token: admin })).json();
    expect(after.roadIds).toEqual([l.direct[1]]);
    const r = (await t.api('POST', '/api/v1/geo/route', { token: admin, body: { from: A[0], to: A[4] } })).json();
    expect(r.seconds).toBeCloseTo(360, 0);
    const networks = (await t.api('GET', '/api/v1/geo/networks', { token: admin })).json().items;
    expect(networks.find((n: { id: string }) => n.id === before).status).toBe('retired');
    const rows = await t.db.kysely
      .selectFrom('roads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('network_id', '=', before)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(0);
    // back to the network the other tests expect, without the closure
    expect((await t.api('POST', `/api/v1/closures/${id}/clear`, { token: admin })).statusCode).toBe(200);
    await installLadder();
  });
});
