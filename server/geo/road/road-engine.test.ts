import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { areaCells, sampleCells } from './coverage-cells.ts';
import { areaPolygons } from './road-engine.ts';
import { matrixVertices, reachVertices, routeVertices } from './search.ts';
import {
  at,
  buildNetwork as buildWithTurnCosts,
  crossNodes,
  crossSegments,
  testEngine,
  withoutTurnCosts,
} from './test-networks.ts';

// These suites are about one-ways, restrictions, closures, metrics and areas, in round numbers: turns cost nothing
// here (turn-model.test.ts has the turn model); U-turns are still allowed only at dead ends.
function buildNetwork(...args: Parameters<typeof buildWithTurnCosts>) {
  return withoutTurnCosts(buildWithTurnCosts(...args));
}

// A square, 100 m sides, 10 s each at 36 km/h; the bottom side (s0) is one-way 0 → 1.
//  3 ── s2 ── 2
//  │          │
//  s3         s1
//  │          │
//  0 ──s0 ──▶ 1
const square = () =>
  buildNetwork(
    [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
    ],
    [
      { from: 0, to: 1, oneway: true },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
      { from: 3, to: 0 },
    ],
  );

function closedOf(count: number, ...segs: number[]): Uint8Array {
  const c = new Uint8Array(count);
  for (const s of segs) c[s] = 1;
  return c;
}

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('one-way streets', () => {
  const { graph, engine } = testEngine(square());

  it('drives a one-way street only in its direction', () => {
    expect(routeVertices(graph, 'car', 0, 1, 'time')).toEqual({ seconds: 10, meters: expect.closeTo(100, 1) });
    // 1 → 0 must go round the square
    const back = routeVertices(graph, 'car', 1, 0, 'time');
    expect(back?.seconds).toBe(30);
    expect(back?.meters).toBeCloseTo(300, 0);
  });

  it('routes between points inside segments with partial times', () => {
    const r = engine.route(at(50, 0), at(100, 50));
    expect(r?.seconds).toBeCloseTo(10, 2);
    expect(r?.meters).toBeCloseTo(100, 0);
    expect(r?.segments).toEqual([0, 1]);
    const back = engine.route(at(100, 50), at(50, 0));
    expect(back?.seconds).toBeCloseTo(30, 2);
    expect(back?.segments).toEqual([1, 2, 3, 0]);
  });

  it('handles a route along one segment, and around when the segment is one-way the other way', () => {
    const r = engine.route(at(20, 0), at(70, 0));
    expect(r?.seconds).toBeCloseTo(5, 2);
    expect(r?.segments).toEqual([0]);
    expect(r?.geometry.coordinates[0][0]).toBeCloseTo(at(20, 0)[0], 6);
    const back = engine.route(at(70, 0), at(20, 0));
    expect(back?.seconds).toBeCloseTo(3 + 30 + 2, 2);
    expect(back?.segments).toEqual([0, 1, 2, 3, 0]);
  });

  it('snaps a point beside a road to the nearest point, with the partial time from there', () => {
    const s = engine.snap(at(30, 4), 'from');
    expect(s.seg).toBe(0);
    expect(s.fraction).toBeCloseTo(0.3, 3);
    expect(s.meters).toBeCloseTo(4, 1);
    const r = engine.route(at(30, 4), at(100, 0));
    expect(r?.seconds).toBeCloseTo(7, 2);
    expect(r?.meters).toBeCloseTo(70, 0);
  });

  it('refuses a point off the network, naming the field', () => {
    const e = appError(() => engine.route(at(0, 0), at(0, 2000)));
    expect(e.code).toBe('OFF_NETWORK');
    expect(e.details.field).toBe('to');
    expect(e.details.max).toBe(500);
    expect(e.details.meters).toBeCloseTo(1900, -1);
    const iso = appError(() => engine.isochrone([at(0, 0), at(-800, 0)], 5));
    expect(iso.details.field).toBe('origins.1');
    const m = appError(() => engine.matrix([at(0, 0)], [at(0, 0), at(50, 0), at(5000, 5000)]));
    expect(m.details.field).toBe('targets.2');
  });

  it('finds segments near a point (nearest first) and along a drawn line', () => {
    expect(engine.segmentsNear(at(50, 10), 30)).toEqual([0]);
    const near = engine.segmentsNear(at(50, 10), 60);
    expect(near[0]).toBe(0);
    expect(new Set(near)).toEqual(new Set([0, 1, 3]));
    expect(engine.segmentsAlong([at(-10, 2), at(110, -3)], 10)).toEqual([0]);
    expect(engine.segmentsAlong([at(-5, -5), at(105, -5), at(105, 105)], 15)).toEqual([0, 1]);
    // crossing the square does not lie along its sides
    expect(engine.segmentsAlong([at(50, -50), at(50, 150)], 10)).toEqual([]);
  });
});

