/**
 * What a driver obeys, as the importer reads it (issue 8): barriers and node access, traffic signals, roundabouts,
 * the one-way mode hierarchy, access values and semicolon lists, ferries, the turn model, and turn restrictions
 * (*_on_red, several from/to, via ways). Each case is a small hand-drawn network in OSM XML, written from the OSM
 * wiki (Key:barrier, Key:access, Key:oneway, Relation:restriction, Tag:route=ferry) and OSRM's car.lua.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TURN_COSTS, type NetworkData, NODE_SIGNALS, ROAD_CLASSES, SEG_ROUNDABOUT } from '../road/network.ts';
import { importReportLines } from './import-report.ts';
import { type OsmImportStats, readOsmNetwork } from './osm-import.ts';
import { type ProfileConfig, validateProfiles } from './profiles.ts';
import { type Node, osmXml, type Relation, type Way } from './test-osm.ts';
import { DROP, parseDuration } from './way-rules.ts';

let dir: string;
let fixtureNo = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'anlan-osm-rules-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const CAR = 0b01;
const EMERGENCY = 0b10;

async function load(nodes: Node[], ways: Way[], relations: Relation[] = [], profiles?: ProfileConfig) {
  const f = join(dir, `rules-${++fixtureNo}.osm`);
  writeFileSync(f, osmXml(nodes, ways, relations));
  return readOsmNetwork(f, { profiles });
}

const shippedProfiles = () =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'profiles.json'), 'utf8')) as Record<string, unknown>;

const vertexOf = (n: NetworkData, osm: number) => [...n.nodeOsmId].indexOf(osm);
const segsOfWay = (n: NetworkData, way: number) =>
  Array.from({ length: n.segmentCount }, (_, s) => s).filter((s) => n.segWayId[s] === way);
const speeds = (n: NetworkData, s: number) => ({
  car: [n.speedKmh.car.forward[s], n.speedKmh.car.backward[s]],
  emergency: [n.speedKmh.emergency.forward[s], n.speedKmh.emergency.backward[s]],
});
const unknownCount = (stats: OsmImportStats, tag: string) => stats.unknownTags.find((u) => u.tag === tag)?.count;

/**
 * A street drawn west to east, 1 — 2 — 3 (about 95 m a step), with node 2 tagged as given, and a second street
 * 4 — 5 so that the file always holds a road.
 */
async function streetThrough(node2: Record<string, string>, way: Record<string, string> = {}) {
  const { network, stats } = await load(
    [
      [1, 121.47, 31.23],
      [2, 121.471, 31.23, node2],
      [3, 121.472, 31.23],
      [4, 121.47, 31.24],
      [5, 121.471, 31.24],
    ],
    [
      { id: 10, nodes: [1, 2, 3], tags: { highway: 'residential', ...way } },
      { id: 11, nodes: [4, 5], tags: { highway: 'residential' } },
    ],
  );
  const v = vertexOf(network, 2);
  return { network, stats, v, closed: v < 0 ? 0 : network.nodeClosed[v], segs: segsOfWay(network, 10) };
}

