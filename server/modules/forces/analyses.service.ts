/**
 * The coverage analyses: whether the work plan's goals are met on the road network, and where they are not.
 *
 * - Fire coverage: built-up land reached by fire stations within `minutes − turnoutMinutes` of driving (emergency
 *   profile, closures in force), by H3 resolution-9 cell (a cell is reached when a reached road passes through it:
 *   the road engine's coverage rule); each station's district is the built-up land it reaches first (the cells
 *   whose centre it drives to fastest), in km² against its class's limit (建标152-2017).
 * - Forest coverage: the same rule over forest areas for forest fire teams; an area is reached when any of its
 *   cells is (a team can drive to its edge); a district is covered when every one of its forest areas is reached.
 * - Aviation coverage: geodesic radius of each base over the districts' land (and sea with `includeSea`).
 * - Chemical parks: a hazardous-chemicals or enterprise team based within each park or driving there in time.
 * - Station siting: the maximal covering location problem over the built-up cells (or weighted demand points),
 *   solved exactly by HiGHS in a worker thread, beside the greedy plan.
 *
 * Teams count when dispatchable (available, on duty); `teamIds` asks what-if questions with any teams of the type.
 * Analyses count every team of the city whatever the asker's scope: coverage does not stop at a district's edge.
 */
import { cellArea, cellsToMultiPolygon, cellToBoundary, cellToLatLng, latLngToCell, polygonToCells } from 'h3-js';
import {
  type AviationCoverageReply,
  AviationCoverageRequest,
  type ChemicalParksReply,
  ChemicalParksRequest,
  DEFAULT_AVIATION_RADIUS_KM,
  DISPATCHABLE,
  type DistrictShare,
  type FireCoverageReply,
  FireCoverageRequest,
  type ForestCoverageReply,
  ForestCoverageRequest,
  type ParkCompliance,
  STATION_CLASS_INFO,
  type StationClass,
  type StationSitingReply,
  StationSitingRequest,
  SUBURBAN_LIMIT_KM2,
  type TeamStatus,
  type TeamType,
} from '../../../contracts/forces.ts';
import { AppError } from '../../errors.ts';
import type { GeoApi, LonLat } from '../../geo/index.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { aviationCoverage, geodesicCircle } from './aviation-coverage.ts';
import * as repo from './forces.repository.ts';
import { certificateDays, type ForcesDeps } from './forces.service.ts';
import { type CoverProblem, greedyMaxCover, solveMaxCover, solveMinSites } from './siting/mclp.ts';
import { runSiting, type SitingPlan, type SitingQuestion } from './siting/siting-task.ts';

export interface AnalysesDeps extends ForcesDeps {
  geo(): GeoApi;
  /** cell → district code (null: outside every district), kept until boundaries are imported again */
  cellDistricts: Map<string, string | null>;
  /** the city's districts and zones (org units), in code order */
  zones(): { code: string; name: string; nameEn: string }[];
}

type Geometry = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** The teams an analysis counts: of these types, dispatchable, or exactly `teamIds` (which must be of the types). */
async function analysisTeams(
  deps: AnalysesDeps,
  types: TeamType[],
  teamIds: readonly string[] | undefined,
): Promise<{ counted: repo.TeamRow[]; excluded: FireCoverageReply['excluded'] }> {
  const { rows } = await repo.listTeams(
    deps.db.kysely,
    null,
    teamIds ? { ids: teamIds } : { types },
    { limit: 100_000, offset: 0 },
    certificateDays(deps.clock.now()),
  );
  if (teamIds) {
    const found = new Set(rows.map((r) => r.id));
    const missing = teamIds.findIndex((id) => !found.has(id));
    if (missing >= 0)
      throw new AppError('NOT_FOUND', { field: `teamIds.${missing}`, entity: { zh: '救援队伍', en: 'team' } });
    const wrong = rows.find((r) => !types.includes(r.type as TeamType));
    if (wrong)
      throw new AppError('VALIDATION', {
        field: `teamIds.${teamIds.indexOf(wrong.id)}`,
        reason: `a team of type ${types.join(' or ')}`,
      });
  }
  const counted: repo.TeamRow[] = [];
  const excluded: FireCoverageReply['excluded'] = [];
  for (const r of rows) {
    const st = r.status as TeamStatus;
    if (!DISPATCHABLE.includes(st)) excluded.push({ id: r.id, name: r.name, reason: 'not_dispatchable', status: st });
    else counted.push(r);
  }
  return { counted, excluded };
}

