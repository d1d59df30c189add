import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PbfWriter } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { toWgs84 } from '../coordinates.ts';
import { type NetworkData, NODE_SIGNALS, ROAD_CLASSES } from '../road/network.ts';
import { type ImportProgress, type OsmImportStats, readOsmNetwork } from './osm-import.ts';
import { loadProfiles, validateProfiles } from './profiles.ts';
import { type Node, osmXml, type Relation, type Way } from './test-osm.ts';
import { parseMaxspeed } from './way-rules.ts';

const SHARED_DATA =
  process.env.ANLAN_SHARED_DATA ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const osmFile = (name: string) => join(SHARED_DATA, 'osm', name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'anlan-osm-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fixtureNo = 0;
function writeFixture(content: string | Buffer, ext = '.osm'): string {
  const f = join(dir, `fixture-${++fixtureNo}${ext}`);
  writeFileSync(f, content);
  return f;
}

async function importXml(nodes: Node[], ways: Way[], relations: Relation[] = [], datum?: 'wgs84' | 'gcj02') {
  return readOsmNetwork(writeFixture(osmXml(nodes, ways, relations)), { datum });
}

/** A straight two-node road (way 10) beside an ordinary street: the road's segment, -1 when it is left out. */
async function oneSegment(tags: Record<string, string>) {
  const { network, stats } = await importXml(
    [
      [1, 121.47, 31.23],
      [2, 121.471, 31.23],
      [3, 121.47, 31.24],
      [4, 121.471, 31.24],
    ],
    [
      { id: 10, nodes: [1, 2], tags },
      { id: 11, nodes: [3, 4], tags: { highway: 'residential' } },
    ],
  );
  return { network, stats, seg: [...network.segWayId].indexOf(10) };
}

const speeds = (n: NetworkData, s: number) => ({
  car: [n.speedKmh.car.forward[s], n.speedKmh.car.backward[s]],
  emergency: [n.speedKmh.emergency.forward[s], n.speedKmh.emergency.backward[s]],
});

const droppedFor = (stats: OsmImportStats, word: RegExp) =>
  stats.droppedWays.filter((d) => word.test(d.reason)).reduce((a, d) => a + d.count, 0);

/** An independent haversine (mean Earth radius), to check the importer's metres. */
function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const x = Math.sin(((lat2 - lat1) * r) / 2) ** 2;
  const y = Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(x + y));
}

