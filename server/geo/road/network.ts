/**
 * The neutral road network: what an importer (OSM file, synthetic demo, generated benchmark grid) produces and
 * what the engine compiles into its graph. Plain typed arrays, so that building, saving and loading stay cheap.
 *
 * Vertices are the points where routing may turn: intersections, way ends, and nodes named by turn restrictions.
 * Segments are road pieces between two vertices, stored once, in the direction of the OSM way; each direction
 * has its own speed per profile (0 = not drivable that way). A segment's index is its road id in the API,
 * in PostGIS (`roads.seg`) and in closures.
 */

export const ROAD_CLASSES = [
  'motorway',
  'motorway_link',
  'trunk',
  'trunk_link',
  'primary',
  'primary_link',
  'secondary',
  'secondary_link',
  'tertiary',
  'tertiary_link',
  'unclassified',
  'residential',
  'living_street',
  'service',
  'track',
  'road',
  /** a car ferry (`route=ferry`): its speed comes from the way's `duration` or the profile's ferry speed */
  'ferry',
] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

export const PROFILES = ['car', 'emergency'] as const;
export type Profile = (typeof PROFILES)[number];

export type LonLat = [number, number];

/**
 * A turn restriction (OSM `restriction=no_*` / `only_*`): from one segment into another through a vertex, or,
 * when `viaSegs` is given, through a sequence of segments (a via-way restriction): fromSeg → viaSegs… → toSeg,
 * where `viaNode` is the vertex at which fromSeg meets viaSegs[0].
 */
export interface TurnRestriction {
  fromSeg: number;
  viaNode: number;
  toSeg: number;
  kind: 'no' | 'only';
  /** the via way's segments in driving order (via-way restrictions only) */
  viaSegs?: number[];
  /** profiles the restriction binds (OSM `except=emergency` leaves emergency vehicles out); omitted = all */
  appliesTo?: Profile[];
}

/** segFlags bit: the segment is part of a roundabout (`junction=roundabout` or `circular`) */
export const SEG_ROUNDABOUT = 1;

/** nodeFlags bit: a traffic signal stands at this vertex (`highway=traffic_signals`) */
export const NODE_SIGNALS = 1;

/**
 * The cost model of turns and signals of one profile (seconds). A turn's cost follows its angle (OSRM's sigmoid:
 * sharp turns cost more, turns across oncoming traffic — left, for right-hand traffic — more than turns with it).
 * U-turns are never allowed at a junction unless `uturnOnTwoWay`; at a dead end, and at the start or end of a route
 * on a two-way road, they always are.
 */
export interface TurnCosts {
  /** seconds for a 90° turn, before the bias (OSRM car.lua: 7.5) */
  turnPenaltyS: number;
  /** > 1 makes turns across oncoming traffic (left in right-hand traffic) dearer (OSRM car.lua: 1.075) */
  turnBias: number;
  /** seconds a U-turn costs where one is allowed (OSRM car.lua: 20) */
  uturnS: number;
  /** seconds at each traffic signal passed (OSRM car.lua: 2) */
  signalS: number;
  /** allow U-turns on two-way roads at junctions (with uturnS); false: only at dead ends */
  uturnOnTwoWay: boolean;
}

/** Defaults of the turn model, from OSRM's car profile (profiles/car.lua, BSD-2-Clause) for right-hand traffic. */
export const DEFAULT_TURN_COSTS: Record<Profile, TurnCosts> = {
  car: { turnPenaltyS: 7.5, turnBias: 1.075, uturnS: 20, signalS: 2, uturnOnTwoWay: false },
  emergency: { turnPenaltyS: 7.5, turnBias: 1.075, uturnS: 20, signalS: 2, uturnOnTwoWay: false },
};

export interface NetworkData {
  nodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  /** OSM node id of each vertex (synthetic networks number them 1…n) */
  nodeOsmId: Float64Array;
  /** NODE_SIGNALS, … per vertex */
  nodeFlags: Uint8Array;
  /**
   * bit p (p = index in PROFILES): profile p may not pass through this vertex (a barrier, or node access tags);
   * a route may still start or end at it
   */
  nodeClosed: Uint8Array;

  segmentCount: number;
  segFrom: Uint32Array;
  segTo: Uint32Array;
  /** length along the shape, metres */
  segMeters: Float32Array;
  /** index into ROAD_CLASSES */
  segClass: Uint8Array;
  /** OSM way id (synthetic: a running number) */
  segWayId: Float64Array;
  /** index into `names`, -1 when unnamed */
  segName: Int32Array;
  /** road names as tagged (`name`), and `name:en` where present */
  names: string[];
  namesEn: (string | null)[];
  /** shape of segment i: points shapeStart[i] … shapeStart[i+1]-1, both vertices included */
  shapeStart: Uint32Array;
  shapeLon: Float64Array;
  shapeLat: Float64Array;
  /** km/h per profile and direction (forward = segFrom → segTo); 0 = closed to that profile in that direction */
  speedKmh: Record<Profile, { forward: Float32Array; backward: Float32Array }>;
  /** traffic signals standing inside the segment (not at its vertices), at most 255 */
  segSignals: Uint8Array;
  /** SEG_ROUNDABOUT, … per segment */
  segFlags: Uint8Array;
  restrictions: TurnRestriction[];
  /** the turn model per profile; omitted = DEFAULT_TURN_COSTS */
  turnCosts?: Partial<Record<Profile, TurnCosts>>;
}

/** What is said about a network wherever it shows. */
export interface NetworkMeta {
  name: string;
  /** true for the generated demo network (示例路网): never real roads */
  synthetic: boolean;
  /** e.g. "OpenStreetMap: monaco.osm.pbf" */
  source: string;
  /** attribution to show wherever the roads show */
  attribution: string;
}

/** Area features imported beside the roads for the basemap (water, land), WGS-84. */
export interface AreaFeature {
  kind: 'water' | 'land';
  name: string | null;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}

/** Great-circle distance in metres (mean Earth radius): every network's segment lengths use this one. */
export function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A network with its arrays allocated (zeroed), for a builder to fill; names and restrictions empty. */
export function allocateNetwork(nodeCount: number, segmentCount: number, pointCount: number): NetworkData {
  const speedKmh = {} as NetworkData['speedKmh'];
  for (const p of PROFILES) {
    speedKmh[p] = { forward: new Float32Array(segmentCount), backward: new Float32Array(segmentCount) };
  }
  return {
    nodeCount,
    nodeLon: new Float64Array(nodeCount),
    nodeLat: new Float64Array(nodeCount),
    nodeOsmId: new Float64Array(nodeCount),
    nodeFlags: new Uint8Array(nodeCount),
    nodeClosed: new Uint8Array(nodeCount),
    segmentCount,
    segFrom: new Uint32Array(segmentCount),
    segTo: new Uint32Array(segmentCount),
    segMeters: new Float32Array(segmentCount),
    segClass: new Uint8Array(segmentCount),
    segWayId: new Float64Array(segmentCount),
    segName: new Int32Array(segmentCount),
    names: [],
    namesEn: [],
    shapeStart: new Uint32Array(segmentCount + 1),
    shapeLon: new Float64Array(pointCount),
    shapeLat: new Float64Array(pointCount),
    speedKmh,
    segSignals: new Uint8Array(segmentCount),
    segFlags: new Uint8Array(segmentCount),
    restrictions: [],
  };
}