/** The analysis's area: the request's, or the union of the registered areas of the kind (NO_AREAS when none). */
async function areaOf(
  deps: AnalysesDeps,
  given: Geometry | undefined,
  kind: 'built_up' | 'forest',
): Promise<{ area: Geometry; source: 'request' | 'register' }> {
  if (given) return { area: given, source: 'request' };
  const g = await repo.unionOfAreas(deps.db.kysely, kind);
  if (!g)
    throw new AppError('NO_AREAS', {
      field: 'areas',
      value: kind === 'built_up' ? '建成区 built-up areas' : '林区 forest areas',
    });
  return { area: JSON.parse(g) as Geometry, source: 'register' };
}

interface CellTable {
  cells: string[];
  km2: Float64Array;
  district: (string | null)[];
}

/** at most this many cells' districts are remembered (a city's built-up land and forests hold far fewer) */
const CELL_DISTRICTS_MAX = 500_000;

async function cellTable(deps: AnalysesDeps, cells: string[]): Promise<CellTable> {
  const km2 = Float64Array.from(cells, (c) => cellArea(c, 'km2'));
  const memo = deps.cellDistricts;
  const unknown = cells.filter((c) => !memo.has(c));
  if (unknown.length > 0) {
    const centres = unknown.map((c) => {
      const [lat, lon] = cellToLatLng(c);
      return [lon, lat] as [number, number];
    });
    const codes = await deps.geo().districtsOf(centres);
    if (memo.size + unknown.length > CELL_DISTRICTS_MAX) memo.clear();
    unknown.forEach((c, i) => {
      memo.set(c, codes[i]);
    });
  }
  return { cells, km2, district: cells.map((c) => memo.get(c) ?? null) };
}

/** Per zone: the area of the cells in it and the part covered; zones without a boundary: coveredShare null. */
async function districtShares(deps: AnalysesDeps, t: CellTable, covered: Uint8Array): Promise<DistrictShare[]> {
  const withBoundary = await deps.geo().boundaryCodes();
  const sum = new Map<string, { area: number; covered: number }>();
  for (let i = 0; i < t.cells.length; i++) {
    const d = t.district[i];
    if (!d) continue;
    const s = sum.get(d) ?? { area: 0, covered: 0 };
    s.area += t.km2[i];
    if (covered[i]) s.covered += t.km2[i];
    sum.set(d, s);
  }
  return deps.zones().map((z) => {
    const s = sum.get(z.code);
    const has = withBoundary.has(z.code);
    return {
      code: z.code,
      name: z.name,
      coveredShare: has && s && s.area > 0 ? round(s.covered / s.area) : null,
      hasBoundary: has,
      areaKm2: round(s?.area ?? 0),
      coveredKm2: round(s?.covered ?? 0),
    };
  });
}