describe('barriers and node access', () => {
  it('a bollard in the middle of a street becomes a vertex neither cars nor emergency vehicles pass', async () => {
    const { v, closed, segs, stats } = await streetThrough({ barrier: 'bollard' });
    expect(v).toBeGreaterThanOrEqual(0);
    expect(segs).toHaveLength(2);
    expect(closed).toBe(CAR | EMERGENCY);
    expect(stats.barriers).toBe(1);
    expect(stats.closedVertices).toEqual({ car: 1, emergency: 1 });
  });

  it.each([
    ['block', { barrier: 'block' }],
    ['wall', { barrier: 'wall' }],
    ['fence', { barrier: 'fence' }],
    ['jersey barrier', { barrier: 'jersey_barrier' }],
    ['chain', { barrier: 'chain' }],
    ['raised kerb', { barrier: 'kerb' }],
    ['node access=no', { access: 'no' }],
    ['node motor_vehicle=no', { motor_vehicle: 'no' }],
  ])('a %s stops both profiles', async (_, tags) => {
    const { closed, segs } = await streetThrough(tags);
    expect(closed).toBe(CAR | EMERGENCY);
    expect(segs).toHaveLength(2);
  });

  it.each([
    ['gate', { barrier: 'gate' }],
    ['lift gate', { barrier: 'lift_gate' }],
    ['toll booth', { barrier: 'toll_booth' }],
    ['border control', { barrier: 'border_control' }],
    ['cattle grid', { barrier: 'cattle_grid' }],
    ['entrance', { barrier: 'entrance' }],
    ['rising bollard', { barrier: 'bollard', bollard: 'rising' }],
    ['lowered kerb', { barrier: 'kerb', kerb: 'lowered' }],
    ['bollard with motor_vehicle=yes', { barrier: 'bollard', motor_vehicle: 'yes' }],
  ])('a %s lets both pass and does not split the street', async (_, tags) => {
    const { closed, segs, v } = await streetThrough(tags);
    expect(closed).toBe(0);
    expect(v).toBe(-1);
    expect(segs).toHaveLength(1);
  });

  it('a private gate stops cars; emergency crews open gates whatever the sign says', async () => {
    for (const barrier of ['gate', 'lift_gate', 'swing_gate']) {
      const { closed } = await streetThrough({ barrier, access: 'private' });
      expect(closed).toBe(CAR);
    }
  });

  it('emergency=yes or designated opens a bollard and a closed node to emergency vehicles only', async () => {
    expect((await streetThrough({ barrier: 'bollard', emergency: 'yes' })).closed).toBe(CAR);
    expect((await streetThrough({ barrier: 'block', access: 'no', emergency: 'designated' })).closed).toBe(CAR);
    expect((await streetThrough({ access: 'no', emergency: 'yes' })).closed).toBe(CAR);
  });

  it('an unknown barrier value stops both profiles and is counted in the report', async () => {
    const { closed, stats } = await streetThrough({ barrier: 'mystery_thing' });
    expect(closed).toBe(CAR | EMERGENCY);
    expect(unknownCount(stats, 'barrier=mystery_thing')).toBe(1);
  });

  it('a barrier at a dead end closes that vertex without adding one', async () => {
    const { network } = await load(
      [
        [1, 121.47, 31.23],
        [2, 121.471, 31.23, { barrier: 'bollard' }],
      ],
      [{ id: 10, nodes: [1, 2], tags: { highway: 'service' } }],
    );
    expect(network.nodeCount).toBe(2);
    expect(network.nodeClosed[vertexOf(network, 2)]).toBe(CAR | EMERGENCY);
    expect(network.nodeClosed[vertexOf(network, 1)]).toBe(0);
  });
});

describe('traffic signals and roundabouts', () => {
  it('a signal inside a street is counted on its segment, one at a junction flags the vertex', async () => {
    // 1 — 2(signal) — 3(signal, junction with 6—3) — 4(signal, street end)
    const { network, stats } = await load(
      [
        [1, 121.47, 31.23],
        [2, 121.471, 31.23, { highway: 'traffic_signals' }],
        [3, 121.472, 31.23, { highway: 'traffic_signals' }],
        [4, 121.473, 31.23, { highway: 'traffic_signals' }],
        [6, 121.472, 31.231],
      ],
      [
        { id: 10, nodes: [1, 2, 3, 4], tags: { highway: 'primary' } },
        { id: 11, nodes: [6, 3], tags: { highway: 'secondary' } },
      ],
    );
    expect(vertexOf(network, 2)).toBe(-1);
    const [west, east] = segsOfWay(network, 10);
    expect(network.segSignals[west]).toBe(1);
    expect(network.segSignals[east]).toBe(0);
    expect(network.nodeFlags[vertexOf(network, 3)]).toBe(NODE_SIGNALS);
    expect(network.nodeFlags[vertexOf(network, 4)]).toBe(NODE_SIGNALS);
    expect(network.nodeFlags[vertexOf(network, 1)]).toBe(0);
    expect(stats.signals).toEqual({ atVertices: 2, inSegments: 1 });
  });

  it('marks the segments of a roundabout or circular junction, not the roads leading to it', async () => {
    for (const junction of ['roundabout', 'circular']) {
      const { network, stats } = await load(
        [
          [1, 121.47, 31.23],
          [2, 121.471, 31.231],
          [3, 121.472, 31.23],
          [4, 121.46, 31.23],
        ],
        [
          { id: 10, nodes: [1, 2, 3, 1], tags: { highway: 'tertiary', junction } },
          { id: 11, nodes: [4, 1], tags: { highway: 'tertiary' } },
        ],
      );
      for (const s of segsOfWay(network, 10)) expect(network.segFlags[s] & SEG_ROUNDABOUT).toBe(SEG_ROUNDABOUT);
      for (const s of segsOfWay(network, 11)) expect(network.segFlags[s]).toBe(0);
      expect(stats.roundaboutSegments).toBe(segsOfWay(network, 10).length);
    }
  });
});