async function expectOsmInvalid(file: string, reason: RegExp): Promise<void> {
  const err = await readOsmNetwork(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  expect(e.code).toBe('OSM_INVALID');
  expect(e.field).toBe('file');
  expect(e.details.file).toMatch(/^fixture-\d+/);
  expect(String(e.details.reason)).toMatch(reason);
}

// ---------- the shared real extracts

describe.each([
  ['bayfront_singapore.osm.pbf', 40],
  ['bautzen.osm', 0],
  ['andorra.osm.pbf', null],
  ['monaco.osm.pbf', 27],
  ['shanghai_center.osm', 0],
])('%s', (name, restrictionRelations) => {
  let network: NetworkData;
  let stats: OsmImportStats;
  const phases = new Set<string>();
  let last: ImportProgress | undefined;

  beforeAll(async () => {
    ({ network, stats } = await readOsmNetwork(osmFile(name), {
      onProgress: (p) => {
        phases.add(p.phase);
        last = p;
      },
    }));
  });

  it('imports a drivable network with consistent counts', () => {
    expect(network.nodeCount).toBeGreaterThan(0);
    expect(network.segmentCount).toBeGreaterThan(0);
    expect(stats.vertices).toBe(network.nodeCount);
    expect(stats.segments).toBe(network.segmentCount);
    expect(stats.highwayWays).toBeGreaterThan(0);
    expect(stats.segments).toBeGreaterThanOrEqual(stats.highwayWays);
    for (const a of [network.segFrom, network.segTo]) expect(Math.max(...a)).toBeLessThan(network.nodeCount);
    expect(Math.max(...network.segClass)).toBeLessThan(ROAD_CLASSES.length);
    expect(network.shapeStart.length).toBe(network.segmentCount + 1);
    expect(network.shapeStart[network.segmentCount]).toBe(network.shapeLon.length);
    expect(new Set(network.nodeOsmId).size).toBe(network.nodeCount);
    expect([...phases]).toEqual(['scan', 'nodes', 'build']);
    expect(last?.done).toBe(last?.total);
  });

  it('keeps each segment whole: shape from its first to its last vertex, metres along the shape', () => {
    for (let s = 0; s < network.segmentCount; s++) {
      const a = network.shapeStart[s];
      const b = network.shapeStart[s + 1] - 1;
      expect(b).toBeGreaterThan(a);
      const from = network.segFrom[s];
      const to = network.segTo[s];
      expect([network.shapeLon[a], network.shapeLat[a]]).toEqual([network.nodeLon[from], network.nodeLat[from]]);
      expect([network.shapeLon[b], network.shapeLat[b]]).toEqual([network.nodeLon[to], network.nodeLat[to]]);
      let m = 0;
      for (let i = a; i < b; i++) {
        m += metres(network.shapeLon[i], network.shapeLat[i], network.shapeLon[i + 1], network.shapeLat[i + 1]);
      }
      expect(Math.abs(network.segMeters[s] - m)).toBeLessThanOrEqual(m * 0.001 + 1e-6);
      const sp = speeds(network, s);
      expect(Math.max(...sp.car, ...sp.emergency)).toBeGreaterThan(0);
    }
  });

  it('reads the node tags: traffic signals where the extract has them, barriers on vertices only', () => {
    const flagged = [...network.nodeFlags].filter((f) => f & NODE_SIGNALS).length;
    const inside = network.segSignals.reduce((a, n) => a + n, 0);
    expect(stats.signals).toEqual({ atVertices: flagged, inSegments: inside });
    if (name !== 'bautzen.osm') expect(flagged + inside).toBeGreaterThan(0);
    // only the profiles' bits are used
    for (let v = 0; v < network.nodeCount; v++) expect(network.nodeClosed[v]).toBeLessThan(4);
    expect(network.turnCosts?.car).toBeDefined();
  });

  it('accounts for every turn restriction and resolves the applied ones at their via vertex', () => {
    const skipped = stats.restrictionsSkipped.reduce((a, r) => a + r.count, 0);
    if (restrictionRelations !== null) expect(stats.restrictionsApplied + skipped).toBe(restrictionRelations);
    if (restrictionRelations) expect(stats.restrictionsApplied).toBeGreaterThan(0);
    expect(network.restrictions.length).toBeGreaterThanOrEqual(stats.restrictionsApplied);
    const ends = (s: number) => [network.segFrom[s], network.segTo[s]];
    for (const r of network.restrictions) {
      expect(ends(r.fromSeg)).toContain(r.viaNode);
      // a via-way restriction: from → via segments → to, each meeting the next at a shared vertex
      let at = r.viaNode;
      for (const s of r.viaSegs ?? []) {
        expect(ends(s)).toContain(at);
        at = ends(s)[0] === at ? ends(s)[1] : ends(s)[0];
      }
      expect(ends(r.toSeg)).toContain(at);
    }
  });
});

describe('shanghai_center.osm names', () => {
  it('keeps Chinese names with name:en, each name once', async () => {
    const { network } = await readOsmNetwork(osmFile('shanghai_center.osm'));
    expect(network.names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    const withEn = network.names.filter((_, i) => network.namesEn[i]);
    expect(withEn.length).toBeGreaterThan(0);
    expect(network.namesEn.some((n) => n !== null && /^[\x20-\x7e]+$/.test(n))).toBe(true);
    const keys = network.names.map((n, i) => `${n}|${network.namesEn[i]}`);
    expect(new Set(keys).size).toBe(keys.length);
    const named = [...network.segName].filter((i) => i >= 0);
    expect(named.length).toBeGreaterThan(network.segmentCount / 2);
    expect(Math.max(...named)).toBe(network.names.length - 1);
  });
});

// ---------- hand-made fixtures

describe('one-way rules', () => {
  it('oneway=-1 opens only the way against its drawing direction', async () => {
    const { network, seg } = await oneSegment({ highway: 'residential', oneway: '-1' });
    const sp = speeds(network, seg);
    expect(sp.car[0]).toBe(0);
    expect(sp.car[1]).toBeGreaterThan(0);
    expect(sp.emergency[0]).toBe(0);
  });

  it('oneway=yes, and no tag at all', async () => {
    const yes = await oneSegment({ highway: 'residential', oneway: 'yes' });
    expect(speeds(yes.network, yes.seg).car).toEqual([25, 0]);
    const two = await oneSegment({ highway: 'residential' });
    expect(speeds(two.network, two.seg).car).toEqual([25, 25]);
  });

  it('a roundabout is one-way without a oneway tag', async () => {
    const { network } = await importXml(
      [
        [1, 121.47, 31.23],
        [2, 121.471, 31.231],
        [3, 121.472, 31.23],
        [4, 121.46, 31.23],
      ],
      [
        { id: 10, nodes: [1, 2, 3, 1], tags: { highway: 'tertiary', junction: 'roundabout' } },
        { id: 11, nodes: [4, 1], tags: { highway: 'tertiary' } },
      ],
    );
    const ring = Array.from({ length: network.segmentCount }, (_, s) => s).filter((s) => network.segWayId[s] === 10);
    expect(ring.length).toBeGreaterThan(0);
    for (const s of ring) {
      expect(network.speedKmh.car.forward[s]).toBeGreaterThan(0);
      expect(network.speedKmh.car.backward[s]).toBe(0);
    }
  });

  it('a motorway is one-way unless tagged oneway=no; a motorway_link without a tag is two-way', async () => {
    const m = await oneSegment({ highway: 'motorway' });
    expect(speeds(m.network, m.seg).car).toEqual([100, 0]);
    const both = await oneSegment({ highway: 'motorway', oneway: 'no' });
    expect(speeds(both.network, both.seg).car).toEqual([100, 100]);
    const link = await oneSegment({ highway: 'motorway_link' });
    expect(speeds(link.network, link.seg).car).toEqual([60, 60]);
  });

  it('oneway=reversible is left out', async () => {
    const { seg, stats } = await oneSegment({ highway: 'primary', oneway: 'reversible' });
    expect(seg).toBe(-1);
    expect(droppedFor(stats, /reversible/)).toBe(1);
  });
});

describe('access and speeds', () => {
  it('access=private closes a road to cars and emergency vehicles; emergency=yes opens it to emergency ones', async () => {
    const priv = await oneSegment({ highway: 'service', access: 'private' });
    expect(priv.seg).toBe(-1);
    expect(droppedFor(priv.stats, /closed/)).toBe(1);
    const em = await oneSegment({ highway: 'service', access: 'private', emergency: 'yes' });
    const sp = speeds(em.network, em.seg);
    expect(sp.car).toEqual([0, 0]);
    expect(sp.emergency).toEqual([20, 20]);
  });

  it('service=emergency_access with access=no is for emergency vehicles only', async () => {
    const { network, seg } = await oneSegment({ highway: 'service', service: 'emergency_access', access: 'no' });
    expect(speeds(network, seg).car).toEqual([0, 0]);
    expect(speeds(network, seg).emergency).toEqual([20, 20]);
  });

  it('a more specific key wins, and :backward closes one direction', async () => {
    const open = await oneSegment({ highway: 'residential', access: 'no', motor_vehicle: 'yes' });
    expect(speeds(open.network, open.seg).car).toEqual([25, 25]);
    const dir = await oneSegment({ highway: 'residential', 'motor_vehicle:backward': 'no' });
    expect(speeds(dir.network, dir.seg).car).toEqual([25, 0]);
  });

  it('maxspeed caps the class speed; emergency vehicles may exceed it by the configured factor', async () => {
    const { network, seg } = await oneSegment({ highway: 'primary', maxspeed: '30 mph' });
    const sp = speeds(network, seg);
    expect(sp.car[0]).toBeCloseTo(30 * 1.609344, 3);
    expect(sp.emergency[0]).toBeCloseTo(30 * 1.609344 * 1.2, 3);
    expect(parseMaxspeed('50')).toBe(50);
    expect(parseMaxspeed('50 km/h')).toBe(50);
    expect(parseMaxspeed('CN:urban')).toBeNull();
    expect(parseMaxspeed('none')).toBeNull();
  });

  it('roads under construction, footways and highway areas are left out and counted', async () => {
    const { network, stats } = await importXml(
      [
        [1, 121.47, 31.23],
        [2, 121.471, 31.23],
        [3, 121.472, 31.231],
      ],
      [
        { id: 10, nodes: [1, 2], tags: { highway: 'construction', construction: 'primary' } },
        { id: 11, nodes: [2, 3], tags: { highway: 'primary', construction: 'yes' } },
        { id: 12, nodes: [1, 3], tags: { highway: 'footway' } },
        { id: 13, nodes: [1, 2, 3, 1], tags: { highway: 'service', area: 'yes' } },
        { id: 14, nodes: [1, 3], tags: { highway: 'residential', construction: 'minor' } },
      ],
    );
    expect([...network.segWayId]).toEqual([14]);
    expect(droppedFor(stats, /construction/)).toBe(2);
    expect(droppedFor(stats, /footway/)).toBe(1);
    expect(droppedFor(stats, /area=yes/)).toBe(1);
  });
});

describe('splitting ways into segments', () => {
  it('splits two crossing ways at their shared node and keeps the intermediate nodes', async () => {
    const { network, stats } = await importXml(
      [
        [1, 121.46, 31.23],
        [2, 121.465, 31.2301],
        [3, 121.47, 31.23],
        [4, 121.48, 31.23],
        [5, 121.47, 31.22],
        [6, 121.47, 31.24],
      ],
      [
        { id: 10, nodes: [1, 2, 3, 4], tags: { highway: 'primary', name: '南京路', 'name:en': 'Nanjing Road' } },
        { id: 11, nodes: [5, 3, 6], tags: { highway: 'secondary', name: '南京路', 'name:en': 'Nanjing Road' } },
      ],
    );
    expect(network.segmentCount).toBe(4);
    expect(network.nodeCount).toBe(5);
    expect(stats.highwayWays).toBe(2);
    const centre = [...network.nodeOsmId].indexOf(3);
    expect([...network.segFrom, ...network.segTo].filter((v) => v === centre)).toHaveLength(4);
    expect([...network.nodeOsmId]).not.toContain(2);
    const first = [...network.segWayId].indexOf(10);
    expect(network.shapeStart[first + 1] - network.shapeStart[first]).toBe(3); // 1, 2, 3
    expect(network.names).toEqual(['南京路']);
    expect(network.namesEn).toEqual(['Nanjing Road']);
    expect([...network.segName]).toEqual([0, 0, 0, 0]);
  });

  it('drops the missing nodes of a clipped way, and counts it', async () => {
    const { network, stats } = await importXml(
      [
        [1, 121.46, 31.23],
        [2, 121.47, 31.23],
        [4, 121.49, 31.23],
      ],
      [{ id: 10, nodes: [1, 2, 3, 4], tags: { highway: 'primary' } }],
    );
    expect(network.segmentCount).toBe(1);
    expect([...network.nodeOsmId].sort()).toEqual([1, 2]);
    expect(droppedFor(stats, /partly outside/)).toBe(1);
  });
});

describe('turn restrictions', () => {
  // A crossing at node 10: way 100 runs west (11) → centre → east (12), way 200 from the south (14) ends at the
  // centre, way 300 leaves it to the north (13).
  const nodes: Node[] = [
    [10, 121.47, 31.23],
    [11, 121.469, 31.23],
    [12, 121.471, 31.23],
    [13, 121.47, 31.231],
    [14, 121.47, 31.229],
  ];
  const ways: Way[] = [
    { id: 100, nodes: [11, 10, 12], tags: { highway: 'secondary' } },
    { id: 200, nodes: [14, 10], tags: { highway: 'tertiary' } },
    { id: 300, nodes: [10, 13], tags: { highway: 'tertiary' } },
  ];
  const restriction = (id: number, from: number, to: number, tags: Record<string, string>): Relation => ({
    id,
    members: [
      ['way', from, 'from'],
      ['node', 10, 'via'],
      ['way', to, 'to'],
    ],
    tags: { type: 'restriction', ...tags },
  });

  it('resolves no_left_turn and only_straight_on to the segments on the right side of the via node', async () => {
    const { network, stats } = await importXml(nodes, ways, [
      restriction(1, 100, 300, { restriction: 'no_left_turn' }),
      restriction(2, 200, 300, { restriction: 'only_straight_on' }),
      restriction(3, 200, 100, { restriction: 'no_right_turn', except: 'emergency' }),
    ]);
    const vertex = (osm: number) => [...network.nodeOsmId].indexOf(osm);
    const segBetween = (a: number, b: number) => {
      for (let s = 0; s < network.segmentCount; s++) {
        const ends = [network.segFrom[s], network.segTo[s]];
        if (ends.includes(vertex(a)) && ends.includes(vertex(b))) return s;
      }
      throw new Error(`no segment ${a}–${b}`);
    };
    expect(stats.restrictionsApplied).toBe(3);
    const [left, straight, right] = network.restrictions;
    // eastbound on way 100 a turn to the north is a left turn; westbound it would be a right turn
    expect(left).toEqual({ fromSeg: segBetween(11, 10), viaNode: vertex(10), toSeg: segBetween(10, 13), kind: 'no' });
    expect(straight).toEqual({
      fromSeg: segBetween(14, 10),
      viaNode: vertex(10),
      toSeg: segBetween(10, 13),
      kind: 'only',
    });
    // northbound from the south, right is east
    expect(right).toEqual({
      fromSeg: segBetween(14, 10),
      viaNode: vertex(10),
      toSeg: segBetween(10, 12),
      kind: 'no',
      appliesTo: ['car'],
    });
  });

  it('skips and counts one whose way is not in the file', async () => {
    const { network, stats } = await importXml(nodes, ways, [
      restriction(5, 999, 300, { restriction: 'no_left_turn' }),
    ]);
    expect(network.restrictions).toEqual([]);
    expect(stats.restrictionsApplied).toBe(0);
    const reasons = Object.fromEntries(stats.restrictionsSkipped.map((r) => [r.reason, r.count]));
    expect(reasons).toEqual({ 'from, via or to way is missing from the file or not drivable': 1 });
  });

  it('splits a way at a via node that no other road shares', async () => {
    const { network } = await importXml(
      [
        [1, 121.46, 31.23],
        [2, 121.47, 31.23],
        [3, 121.48, 31.23],
      ],
      [{ id: 10, nodes: [1, 2, 3], tags: { highway: 'residential' } }],
      [
        {
          id: 7,
          members: [
            ['way', 10, 'from'],
            ['node', 2, 'via'],
            ['way', 10, 'to'],
          ],
          tags: { type: 'restriction', restriction: 'no_u_turn' },
        },
      ],
    );
    expect(network.segmentCount).toBe(2);
    expect([...network.nodeOsmId]).toContain(2);
  });
});

describe('areas and datum', () => {
  it('imports closed water ways and water multipolygons (outer rings) as water areas', async () => {
    const { areas, stats } = await importXml(
      [
        [1, 121.46, 31.23],
        [2, 121.47, 31.23],
        [3, 121.47, 31.24],
        [4, 121.46, 31.24],
        [5, 121.5, 31.2],
        [6, 121.51, 31.2],
        [7, 121.51, 31.21],
      ],
      [
        { id: 10, nodes: [1, 2, 3, 4, 1], tags: { natural: 'water', name: '湖' } },
        { id: 11, nodes: [5, 6, 7], tags: {} },
        { id: 12, nodes: [7, 5], tags: {} },
        { id: 13, nodes: [1, 2, 3, 1], tags: { landuse: 'grass' } },
        { id: 14, nodes: [5, 1], tags: { highway: 'residential' } },
      ],
      [
        {
          id: 20,
          members: [
            ['way', 11, 'outer'],
            ['way', 12, 'outer'],
          ],
          tags: { type: 'multipolygon', waterway: 'riverbank' },
        },
      ],
    );
    expect(stats.areas).toBe(2);
    expect(areas.map((a) => [a.kind, a.name, a.geometry.type])).toEqual([
      ['water', '湖', 'Polygon'],
      ['water', null, 'Polygon'],
    ]);
    const ring = (areas[1].geometry.coordinates as number[][][])[0];
    expect(ring).toHaveLength(4);
    expect(ring[0]).toEqual(ring[3]);
  });

  it('datum gcj02 converts every coordinate to WGS-84', async () => {
    // Weihai: GCJ-02 is shifted a few hundred metres from WGS-84 there
    const nodes: Node[] = [
      [1, 122.12, 37.51],
      [2, 122.13, 37.51],
    ];
    const ways: Way[] = [{ id: 10, nodes: [1, 2], tags: { highway: 'primary' } }];
    const asIs = (await importXml(nodes, ways)).network;
    const wgs = (await importXml(nodes, ways, [], 'gcj02')).network;
    const expected = toWgs84({ type: 'Point', coordinates: [122.12, 37.51] }, 'gcj02').coordinates;
    const v = [...wgs.nodeOsmId].indexOf(1);
    expect(wgs.nodeLon[v]).toBeCloseTo(expected[0], 9);
    expect(wgs.nodeLat[v]).toBeCloseTo(expected[1], 9);
    const shift = metres(asIs.nodeLon[v], asIs.nodeLat[v], wgs.nodeLon[v], wgs.nodeLat[v]);
    expect(shift).toBeGreaterThan(100);
    expect(shift).toBeLessThan(1000);
    expect(wgs.shapeLon[wgs.shapeStart[0]]).toBe(wgs.nodeLon[wgs.segFrom[0]]);
  });
});

// ---------- a tiny OSM PBF writer: to reach what the shared extracts do not use

type Compression = 'zlib' | 'raw' | 'lzma';

function pbfBlock(type: string, data: Uint8Array, compression: Compression): Buffer {
  const blob = new PbfWriter();
  if (compression === 'raw') blob.writeBytesField(1, data);
  else {
    blob.writeVarintField(2, data.length);
    // lzma is only announced (field 4): the reader must refuse it before trying to unpack it
    blob.writeBytesField(compression === 'zlib' ? 3 : 4, deflateSync(data));
  }
  const body = blob.finish();
  const header = new PbfWriter();
  header.writeStringField(1, type);
  header.writeVarintField(3, body.length);
  const head = header.finish();
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, body]);
}