describe('turn restrictions', () => {
  it('honours a "no" restriction (no left turn west → north) by a detour', () => {
    const net = buildNetwork(crossNodes, crossSegments, [{ fromSeg: 0, viaNode: 0, toSeg: 2, kind: 'no' }]);
    const { graph, engine } = testEngine(net);
    expect(routeVertices(graph, 'car', 1, 3, 'time')?.seconds).toBe(40);
    // other turns at the via vertex stay allowed, and so does starting there
    expect(routeVertices(graph, 'car', 1, 2, 'time')?.seconds).toBe(20);
    expect(routeVertices(graph, 'car', 1, 4, 'time')?.seconds).toBe(20);
    expect(routeVertices(graph, 'car', 0, 3, 'time')?.seconds).toBe(10);
    // from inside the west arm to inside the north arm: straight over into the south arm, turn round at its dead
    // end and come back north (no U-turn at the junction itself)
    const r = engine.route(at(-50, 0), at(0, 50));
    expect(r?.seconds).toBeCloseTo(30, 2);
    expect(r?.segments).toEqual([0, 3, 2]);
    // turnRestrictions: false ignores them
    const plain = testEngine(net, { turnRestrictions: false });
    expect(routeVertices(plain.graph, 'car', 1, 3, 'time')?.seconds).toBe(20);
    expect(matrixVertices(graph, 'car', [1], [3, 2])).toEqual(new Float64Array([40, 20]));
    expect(routeVertices(graph, 'car', 1, 3, 'distance')?.meters).toBeCloseTo(400, 0);
  });

  it('honours an "only" restriction (only straight on from the west)', () => {
    const net = buildNetwork(crossNodes, crossSegments, [{ fromSeg: 0, viaNode: 0, toSeg: 1, kind: 'only' }]);
    const { graph } = testEngine(net);
    expect(routeVertices(graph, 'car', 1, 2, 'time')?.seconds).toBe(20);
    expect(routeVertices(graph, 'car', 1, 3, 'time')?.seconds).toBe(40);
    // south: not by turning round at vertex 2 (a junction, no U-turn there) but round the loop 2 → 5 → 3 → 0
    expect(routeVertices(graph, 'car', 1, 4, 'time')?.seconds).toBe(60);
    expect(matrixVertices(graph, 'car', [1, 0], [2, 3, 4])).toEqual(new Float64Array([20, 40, 60, 10, 10, 10]));
  });

  it('applies a restriction only to the profiles it names', () => {
    const net = buildNetwork(crossNodes, crossSegments, [
      { fromSeg: 0, viaNode: 0, toSeg: 2, kind: 'no', appliesTo: ['car'] },
    ]);
    const { graph } = testEngine(net);
    expect(routeVertices(graph, 'car', 1, 3, 'time')?.seconds).toBe(40);
    expect(routeVertices(graph, 'emergency', 1, 3, 'time')?.seconds).toBe(20);
  });

  it('ignores restrictions whose segments do not meet at the via vertex', () => {
    const net = buildNetwork(crossNodes, crossSegments, [{ fromSeg: 0, viaNode: 0, toSeg: 4, kind: 'no' }]);
    const { graph } = testEngine(net);
    expect(graph.meta.restrictionsIgnored).toBe(1);
    expect(routeVertices(graph, 'car', 1, 3, 'time')?.seconds).toBe(20);
  });
});

