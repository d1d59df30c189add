/**
 * OpenStreetMap import: a `.osm.pbf` or `.osm` XML file → the neutral NetworkData of server/geo/road/network.ts,
 * plus water areas for the basemap.
 *
 * Passes over the file, so that memory follows the roads, not the nodes of the extract:
 *  1. ways and relations: drivable highway ways and car ferries (tags evaluated at once, node lists kept in one
 *     Float64Array), closed water ways, turn restrictions and water multipolygons; (1b) only if a water
 *     multipolygon names ways not yet kept: those ways;
 *  2. nodes: coordinates of the nodes those ways use, found in a sorted Float64Array of ids, and the tags of those
 *     that carry a barrier, traffic signals or access tags (node-rules.ts).
 * Then the ways are split at vertices (nodes shared by two or more drivable ways or repeated in one, way ends,
 * restriction via nodes, nodes that stop a profile) into segments that keep their whole shape. Traffic signals
 * inside a segment are counted on it; those at a vertex are flagged there.
 */
import '../geo.errors.ts';
import { basename } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '../../errors.ts';
import { toWgs84 } from '../coordinates.ts';
import {
  type AreaFeature,
  allocateNetwork,
  haversine,
  type NetworkData,
  NODE_SIGNALS,
  PROFILES,
  type Profile,
  ROAD_CLASSES,
  SEG_ROUNDABOUT,
} from '../road/network.ts';
import { compileNodeRules } from './node-rules.ts';
import { type OsmPlace, PLACE_KEYS, placeOf, representativePoint } from './osm-places.ts';
import { openOsmReader } from './osm-reader.ts';
import { OsmFormatError, type Tags } from './osm-types.ts';
import { loadProfiles, type ProfileConfig } from './profiles.ts';
import { type RawRestriction, resolveRestrictions } from './turn-restrictions.ts';
import { Grow, indexOfSorted, sortedCursor, sortUnique } from './typed-arrays.ts';
import { isWater, joinRings, toArea } from './water-areas.ts';
import { compileWayRules, DROP } from './way-rules.ts';

export interface ImportProgress {
  phase: 'scan' | 'nodes' | 'build';
  done: number;
  total: number;
}

export interface OsmImportStats {
  highwayWays: number;
  segments: number;
  vertices: number;
  restrictionsApplied: number;
  /** how many of the applied restrictions run via ways (a sequence of segments) */
  restrictionsViaWay: number;
  restrictionsSkipped: { reason: string; count: number }[];
  areas: number;
  droppedWays: { reason: string; count: number }[];
  /** nodes of the roads tagged barrier=* (open or not) */
  barriers: number;
  /** vertices a profile may not pass through (barriers and node access tags) */
  closedVertices: Record<Profile, number>;
  /** traffic signals standing at vertices, and inside segments */
  signals: { atVertices: number; inSegments: number };
  roundaboutSegments: number;
  /** car ferries in the network, and how many of them take their speed from a `duration` tag */
  ferries: { ways: number; timed: number };
  /** access, oneway and barrier values no rule knows ("key=value"), most frequent first, at most 50 */
  unknownTags: { tag: string; count: number }[];
  /** how many different unknown values there were (the list above may be cut) */
  unknownTagValues: number;
  /** named places and points of interest read for the gazetteer (osm-places.ts) */
  places?: number;
}

export interface ReadOsmOptions {
  /** datum of the file's coordinates; 'gcj02' converts every coordinate to WGS-84 */
  datum?: 'wgs84' | 'gcj02';
  profiles?: ProfileConfig;
  onProgress?: (p: ImportProgress) => void;
}

const PASS1_KEYS: ReadonlySet<string> = new Set(['highway', 'route', 'natural', 'waterway', 'landuse', ...PLACE_KEYS]);
const UNKNOWN_LISTED = 50;
/** per node index (nodeInfo): traffic signals, a barrier */
const INFO_SIGNALS = 1;
const INFO_BARRIER = 2;
const YIELD_EVERY = 20_000;

