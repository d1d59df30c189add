/**
 * The heavy travel questions as the API answers them (isochrones, matrices, coverage): one function from an engine
 * and a question to the reply, run either in the main thread (small questions) or in a worker thread (road.worker.ts)
 * on the same shared graph — so both give the same answer by construction.
 */
import type { CoverageReply, IsochroneReply, MatrixReply } from '../../contracts/geo.ts';
import type { RoadEngine } from './road/engine.ts';
import type { LonLat, Profile } from './road/network.ts';

export const H3_RESOLUTION = 9;

export type Area = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };

export type TravelQuestion =
  | {
      kind: 'isochrone';
      origins: LonLat[];
      minutes: number;
      profile: Profile;
      network: { name: string; synthetic: boolean };
    }
  | { kind: 'matrix'; sources: LonLat[]; targets: LonLat[]; profile: Profile }
  | { kind: 'travel-times'; sources: LonLat[]; targets: LonLat[]; profile: Profile }
  | { kind: 'coverage'; origins: LonLat[]; minutes: number; area: Area; profile: Profile }
  | { kind: 'coverage-sets'; origins: LonLat[]; minutes: number; area: Area; profile: Profile }
  | { kind: 'coverage-first'; origins: LonLat[]; minutes: number; area: Area; profile: Profile };

/**
 * The matrix question for planning (`GeoApi.matrix`): seconds only, row-major sources × targets, null where no road
 * leads; points off the network are flagged (their row or column all null) instead of refusing the whole question.
 */
export interface TravelTimesReply {
  seconds: (number | null)[];
  sourcesOffNetwork: boolean[];
  targetsOffNetwork: boolean[];
}

/** Coverage by each origin on its own (`RoadEngine.coverageSets`), as plain arrays. */
export interface CoverageSetsReply {
  cells: string[];
  sets: (number[] | null)[];
}

/** One search from every origin, each reached cell given to the origin first there (`RoadEngine.coverageFirst`). */
export interface CoverageFirstReply {
  cells: string[];
  first: number[];
  offNetwork: boolean[];
}

export type TravelReply<Q extends TravelQuestion> = Q extends { kind: 'isochrone' }
  ? IsochroneReply
  : Q extends { kind: 'matrix' }
    ? MatrixReply
    : Q extends { kind: 'coverage-sets' }
      ? CoverageSetsReply
      : Q extends { kind: 'travel-times' }
        ? TravelTimesReply
        : CoverageReply;

export function answerTravel<Q extends TravelQuestion>(
  engine: RoadEngine,
  q: Q,
  closed: Uint8Array | undefined,
): TravelReply<Q> {
  return answer(engine, q, closed) as TravelReply<Q>;
}

function answer(
  engine: RoadEngine,
  q: TravelQuestion,
  closed: Uint8Array | undefined,
): IsochroneReply | MatrixReply | CoverageReply | CoverageSetsReply | CoverageFirstReply | TravelTimesReply {
  const opts = { profile: q.profile, closed };
  if (q.kind === 'travel-times') return travelTimes(engine, q.sources, q.targets, opts);
  if (q.kind === 'coverage-sets') {
    const r = engine.coverageSets(q.origins, q.minutes, q.area, opts);
    return { cells: r.cells, sets: r.sets.map((s) => (s ? Array.from(s) : null)) };
  }
  if (q.kind === 'coverage-first') {
    const r = engine.coverageFirst(q.origins, q.minutes, q.area, opts);
    return { cells: r.cells, first: Array.from(r.first), offNetwork: r.offNetwork };
  }
  if (q.kind === 'matrix') return engine.matrix(q.sources, q.targets, opts);
  if (q.kind === 'isochrone') {
    const r = engine.isochrone(q.origins, q.minutes, opts);
    const props = { minutes: q.minutes, profile: q.profile, areaKm2: r.areaKm2 };
    return {
      areaKm2: r.areaKm2,
      area: { type: 'Feature', properties: props, geometry: r.polygon },
      roads: { type: 'Feature', properties: props, geometry: r.roads },
      network: q.network,
    };
  }
  const r = engine.coverage(q.origins, q.minutes, q.area, opts);
  return {
    coveredShare: r.coveredShare,
    cellCount: r.cellCount,
    h3Resolution: H3_RESOLUTION,
    covered: r.covered,
    uncovered: r.uncovered,
  };
}

/**
 * The engine's matrix over the points on the network; a point the engine refuses as OFF_NETWORK (too far from a
 * drivable road, or every road near it closed) is flagged and the rest asked again.
 */
function travelTimes(
  engine: RoadEngine,
  sources: LonLat[],
  targets: LonLat[],
  opts: { profile: Profile; closed: Uint8Array | undefined },
): TravelTimesReply {
  const sourcesOffNetwork = sources.map(() => false);
  const targetsOffNetwork = targets.map(() => false);
  for (let i = 0; i < sources.length; i++) sourcesOffNetwork[i] = !snaps(engine, sources[i], opts.profile);
  for (let j = 0; j < targets.length; j++) targetsOffNetwork[j] = !snaps(engine, targets[j], opts.profile);
  for (;;) {
    const si = sources.map((_, i) => i).filter((i) => !sourcesOffNetwork[i]);
    const tj = targets.map((_, j) => j).filter((j) => !targetsOffNetwork[j]);
    const seconds: (number | null)[] = new Array(sources.length * targets.length).fill(null);
    if (si.length === 0 || tj.length === 0) return { seconds, sourcesOffNetwork, targetsOffNetwork };
    try {
      const m = engine.matrix(
        si.map((i) => sources[i]),
        tj.map((j) => targets[j]),
        opts,
      );
      for (let a = 0; a < si.length; a++) {
        const row = m.seconds[a];
        const base = si[a] * targets.length;
        for (let b = 0; b < tj.length; b++) seconds[base + tj[b]] = row[b];
      }
      return { seconds, sourcesOffNetwork, targetsOffNetwork };
    } catch (err) {
      const field = offNetworkField(err);
      if (!field) throw err;
      const [side, at] = field.split('.');
      const k = Number(at);
      if (side === 'sources' && si[k] !== undefined) sourcesOffNetwork[si[k]] = true;
      else if (side === 'targets' && tj[k] !== undefined) targetsOffNetwork[tj[k]] = true;
      else throw err;
    }
  }
}

function snaps(engine: RoadEngine, p: LonLat, profile: Profile): boolean {
  try {
    engine.snap(p, 'point', { profile });
    return true;
  } catch (err) {
    if (offNetworkField(err)) return false;
    throw err;
  }
}

/** the field of an OFF_NETWORK refusal (sources.3), else undefined */
function offNetworkField(err: unknown): string | undefined {
  const e = err as { code?: string; details?: { field?: unknown } };
  return e?.code === 'OFF_NETWORK' && typeof e.details?.field === 'string' ? e.details.field : undefined;
}