describe('closures', () => {
  const net = buildNetwork(crossNodes, crossSegments);
  const { graph, engine } = testEngine(net);
  const closeNorth = closedOf(net.segmentCount, 2);

  it('routes around a closed segment, and clearing it restores the route', () => {
    expect(engine.route(at(-100, 0), at(0, 100))?.seconds).toBeCloseTo(20, 2);
    const r = engine.route(at(-100, 0), at(0, 100), { closed: closeNorth });
    expect(r?.seconds).toBeCloseTo(40, 2);
    expect(r?.segments).not.toContain(2);
    expect(engine.route(at(-100, 0), at(0, 100), { closed: closedOf(net.segmentCount) })?.seconds).toBeCloseTo(20, 2);
    expect(routeVertices(graph, 'car', 1, 3, 'time', closeNorth)?.seconds).toBe(40);
    expect(routeVertices(graph, 'car', 1, 3, 'distance', closeNorth)?.meters).toBeCloseTo(400, 0);
  });

  it('shrinks the isochrone', () => {
    const open = engine.isochrone([at(0, 0)], 0.25);
    const shut = engine.isochrone([at(0, 0)], 0.25, { closed: closeNorth });
    const length = (lines: [number, number][][]) =>
      lines.reduce((sum, l) => sum + l.slice(1).reduce((s, p, i) => s + metres(l[i], p), 0), 0);
    expect(length(open.roads.coordinates)).toBeCloseTo(500, -1);
    expect(length(shut.roads.coordinates)).toBeCloseTo(350, -1);
    expect(shut.areaKm2).toBeLessThan(open.areaKm2);
    expect(reachVertices(graph, 'car', [0], 15).count).toBe(5);
    expect(reachVertices(graph, 'car', [0], 15, closeNorth).count).toBe(4);
  });

  it('changes the matrix, and clearing restores it', () => {
    const before = engine.matrix([at(-100, 0)], [at(0, 100), at(100, 0)]);
    expect(before.seconds).toEqual([[20, 20]]);
    const during = engine.matrix([at(-100, 0)], [at(0, 100), at(100, 0)], { closed: closeNorth });
    expect(during.seconds).toEqual([[40, 20]]);
    expect(during.meters[0][0]).toBeCloseTo(400, 0);
    expect(engine.matrix([at(-100, 0)], [at(0, 100), at(100, 0)]).seconds).toEqual([[20, 20]]);
    expect(matrixVertices(graph, 'car', [1], [3, 2], closeNorth)).toEqual(new Float64Array([40, 20]));
  });

  it('does not snap to a closed segment', () => {
    expect(engine.route(at(0, 50), at(100, 0), { closed: closeNorth })?.segments[0]).not.toBe(2);
  });
});

describe('unreachable places', () => {
  // two squares 2 km apart, and a one-way spur 1 → 4 leading out of the first
  const net = buildNetwork(
    [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
      [200, 0],
      [2000, 0],
      [2100, 0],
      [2100, 100],
    ],
    [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
      { from: 3, to: 0 },
      { from: 1, to: 4, oneway: true },
      { from: 5, to: 6 },
      { from: 6, to: 7 },
    ],
  );
  const { graph, engine } = testEngine(net);

  it('answers null for a route to another part of the network', () => {
    expect(engine.route(at(0, 0), at(2050, 0))).toBeNull();
    expect(routeVertices(graph, 'car', 0, 6, 'time')).toBeNull();
    expect(routeVertices(graph, 'car', 0, 6, 'distance')).toBeNull();
  });

  it('answers null in the matrix where a target cannot be reached', () => {
    const m = engine.matrix([at(0, 0), at(200, 0)], [at(200, 0), at(2050, 0), at(0, 100)]);
    expect(m.seconds[0]).toEqual([20, null, 10]);
    // from the end of the one-way spur nothing can be reached (but its own point)
    expect(m.seconds[1]).toEqual([0, null, null]);
    expect(m.meters[0][1]).toBeNull();
    const mv = matrixVertices(graph, 'car', [0, 4], [4, 6]);
    expect(Array.from(mv)).toEqual([20, Number.POSITIVE_INFINITY, 0, Number.POSITIVE_INFINITY]);
    expect(routeVertices(graph, 'car', 4, 0, 'time')).toBeNull();
  });
});

describe('metrics', () => {
  // a short slow road (0 → 1 direct, 200 m at 18 km/h = 40 s) and a long fast one (0 → 2 → 1, 300 m at 72 km/h = 15 s)
  const net = buildNetwork(
    [
      [0, 0],
      [200, 0],
      [100, 111.8],
    ],
    [
      { from: 0, to: 1, kmh: 18 },
      { from: 0, to: 2, kmh: 72 },
      { from: 2, to: 1, kmh: 72 },
    ],
  );
  const { graph, engine } = testEngine(net);

  it('takes the fastest path on time and the shortest on distance', () => {
    const fast = engine.route(at(0, 0), at(200, 0));
    expect(fast?.segments).toEqual([1, 2]);
    expect(fast?.seconds).toBeCloseTo(15, 1);
    const short = engine.route(at(0, 0), at(200, 0), { metric: 'distance' });
    expect(short?.segments).toEqual([0]);
    expect(short?.meters).toBeCloseTo(200, 0);
    expect(short?.seconds).toBeCloseTo(40, 1);
    expect(routeVertices(graph, 'car', 0, 1, 'distance')?.seconds).toBeCloseTo(40, 1);
    expect(routeVertices(graph, 'car', 0, 1, 'time')?.meters).toBeCloseTo(300, 0);
  });

  it('uses the emergency profile speeds when asked', () => {
    const em = buildNetwork(
      [
        [0, 0],
        [100, 0],
      ],
      [{ from: 0, to: 1, kmh: 36, emergencyKmh: 72 }],
    );
    const e = testEngine(em).engine;
    expect(e.route(at(0, 0), at(100, 0))?.seconds).toBeCloseTo(10, 2);
    expect(e.route(at(0, 0), at(100, 0), { profile: 'emergency' })?.seconds).toBeCloseTo(5, 2);
  });
});

