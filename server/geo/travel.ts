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
  | { kind: 'coverage'; origins: LonLat[]; minutes: number; area: Area; profile: Profile }
  | { kind: 'coverage-sets'; origins: LonLat[]; minutes: number; area: Area; profile: Profile }
  | { kind: 'coverage-first'; origins: LonLat[]; minutes: number; area: Area; profile: Profile };

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
): IsochroneReply | MatrixReply | CoverageReply | CoverageSetsReply | CoverageFirstReply {
  const opts = { profile: q.profile, closed };
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
