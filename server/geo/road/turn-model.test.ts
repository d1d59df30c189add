// The engine drives as a driver does (issue 8): no U-turns at junctions, U-turns at dead ends, barriers, turn and
// signal costs as documented, points on vertices and on one segment — on small hand-drawn networks whose answers
// can be worked out by hand (100 m at 36 km/h = 10 s).
import { describe, expect, it } from 'vitest';
import { DEFAULT_TURN_COSTS, type NetworkData, NODE_SIGNALS, type TurnCosts } from './network.ts';
import { distanceToLine } from './road-geometry.ts';
import { routeVertices } from './search.ts';
import {
  at,
  buildNetwork,
  crossNodes,
  crossSegments,
  FREE_TURNS,
  testEngine,
  withoutTurnCosts,
} from './test-networks.ts';
import { turnSeconds } from './turns.ts';

function withTurnCosts(net: NetworkData, tc: TurnCosts): NetworkData {
  net.turnCosts = { car: tc, emergency: tc };
  return net;
}

// A one-way approach s0 (0 → 1) into a street s1 (1 — 2) that goes on east to a dead end (s5: 2 — 5); a block
// 1 — 2 — 4 — 3 north of it (s2: 1 — 3, s3: 2 — 4, s4: 4 — 3). Turning left from s0 into s2 is forbidden.
//   3 ── s4 ── 4
//   │          │
//   s2         s3
//   │          │
//   0 ─s0▶ 1 ── s1 ── 2 ── s5 ── 5
function approach(block: boolean): NetworkData {
  const segments = [
    { from: 0, to: 1, oneway: true },
    { from: 1, to: 2 },
    { from: 1, to: 3 },
    ...(block
      ? [
          { from: 2, to: 4 },
          { from: 4, to: 3 },
        ]
      : []),
    { from: 2, to: 5 },
  ];
  return buildNetwork(
    [
      [0, 0],
      [100, 0],
      [200, 0],
      [100, 100],
      [200, 100],
      [300, 0],
    ],
    segments,
    [{ fromSeg: 0, viaNode: 1, toSeg: 2, kind: 'no' }],
  );
}

describe('U-turns', () => {
  it('never turns round at a junction: the route goes round the block instead', () => {
    const { engine } = testEngine(withoutTurnCosts(approach(true)));
    const r = engine.route(at(50, 0), at(100, 50));
    // 5 s to vertex 1, on to 2 (10), round the block 2 → 4 → 3 (20), down s2 to the point (5)
    expect(r?.segments).toEqual([0, 1, 3, 4, 2]);
    expect(r?.seconds).toBeCloseTo(40, 3);
    // a node-based router turns round at junction 2 (5 + 10 + 10 + 5): the turn model is what forbids it
    const nodeBased = testEngine(approach(true), { turnModel: false }).engine.route(at(50, 0), at(100, 50));
    expect(nodeBased?.seconds).toBeCloseTo(30, 3);
  });

  it('turns round at a dead end, at the cost of a U-turn', () => {
    const tc: TurnCosts = { ...FREE_TURNS, uturnS: 20 };
    const { engine } = testEngine(withTurnCosts(approach(false), tc));
    const r = engine.route(at(50, 0), at(100, 50));
    // no block: on to the dead end 5, turn round (20 s), back through 2 and 1, and north: 5 + 10 + 10 + 20 + 10 + 10 + 5
    expect(r?.seconds).toBeCloseTo(70, 3);
    // (without the block, the dead-end street 2 — 5 is segment 3)
    expect(r?.legs.map((l) => [l.seg, l.dir])).toEqual([
      [0, 0],
      [1, 0],
      [3, 0],
      [3, 1],
      [1, 1],
      [2, 0],
    ]);
    // the U-turn's cost belongs to the leg it starts
    expect(r?.legs[3].seconds).toBeCloseTo(30, 3);
    const legSum = r!.legs.reduce((s, l) => s + l.seconds, 0);
    expect(legSum).toBeCloseTo(r!.seconds, 3);
  });

  it('turns round on a two-way road at a junction where the profile allows it, with its penalty', () => {
    const tc: TurnCosts = { ...FREE_TURNS, uturnS: 20, uturnOnTwoWay: true };
    const { engine } = testEngine(withTurnCosts(approach(false), tc));
    const r = engine.route(at(50, 0), at(100, 50));
    // turning round at junction 2 (5 + 10 + 20 + 10 + 5) beats driving on to the dead end (70)
    expect(r?.seconds).toBeCloseTo(50, 3);
    expect(r?.legs.map((l) => [l.seg, l.dir, l.seconds])).toEqual([
      [0, 0, 5],
      [1, 0, 10],
      [1, 1, 30],
      [2, 0, 5],
    ]);
  });
});