describe('one-way mode hierarchy', () => {
  const street = async (tags: Record<string, string>) => {
    const { network, segs, stats } = await streetThrough({}, tags);
    return { ...speeds(network, segs[0]), stats };
  };

  it('oneway:vehicle=no and oneway:motor_vehicle=no override oneway=yes', async () => {
    expect((await street({ oneway: 'yes', 'oneway:vehicle': 'no' })).car).toEqual([25, 25]);
    expect((await street({ oneway: 'yes', 'oneway:motor_vehicle': 'no' })).car).toEqual([25, 25]);
  });

  it('oneway:motor_vehicle, oneway:motorcar and oneway:vehicle make a street one-way for cars', async () => {
    expect((await street({ 'oneway:motor_vehicle': 'yes' })).car).toEqual([25, 0]);
    expect((await street({ 'oneway:motorcar': '-1' })).car).toEqual([0, 25]);
    expect((await street({ 'oneway:vehicle': 'yes', 'oneway:motorcar': 'no' })).car).toEqual([25, 25]);
  });

  it('oneway:bicycle and oneway:bus say nothing to cars', async () => {
    expect((await street({ oneway: 'yes', 'oneway:bicycle': 'no', 'oneway:bus': 'no' })).car).toEqual([25, 0]);
  });

  it('oneway:emergency=no lets emergency vehicles drive both ways, cars one', async () => {
    const s = await street({ oneway: 'yes', 'oneway:emergency': 'no' });
    expect(s.car).toEqual([25, 0]);
    expect(s.emergency).toEqual([35, 35]);
  });

  it('alternating is two-way; an unknown value is ignored and counted', async () => {
    expect((await street({ oneway: 'alternating' })).car).toEqual([25, 25]);
    const odd = await street({ oneway: 'sometimes' });
    expect(odd.car).toEqual([25, 25]);
    expect(unknownCount(odd.stats, 'oneway=sometimes')).toBe(1);
  });
});

describe('access values', () => {
  const street = async (tags: Record<string, string>) => {
    const { network, segs, stats } = await streetThrough({}, tags);
    return { ...speeds(network, segs[0] ?? -1), kept: segs.length > 0, stats };
  };

  it.each(['taxi', 'share_taxi', 'minibus', 'psv', 'bus', 'hov', 'foot', 'restricted', 'military', 'permit'])(
    'access=%s closes the street to cars',
    async (value) => {
      const s = await street({ access: value });
      // left out altogether, or kept for emergency vehicles only
      if (s.kept) expect(s.car).toEqual([0, 0]);
      else expect(s.stats.droppedWays.map((d) => d.reason)).toContain(DROP.noAccess);
      expect(unknownCount(s.stats, `access=${value}`)).toBeUndefined();
    },
  );

  it('emergency and emergency_vehicle open a street to emergency vehicles only', async () => {
    for (const value of ['emergency', 'emergency_vehicle']) {
      const s = await street({ motor_vehicle: value });
      expect(s.car).toEqual([0, 0]);
      expect(s.emergency).toEqual([35, 35]);
    }
  });

  it('a semicolon list opens when any value is allowed and closes when none is', async () => {
    const farm = await street({ access: 'agricultural;forestry' });
    expect(farm.kept).toBe(false);
    expect((await street({ motor_vehicle: 'agricultural; destination' })).car).toEqual([25, 25]);
    const mixed = await street({ access: 'private;strange_value' });
    expect(mixed.kept).toBe(false);
    expect(unknownCount(mixed.stats, 'access=strange_value')).toBe(1);
  });

  it('an unknown value is ignored (the less specific key stands) and counted by key and value', async () => {
    const s = await street({ access: 'no', motor_vehicle: 'whenever' });
    expect(s.kept).toBe(false);
    expect(unknownCount(s.stats, 'motor_vehicle=whenever')).toBe(1);
    const open = await street({ vehicle: 'whenever' });
    expect(open.car).toEqual([25, 25]);
  });
});

