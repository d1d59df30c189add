/** What the risks services are given (built once by module.ts), and the city's region remembered from the geo door. */

import { AppError } from '../../errors.ts';
import type { GeoApi } from '../../geo/index.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db } from '../../platform/db/index.ts';
import type { JobService } from '../../platform/jobs/jobs.service.ts';
import type { PlatformLog } from '../../platform/module.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import { type Geom, Region } from './geometry.ts';

/** the unit that owns what the system writes (the city) */
export const CITY_UNIT = '371000';
/** how far outside the city's land a census feature may lie (the coast's islands and reefs are within it) */
export const REGION_BUFFER_M = 20_000;

export interface Unit {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
}

export interface RisksDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: PlatformLog;
  afterCommit: () => void;
  workers: WorkerPool;
  jobs: JobService;
  geo: () => GeoApi;
  units: () => Map<string, Unit>;
  /** the city's district polygons (WGS-84), remembered until the boundaries change */
  areas: { promise: Promise<{ code: string; geometry: Geom }[]> | null; region: Region | null };
  /** a layer was imported or deleted (module.ts: schedules a coalesced recompute) */
  layersChanged(): void;
}

export function districtName(deps: RisksDeps, code: string | null): string | null {
  if (!code) return null;
  return deps.units().get(code)?.name ?? code;
}

/** The districts' polygons from the geo door (NO_BOUNDARY when none are loaded). */
export async function districtAreas(deps: RisksDeps): Promise<{ code: string; geometry: Geom }[]> {
  deps.areas.promise ??= (async () => {
    const geo = deps.geo();
    const codes = [...(await geo.boundaryCodes())].sort();
    const out: { code: string; geometry: Geom }[] = [];
    for (const code of codes) {
      const g = await geo.districtArea(code);
      if (g) out.push({ code, geometry: g });
    }
    return out;
  })();
  const areas = await deps.areas.promise.catch((err) => {
    deps.areas.promise = null;
    throw err;
  });
  if (!areas.length) {
    deps.areas.promise = null;
    throw new AppError('NO_BOUNDARY');
  }
  return areas;
}

export async function cityRegion(deps: RisksDeps): Promise<Region> {
  if (deps.areas.region && deps.areas.promise) return deps.areas.region;
  const areas = await districtAreas(deps);
  deps.areas.region = new Region(
    areas.map((a) => a.geometry),
    REGION_BUFFER_M,
  );
  return deps.areas.region;
}

export function forgetAreas(deps: RisksDeps): void {
  deps.areas.promise = null;
  deps.areas.region = null;
}