describe('turn restrictions', () => {
  it('an only_straight_on is not escaped by turning round at the next vertex', () => {
    const net = withoutTurnCosts(
      buildNetwork(crossNodes, crossSegments, [{ fromSeg: 0, viaNode: 0, toSeg: 1, kind: 'only' }]),
    );
    const { engine } = testEngine(net);
    // from the west arm into the south arm: straight on, round 2 → 5 → 3, back down through 0 and south
    const r = engine.route(at(-50, 0), at(0, -50));
    expect(r?.segments).toEqual([0, 1, 4, 5, 2, 3]);
    expect(r?.seconds).toBeCloseTo(50, 3);
    // a node-based graph turns round at 2 and comes back: 5 + 10 + 10 + 5
    expect(testEngine(net, { turnModel: false }).engine.route(at(-50, 0), at(0, -50))?.seconds).toBeCloseTo(30, 3);
  });
});

describe('barriers', () => {
  // a straight road 0 — 1 — 2 with a bollard at 1 (closed to cars, open to emergency vehicles), and a bypass
  // 0 — 3 — 2 north of it (2 × 141 m)
  const net = withoutTurnCosts(
    buildNetwork(
      [
        [0, 0],
        [100, 0],
        [200, 0],
        [100, 100],
      ],
      [
        { from: 0, to: 1 },
        { from: 1, to: 2 },
        { from: 0, to: 3 },
        { from: 3, to: 2 },
      ],
    ),
  );
  net.nodeClosed[1] = 1; // bit 0: car
  const { graph, engine } = testEngine(net);
  const bypass = (2 * Math.hypot(100, 100)) / 10;

  it('a car does not pass the barrier vertex; an emergency vehicle does', () => {
    expect(engine.route(at(0, 0), at(200, 0))?.seconds).toBeCloseTo(bypass, 1);
    expect(engine.route(at(0, 0), at(200, 0))?.segments).toEqual([2, 3]);
    expect(engine.route(at(0, 0), at(200, 0), { profile: 'emergency' })?.seconds).toBeCloseTo(20, 3);
    // from one side of the bollard to the other: back, round and back in
    expect(engine.route(at(50, 0), at(150, 0))?.seconds).toBeCloseTo(5 + bypass + 5, 1);
  });

  it('a route may start or end at the barrier vertex', () => {
    expect(engine.route(at(100, 0), at(200, 0))?.seconds).toBeCloseTo(10, 3);
    expect(engine.route(at(100, 0), at(0, 0))?.seconds).toBeCloseTo(10, 3);
    expect(engine.route(at(0, 0), at(100, 0))?.seconds).toBeCloseTo(10, 3);
    expect(routeVertices(graph, 'car', 1, 2, 'time')?.seconds).toBe(10);
    expect(routeVertices(graph, 'car', 0, 2, 'time')?.seconds).toBeCloseTo(bypass, 1);
  });
});

describe('turn and signal costs', () => {
  // the cross without its loop, a signal at the crossing and one inside the east arm
  const net = buildNetwork(crossNodes, crossSegments.slice(0, 4));
  net.nodeFlags[0] = NODE_SIGNALS;
  net.segSignals[1] = 1;
  const { graph, engine } = testEngine(net);
  const tc = DEFAULT_TURN_COSTS.car;
  const driveMs = (s: number) => Math.round((net.segMeters[s] * 3600) / 36);
  const turnMs = (angle: number) => Math.round(turnSeconds(angle, tc) * 1000);
  const signalMs = Math.round(tc.signalS * 1000);

  it('follow OSRM car.lua: straight about free, right 2.1 s, left 5.4 s (right-hand traffic)', () => {
    expect(turnSeconds(0, tc)).toBeLessThan(0.01);
    expect(turnSeconds(90, tc)).toBeCloseTo(2.1, 1);
    expect(turnSeconds(-90, tc)).toBeCloseTo(5.4, 1);
    expect(turnSeconds(-45, tc)).toBeGreaterThan(turnSeconds(45, tc));
  });

  it('add up exactly: drive + turn + the signal at the crossing + signals inside the segment', () => {
    // from the west end: left (north), right (south), straight on (east, with the signal inside the east arm)
    const left = routeVertices(graph, 'car', 1, 3, 'time')!;
    expect(left.seconds * 1000).toBe(driveMs(0) + turnMs(-90) + signalMs + driveMs(2));
    const right = routeVertices(graph, 'car', 1, 4, 'time')!;
    expect(right.seconds * 1000).toBe(driveMs(0) + turnMs(90) + signalMs + driveMs(3));
    const straight = routeVertices(graph, 'car', 1, 2, 'time')!;
    expect(straight.seconds * 1000).toBe(driveMs(0) + turnMs(0) + signalMs + driveMs(1) + signalMs);
    // the route's legs carry the same costs, each on the leg it enters
    const r = engine.route(at(-100, 0), at(0, 100))!;
    expect(r.seconds * 1000).toBe(left.seconds * 1000);
    expect(r.legs.map((l) => Math.round(l.seconds * 1000))).toEqual([driveMs(0), turnMs(-90) + signalMs + driveMs(2)]);
  });

  it('cost nothing where no turn is made: setting off from the crossing in any direction', () => {
    for (const [to, s] of [
      [at(0, 100), 2],
      [at(0, -100), 3],
      [at(-100, 0), 0],
    ] as const) {
      expect(Math.round(engine.route(at(0, 0), to)!.seconds * 1000)).toBe(driveMs(s));
    }
  });
});