describe('ferries', () => {
  // a ferry 1 → 2 → 3 across water, about 1.9 km, landing at street ends 4—1 and 3—5
  const harbour = async (ferry: Record<string, string>, profiles?: ProfileConfig) => {
    const { network, stats } = await load(
      [
        [1, 122.17, 37.5],
        [2, 122.18, 37.5],
        [3, 122.19, 37.5],
        [4, 122.16, 37.5],
        [5, 122.2, 37.5],
      ],
      [
        { id: 10, nodes: [1, 2, 3], tags: { route: 'ferry', name: '刘公岛轮渡', ...ferry } },
        { id: 11, nodes: [4, 1], tags: { highway: 'primary' } },
        { id: 12, nodes: [3, 5], tags: { highway: 'primary' } },
      ],
      [],
      profiles,
    );
    const segs = segsOfWay(network, 10);
    const meters = segs.reduce((a, s) => a + network.segMeters[s], 0);
    return { network, stats, segs, meters };
  };

  it('a route=ferry way is a ferry both ways at the profile ferry speed when it has no duration', async () => {
    const { network, segs, stats } = await harbour({});
    expect(segs).toHaveLength(1);
    expect(ROAD_CLASSES[network.segClass[segs[0]]]).toBe('ferry');
    expect(speeds(network, segs[0])).toEqual({ car: [5, 5], emergency: [5, 5] });
    expect(stats.ferries).toEqual({ ways: 1, timed: 0 });
  });

  it.each([
    ['00:20', 20 * 60],
    ['0:20:30', 20 * 60 + 30],
    ['20', 20 * 60],
    ['PT20M', 20 * 60],
    ['PT1H5M', 65 * 60],
  ])('duration=%s sets the crossing time', async (duration, seconds) => {
    const { network, segs, meters, stats } = await harbour({ duration });
    const kmh = (meters / seconds) * 3.6;
    expect(network.speedKmh.car.forward[segs[0]]).toBeCloseTo(kmh, 3);
    expect(network.speedKmh.emergency.backward[segs[0]]).toBeCloseTo(kmh, 3);
    expect(stats.ferries.timed).toBe(1);
  });

  it('a ferry closed to motor vehicles is left out; maxspeed does not apply to ferries', async () => {
    for (const tags of [{ motor_vehicle: 'no' }, { motorcar: 'no' }] as Record<string, string>[]) {
      const { segs } = await harbour(tags);
      expect(segs).toHaveLength(0);
    }
    const { network, segs } = await harbour({ maxspeed: '3' });
    expect(network.speedKmh.car.forward[segs[0]]).toBe(5);
  });

  it('a profile file can keep emergency vehicles off ferries (ferry speed 0)', async () => {
    const cfg = shippedProfiles() as { profiles: { emergency: { speedsKmh: Record<string, number> } } };
    cfg.profiles.emergency.speedsKmh.ferry = 0;
    const { network, segs } = await harbour({ duration: '00:15' }, validateProfiles(cfg));
    expect(speeds(network, segs[0]).emergency).toEqual([0, 0]);
    expect(network.speedKmh.car.forward[segs[0]]).toBeGreaterThan(0);
  });

  it('reads the duration forms of the OSM wiki and refuses others', () => {
    expect(parseDuration('1:30')).toBe(5400);
    expect(parseDuration('01:30:15')).toBe(5415);
    expect(parseDuration('45')).toBe(2700);
    expect(parseDuration('PT1H30M')).toBe(5400);
    expect(parseDuration('P1DT2H')).toBe(93_600);
    expect(parseDuration('PT')).toBeNull();
    expect(parseDuration('0')).toBeNull();
    expect(parseDuration('about an hour')).toBeNull();
  });
});

describe('the turn model', () => {
  it('copies the profile file turns into the network; the shipped ones are OSRM car.lua defaults', async () => {
    const { network } = await streetThrough({});
    expect(network.turnCosts).toEqual(DEFAULT_TURN_COSTS);
  });

  it('takes a changed model, fills a missing section with the defaults and names a bad value', async () => {
    const cfg = shippedProfiles() as { profiles: Record<string, { turns?: Record<string, unknown> }> };
    cfg.profiles.emergency.turns = { uturnOnTwoWay: true, uturnS: 40 };
    delete cfg.profiles.car.turns;
    const p = validateProfiles(cfg);
    expect(p.profiles.emergency.turns).toEqual({ ...DEFAULT_TURN_COSTS.emergency, uturnOnTwoWay: true, uturnS: 40 });
    expect(p.profiles.car.turns).toEqual(DEFAULT_TURN_COSTS.car);
    const f = join(dir, 'turns.osm');
    writeFileSync(
      f,
      osmXml(
        [
          [1, 121.47, 31.23],
          [2, 121.471, 31.23],
        ],
        [{ id: 10, nodes: [1, 2], tags: { highway: 'primary' } }],
      ),
    );
    const { network } = await readOsmNetwork(f, { profiles: p });
    expect(network.turnCosts?.emergency?.uturnOnTwoWay).toBe(true);
    cfg.profiles.car.turns = { signalS: -2 };
    expect(() => validateProfiles(cfg)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'profiles.car.turns.signalS' }) }),
    );
  });
});

