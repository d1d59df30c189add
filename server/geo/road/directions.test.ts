// Directions as a driver hears them, on small hand-drawn junctions (metres east/north; 36 km/h so 100 m = 10 s).
// Each network routes with the engine, then the steps are built from the route's legs: what is checked is the
// sequence a dispatcher would read out (manoeuvre, road, exit) and that the steps add up to the route.
import { describe, expect, it } from 'vitest';
import { directions, type RoadName, type Step } from './directions.ts';
import type { RouteLeg } from './engine.ts';
import { SEG_ROUNDABOUT } from './network.ts';
import { at, buildNetwork, type TestSegment, testEngine } from './test-networks.ts';

/** names by segment index: a string, or null for an unnamed road */
function namer(names: (string | null)[], en: (string | null)[] = []) {
  return (s: number): RoadName => ({ name: names[s] ?? null, nameEn: en[s] ?? null });
}

function stepsOf(
  nodes: [number, number][],
  segments: TestSegment[],
  names: (string | null)[],
  from: [number, number],
  to: [number, number],
  opts: { roundabout?: number[]; en?: (string | null)[] } = {},
): { steps: Step[]; meters: number; seconds: number; legs: RouteLeg[]; segments: number[] } {
  const net = buildNetwork(nodes, segments);
  const { graph, engine } = testEngine(net);
  const segFlags = new Uint8Array(net.segmentCount);
  for (const s of opts.roundabout ?? []) segFlags[s] = SEG_ROUNDABOUT;
  const r = engine.route(at(...from), at(...to));
  expect(r, 'a route').not.toBeNull();
  const legs = r!.legs ?? [];
  const steps = directions(Object.assign(graph, { segFlags }), legs, namer(names, opts.en));
  return { steps, meters: r!.meters, seconds: r!.seconds, legs, segments: r!.segments };
}

const said = (steps: Step[]) =>
  steps.map((s) => (s.exit ? `${s.maneuver}:${s.exit}:${s.name}` : `${s.maneuver}:${s.name}`));

/** a point `m` metres from the origin at compass bearing `deg` */
const polar = (deg: number, m: number): [number, number] => [
  Math.round(m * Math.sin((deg * Math.PI) / 180) * 1000) / 1000,
  Math.round(m * Math.cos((deg * Math.PI) / 180) * 1000) / 1000,
];