/**
 * Two data blocks: dense nodes 1–3 with granularity 1000 nm and offsets (zlib), then plain node 4 and way 10
 * over nodes 1–4 (compressed as asked).
 */
function pbfFixture(secondBlock: Compression, features = ['OsmSchema-V0.6', 'DenseNodes'], nodeTags = false): Buffer {
  const header = new PbfWriter();
  for (const f of features) header.writeStringField(4, f);
  const strings = ['', 'highway', 'primary', 'name', 'Ring Road', 'traffic_signals', 'barrier', 'bollard'];
  const block = (fill: (group: PbfWriter) => void, opts: { granularity?: number; offsets?: boolean } = {}) => {
    const b = new PbfWriter();
    b.writeMessage(
      1,
      (_: unknown, st: PbfWriter) => {
        for (const s of strings) st.writeBytesField(1, Buffer.from(s));
      },
      null,
    );
    b.writeMessage(2, (_: unknown, g: PbfWriter) => fill(g), null);
    if (opts.granularity) b.writeVarintField(17, opts.granularity);
    if (opts.offsets) {
      b.writeVarintField(19, 31_000_000_000);
      b.writeVarintField(20, 121_000_000_000);
    }
    return b.finish();
  };
  // nodes 1–3 at (121.47, 31.23), (121.471, 31.23), (121.472, 31.2305), in 1000 nm steps from the offsets
  const dense = block(
    (g) =>
      g.writeMessage(
        2,
        (_: unknown, d: PbfWriter) => {
          d.writePackedSVarint(1, [1, 1, 1]);
          d.writePackedSVarint(8, [230_000, 0, 500]);
          d.writePackedSVarint(9, [470_000, 1_000, 1_000]);
          // node 1 untagged, node 2 highway=traffic_signals, node 3 barrier=bollard
          if (nodeTags) d.writePackedVarint(10, [0, 1, 5, 0, 6, 7, 0]);
        },
        null,
      ),
    { granularity: 1000, offsets: true },
  );
  const rest = block((g) => {
    g.writeMessage(
      1,
      (_: unknown, n: PbfWriter) => {
        n.writeSVarintField(1, 4);
        n.writeSVarintField(8, 312_310_000); // default granularity: 100 nm
        n.writeSVarintField(9, 1_214_730_000);
        if (nodeTags) {
          // node 4 highway=traffic_signals
          n.writePackedVarint(2, [1]);
          n.writePackedVarint(3, [5]);
        }
      },
      null,
    );
    g.writeMessage(
      3,
      (_: unknown, w: PbfWriter) => {
        w.writeVarintField(1, 10);
        w.writePackedVarint(2, [1, 3]);
        w.writePackedVarint(3, [2, 4]);
        w.writePackedSVarint(8, [1, 1, 1, 1]);
      },
      null,
    );
  });
  return Buffer.concat([
    pbfBlock('OSMHeader', header.finish(), 'raw'),
    pbfBlock('OSMData', dense, 'zlib'),
    pbfBlock('OSMData', rest, secondBlock),
  ]);
}