describe('turn restrictions', () => {
  // a crossing at 10: way 100 west (11) → 10 → east (12), way 200 from the south (14), way 300 to the north (13),
  // way 400 a second road from the west (15) ending at 10
  const crossing: Node[] = [
    [10, 121.47, 31.23],
    [11, 121.469, 31.23],
    [12, 121.471, 31.23],
    [13, 121.47, 31.231],
    [14, 121.47, 31.229],
    [15, 121.469, 31.2295],
  ];
  const crossingWays: Way[] = [
    { id: 100, nodes: [11, 10, 12], tags: { highway: 'secondary' } },
    { id: 200, nodes: [14, 10], tags: { highway: 'tertiary' } },
    { id: 300, nodes: [10, 13], tags: { highway: 'tertiary' } },
    { id: 400, nodes: [15, 10], tags: { highway: 'tertiary' } },
  ];
  const viaNode = (id: number, from: number[], to: number[], tags: Record<string, string>): Relation => ({
    id,
    members: [
      ...from.map((w): [type: 'way', ref: number, role: string] => ['way', w, 'from']),
      ['node', 10, 'via'],
      ...to.map((w): [type: 'way', ref: number, role: string] => ['way', w, 'to']),
    ],
    tags: { type: 'restriction', ...tags },
  });
  const skippedBy = (stats: OsmImportStats) =>
    Object.fromEntries(stats.restrictionsSkipped.map((r) => [r.reason, r.count]));

  it('ignores *_on_red and conditional restrictions, and counts them', async () => {
    const { network, stats } = await load(crossing, crossingWays, [
      viaNode(1, [200], [100], { restriction: 'no_right_turn_on_red' }),
      viaNode(2, [200], [300], { 'restriction:conditional': 'no_straight_on @ (Mo-Fr 07:00-09:00)' }),
    ]);
    expect(network.restrictions).toEqual([]);
    expect(skippedBy(stats)).toEqual({
      '*_on_red (about turning on a red light, not a turn ban)': 1,
      'restriction:conditional (valid at some times only; not modelled)': 1,
    });
  });

  it('several from ways only for no_entry, several to ways only for no_exit; otherwise invalid', async () => {
    const { network, stats } = await load(crossing, crossingWays, [
      viaNode(1, [200, 400], [300], { restriction: 'no_entry' }),
      viaNode(2, [300], [200, 400], { restriction: 'no_exit' }),
      viaNode(3, [200, 400], [300], { restriction: 'no_left_turn' }),
      viaNode(4, [200], [300, 400], { restriction: 'only_straight_on' }),
      viaNode(5, [200], [300, 400], { restriction: 'no_entry' }),
    ]);
    expect(stats.restrictionsApplied).toBe(2);
    expect(skippedBy(stats)).toEqual({
      'several from or to ways (valid only for no_entry: several from, no_exit: several to)': 3,
    });
    const into300 = network.restrictions.filter((r) => network.segWayId[r.toSeg] === 300);
    expect(into300.map((r) => network.segWayId[r.fromSeg]).sort()).toEqual([200, 400]);
    const outOf300 = network.restrictions.filter((r) => network.segWayId[r.fromSeg] === 300);
    expect(outOf300.map((r) => network.segWayId[r.toSeg]).sort()).toEqual([200, 400]);
  });

  // A divided road: the north carriageway 1 runs east (A 21 → B 22 → C 23), the south one 2 runs west
  // (D 26 → E 25 → F 24); a gap in the median joins B and E (way 3, or ways 3 and 4 through M 27).
  const divided: Node[] = [
    [21, 121.47, 31.2302],
    [22, 121.471, 31.2302],
    [23, 121.472, 31.2302],
    [24, 121.47, 31.23],
    [25, 121.471, 31.23],
    [26, 121.472, 31.23],
    [27, 121.471, 31.2301],
  ];
  const carriageways: Way[] = [
    { id: 1, nodes: [21, 22, 23], tags: { highway: 'primary', oneway: 'yes', name: '北' } },
    { id: 2, nodes: [26, 25, 24], tags: { highway: 'primary', oneway: 'yes', name: '南' } },
  ];
  const viaWays = (ways: number[], restriction = 'no_u_turn'): Relation => ({
    id: 9,
    members: [
      ['way', 1, 'from'],
      ...ways.map((w): [type: 'way', ref: number, role: string] => ['way', w, 'via']),
      ['way', 2, 'to'],
    ],
    tags: { type: 'restriction', restriction },
  });
  const segBetween = (n: NetworkData, a: number, b: number) => {
    for (let s = 0; s < n.segmentCount; s++) {
      const ends = [n.segFrom[s], n.segTo[s]];
      if (ends.includes(vertexOf(n, a)) && ends.includes(vertexOf(n, b))) return s;
    }
    throw new Error(`no segment ${a}–${b}`);
  };

  it('builds a U-turn ban through a median gap (via way) in driving order', async () => {
    const { network, stats } = await load(
      divided,
      [...carriageways, { id: 3, nodes: [22, 25], tags: { highway: 'primary_link' } }],
      [viaWays([3])],
    );
    expect(stats.restrictionsApplied).toBe(1);
    expect(stats.restrictionsViaWay).toBe(1);
    expect(network.restrictions).toEqual([
      {
        fromSeg: segBetween(network, 21, 22),
        viaNode: vertexOf(network, 22),
        viaSegs: [segBetween(network, 22, 25)],
        toSeg: segBetween(network, 25, 24),
        kind: 'no',
      },
    ]);
  });

  it('follows several via ways, whichever way each is drawn', async () => {
    const { network } = await load(
      divided,
      [
        ...carriageways,
        { id: 3, nodes: [22, 27], tags: { highway: 'primary_link' } },
        { id: 4, nodes: [25, 27], tags: { highway: 'primary_link' } },
      ],
      [viaWays([3, 4], 'only_straight_on')],
    );
    expect(network.restrictions).toHaveLength(1);
    const [r] = network.restrictions;
    expect(r.kind).toBe('only');
    expect(r.viaNode).toBe(vertexOf(network, 22));
    expect(r.viaSegs).toEqual([segBetween(network, 22, 27), segBetween(network, 27, 25)]);
    expect(r.toSeg).toBe(segBetween(network, 25, 24));
  });

  it('skips and counts via ways that do not join the from and to ways', async () => {
    const { network, stats } = await load(
      [...divided, [28, 121.475, 31.2301], [29, 121.476, 31.2301]],
      [...carriageways, { id: 3, nodes: [28, 29], tags: { highway: 'primary_link' } }],
      [viaWays([3])],
    );
    expect(network.restrictions).toEqual([]);
    expect(skippedBy(stats)).toEqual({ 'the via ways do not connect the from way to the to way': 1 });
  });
});