describe('points on vertices and on one segment', () => {
  // one-way s0 (0 → 1) arriving at vertex 1 and one-way s1 (1 → 2) leaving it, a two-way spur s2 (1 — 3) north,
  // and the way back 2 — 4 — 0 south of them (s3, s4)
  const net = withoutTurnCosts(
    buildNetwork(
      [
        [0, 0],
        [100, 0],
        [200, 0],
        [100, 100],
        [100, -100],
      ],
      [
        { from: 0, to: 1, oneway: true },
        { from: 1, to: 2, oneway: true },
        { from: 1, to: 3 },
        { from: 2, to: 4 },
        { from: 4, to: 0 },
      ],
    ),
  );
  const { engine } = testEngine(net);

  it('a point on the vertex where one-way segments meet leaves along the right one, without a detour', () => {
    const r = engine.route(at(100, 0), at(200, 0))!;
    expect(r.seconds).toBeCloseTo(10, 3);
    expect(r.segments).toEqual([1]);
    expect(r.snapped.from.seg).toBe(1);
    expect(r.snapped.from.meters).toBe(0);
    // and is reached along any of them: from the spur's end straight down to it
    const back = engine.route(at(100, 100), at(100, 0))!;
    expect(back.seconds).toBeCloseTo(10, 3);
    expect(back.segments).toEqual([2]);
  });

  it('names only the roads driven: the start segment is not listed when the route leaves the vertex by another', () => {
    const r = engine.route(at(100, 0), at(100, 60))!;
    expect(r.segments).toEqual([2]);
    expect(r.legs).toHaveLength(1);
    expect(r.legs[0]).toMatchObject({ seg: 2, dir: 0 });
    expect(r.legs[0].meters).toBeCloseTo(60, 1);
  });

  it('start and end on the same segment, both orders (two-way: straight along; one-way: round the loop)', () => {
    const fwd = engine.route(at(100, 20), at(100, 70))!;
    const bwd = engine.route(at(100, 70), at(100, 20))!;
    expect(fwd.seconds).toBeCloseTo(5, 3);
    expect(bwd.seconds).toBeCloseTo(5, 3);
    expect(bwd.legs).toEqual([{ seg: 2, dir: 1, meters: expect.closeTo(50, 1), seconds: expect.closeTo(5, 3) }]);
    // on the one-way s1, from 70 m to 20 m along it: on to 2, round 2 → 4 → 0 → 1, and 20 m in
    const loop = engine.route(at(170, 0), at(120, 0))!;
    const around = (2 * Math.hypot(100, 100)) / 10;
    expect(loop.seconds).toBeCloseTo(3 + around + 10 + 2, 1);
    expect(loop.segments).toEqual([1, 3, 4, 0, 1]);
    expect(loop.legs[0].meters).toBeCloseTo(30, 1);
    expect(loop.legs[loop.legs.length - 1].meters).toBeCloseTo(20, 1);
    expect(engine.route(at(120, 0), at(170, 0))?.seconds).toBeCloseTo(5, 3);
  });

  it('matrix, routes and isochrone agree on the same snapping', () => {
    const pts = [at(100, 0), at(200, 0), at(100, 60), at(50, 0), at(150, -40)];
    const m = engine.matrix(pts, pts);
    pts.forEach((a, i) => {
      pts.forEach((b, j) => {
        expect(m.seconds[i][j]).toBe(engine.route(a, b)?.seconds ?? null);
      });
    });
    // a 12 s isochrone from the vertex reaches exactly the points routes of ≤ 12 s reach
    const iso = engine.isochrone([pts[0]], 0.2);
    const probes = [at(200, 0), at(190, 0), at(100, 100), at(100, 50), at(50, 0), at(150, -40), at(180, -15)];
    let inside = 0;
    for (const p of probes) {
      const t = engine.route(pts[0], p)!.seconds;
      const near = Math.min(...iso.roads.coordinates.map((l) => distanceToLine(l, p[0], p[1])));
      if (t <= 11.9) {
        inside++;
        expect(near).toBeLessThan(0.5);
      } else if (t >= 12.1) expect(near).toBeGreaterThan(0.5);
    }
    expect(inside).toBeGreaterThan(1);
  });
});