describe('PBF details', () => {
  it('reads granularity and offsets, plain and dense nodes, raw and zlib blocks', async () => {
    const { network } = await readOsmNetwork(writeFixture(pbfFixture('raw'), '.osm'));
    expect(network.segmentCount).toBe(1);
    expect(network.names).toEqual(['Ring Road']);
    const pts = Array.from({ length: network.shapeLon.length }, (_, i) => [network.shapeLon[i], network.shapeLat[i]]);
    const expected = [
      [121.47, 31.23],
      [121.471, 31.23],
      [121.472, 31.2305],
      [121.473, 31.231],
    ];
    for (const [i, [x, y]] of expected.entries()) {
      expect(pts[i][0]).toBeCloseTo(x, 9);
      expect(pts[i][1]).toBeCloseTo(y, 9);
    }
  });

  it('reads node tags of dense and plain nodes: a bollard splits the way, signals inside and at its end', async () => {
    const { network, stats } = await readOsmNetwork(writeFixture(pbfFixture('zlib', undefined, true), '.osm.pbf'));
    const vertex = (osm: number) => [...network.nodeOsmId].indexOf(osm);
    expect(network.segmentCount).toBe(2);
    expect(network.nodeClosed[vertex(3)]).toBe(0b11);
    expect(network.nodeFlags[vertex(4)]).toBe(NODE_SIGNALS);
    const first = network.segFrom[0] === vertex(1) ? 0 : 1;
    expect(network.segSignals[first]).toBe(1);
    expect(network.segSignals[1 - first]).toBe(0);
    expect(stats.barriers).toBe(1);
    expect(stats.signals).toEqual({ atVertices: 1, inSegments: 1 });
  });

  it('refuses unsupported compression and history files with the reason', async () => {
    await expectOsmInvalid(writeFixture(pbfFixture('lzma')), /uses lzma compression, which cannot be read here/);
    const history = pbfFixture('zlib', ['OsmSchema-V0.6', 'DenseNodes', 'HistoricalInformation']);
    await expectOsmInvalid(writeFixture(history), /history file/);
  });
});