/**
 * Reads an OSM extract into a road network. A corrupt, truncated or foreign file throws
 * AppError('OSM_INVALID', {field: 'file', file, reason}).
 */
export async function readOsmNetwork(
  file: string,
  opts: ReadOsmOptions = {},
): Promise<{ network: NetworkData; areas: AreaFeature[]; places: OsmPlace[]; stats: OsmImportStats }> {
  const profiles = opts.profiles ?? loadProfiles();
  try {
    return await importFile(file, profiles, opts);
  } catch (e) {
    if (e instanceof OsmFormatError) {
      throw new AppError('OSM_INVALID', { field: 'file', file: basename(file), reason: e.message });
    }
    throw e;
  }
}

class Counter {
  readonly counts = new Map<string, number>();
  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }
  list(): { reason: string; count: number }[] {
    return [...this.counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  }
}

/** Drivable highway ways as read in pass 1. */
class WayStore {
  readonly ids = new Grow((n) => new Float64Array(n));
  readonly refStart = new Grow((n) => new Uint32Array(n));
  readonly refs = new Grow((n) => new Float64Array(n), 1 << 16);
  readonly cls = new Grow((n) => new Uint8Array(n));
  /** 4 per way: car forward, car backward, emergency forward, emergency backward */
  readonly speeds = new Grow((n) => new Float32Array(n), 4096);
  readonly name = new Grow((n) => new Int32Array(n));
  /** segFlags of the way's segments (SEG_ROUNDABOUT) */
  readonly flags = new Grow((n) => new Uint8Array(n));
  /** a ferry's crossing time from its duration tag, seconds; NaN = none */
  readonly ferryS = new Grow((n) => new Float32Array(n));

  constructor() {
    this.refStart.push(0);
  }

  get count(): number {
    return this.ids.length;
  }

  add(
    id: number,
    refs: Float64Array,
    n: number,
    rule: { cls: number; speeds: Float32Array; flags: number; ferryS: number },
    name: number,
  ): void {
    this.ids.push(id);
    this.refs.pushAll(refs, n);
    this.refStart.push(this.refs.length);
    this.cls.push(rule.cls);
    this.speeds.pushAll(rule.speeds, 4);
    this.name.push(name);
    this.flags.push(rule.flags);
    this.ferryS.push(rule.ferryS);
  }
}

class NameTable {
  readonly names: string[] = [];
  readonly namesEn: (string | null)[] = [];
  private readonly index = new Map<string, number>();