function cellFeatures(t: CellTable, pick: (i: number) => boolean) {
  const features: unknown[] = [];
  for (let i = 0; i < t.cells.length; i++) {
    if (!pick(i)) continue;
    const ring = cellToBoundary(t.cells[i], true).map(([x, y]) => [round(x, 6), round(y, 6)]);
    features.push({
      type: 'Feature',
      properties: { h3: t.cells[i], district: t.district[i] },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
  }
  return { type: 'FeatureCollection', features };
}

function totals(t: CellTable, covered: Uint8Array) {
  let area = 0;
  let cov = 0;
  for (let i = 0; i < t.cells.length; i++) {
    area += t.km2[i];
    if (covered[i]) cov += t.km2[i];
  }
  return { areaKm2: round(area), coveredKm2: round(cov), coveredShare: area > 0 ? round(cov / area) : 0 };
}

function origin(r: repo.TeamRow): LonLat {
  return [r.lng, r.lat];
}

function networkTag(deps: AnalysesDeps) {
  const info = deps.geo().engine().info;
  return { name: info.name, synthetic: info.synthetic };
}

export async function fireCoverage(
  deps: AnalysesDeps,
  ctx: RequestCtx,
  body: FireCoverageRequest,
  signal?: AbortSignal,
): Promise<FireCoverageReply> {
  requirePermission(ctx.actor, 'forces.analyze');
  checkInput(FireCoverageRequest, body);
  const minutes = body.minutes ?? 5;
  const turnout = body.turnoutMinutes ?? 1;
  if (turnout >= minutes)
    throw new AppError('VALIDATION', { field: 'turnoutMinutes', reason: 'less than minutes (the rest is driving)' });
  const { counted, excluded } = await analysisTeams(deps, ['fire_rescue'], body.teamIds);
  // a support station (战勤保障站) has no district and does not count toward coverage
  const stations = counted.filter((r) => r.station_class !== 'support');
  for (const r of counted)
    if (r.station_class === 'support')
      excluded.push({ id: r.id, name: r.name, reason: 'support_station', status: r.status as TeamStatus });
  const { area, source } = await areaOf(deps, body.areas as Geometry | undefined, 'built_up');
  const reach = await deps
    .geo()
    .coverageFirst(
      ctx,
      { origins: stations.map(origin), minutes: minutes - turnout, area, profile: 'emergency' },
      signal,
    );
  const t = await cellTable(deps, reach.cells);
  const covered = Uint8Array.from(reach.first, (k) => (k >= 0 ? 1 : 0));
  const own = new Float64Array(stations.length);
  reach.first.forEach((k, i) => {
    if (k >= 0) own[k] += t.km2[i];
  });
  const out = stations.map((r, k) => {
    const cls = r.station_class as StationClass | null;
    const limit = r.suburban ? SUBURBAN_LIMIT_KM2 : cls ? STATION_CLASS_INFO[cls].limitKm2 : null;
    const off = reach.offNetwork[k];
    return {
      id: r.id,
      name: r.name,
      stationClass: cls,
      suburban: r.suburban,
      location: origin(r),
      districtKm2: round(own[k]),
      limitKm2: limit,
      withinLimit: !off && limit !== null ? own[k] <= limit : null,
      offNetwork: off,
    };
  });
  return {
    ...totals(t, covered),
    minutes,
    turnoutMinutes: turnout,
    driveMinutes: minutes - turnout,
    districts: await districtShares(deps, t, covered),
    stations: out,
    excluded,
    uncovered: cellFeatures(t, (i) => !covered[i]),
    covered: cellFeatures(t, (i) => covered[i] === 1),
    areaSource: source,
    h3Resolution: 9,
    network: networkTag(deps),
  };
}

/** Each forest area's polygons (the drawn request's is one area). */
async function forestAreas(deps: AnalysesDeps, given: Geometry | undefined) {
  if (given) return [{ id: null, name: '—', district: null, geometry: given, approximate: false }];
  const { rows } = await repo.listAreas(deps.db.kysely, { kind: 'forest' }, { limit: 5000, offset: 0 });
  if (rows.length === 0) throw new AppError('NO_AREAS', { field: 'areas', value: '林区 forest areas' });
  return rows.map((r) => ({
    id: r.id as string | null,
    name: r.name,
    district: r.district_code,
    geometry: JSON.parse(r.geojson) as Geometry,
    approximate: r.approximate,
  }));
}

function polygonsOf(g: Geometry): number[][][][] {
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
}

export async function forestCoverage(
  deps: AnalysesDeps,
  ctx: RequestCtx,
  body: ForestCoverageRequest,
  signal?: AbortSignal,
): Promise<ForestCoverageReply> {
  requirePermission(ctx.actor, 'forces.analyze');
  checkInput(ForestCoverageRequest, body);
  const minutes = body.minutes ?? 30;
  const turnout = body.turnoutMinutes ?? 0;
  if (turnout >= minutes)
    throw new AppError('VALIDATION', { field: 'turnoutMinutes', reason: 'less than minutes (the rest is driving)' });
  const { counted } = await analysisTeams(deps, ['forest_fire'], body.teamIds);
  const areas = await forestAreas(deps, body.areas as Geometry | undefined);
  // one area for the engine: every forest polygon, and for an area smaller than a cell the hexagon of its centre
  const polys: number[][][][] = [];
  for (const a of areas) {
    polys.push(...polygonsOf(a.geometry));
    if (polygonsOf(a.geometry).every((p) => cellsOfPolygon(p).length === 0)) {
      const [x, y] = polygonsOf(a.geometry)[0][0][0];
      polys.push([cellToBoundary(latLngToCell(y, x, 9), true)]);
    }
  }
  const area: Geometry = { type: 'MultiPolygon', coordinates: polys };
  const sets = await deps
    .geo()
    .coverageSets(
      ctx,
      { origins: counted.map(origin), minutes: minutes - turnout, area, profile: 'emergency' },
      signal,
    );
  const t = await cellTable(deps, sets.cells);
  const covered = new Uint8Array(t.cells.length);
  for (const s of sets.sets) if (s) for (const i of s) covered[i] = 1;
  const index = new Map(t.cells.map((c, i) => [c, i]));
  const areaResults = areas.map((a) => {
    let cells = polygonsOf(a.geometry).flatMap((p) => cellsOfPolygon(p));
    if (cells.length === 0) {
      const [x, y] = polygonsOf(a.geometry)[0][0][0];
      cells = [latLngToCell(y, x, 9)];
    }
    let all = 0;
    let cov = 0;
    for (const c of new Set(cells)) {
      const i = index.get(c);
      if (i === undefined) continue;
      all += t.km2[i];
      if (covered[i]) cov += t.km2[i];
    }
    const district = a.district ?? mostCommon(cells.map((c) => t.district[index.get(c) ?? -1] ?? null));
    return {
      id: a.id,
      name: a.name,
      district,
      areaKm2: round(all),
      coveredShare: all > 0 ? round(cov / all) : 0,
      reached: cov > 0,
      approximate: a.approximate,
    };
  });
  const shares = await districtShares(deps, t, covered);
  return {
    ...totals(t, covered),
    minutes,
    districts: shares.map((d) => {
      const mine = areaResults.filter((a) => a.district === d.code);
      return {
        ...d,
        covered: mine.length ? mine.every((a) => a.reached) : null,
        missing: mine.filter((a) => !a.reached).map((a) => a.name),
      };
    }),
    areas: areaResults,
    teams: counted.map((r, k) => {
      let km2 = 0;
      for (const i of sets.sets[k] ?? []) km2 += t.km2[i];
      return {
        id: r.id,
        name: r.name,
        type: r.type as TeamType,
        offNetwork: sets.sets[k] === null,
        reachedKm2: round(km2),
      };
    }),
    uncovered: cellFeatures(t, (i) => !covered[i]),
    covered: cellFeatures(t, (i) => covered[i] === 1),
    areaSource: body.areas ? 'request' : 'register',
    h3Resolution: 9,
  };
}

/** A polygon's resolution-9 cells (centres inside); none for a malformed or tiny one. */
function cellsOfPolygon(p: number[][][]): string[] {
  try {
    return polygonToCells(p, 9, true);
  } catch {
    return [];
  }
}

function mostCommon(xs: (string | null)[]): string | null {
  const n = new Map<string, number>();
  for (const x of xs) if (x) n.set(x, (n.get(x) ?? 0) + 1);
  let best: string | null = null;
  let most = 0;
  for (const [k, v] of n) if (v > most) [best, most] = [k, v];
  return best;
}

export async function aviationCoverageOf(
  deps: AnalysesDeps,
  ctx: RequestCtx,
  body: AviationCoverageRequest,
): Promise<AviationCoverageReply> {
  requirePermission(ctx.actor, 'forces.analyze');
  checkInput(AviationCoverageRequest, body);
  const { counted } = await analysisTeams(deps, ['aviation'], body.teamIds);
  const geo = deps.geo();
  const zones: { code: string; name: string; geometry: Geometry }[] = [];
  const codes = await geo.boundaryCodes();
  for (const z of deps.zones()) {
    if (!codes.has(z.code)) continue;
    const g = await geo.districtArea(z.code);
    if (g) zones.push({ code: z.code, name: z.name, geometry: g as Geometry });
  }
  if (zones.length === 0) throw new AppError('NO_DISTRICTS', { field: 'includeSea' });
  if (body.includeSea)
    // the city's own waters count in the whole, under no district
    for (const s of await geo.seaAreas())
      zones.push({ code: s.districtCode ?? `sea:${s.code}`, name: s.name, geometry: s.geometry as Geometry });
  const bases = counted.map((r) => ({
    id: r.id,
    name: r.name,
    location: origin(r),
    radiusKm: r.radius_km ?? body.radiusKm ?? DEFAULT_AVIATION_RADIUS_KM,
  }));
  const r = aviationCoverage(zones, bases);
  // sea zones carry their district's code: one row per district
  const byCode = new Map<string, { area: number; covered: number }>();
  for (const d of r.districts) {
    const s = byCode.get(d.code) ?? { area: 0, covered: 0 };
    s.area += d.areaKm2;
    s.covered += d.coveredKm2;
    byCode.set(d.code, s);
  }
  return {
    coveredShare: round(r.coveredShare),
    areaKm2: round(r.areaKm2, 2),
    coveredKm2: round(r.coveredKm2, 2),
    districts: deps.zones().map((z) => {
      const s = byCode.get(z.code);
      return {
        code: z.code,
        name: z.name,
        coveredShare: s && s.area > 0 ? round(s.covered / s.area) : null,
        hasBoundary: codes.has(z.code),
        areaKm2: round(s?.area ?? 0, 2),
        coveredKm2: round(s?.covered ?? 0, 2),
      };
    }),
    bases: bases.map((b) => ({ ...b, type: 'aviation' as const })),
    reach: {
      type: 'FeatureCollection',
      features: bases.map((b) => ({
        type: 'Feature',
        properties: { id: b.id, name: b.name, radiusKm: b.radiusKm },
        geometry: geodesicCircle(b.location, b.radiusKm, 180),
      })),
    },
    uncovered: r.uncovered,
    includeSea: body.includeSea ?? false,
    h3Resolution: r.h3Resolution,
  };
}

function insidePolygon(p: LonLat, poly: number[][][]): boolean {
  let inside = false;
  for (const [k, ring] of poly.entries()) {
    let c = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
    }
    if (k === 0) inside = c;
    else if (c) return false; // in a hole
  }
  return inside;
}

/** A point inside the park to drive to: the centre of its largest cell set, else its first vertex. */
function parkTarget(g: Geometry): LonLat {
  const polys = polygonsOf(g);
  const cells = polys.flatMap((p) => cellsOfPolygon(p));
  if (cells.length) {
    let x = 0;
    let y = 0;
    for (const c of cells) {
      const [lat, lon] = cellToLatLng(c);
      x += lon;
      y += lat;
    }
    const centre: LonLat = [x / cells.length, y / cells.length];
    if (polys.some((p) => insidePolygon(centre, p))) return centre;
    const [lat, lon] = cellToLatLng(cells[0]);
    return [lon, lat];
  }
  const [x, y] = polys[0][0][0];
  return [x, y];
}

export async function chemicalParks(
  deps: AnalysesDeps,
  ctx: RequestCtx,
  body: ChemicalParksRequest,
): Promise<ChemicalParksReply> {
  requirePermission(ctx.actor, 'forces.analyze');
  checkInput(ChemicalParksRequest, body);
  const minutes = body.minutes ?? 10;
  const { counted } = await analysisTeams(deps, ['enterprise', 'professional'], body.teamIds);
  // an enterprise team, or a professional team for hazardous chemicals
  const teams = counted.filter((r) => r.type === 'enterprise' || r.specialties.includes('hazardous_chemicals'));
  const { rows } = await repo.listAreas(deps.db.kysely, { kind: 'chemical_park' }, { limit: 1000, offset: 0 });
  const engine = deps.geo().engine();
  const closed = await deps.geo().closedNow();
  const snaps = (pts: LonLat[]) =>
    pts.map((p) => {
      try {
        engine.snap(p, 'location', { profile: 'emergency' });
        return true;
      } catch {
        return false;
      }
    });
  const parks = rows.map((r) => ({ row: r, geometry: JSON.parse(r.geojson) as Geometry }));
  const targets = parks.map((p) => parkTarget(p.geometry));
  const teamOk = snaps(teams.map(origin));
  const targetOk = snaps(targets);
  const src = teams.map(origin).filter((_, i) => teamOk[i]);
  const dst = targets.filter((_, j) => targetOk[j]);
  const m = src.length && dst.length ? engine.matrix(src, dst, { profile: 'emergency', closed }).seconds : [];
  const rowOf = new Map<number, number>();
  teamOk.forEach((ok, i) => {
    if (ok) rowOf.set(i, rowOf.size);
  });
  const colOf = new Map<number, number>();
  targetOk.forEach((ok, j) => {
    if (ok) colOf.set(j, colOf.size);
  });
  const items: ParkCompliance[] = parks.map((p, j) => {
    const list = teams
      .map((t, i) => {
        const inside = polygonsOf(p.geometry).some((poly) => insidePolygon(origin(t), poly));
        const r = rowOf.get(i);
        const c = colOf.get(j);
        const s = r !== undefined && c !== undefined ? m[r][c] : null;
        return {
          id: t.id,
          name: t.name,
          type: t.type as TeamType,
          inside,
          minutes: inside ? 0 : s === null ? null : round(s / 60, 1),
        };
      })
      .filter((x) => x.inside || (x.minutes !== null && x.minutes <= minutes))
      .sort((a, b) => (a.minutes ?? 0) - (b.minutes ?? 0));
    return { id: p.row.id, name: p.row.name, district: p.row.district_code, compliant: list.length > 0, teams: list };
  });
  return { minutes, items, compliant: items.filter((x) => x.compliant).length, total: items.length };
}

// ————— siting —————

/** Candidate sites spread over the demand cells: every n-th cell's centre, moved onto its nearest road. */
function generateCandidates(deps: AnalysesDeps, cells: string[], count: number): LonLat[] {
  const engine = deps.geo().engine();
  const out: LonLat[] = [];
  const step = Math.max(1, cells.length / count);
  for (let x = 0; x < cells.length && out.length < count; x += step) {
    const [lat, lon] = cellToLatLng(cells[Math.floor(x)]);
    try {
      const s = engine.snap([lon, lat], 'candidates', { profile: 'emergency' });
      out.push([round(s.point[0], 6), round(s.point[1], 6)]);
    } catch {
      // a cell with no road near: no site there
    }
  }
  return out;
}

export async function stationSiting(
  deps: AnalysesDeps,
  ctx: RequestCtx,
  body: StationSitingRequest,
  signal?: AbortSignal,
): Promise<StationSitingReply> {
  requirePermission(ctx.actor, 'forces.analyze');
  checkInput(StationSitingRequest, body);
  const minutes = body.minutes ?? 5;
  const turnout = body.turnoutMinutes ?? 1;
  if (turnout >= minutes)
    throw new AppError('VALIDATION', { field: 'turnoutMinutes', reason: 'less than minutes (the rest is driving)' });
  const drive = minutes - turnout;
  // demand: weighted points gathered into their cells, or the built-up cells weighted by area
  let area: Geometry;
  const pointWeight = new Map<string, number>();
  if (body.demand) {
    for (const d of body.demand) {
      const c = latLngToCell(d.location[1], d.location[0], 9);
      pointWeight.set(c, (pointWeight.get(c) ?? 0) + d.weight);
    }
    area = { type: 'MultiPolygon', coordinates: [...pointWeight.keys()].map((c) => [cellToBoundary(c, true)]) };
  } else area = (await areaOf(deps, body.areas as Geometry | undefined, 'built_up')).area;
  const { counted } = await analysisTeams(deps, ['fire_rescue'], body.teamIds);
  const existing = counted.filter((r) => r.station_class !== 'support');
  const geo = deps.geo();
  // what the existing stations cover: one search from all of them
  const before = await geo.coverageFirst(
    ctx,
    { origins: existing.map(origin), minutes: drive, area, profile: 'emergency' },
    signal,
  );
  const cells = before.cells;
  const weight = Float64Array.from(cells, (c) => (body.demand ? (pointWeight.get(c) ?? 0) : cellArea(c, 'km2')));
  const coveredBefore = Uint8Array.from(before.first, (k) => (k >= 0 ? 1 : 0));
  const total = weight.reduce((a, b) => a + b, 0);
  let coveredWeight = 0;
  for (let i = 0; i < cells.length; i++) if (coveredBefore[i]) coveredWeight += weight[i];
  const candidates = body.candidates
    ? (body.candidates as LonLat[])
    : generateCandidates(
        deps,
        cells.filter((_, i) => !coveredBefore[i]),
        body.candidateCount ?? 300,
      );
  const cand = await geo.coverageSets(ctx, { origins: candidates, minutes: drive, area, profile: 'emergency' }, signal);
  // the problem over the cells not yet covered: their weights, and each candidate's set among them
  const open: number[] = [];
  const openIndex = new Int32Array(cells.length).fill(-1);
  for (let i = 0; i < cells.length; i++)
    if (!coveredBefore[i] && weight[i] > 0) {
      openIndex[i] = open.length;
      open.push(i);
    }
  const problem: CoverProblem = {
    weights: Float64Array.from(open, (i) => weight[i]),
    sets: cand.sets.map((s) => Int32Array.from((s ?? []).map((i) => openIndex[i]).filter((j) => j >= 0)).sort()),
  };
  const k = Math.min(body.k, candidates.length);
  const timeLimitSec = body.timeLimitSeconds ?? 60;
  const solve = (q: SitingQuestion): Promise<SitingPlan> =>
    deps.workers
      ? runSiting(deps.workers, ctx.actor, problem, q, signal)
      : q.kind === 'max-cover'
        ? solveMaxCover(problem, q.k, { timeLimitSec })
        : solveMinSites(problem, q.targetWeight, { timeLimitSec });
  const exact = await solve({ kind: 'max-cover', k, timeLimitSec });
  const minSites =
    body.targetShare !== undefined
      ? await solve({
          kind: 'min-sites',
          targetWeight: Math.max(0, body.targetShare * total - coveredWeight),
          timeLimitSec,
        })
      : null;
  const greedy = greedyMaxCover(problem, k);
  const share = (w: number) => (total > 0 ? round((coveredWeight + w) / total) : 0);
  const plan = (p: { chosen: number[]; marginalGains: number[]; objective: number }) => ({
    sites: p.chosen.map((j, n) => ({
      location: candidates[j],
      marginalGain: round(p.marginalGains[n], 6),
      marginalShare: total > 0 ? round(p.marginalGains[n] / total) : 0,
    })),
    coveredShareAfter: share(p.objective),
    objective: round(p.objective, 6),
  });
  return {
    ...plan(exact),
    coveredShareBefore: share(0),
    optimal: exact.optimal,
    gap: round(exact.gap, 6),
    bound: round(exact.bound, 6),
    status: exact.status,
    solverSeconds: round(exact.seconds, 3),
    greedy: {
      ...plan(greedy),
      gap: exact.objective > 0 ? round((exact.objective - greedy.objective) / exact.objective, 6) : 0,
    },
    minSites: minSites
      ? {
          targetShare: body.targetShare ?? 0,
          feasible: 'feasible' in minSites ? Boolean(minSites.feasible) : true,
          count: minSites.chosen.length,
          optimal: minSites.optimal,
          sites: minSites.chosen.map((j) => ({ location: candidates[j] })),
        }
      : null,
    candidates: candidates.length,
    demandCells: cells.length,
    demandSource: body.demand ? 'request' : 'built_up',
    reach: {
      type: 'FeatureCollection',
      features: exact.chosen.map((j, n) => ({
        type: 'Feature',
        properties: { site: n + 1 },
        geometry: {
          type: 'MultiPolygon',
          coordinates: cellsToMultiPolygon(
            (cand.sets[j] ?? []).map((i) => cells[i]),
            true,
          ),
        },
      })),
    },
  };
}
