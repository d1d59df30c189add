/**
 * The road engine's interface: every module asks travel questions through this, never through HTTP.
 * The implementation (`createRoadEngine` in road-engine.ts) answers from the compiled graph held in memory.
 *
 * Closures are given per query as the set of closed segments (both directions), so a closure takes effect at
 * once and needs no rebuild. Points are WGS-84 [lon, lat]; each is matched to every drivable segment within a few
 * metres (`snapToleranceMeters`) of the nearest one and may leave or reach the network through any of them, in every
 * direction the profile may drive them (a point on a vertex routes from that vertex); farther than `maxSnapMeters`
 * from any road, the query fails with OFF_NETWORK naming the field (e.g. `origins.2`).
 */
import type { LonLat, Profile } from './network.ts';

export interface QueryOptions {
  profile?: Profile;
  /** segments closed now (index = segment id, non-zero = closed), or undefined when none */
  closed?: Uint8Array;
}

export interface Snap {
  seg: number;
  /** 0 at the segment's first vertex … 1 at its last */
  fraction: number;
  /** the point on the road, and how far the given point lay from it */
  point: LonLat;
  meters: number;
}

/** One segment driven by a route, in order: the whole of it, or the part between a route's end and a vertex. */
export interface RouteLeg {
  seg: number;
  /** 0 = along the way (segFrom → segTo), 1 = against it */
  dir: 0 | 1;
  /** metres of the segment driven */
  meters: number;
  /** seconds spent on it, the turn and signal costs of entering it included */
  seconds: number;
}

export interface RouteResult {
  seconds: number;
  meters: number;
  geometry: { type: 'LineString'; coordinates: LonLat[] };
  /** segment ids actually driven (≥ 1 cm of each), in order */
  segments: number[];
  /** the driven pieces in order (issue 8: directions are built from them); same segments as `segments` */
  legs: RouteLeg[];
  /** where each end met the network: the snap candidate the route actually used */
  snapped: { from: Snap; to: Snap };
}

export interface IsochroneResult {
  /** the reachable area: a buffer around the reached roads, holes kept */
  polygon: { type: 'MultiPolygon'; coordinates: LonLat[][][] };
  /** reached road pieces (partly reached segments are cut where time runs out) */
  roads: { type: 'MultiLineString'; coordinates: LonLat[][] };
  areaKm2: number;
}

export interface MatrixResult {
  /** [source][target]; null where the target cannot be reached */
  seconds: (number | null)[][];
  meters: (number | null)[][];
}

/** Many sources to one target (`manyToOne`): per source, null where it cannot reach the target. */
export interface ManyToOneResult {
  seconds: (number | null)[];
  meters: (number | null)[];
  /** sources farther than the snapping limit from any road: left out (null) */
  offNetwork: boolean[];
  /** false when the search stopped at `nearest`: sources beyond the nearest few are null though reachable */
  complete: boolean;
  /** where the target met the network */
  snapped: Snap;
}

export interface CoverageResult {
  coveredShare: number;
  /** H3 resolution-9 cells of the area, split by whether a reached road passes within the cell */
  covered: { type: 'FeatureCollection'; features: unknown[] };
  uncovered: { type: 'FeatureCollection'; features: unknown[] };
  cellCount: number;
}

export interface CoverageSets {
  /** the area's H3 resolution-9 cells */
  cells: string[];
  /** per origin: indices into cells it reaches (ascending); null: the origin lies off the network */
  sets: (Int32Array | null)[];
}

export interface CoverageFirst {
  /** the area's H3 resolution-9 cells */
  cells: string[];
  /** per cell: the origin reaching it first; -1 where none reaches it */
  first: Int32Array;
  offNetwork: boolean[];
}

export interface NetworkInfo {
  id: string;
  name: string;
  synthetic: boolean;
  source: string;
  attribution: string;
  nodeCount: number;
  segmentCount: number;
  /** directed arcs in the routing graph, shortcuts excluded */
  arcCount: number;
  bbox: [number, number, number, number];
  builtAt: string;
  /** bytes the graph holds in memory (typed arrays) */
  bytes: number;
}

export interface RoadEngine {
  readonly info: NetworkInfo;
  snap(p: LonLat, field: string, opts?: { maxMeters?: number; profile?: Profile }): Snap;
  /** null when `to` cannot be reached from `from` */
  route(from: LonLat, to: LonLat, opts?: QueryOptions & { metric?: 'time' | 'distance' }): RouteResult | null;
  isochrone(origins: LonLat[], minutes: number, opts?: QueryOptions): IsochroneResult;
  matrix(sources: LonLat[], targets: LonLat[], opts?: QueryOptions): MatrixResult;
  /**
   * Travel from every source to one target in one backward search from the target (the reversed graph): the
   * matrix's column, without a search per source. Sources off the network are flagged, not refused; a target off
   * the network is OFF_NETWORK (`target`). With `nearest: k` the search stops once the k fastest sources are known.
   */
  manyToOne(sources: LonLat[], target: LonLat, opts?: QueryOptions & { nearest?: number }): ManyToOneResult;
  coverage(
    origins: LonLat[],
    minutes: number,
    area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    opts?: QueryOptions,
  ): CoverageResult;
  /**
   * Coverage by each origin on its own (the same rule as `coverage`): the area's cells, and per origin the indices of
   * the cells it reaches, or null for an origin off the network.
   */
  coverageSets(
    origins: LonLat[],
    minutes: number,
    area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    opts?: QueryOptions,
  ): CoverageSets;
  /**
   * One search from every origin (the same cells as `coverage`), each reached cell given to the origin arriving
   * first at the road point nearest the cell's centre (a centre whose road was not reached: the nearest origin);
   * origins off the network are flagged and left out.
   */
  coverageFirst(
    origins: LonLat[],
    minutes: number,
    area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    opts?: QueryOptions,
  ): CoverageFirst;
  /** segment ids within radius of a point, nearest first */
  segmentsNear(p: LonLat, radiusMeters: number): number[];
  /** segment ids lying along a drawn line (within toleranceMeters of it for most of their length) */
  segmentsAlong(line: LonLat[], toleranceMeters: number): number[];
}
