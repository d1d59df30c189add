// The route reply as a dispatcher uses it (issue 8): turn-by-turn steps with road names from the network, where
// each end met the road and how far away, the roads actually driven, and whether a ferry is taken. On the synthetic
// Weihai demo network (as the demo shows it) and on a small hand-made one where every answer is known.
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteReply } from '../../contracts/geo.ts';
import { systemCtx } from '../platform/core/context.ts';
import { startTestPlatform, type TestPlatform } from '../test/helpers.ts';
import { districtPolygons } from './boundaries.repository.ts';
import { DEMO_TOWNS, installDemoRoads } from './demo-roads.ts';
import * as geo from './geo.service.ts';
import type { GeoInternal } from './module.ts';
import { NetworkBuilder } from './network-builder.ts';

const LAT = 37.5;
const LON = 122.1;
const M_LON = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180));
const M_LAT = 1 / 111_320;
/** [lon, lat] x metres east and y metres north of (LON, LAT) */
const p = (x: number, y: number): [number, number] => [LON + x * M_LON, LAT + y * M_LAT];

// 码头路 runs east to the pier P (600 m); the 刘公岛 ferry crosses 2 km of water to the island pier Q, where 岛上路
// goes on east. At J (300 m) 海滨路 turns off north (its name in English tagged too); 东山路 leaves the
// ferry's island end to the north, unnamed.
function harbour() {
  const b = new NetworkBuilder((cls) => (cls === 'ferry' ? 20 : 36));
  const [w, j, pier, island, east, north, hill] = [
    p(0, 0),
    p(300, 0),
    p(600, 0),
    p(2600, 0),
    p(3000, 0),
    p(300, 400),
    p(2600, 400),
  ].map(([x, y]) => b.vertex(x, y));
  const segs = {
    dock1: b.add(w, j, 'secondary', '码头路'),
    dock2: b.add(j, pier, 'secondary', '码头路'),
    ferry: b.add(pier, island, 'ferry', '刘公岛轮渡'),
    island: b.add(island, east, 'residential', '岛上路'),
    coast: b.add(j, north, 'secondary', '海滨路'),
    hill: b.add(island, hill, 'service', null),
  };
  const net = b.build();
  net.namesEn[net.segName[segs.coast]] = 'Binhai Road';
  return { net, segs };
}

describe('route replies with directions', () => {
  let t: TestPlatform;
  let deps: geo.GeoDeps;
  const g = () => t.module<GeoInternal>('geo');
  beforeAll(async () => {
    t = await startTestPlatform();
    deps = { db: t.platform.db, networks: g().networks, closures: g().closures };
  });
  afterAll(() => t?.stop());

  it('reads out a route across the demo network: names of its roads, turns, totals that add up', async () => {
    await installDemoRoads(g(), systemCtx(), await districtPolygons(t.platform.db.kysely));
    const [huancui] = DEMO_TOWNS;
    const [cx, cy] = huancui.center;
    // from the south-west of 环翠's street mesh to its north-east: a few turns on the mesh
    const r = await geo.route(deps, { from: [cx - 0.008, cy - 0.0055], to: [cx + 0.009, cy + 0.0062] });
    expect(Value.Check(RouteReply, r)).toBe(true);
    const steps = r.steps;
    expect(steps[0].maneuver).toBe('depart');
    expect(steps[steps.length - 1]).toMatchObject({ maneuver: 'arrive', meters: 0, seconds: 0 });
    expect(steps.length).toBeGreaterThan(3);
    // every road of the demo is a named 示例 street: no fallback names
    for (const s of steps) expect(s.name).toMatch(/^示例/);
    // the mesh is a grid: every turn is a plain left or right, and no two steps in a row are on the same road
    for (const s of steps.slice(1, -1)) expect(['turn_left', 'turn_right']).toContain(s.maneuver);
    for (let i = 1; i < steps.length - 1; i++) expect(steps[i].name).not.toBe(steps[i - 1].name);
    const meters = steps.reduce((m, s) => m + s.meters, 0);
    const seconds = steps.reduce((m, s) => m + s.seconds, 0);
    expect(meters).toBeCloseTo(r.meters, -1);
    expect(Math.abs(seconds - r.seconds)).toBeLessThan(1);
    expect(r.ferry).toBe(false);
    // both ends lie within a few hundred metres of the mesh, on the first and last road driven
    expect(r.snapped.from.roadId).toBe(r.roadIds[0]);
    expect(r.snapped.to.roadId).toBe(r.roadIds[r.roadIds.length - 1]);
    expect(r.snapped.from.name).toBe(steps[0].name);
    expect(r.snapped.from.meters).toBeGreaterThan(0);
    expect(r.snapped.from.meters).toBeLessThan(300);
  });

  it('says where the ferry is taken, names the roads met, and lists only roads driven', async () => {
    const { net, segs } = harbour();
    await g().networks.installNetwork(systemCtx(), net, [], {
      name: 'harbour',
      synthetic: true,
      source: 'test',
      attribution: 'test',
    });
    // from 20 m north of the road 50 m west of J, to the island road
    const r = await geo.route(deps, { from: p(250, 20), to: p(2900, -5) });
    expect(Value.Check(RouteReply, r)).toBe(true);
    expect(r.steps.map((s) => [s.maneuver, s.name])).toEqual([
      ['depart', '码头路'],
      ['ferry', '刘公岛轮渡'],
      ['straight', '岛上路'],
      ['arrive', '岛上路'],
    ]);
    expect(r.ferry).toBe(true);
    // 2 km at 20 km/h
    expect(r.steps[1].meters).toBeCloseTo(2000, -1);
    expect(r.steps[1].seconds).toBeCloseTo(360, -1);
    expect(r.snapped.from).toMatchObject({ roadId: segs.dock1, name: '码头路', nameEn: '码头路' });
    expect(r.snapped.from.meters).toBeCloseTo(20, 0);
    expect(r.snapped.to).toMatchObject({ roadId: segs.island, name: '岛上路' });
    expect(r.snapped.to.meters).toBeCloseTo(5, 0);
    expect(r.roadIds).toEqual([segs.dock1, segs.dock2, segs.ferry, segs.island]);
    expect(r.roadIds).not.toContain(segs.coast);
  });

  it('starting on a junction, lists the roads driven only; names unnamed roads by their class', async () => {
    // from J itself (where 码头路 and 海滨路 meet) north along 海滨路; then to the unnamed road on the island
    const north = await geo.route(deps, { from: p(300, 0), to: p(300, 350) });
    expect(north.roadIds).toEqual([north.snapped.to.roadId]);
    expect(north.snapped.from.meters).toBe(0);
    expect(north.steps.map((s) => [s.maneuver, s.name, s.nameEn])).toEqual([
      ['depart', '海滨路', 'Binhai Road'],
      ['arrive', '海滨路', 'Binhai Road'],
    ]);
    const hill = await geo.route(deps, { from: p(2800, 0), to: p(2600, 300) });
    expect(hill.steps.map((s) => [s.maneuver, s.name, s.nameEn])).toEqual([
      ['depart', '岛上路', '岛上路'],
      ['turn_right', '内部道路', 'service road'],
      ['arrive', '内部道路', 'service road'],
    ]);
    expect(hill.snapped.to).toMatchObject({ name: '内部道路', nameEn: 'service road' });
    expect(hill.ferry).toBe(false);
  });
});