describe('via-way restrictions', () => {
  // a street 0 — 1 — 2 — 3 (s0, s1, s2) with side streets 4 — 1 (s3) and 2 — 5 (s4); every end a dead end.
  // Coming up s3, along s1 and straight down s4 is forbidden (a restriction via the way s1).
  //   0 ──s0── 1 ──s1── 2 ──s2── 3
  //            │        │
  //            s3       s4
  //            4        5
  const nodes: [number, number][] = [
    [0, 0],
    [100, 0],
    [200, 0],
    [300, 0],
    [100, -100],
    [200, -100],
  ];
  const segments = [
    { from: 0, to: 1 },
    { from: 1, to: 2 },
    { from: 2, to: 3 },
    { from: 4, to: 1 },
    { from: 2, to: 5 },
  ];

  it('no_*: the sequence is forbidden, its parts are not', () => {
    const net = withoutTurnCosts(
      buildNetwork(nodes, segments, [
        { fromSeg: 3, viaNode: 1, viaSegs: [1], toSeg: 4, kind: 'no', appliesTo: ['car'] },
      ]),
    );
    const { graph, engine } = testEngine(net);
    expect(graph.meta.restrictionsUsed).toBe(1);
    // from 4 to 5: turn round at a dead end first (0 or 3), 50 s instead of 30
    expect(routeVertices(graph, 'car', 4, 5, 'time')?.seconds).toBe(50);
    expect(engine.route(at(100, -50), at(200, -50))?.seconds).toBeCloseTo(40, 3);
    // the same turns in other sequences stay allowed
    expect(routeVertices(graph, 'car', 4, 3, 'time')?.seconds).toBe(30);
    expect(routeVertices(graph, 'car', 0, 5, 'time')?.seconds).toBe(30);
    expect(routeVertices(graph, 'car', 1, 5, 'time')?.seconds).toBe(20);
    // and for the profile it does not bind
    expect(routeVertices(graph, 'emergency', 4, 5, 'time')?.seconds).toBe(30);
  });

  it('only_*: after the via way only the mandated continuation', () => {
    const net = withoutTurnCosts(
      buildNetwork(nodes, segments, [{ fromSeg: 3, viaNode: 1, viaSegs: [1], toSeg: 2, kind: 'only' }]),
    );
    const { graph, engine } = testEngine(net);
    expect(routeVertices(graph, 'car', 4, 3, 'time')?.seconds).toBe(30);
    expect(routeVertices(graph, 'car', 4, 5, 'time')?.seconds).toBe(50);
    expect(routeVertices(graph, 'car', 0, 5, 'time')?.seconds).toBe(30);
    const m = engine.matrix([at(100, -100)], [at(200, -100), at(300, 0)]);
    expect(m.seconds).toEqual([[50, 30]]);
  });
});

describe('snapping tolerance (ANLAN_SNAP_TOLERANCE_M)', () => {
  // 3 m north of junction 1, on s2: s1 (east) lies 3 m away, within the default 5 m tolerance
  const start = at(100, 3);
  const goal = at(200, 50);

  it('lets a point beside a junction leave along a road a few metres away', () => {
    const r = testEngine(withoutTurnCosts(approach(true))).engine.route(start, goal);
    expect(r?.segments).toEqual([1, 3]);
    expect(r?.seconds).toBeCloseTo(15, 1);
    expect(r?.snapped.from.seg).toBe(1);
    expect(r?.snapped.from.meters).toBeCloseTo(3, 1);
  });

  it('with a tolerance of 0 the nearest road only: back down s2 to the junction first', () => {
    const r = testEngine(withoutTurnCosts(approach(true)), { snapToleranceMeters: 0 }).engine.route(start, goal);
    expect(r?.segments).toEqual([2, 1, 3]);
    expect(r?.seconds).toBeCloseTo(15.3, 1);
    expect(r?.snapped.from.seg).toBe(2);
  });
});