describe('the import report', () => {
  it('lists unknown values by key=value, most frequent first', async () => {
    const { stats } = await load(
      [
        [1, 121.47, 31.23, { barrier: 'odd_post' }],
        [2, 121.471, 31.23],
        [3, 121.472, 31.23],
        [4, 121.473, 31.23],
      ],
      [
        { id: 10, nodes: [1, 2], tags: { highway: 'residential', access: 'odd' } },
        { id: 11, nodes: [2, 3], tags: { highway: 'residential', access: 'odd', oneway: 'odd' } },
        { id: 12, nodes: [3, 4], tags: { highway: 'residential', motorcar: 'odd;no' } },
      ],
    );
    expect(stats.unknownTags).toEqual([
      { tag: 'access=odd', count: 2 },
      { tag: 'oneway=odd', count: 1 },
      { tag: 'motorcar=odd', count: 1 },
      { tag: 'barrier=odd_post', count: 1 },
    ]);
    expect(stats.unknownTagValues).toBe(4);
    const lines = importReportLines(stats);
    expect(lines).toContainEqual(
      expect.stringMatching(/^barriers: 1 on the roads; vertices closed 1 to car, 1 to emergency$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/not understood.*: access=odd ×2, oneway=odd ×1, motorcar=odd ×1, barrier=odd_post ×1$/),
    );
  });

  it('says how many restrictions were applied, via ways among them, and why others were skipped', () => {
    const lines = importReportLines({
      restrictionsApplied: 35,
      restrictionsViaWay: 12,
      restrictionsSkipped: [{ reason: 'from, via or to way is missing from the file or not drivable', count: 5 }],
      ferries: { ways: 2, timed: 1 },
    });
    expect(lines).toEqual([
      'ferries: 2 (1 timed by their duration tag)',
      'turn restrictions: 35 applied (12 via ways); skipped: 5 from, via or to way is missing from the file or not drivable',
    ]);
  });
});