// ---------- files that are not a readable extract

describe('refusing bad files', () => {
  const monaco = () => readFileSync(osmFile('monaco.osm.pbf'));

  it('refuses a truncated PBF', async () => {
    const full = monaco();
    await expectOsmInvalid(writeFixture(full.subarray(0, Math.floor(full.length * 0.6)), '.pbf'), /^truncated at byte/);
    await expectOsmInvalid(writeFixture(full.subarray(0, 9), '.pbf'), /^truncated at byte 9/);
  });

  it('refuses a PBF with bytes flipped inside a block', async () => {
    const bad = Buffer.from(monaco());
    for (let i = 0; i < 8; i++) bad[(bad.length >> 1) + i] ^= 0x5a;
    await expectOsmInvalid(writeFixture(bad, '.pbf'), /corrupt at byte \d+: the zlib data cannot be decompressed/);
  });

  it('refuses an empty file and a text file, whatever their extension', async () => {
    await expectOsmInvalid(writeFixture('', '.osm.pbf'), /^the file is empty$/);
    await expectOsmInvalid(writeFixture('Just some notes.\nNo map here.\n', '.osm'), /^not an OSM XML or PBF file$/);
  });

  it('refuses an extract without a drivable road', async () => {
    const xml = osmXml(
      [
        [1, 121.47, 31.23],
        [2, 121.471, 31.23],
      ],
      [{ id: 10, nodes: [1, 2], tags: { highway: 'footway' } }],
    );
    await expectOsmInvalid(writeFixture(xml), /^the file holds no drivable road \(1 not a road for motor vehicles/);
  });

  it('refuses XML that is cut off or is not OSM', async () => {
    const xml = readFileSync(osmFile('bautzen.osm'));
    await expectOsmInvalid(writeFixture(xml.subarray(0, 40_000)), /^XML error at line \d+: .*unclosed/);
    await expectOsmInvalid(writeFixture('<?xml version="1.0"?><html><body/></html>'), /root element is <html>/);
  });

  it('never resolves an external entity', async () => {
    const secret = writeFixture('TOP-SECRET-CONTENT', '.txt');
    const xxe =
      `<?xml version="1.0"?>\n<!DOCTYPE osm [<!ENTITY xxe SYSTEM "file://${secret}">]>\n<osm version="0.6">\n` +
      '<node id="1" lat="31.23" lon="121.47"/><node id="2" lat="31.23" lon="121.48"/>\n' +
      '<way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="&xxe;"/></way>\n</osm>\n';
    await expectOsmInvalid(writeFixture(xxe), /DOCTYPE/);
    // without a DOCTYPE the reference is simply undefined
    await expectOsmInvalid(
      writeFixture(xxe.replace(/<!DOCTYPE[^\n]*\n/, '')),
      /^XML error at line 4: undefined entity/,
    );
  });
});

describe('profiles', () => {
  it('loads the shipped profiles', () => {
    const p = loadProfiles();
    expect(p.profiles.emergency.speedsKmh.primary).toBeGreaterThan(p.profiles.car.speedsKmh.primary);
    expect(p.oneway.impliedJunctions).toContain('roundabout');
  });

  it('names the offending key of a bad profile file', () => {
    const good = JSON.parse(readFileSync(join(import.meta.dirname, 'profiles.json'), 'utf8'));
    const bad = structuredClone(good);
    bad.profiles.car.speedsKmh.motorway = 'fast';
    expect(() => validateProfiles(bad)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        details: expect.objectContaining({ field: 'profiles.car.speedsKmh.motorway' }),
      }),
    );
    const unknown = structuredClone(good);
    unknown.profiles.emergency.maxspeed.mode = 'ignore';
    expect(() => validateProfiles(unknown)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'profiles.emergency.maxspeed.mode' }) }),
    );
    const missing = structuredClone(good);
    delete missing.profiles.car.speedsKmh.track;
    expect(() => validateProfiles(missing)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'profiles.car.speedsKmh.track' }) }),
    );
    const typo = structuredClone(good);
    typo.profiles.car.acessKeys = [];
    expect(() => validateProfiles(typo)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'profiles.car.acessKeys' }) }),
    );
  });
});