describe('directions', () => {
  // From the south into junction X (0, 0), then out along a road at `bearing`; a side road leaves on the other
  // side (so that X is a junction with a choice, not a bend). The turn is named by its angle (OSRM's classes).
  it.each([
    [0, 'straight'],
    [25, 'slight_right'],
    [-25, 'slight_left'],
    [90, 'turn_right'],
    [-90, 'turn_left'],
    [115, 'turn_right'],
    [150, 'sharp_right'],
    [-150, 'sharp_left'],
  ])('leaving at %i° from straight on is %s', (bearing, maneuver) => {
    const side = bearing >= 0 ? -90 : 90;
    const { steps } = stepsOf(
      [[0, -200], [0, 0], polar(bearing, 200), polar(side, 200)],
      [
        { from: 0, to: 1 },
        { from: 1, to: 2 },
        { from: 1, to: 3 },
      ],
      ['南路', '出路', '侧路'],
      [0, -150],
      polar(bearing, 150),
    );
    expect(said(steps)).toEqual(['depart:南路', `${maneuver}:出路`, 'arrive:出路']);
  });

  it('says nothing while the road goes on across junctions, and the steps add up to the route', () => {
    // 长江路 runs east through two crossings; the route follows it from end to end
    const r = stepsOf(
      [
        [0, 0],
        [200, 0],
        [400, 0],
        [600, 0],
        [200, 100],
        [200, -100],
        [400, 100],
        [400, -100],
      ],
      [
        { from: 0, to: 1 },
        { from: 1, to: 2 },
        { from: 2, to: 3 },
        { from: 4, to: 1 },
        { from: 1, to: 5 },
        { from: 6, to: 2 },
        { from: 2, to: 7 },
      ],
      ['长江路', '长江路', '长江路', '一路', '一路', '二路', '二路'],
      [20, 0],
      [580, 0],
    );
    expect(said(r.steps)).toEqual(['depart:长江路', 'arrive:长江路']);
    expect(r.steps[0].meters).toBeCloseTo(r.meters, 0);
    expect(r.steps[0].seconds).toBeCloseTo(r.seconds, 0);
    expect(r.steps[1]).toMatchObject({ meters: 0, seconds: 0 });
    // the legs are the segments driven, partial at both ends
    expect(r.legs.map((l) => l.seg)).toEqual([0, 1, 2]);
    expect(r.legs.reduce((m, l) => m + l.meters, 0)).toBeCloseTo(r.meters, 1);
    expect(r.legs[0].meters).toBeCloseTo(180, 0);
  });

  it('follows a road round a bend without a word, but says so where it turns off the straight way', () => {
    // 环山路 bends north at B with nothing else there; at C it turns east while 北路 goes on north
    const nodes: [number, number][] = [
      [0, 0],
      [200, 0],
      [200, 200],
      [200, 400],
      [400, 200],
    ];
    const segs = [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
      { from: 2, to: 4 },
    ];
    const names = ['环山路', '环山路', '北路', '环山路'];
    expect(said(stepsOf(nodes, segs, names, [20, 0], [200, 180]).steps)).toEqual(['depart:环山路', 'arrive:环山路']);
    expect(said(stepsOf(nodes, segs, names, [20, 0], [380, 200]).steps)).toEqual([
      'depart:环山路',
      'turn_right:环山路',
      'arrive:环山路',
    ]);
  });

  it('tells which branch to keep at a fork', () => {
    // the road from the south splits at X into two ways 30° either side of straight on
    const nodes: [number, number][] = [[0, -200], [0, 0], polar(-30, 300), polar(30, 300)];
    const segs = [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 1, to: 3 },
    ];
    const names = ['干线', '西支线', '东支线'];
    expect(said(stepsOf(nodes, segs, names, [0, -150], polar(-30, 250)).steps)).toEqual([
      'depart:干线',
      'keep_left:西支线',
      'arrive:西支线',
    ]);
    expect(said(stepsOf(nodes, segs, names, [0, -150], polar(30, 250)).steps)).toEqual([
      'depart:干线',
      'keep_right:东支线',
      'arrive:东支线',
    ]);
  });

  it('goes straight on past a way bending off, and names the new road', () => {
    // 中山路 becomes 北京路 at X, where a slip road leaves 30° to the right: straight on is obvious, no fork
    const nodes: [number, number][] = [[0, -200], [0, 0], [0, 300], polar(30, 300)];
    const segs = [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 1, to: 3 },
    ];
    const names = ['中山路', '北京路', '匝道'];
    expect(said(stepsOf(nodes, segs, names, [0, -150], [0, 250]).steps)).toEqual([
      'depart:中山路',
      'straight:北京路',
      'arrive:北京路',
    ]);
    // taking the slip road is keeping right of the straight way
    expect(said(stepsOf(nodes, segs, names, [0, -150], polar(30, 250)).steps)).toEqual([
      'depart:中山路',
      'keep_right:匝道',
      'arrive:匝道',
    ]);
  });

  it('counts the exits of a roundabout and names the road taken out of it', () => {
    // a one-way ring (anticlockwise, as driven in right-hand traffic) through S, E, N, W, 50 m across; a road
    // meets it at each of them. From the south road to the west road: E and N are passed, W is the third exit.
    const ring = [180, 90, 0, -90].map((b) => polar(b, 50));
    const arms = [180, 90, 0, -90].map((b) => polar(b, 300));
    const nodes = [...ring, ...arms];
    const segs: TestSegment[] = [
      { from: 0, to: 1, oneway: true, via: [polar(135, 50)] },
      { from: 1, to: 2, oneway: true, via: [polar(45, 50)] },
      { from: 2, to: 3, oneway: true, via: [polar(-45, 50)] },
      { from: 3, to: 0, oneway: true, via: [polar(-135, 50)] },
      { from: 4, to: 0 },
      { from: 1, to: 5 },
      { from: 2, to: 6 },
      { from: 3, to: 7 },
    ];
    const names = [
      '人民广场环岛',
      '人民广场环岛',
      '人民广场环岛',
      '人民广场环岛',
      '南大街',
      '东大街',
      '北大街',
      '西大街',
    ];
    const roundabout = [0, 1, 2, 3];
    const west = stepsOf(nodes, segs, names, polar(180, 250), polar(-90, 250), { roundabout });
    expect(said(west.steps)).toEqual(['depart:南大街', 'roundabout:3:西大街', 'arrive:西大街']);
    // the roundabout step runs from the entry to the end of the road taken out of it
    expect(west.steps[0].meters + west.steps[1].meters).toBeCloseTo(west.meters, 0);
    const east = stepsOf(nodes, segs, names, polar(180, 250), polar(90, 250), { roundabout });
    expect(said(east.steps)).toEqual(['depart:南大街', 'roundabout:1:东大街', 'arrive:东大街']);
  });

  it('says where a ferry is taken and where the road goes on', () => {
    // 刘公岛 ferry: road, then the ferry line across the water, then the island road
    const r = stepsOf(
      [
        [0, 0],
        [100, 0],
        [2100, 0],
        [2300, 0],
      ],
      [
        { from: 0, to: 1 },
        { from: 1, to: 2, cls: 'ferry', kmh: 20 },
        { from: 2, to: 3 },
      ],
      ['码头路', '刘公岛轮渡', '岛上路'],
      [10, 0],
      [2250, 0],
    );
    expect(said(r.steps)).toEqual(['depart:码头路', 'ferry:刘公岛轮渡', 'straight:岛上路', 'arrive:岛上路']);
    expect(r.steps[1].meters).toBeCloseTo(2000, -1);
    expect(r.steps[1].seconds).toBeCloseTo(360, -1);
  });

  it('names unnamed roads by their class in both languages, and English names where tagged', () => {
    const r = stepsOf(
      [
        [0, -200],
        [0, 0],
        [200, 0],
        [-200, 0],
      ],
      [
        { from: 0, to: 1, cls: 'service' },
        { from: 1, to: 2, cls: 'primary' },
        { from: 1, to: 3 },
      ],
      [null, '世昌大道', '侧路'],
      [0, -150],
      [150, 0],
      { en: [null, 'Shichang Avenue'] },
    );
    expect(r.steps.map((s) => [s.maneuver, s.name, s.nameEn])).toEqual([
      ['depart', '内部道路', 'service road'],
      ['turn_right', '世昌大道', 'Shichang Avenue'],
      ['arrive', '世昌大道', 'Shichang Avenue'],
    ]);
  });

  it('says turn around where the route goes back along the road it came on', () => {
    const net = buildNetwork(
      [
        [0, 0],
        [100, 0],
        [100, 100],
      ],
      [
        { from: 0, to: 1 },
        { from: 1, to: 2 },
      ],
    );
    const { graph } = testEngine(net);
    // to the dead end at vertex 0 and back, then north: the legs an engine gives for a U-turn at a dead end
    const legs: RouteLeg[] = [
      { seg: 0, dir: 1, meters: 50, seconds: 5 },
      { seg: 0, dir: 0, meters: 100, seconds: 30 },
      { seg: 1, dir: 0, meters: 100, seconds: 17.5 },
    ];
    const steps = directions(graph, legs, namer(['死胡同', '北路']));
    expect(said(steps)).toEqual(['depart:死胡同', 'uturn:死胡同', 'turn_left:北路', 'arrive:北路']);
    expect(steps.map((s) => s.meters)).toEqual([50, 100, 100, 0]);
  });

  it('has no steps for an empty route', () => {
    const { graph } = testEngine(
      buildNetwork(
        [
          [0, 0],
          [100, 0],
        ],
        [{ from: 0, to: 1 }],
      ),
    );
    expect(directions(graph, [], () => undefined)).toEqual([]);
  });
});