describe('isochrone and coverage', () => {
  const line = buildNetwork(
    [
      [0, 0],
      [300, 0],
    ],
    [{ from: 0, to: 1 }],
  );

  it('cuts a partly reached segment where the time runs out', () => {
    const { engine } = testEngine(line);
    const iso = engine.isochrone([at(0, 0)], 0.25);
    expect(iso.roads.coordinates).toHaveLength(1);
    const road = iso.roads.coordinates[0];
    expect(metres(road[0], road[road.length - 1])).toBeCloseTo(150, 0);
    // a 100 m buffer around 150 m of road: a 150 × 200 m rectangle and two half discs
    expect(iso.areaKm2).toBeCloseTo((150 * 200 + Math.PI * 100 * 100) / 1e6, 2);
    expect(iso.polygon.coordinates).toHaveLength(1);
    expect(iso.polygon.coordinates[0][0][0][0]).toBeCloseTo(121.5, 1);
    // from the middle, both ways
    const mid = engine.isochrone([at(150, 0)], 0.1);
    expect(mid.roads.coordinates).toHaveLength(1);
    expect(metres(mid.roads.coordinates[0][0], mid.roads.coordinates[0][1])).toBeCloseTo(120, 0);
  });

  it('keeps holes: a ring road around a large block', () => {
    const ring = buildNetwork(
      [
        [0, 0],
        [1000, 0],
        [1000, 1000],
        [0, 1000],
      ],
      [
        { from: 0, to: 1 },
        { from: 1, to: 2 },
        { from: 2, to: 3 },
        { from: 3, to: 0 },
      ],
    );
    const iso = testEngine(ring).engine.isochrone([at(0, 0)], 10);
    expect(iso.polygon.coordinates).toHaveLength(1);
    expect(iso.polygon.coordinates[0]).toHaveLength(2);
    // outer 1200 m square minus inner 800 m square (corners rounded off): about 0.8 km²
    expect(iso.areaKm2).toBeGreaterThan(0.75);
    expect(iso.areaKm2).toBeLessThan(0.81);
  });

  it('fills a small block enclosed by reached streets', () => {
    const block = buildNetwork(
      [
        [0, 0],
        [400, 0],
        [400, 400],
        [0, 400],
      ],
      [
        { from: 0, to: 1 },
        { from: 1, to: 2 },
        { from: 2, to: 3 },
        { from: 3, to: 0 },
      ],
    );
    const iso = testEngine(block).engine.isochrone([at(0, 0)], 10);
    // the 200 m × 200 m hole inside the 100 m buffers is part of the area: one ring, about 600 m × 600 m
    expect(iso.polygon.coordinates).toHaveLength(1);
    expect(iso.polygon.coordinates[0]).toHaveLength(1);
    expect(iso.areaKm2).toBeGreaterThan(0.34);
    expect(iso.areaKm2).toBeLessThan(0.37);
  });

  it('splits an area into covered and uncovered H3 cells', () => {
    const net = buildNetwork(crossNodes, crossSegments);
    const { engine } = testEngine(net);
    const [x0, y0] = at(-600, -600);
    const [x1, y1] = at(600, 600);
    const area = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    };
    const all = engine.coverage([at(0, 0)], 5, area);
    expect(all.cellCount).toBeGreaterThan(10);
    expect(all.covered.features.length + all.uncovered.features.length).toBe(all.cellCount);
    expect(all.coveredShare).toBeGreaterThan(0);
    expect(all.coveredShare).toBeLessThan(1);
    const first = all.covered.features[0] as { geometry: { coordinates: number[][][] } };
    expect(first.geometry.coordinates[0][0][0]).toBeCloseTo(121.5, 1);
    expect(first.geometry.coordinates[0][0][1]).toBeCloseTo(31.2, 1);
    const little = engine.coverage([at(0, 0)], 0.05, area);
    expect(little.coveredShare).toBeLessThan(all.coveredShare);
    expect(() => engine.coverage([at(0, 0)], 5, { type: 'Polygon', coordinates: [[1, 2]] })).toThrow(AppError);
  });

  it('covers by each origin on its own as the union does, and gives a contested cell to the origin first there', () => {
    // a straight road of 3 km, east–west
    const nodes: [number, number][] = Array.from({ length: 11 }, (_, i) => [-1500 + 300 * i, 0]);
    const segs = Array.from({ length: 10 }, (_, i) => ({ from: i, to: i + 1 }));
    const { engine } = testEngine(buildNetwork(nodes, segs));
    const [x0, y0] = at(-1600, -300);
    const [x1, y1] = at(1600, 300);
    const area = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    };
    const origins = [at(-1200, 0), at(1200, 0), at(0, 5000)];
    const r = engine.coverageSets(origins, 3, area);
    const f = engine.coverageFirst(origins, 3, area);
    expect(f.cells).toEqual(r.cells);
    expect(f.offNetwork).toEqual([false, false, true]);
    expect(r.sets[2]).toBeNull();
    const a = r.sets[0] ?? new Int32Array();
    const b = r.sets[1] ?? new Int32Array();
    // the two reaches overlap in the middle: contested cells
    expect(a.length).toBeGreaterThan(5);
    expect([...a].filter((i) => b.includes(i)).length).toBeGreaterThan(0);
    // the union of the sets is what one coverage from both origins covers
    const union = new Set([...a, ...b].map((i) => r.cells[i]));
    const both = engine.coverage(origins.slice(0, 2), 3, area);
    const covered = new Set((both.covered.features as { properties: { h3: string } }[]).map((f) => f.properties.h3));
    expect(union).toEqual(covered);
    // each reached cell goes to the nearer origin: west of the middle the west one
    const first = f.first;
    const cellAt = (x: number) => r.cells.indexOf(latLngToCell(at(x, 0)[1], at(x, 0)[0], 9));
    expect(first[cellAt(-1400)]).toBe(0);
    expect(first[cellAt(-600)]).toBe(0);
    expect(first[cellAt(600)]).toBe(1);
    expect(first[cellAt(1400)]).toBe(1);
    for (let i = 0; i < r.cells.length; i++) if (!union.has(r.cells[i])) expect(first[i]).toBe(-1);
  });

  it('covers the cells the sampling rule gives, from cached cells as from fresh ones', () => {
    const net = buildNetwork(crossNodes, crossSegments);
    const { engine } = testEngine(net);
    const box = (e0: number, n0: number, e1: number, n1: number) => {
      const [x0, y0] = at(e0, n0);
      const [x1, y1] = at(e1, n1);
      const ring = [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ];
      return { type: 'Polygon' as const, coordinates: [ring] };
    };
    const big = box(-600, -600, 600, 600);
    // a box whose padded edge cuts the roads: pieces across it are sampled where they are in it
    const small = box(-150, -700, 150, -200);
    const asks: [typeof big, number][] = [
      [big, 5],
      [small, 0.1],
      [big, 0.1],
      [small, 5],
      [big, 5],
    ];
    for (const [area, minutes] of asks) {
      const r = engine.coverage([at(0, 0)], minutes, area);
      expect(JSON.stringify(r)).toBe(JSON.stringify(testEngine(net).engine.coverage([at(0, 0)], minutes, area)));
      const cells = areaCells(areaPolygons(area));
      const reached = new Set<string>();
      for (const l of engine.isochrone([at(0, 0)], minutes).roads.coordinates)
        sampleCells(l, cells.box, (c) => reached.add(c));
      const h3 = (f: unknown) => (f as { properties: { h3: string } }).properties.h3;
      expect(r.covered.features.map(h3)).toEqual(cells.cells.filter((c) => reached.has(c)));
      expect(r.uncovered.features.map(h3)).toEqual(cells.cells.filter((c) => !reached.has(c)));
    }
  });
});

/** metres between two [lon, lat] points (equirectangular, fine at this scale) */
function metres(a: [number, number], b: [number, number]): number {
  const k = 111_195.08;
  return Math.hypot((b[0] - a[0]) * k * Math.cos((a[1] * Math.PI) / 180), (b[1] - a[1]) * k);
}
