/**
 * The geo module's door. Other modules ask travel questions of `engine()` with `closedNow()` (never over HTTP),
 * place points in districts, and learn which districts have polygons. The road engine under `road/` is a library
 * the geo module owns; its types are re-exported here for the modules that ask it questions.
 */
import type { RequestCtx } from '../platform/core/context.ts';
import type { TravelTimes } from './geo.service.ts';
import type { RoadEngine } from './road/engine.ts';
import type { LonLat, NetworkData, Profile } from './road/network.ts';
import type { CoverageFirstReply, CoverageSetsReply, TravelQuestion } from './travel.ts';

export interface GeoApi {
  /** the current network's engine; NO_ROAD_NETWORK when none is loaded */
  engine(): RoadEngine;
  /** segments closed at this moment (closures in force), for the engine's `closed` option */
  closedNow(): Promise<Uint8Array | undefined>;
  /** the district whose polygon holds the point; undefined outside every district */
  districtAt(lng: number, lat: number): Promise<{ code: string; name: string } | undefined>;
  /** for each point, the code of the district holding it (null outside every one), in one query */
  districtsOf(points: readonly [number, number][]): Promise<(string | null)[]>;
  /** the city's sea area holding the point (checked after the districts: land first), with its assigned district */
  seaAreaAt(lng: number, lat: number): Promise<SeaAreaHit | undefined>;
  /** codes of the districts whose polygons are loaded */
  boundaryCodes(): Promise<Set<string>>;
  /** a district's (or a neighbouring city's) polygon as GeoJSON geometry, WGS-84 */
  districtArea(code: string): Promise<{ type: string; coordinates: unknown } | undefined>;
  /**
   * Coverage of an area by each origin on its own (emergency or car profile, the closures in force), in a worker
   * thread under the caller's limit of heavy work; the area's budget checked first (AREA_TOO_LARGE).
   */
  coverageSets(
    ctx: RequestCtx,
    q: Omit<Extract<TravelQuestion, { kind: 'coverage-sets' }>, 'kind'>,
    signal?: AbortSignal,
  ): Promise<CoverageSetsReply>;
  /** one search from every origin, each reached cell given to the origin first there; the same worker and budget */
  coverageFirst(
    ctx: RequestCtx,
    q: Omit<Extract<TravelQuestion, { kind: 'coverage-first' }>, 'kind'>,
    signal?: AbortSignal,
  ): Promise<CoverageFirstReply>;
  /**
   * Travel seconds from every source to every target (row-major, Infinity where no road leads) with the closures in
   * force, in a worker thread under the caller's limit of heavy work (small ones here). Points off the network are
   * flagged, not refused; no network loaded: NO_ROAD_NETWORK.
   */
  matrix(
    ctx: RequestCtx,
    q: { sources: readonly LonLat[]; targets: readonly LonLat[]; profile?: Profile },
    signal?: AbortSignal,
  ): Promise<TravelTimes>;
  /**
   * Compiles and swaps in a road network built in memory (a generated grid, a network another system hands over,
   * a test's hand-made roads); every instance loads it. Returns the network's id.
   */
  installNetwork(
    ctx: RequestCtx,
    net: NetworkData,
    meta: { name: string; synthetic: boolean; source: string; attribution: string },
  ): Promise<string>;
  /** the sea areas assigned to the city or its districts, as GeoJSON geometries */
  seaAreas(): Promise<
    { code: string; name: string; districtCode: string | null; geometry: { type: string; coordinates: unknown } }[]
  >;
}

/** A sea area a point lies in: the district it is assigned to (null: the city's own). */
export interface SeaAreaHit {
  code: string;
  name: string;
  nameEn: string;
  districtCode: string | null;
  approximate: boolean;
}

export type { TravelTimes } from './geo.service.ts';
/** builds a road network in memory, vertex by vertex and road by road (for `installNetwork`) */
export { NetworkBuilder } from './network-builder.ts';
export type {
  CoverageFirst,
  CoverageResult,
  CoverageSets,
  IsochroneResult,
  ManyToOneResult,
  MatrixResult,
  NetworkInfo,
  QueryOptions,
  RoadEngine,
  RouteResult,
} from './road/engine.ts';
export type { LonLat, NetworkData, Profile } from './road/network.ts';
export type { CoverageFirstReply, CoverageSetsReply } from './travel.ts';