  id(tags: Tags): number {
    const en = tags['name:en'] ?? null;
    const name = tags.name ?? en;
    if (name === null || name === undefined) return -1;
    const key = `${name}\u0000${en ?? ''}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.namesEn.push(en);
      this.index.set(key, i);
    }
    return i;
  }
}

async function importFile(
  file: string,
  profiles: ProfileConfig,
  opts: ReadOsmOptions,
): Promise<{ network: NetworkData; areas: AreaFeature[]; places: OsmPlace[]; stats: OsmImportStats }> {
  const unknown = new Counter();
  const noteUnknown = (tag: string) => unknown.add(tag);
  const rules = compileWayRules(profiles, noteUnknown);
  const nodeRules = compileNodeRules(profiles, noteUnknown);
  const reader = await openOsmReader(file);
  const size = reader.size;
  const progress = opts.onProgress;

  // ---- pass 1: ways and relations
  const ways = new WayStore();
  const names = new NameTable();
  const dropped = new Counter();
  const waterWays: { id: number; refs: Float64Array; name: string | null }[] = [];
  const restrictions: RawRestriction[] = [];
  const waterRelations: { outer: number[]; name: string | null }[] = [];
  // places read in the same passes: ways now (placed once their nodes are known), nodes in pass 2
  const placeWays: { id: number; refs: Float64Array; place: NonNullable<ReturnType<typeof placeOf>> }[] = [];
  const nodePlaces: OsmPlace[] = [];
  let scanTotal = size;
  await reader.scan(
    { ways: true, relations: true, wayKeys: PASS1_KEYS },
    {
      way(id, refs, n, tags) {
        if (tags.highway !== undefined || tags.route === 'ferry') {
          const rule = rules.evaluate(tags);
          if (rule.drivable) ways.add(id, refs, n, rule, names.id(tags));
          else dropped.add(rule.reason);
        }
        const place = placeOf(tags);
        if (place) placeWays.push({ id, refs: refs.slice(0, n), place });
        if (n >= 4 && refs[0] === refs[n - 1] && isWater(tags)) {
          waterWays.push({ id, refs: refs.slice(0, n), name: tags.name ?? null });
        }
      },
      relation(id, members, tags) {
        if (tags.type === 'restriction') restrictions.push({ id, members, tags });
        else if (tags.type === 'multipolygon' && isWater(tags)) {
          const outer = members.filter((m) => m.type === 'way' && (m.role === 'outer' || m.role === ''));
          waterRelations.push({ outer: outer.map((m) => m.ref), name: tags.name ?? null });
        }
      },
    },
    (done) => progress?.({ phase: 'scan', done, total: scanTotal }),
  );

  // ---- pass 1b: member ways of water multipolygons that pass 1 did not keep
  const memberWays = new Map<number, Float64Array>();
  for (const w of waterWays) memberWays.set(w.id, w.refs);
  const missing = sortUnique(
    Float64Array.from(waterRelations.flatMap((r) => r.outer.filter((id) => !memberWays.has(id)))),
  );
  if (missing.length > 0) {
    scanTotal = 2 * size;
    await reader.scan(
      { ways: true, wantWay: (id) => indexOfSorted(missing, id) >= 0 },
      { way: (id, refs, n) => memberWays.set(id, refs.slice(0, n)) },
      (done) => progress?.({ phase: 'scan', done: size + done, total: scanTotal }),
    );
  }

  // ---- pass 2: coordinates of the nodes in use
  let used = 0;
  for (const r of memberWays.values()) used += r.length;
  for (const w of placeWays) used += w.refs.length;
  const all = new Float64Array(ways.refs.length + used);
  all.set(ways.refs.view.subarray(0, ways.refs.length));
  let k = ways.refs.length;
  for (const r of memberWays.values()) {
    all.set(r, k);
    k += r.length;
  }
  for (const w of placeWays) {
    all.set(w.refs, k);
    k += w.refs.length;
  }
  const nodeIds = sortUnique(all);
  const lon = new Float64Array(nodeIds.length).fill(Number.NaN);
  const lat = new Float64Array(nodeIds.length).fill(Number.NaN);
  const nodeClosed = new Uint8Array(nodeIds.length);
  const nodeInfo = new Uint8Array(nodeIds.length);
  const find = sortedCursor(nodeIds);
  const nodeKeys = new Set([...nodeRules.keys, ...PLACE_KEYS]);
  await reader.scan(
    { nodes: true, nodeKeys },
    {
      node(id, x, y, tags) {
        if (tags !== null) {
          const place = placeOf(tags);
          if (place && x >= -180 && x <= 180 && y >= -90 && y <= 90) {
            nodePlaces.push({ ref: `n${id}`, ...place, lon: x, lat: y });
          }
        }
        const i = find(id);
        if (i < 0) return;
        if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) {
          throw new OsmFormatError(`node ${id} lies outside -180…180, -90…90 (${x}, ${y})`);
        }
        lon[i] = x;
        lat[i] = y;
        if (tags !== null) {
          const r = nodeRules.evaluate(tags);
          nodeClosed[i] = r.closed;
          nodeInfo[i] = (r.signals ? INFO_SIGNALS : 0) | (r.barrier ? INFO_BARRIER : 0);
        }
      },
    },
    (done) => progress?.({ phase: 'nodes', done, total: size }),
  );
  if (opts.datum === 'gcj02') {
    convertGcj02(lon, lat);
    const px = Float64Array.from(nodePlaces, (p) => p.lon);
    const py = Float64Array.from(nodePlaces, (p) => p.lat);
    convertGcj02(px, py);
    nodePlaces.forEach((p, i) => {
      p.lon = px[i];
      p.lat = py[i];
    });
  }

  // ---- build
  const built = await buildNetwork(ways, nodeIds, lon, lat, nodeClosed, nodeInfo, restrictions, dropped, progress);
  if (built.network.segmentCount === 0) {
    // an extract without roads would only replace a working network with an empty one
    throw new OsmFormatError(`the file holds no drivable road (${describeDropped(dropped)})`);
  }
  const network: NetworkData = {
    ...built.network,
    names: names.names,
    namesEn: names.namesEn,
    turnCosts: Object.fromEntries(PROFILES.map((p) => [p, { ...profiles.profiles[p].turns }])),
  };

  const resolved = resolveRestrictions(restrictions, {
    vertexOf: (osmId) => {
      const i = indexOfSorted(nodeIds, osmId);
      return i < 0 ? -1 : built.vertexOfNode[i];
    },
    segmentsOf: (osmWayId) => built.segmentsOfWay(osmWayId),
    segFrom: network.segFrom,
    segTo: network.segTo,
    canForward: (s) => network.speedKmh.car.forward[s] > 0 || network.speedKmh.emergency.forward[s] > 0,
    canBackward: (s) => network.speedKmh.car.backward[s] > 0 || network.speedKmh.emergency.backward[s] > 0,
    shapeStart: network.shapeStart,
    shapeLon: network.shapeLon,
    shapeLat: network.shapeLat,
  });
  network.restrictions = resolved.restrictions;

  // ---- water areas
  const coord = (id: number): [number, number] | null => {
    const i = indexOfSorted(nodeIds, id);
    return i < 0 || Number.isNaN(lon[i]) ? null : [lon[i], lat[i]];
  };
  const areas: AreaFeature[] = [];
  const inRelation = new Set(waterRelations.flatMap((r) => r.outer));
  for (const w of waterWays) {
    if (inRelation.has(w.id)) continue; // old-style tagging: the relation draws it
    const a = toArea(joinRings([w.refs]), w.name, coord);
    if (a) areas.push(a);
  }
  for (const r of waterRelations) {
    const parts = r.outer.map((id) => memberWays.get(id)).filter((p): p is Float64Array => p !== undefined);
    const a = toArea(joinRings(parts), r.name, coord);
    if (a) areas.push(a);
  }

  // ---- places: nodes as read, ways at a representative point of their nodes
  const places = nodePlaces;
  for (const w of placeWays) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const ref of w.refs) {
      const c = coord(ref);
      xs.push(c ? c[0] : Number.NaN);
      ys.push(c ? c[1] : Number.NaN);
    }
    const pt = representativePoint(xs, ys);
    if (pt) places.push({ ref: `w${w.id}`, ...w.place, lon: pt[0], lat: pt[1] });
  }

  const skipped = [...resolved.skipped].map(([reason, count]) => ({ reason, count }));
  const closedVertices = Object.fromEntries(PROFILES.map((p) => [p, 0])) as Record<Profile, number>;
  let signalsAtVertices = 0;
  for (let v = 0; v < network.nodeCount; v++) {
    for (const [p, name] of PROFILES.entries()) if (network.nodeClosed[v] & (1 << p)) closedVertices[name]++;
    if (network.nodeFlags[v] & NODE_SIGNALS) signalsAtVertices++;
  }
  let signalsInSegments = 0;
  let roundaboutSegments = 0;
  for (let s = 0; s < network.segmentCount; s++) {
    signalsInSegments += network.segSignals[s];
    if (network.segFlags[s] & SEG_ROUNDABOUT) roundaboutSegments++;
  }
  const unknownTags = unknown.list();
  return {
    network,
    areas,
    places,
    stats: {
      highwayWays: built.waysInNetwork,
      segments: network.segmentCount,
      vertices: network.nodeCount,
      restrictionsApplied: resolved.applied,
      restrictionsViaWay: resolved.appliedViaWay,
      restrictionsSkipped: skipped.sort((a, b) => b.count - a.count),
      areas: areas.length,
      droppedWays: dropped.list(),
      barriers: built.barriers,
      closedVertices,
      signals: { atVertices: signalsAtVertices, inSegments: signalsInSegments },
      roundaboutSegments,
      ferries: built.ferries,
      unknownTags: unknownTags.slice(0, UNKNOWN_LISTED).map((u) => ({ tag: u.reason, count: u.count })),
      unknownTagValues: unknownTags.length,
      places: places.length,
    },
  };
}

function describeDropped(dropped: Counter): string {
  const list = dropped.list();
  if (list.length === 0) return 'no highway ways at all';
  return list.map((d) => `${d.count} ${d.reason}`).join('; ');
}

/** GCJ-02 → WGS-84 in place, in batches (one small array per point, but never all points at once). */
function convertGcj02(lon: Float64Array, lat: Float64Array): void {
  const BATCH = 1 << 16;
  for (let start = 0; start < lon.length; start += BATCH) {
    const end = Math.min(lon.length, start + BATCH);
    const at: number[] = [];
    const coordinates: number[][] = [];
    for (let i = start; i < end; i++) {
      if (Number.isNaN(lon[i])) continue;
      at.push(i);
      coordinates.push([lon[i], lat[i]]);
    }
    const wgs = toWgs84({ type: 'MultiPoint', coordinates }, 'gcj02').coordinates;
    for (let j = 0; j < at.length; j++) {
      lon[at[j]] = wgs[j][0];
      lat[at[j]] = wgs[j][1];
    }
  }
}

interface Built {
  network: Omit<NetworkData, 'names' | 'namesEn'>;
  /** vertex index per entry of nodeIds, -1 = not a vertex */
  vertexOfNode: Int32Array;
  segmentsOfWay(osmWayId: number): [number, number] | null;
  waysInNetwork: number;
  barriers: number;
  ferries: { ways: number; timed: number };
}

async function buildNetwork(
  ways: WayStore,
  nodeIds: Float64Array,
  lon: Float64Array,
  lat: Float64Array,
  nodeClosed: Uint8Array,
  nodeInfo: Uint8Array,
  restrictions: RawRestriction[],
  dropped: Counter,
  progress: ((p: ImportProgress) => void) | undefined,
): Promise<Built> {
  const W = ways.count;
  const N = nodeIds.length;
  const refs = ways.refs.view;
  const refStart = ways.refStart.view;
  const R = ways.refs.length;

  // node index of each way node, -1 when the file lacks the node (clipped extract)
  const refIdx = new Int32Array(R);
  for (let i = 0; i < R; i++) {
    const j = indexOfSorted(nodeIds, refs[i]);
    refIdx[i] = j >= 0 && !Number.isNaN(lon[j]) ? j : -1;
  }

  // a vertex: used twice or more (by two ways or twice in one), a piece end (set while walking), a via node
  const uses = new Uint8Array(N);
  for (let w = 0; w < W; w++) {
    let last = -1;
    for (let k = refStart[w]; k < refStart[w + 1]; k++) {
      const j = refIdx[k];
      if (j >= 0 && j !== last && uses[j] < 2) uses[j]++;
      last = j;
    }
  }
  // a node that stops a profile becomes a vertex too, so that the engine can refuse to pass through it
  const isVertex = new Uint8Array(N);
  let barriers = 0;
  for (let j = 0; j < N; j++) {
    if (uses[j] >= 2 || (uses[j] > 0 && nodeClosed[j] !== 0)) isVertex[j] = 1;
    if (uses[j] > 0 && nodeInfo[j] & INFO_BARRIER) barriers++;
  }
  for (const r of restrictions) {
    for (const m of r.members) {
      if (m.role !== 'via' || m.type !== 'node') continue;
      const j = indexOfSorted(nodeIds, m.ref);
      if (j >= 0 && uses[j] > 0) isVertex[j] = 1;
    }
  }

  // walk 1 counts segments, shape points and vertices; walk 2 writes them. A way is cut into pieces where its
  // nodes are missing, and a piece into segments at vertices; consecutive repeats of a node are skipped.
  const vertexOfNode = new Int32Array(N).fill(-1);
  let nodeCount = 0;
  const vertex = (j: number) => {
    if (vertexOfNode[j] < 0) vertexOfNode[j] = nodeCount++;
  };
  let segCount = 0;
  let pointCount = 0;
  let clipped = 0;
  let gone = 0;
  let degenerate = 0;
  for (let w = 0; w < W; w++) {
    let cur = -1;
    let last = -1;
    let steps = 0;
    let missingHere = false;
    const segsBefore = segCount;
    const end = refStart[w + 1];
    for (let k = refStart[w]; k <= end; k++) {
      const j = k < end ? refIdx[k] : -1;
      if (j < 0) {
        if (k < end) missingHere = true;
        if (steps > 0) {
          vertex(cur);
          vertex(last);
          segCount++;
          pointCount += steps + 1;
        }
        cur = -1;
        last = -1;
        steps = 0;
        continue;
      }
      if (j === last) continue;
      last = j;
      if (cur < 0) {
        cur = j;
        continue;
      }
      steps++;
      if (isVertex[j]) {
        vertex(cur);
        vertex(j);
        segCount++;
        pointCount += steps + 1;
        cur = j;
        steps = 0;
      }
    }
    if (missingHere) {
      if (segCount === segsBefore) gone++;
      else clipped++;
    } else if (segCount === segsBefore) degenerate++;
  }
  if (gone > 0) dropped.add(DROP.missingAll, gone);
  if (clipped > 0) dropped.add(DROP.missingSome, clipped);
  if (degenerate > 0) dropped.add(DROP.degenerate, degenerate);

  const net = allocateNetwork(nodeCount, segCount, pointCount);
  const { nodeLon, nodeLat, nodeOsmId, segFrom, segTo, segMeters, segClass, segWayId, segName } = net;
  const { shapeStart, shapeLon, shapeLat, segSignals, segFlags } = net;
  const { forward: carF, backward: carB } = net.speedKmh.car;
  const { forward: emF, backward: emB } = net.speedKmh.emergency;
  for (let j = 0; j < N; j++) {
    const v = vertexOfNode[j];
    if (v < 0) continue;
    nodeLon[v] = lon[j];
    nodeLat[v] = lat[j];
    nodeOsmId[v] = nodeIds[j];
    net.nodeClosed[v] = nodeClosed[j];
    net.nodeFlags[v] = nodeInfo[j] & INFO_SIGNALS ? NODE_SIGNALS : 0;
  }

  const wayFirstSeg = new Uint32Array(W + 1);
  const wayIds = ways.ids.view;
  const wayCls = ways.cls.view;
  const wayName = ways.name.view;
  const waySpeeds = ways.speeds.view;
  const wayFlags = ways.flags.view;
  const wayFerryS = ways.ferryS.view;
  const ferries = { ways: 0, timed: 0 };

  let s = 0;
  let p = 0;
  let waysInNetwork = 0;
  let w = 0;
  let cur = -1;
  let segPoint = 0;
  let meters = 0;
  // traffic signals passed inside the open segment
  let signals = 0;
  const close = (to: number) => {
    segFrom[s] = vertexOfNode[cur];
    segTo[s] = vertexOfNode[to];
    segMeters[s] = meters;
    segClass[s] = wayCls[w];
    segWayId[s] = wayIds[w];
    segName[s] = wayName[w];
    carF[s] = waySpeeds[4 * w];
    carB[s] = waySpeeds[4 * w + 1];
    emF[s] = waySpeeds[4 * w + 2];
    emB[s] = waySpeeds[4 * w + 3];
    segSignals[s] = Math.min(255, signals);
    segFlags[s] = wayFlags[w];
    shapeStart[s] = segPoint;
    s++;
  };
  for (w = 0; w < W; w++) {
    wayFirstSeg[w] = s;
    cur = -1;
    let last = -1;
    let steps = 0;
    let clippedWay = false;
    const end = refStart[w + 1];
    for (let k = refStart[w]; k <= end; k++) {
      const j = k < end ? refIdx[k] : -1;
      if (j < 0) {
        if (k < end) clippedWay = true;
        if (steps > 0) {
          // the piece's last node ends it as a vertex: its signal stands there, not inside the segment
          if (nodeInfo[last] & INFO_SIGNALS) signals--;
          close(last);
        } else if (cur >= 0) p = segPoint; // a lone start point makes no segment
        cur = -1;
        last = -1;
        steps = 0;
        continue;
      }
      if (j === last) continue;
      if (cur >= 0) {
        meters += haversine(lon[last], lat[last], lon[j], lat[j]);
        steps++;
      }
      last = j;
      shapeLon[p] = lon[j];
      shapeLat[p++] = lat[j];
      if (cur < 0 || isVertex[j]) {
        if (steps > 0) {
          close(j);
          // the vertex starts the next segment too
          shapeLon[p] = lon[j];
          shapeLat[p++] = lat[j];
        }
        cur = j;
        steps = 0;
        meters = 0;
        signals = 0;
        segPoint = p - 1;
      } else if (nodeInfo[j] & INFO_SIGNALS) signals++;
    }
    if (s > wayFirstSeg[w]) {
      waysInNetwork++;
      if (wayCls[w] === FERRY_CLASS) {
        ferries.ways++;
        if (!clippedWay && timeFerry(net, wayFirstSeg[w], s, wayFerryS[w])) ferries.timed++;
      }
    }
    if ((w + 1) % YIELD_EVERY === 0) {
      progress?.({ phase: 'build', done: w + 1, total: W });
      await yieldToEventLoop();
    }
  }
  wayFirstSeg[W] = s;
  shapeStart[s] = p;
  if (s !== segCount || p !== pointCount)
    throw new Error(`importer bug: ${s}/${segCount} segments, ${p}/${pointCount} points`);
  progress?.({ phase: 'build', done: W, total: W });

  // OSM way id → way index, for turn restrictions
  const order = Uint32Array.from({ length: W }, (_, i) => i).sort((a, b) => wayIds[a] - wayIds[b]);
  const sortedWayIds = Float64Array.from(order, (i) => wayIds[i]);
  return {
    network: net,
    vertexOfNode,
    segmentsOfWay(osmWayId) {
      const i = indexOfSorted(sortedWayIds, osmWayId);
      if (i < 0) return null;
      const w = order[i];
      return wayFirstSeg[w] < wayFirstSeg[w + 1] ? [wayFirstSeg[w], wayFirstSeg[w + 1]] : null;
    },
    waysInNetwork,
    barriers,
    ferries,
  };
}

const FERRY_CLASS = ROAD_CLASSES.indexOf('ferry');

/**
 * A ferry's crossing time (its `duration`, seconds) over its whole length: the speed of its segments [first, end)
 * for every profile and direction that may take it. A ferry cut by the extract's edge keeps the profile's ferry
 * speed, since its length here is not the crossing's.
 */
function timeFerry(net: Built['network'], first: number, end: number, seconds: number): boolean {
  if (!(seconds > 0)) return false;
  let meters = 0;
  for (let s = first; s < end; s++) meters += net.segMeters[s];
  if (!(meters > 0)) return false;
  const kmh = (meters / seconds) * 3.6;
  for (const p of PROFILES) {
    const { forward, backward } = net.speedKmh[p];
    for (let s = first; s < end; s++) {
      if (forward[s] > 0) forward[s] = kmh;
      if (backward[s] > 0) backward[s] = kmh;
    }
  }
  return true;
}
