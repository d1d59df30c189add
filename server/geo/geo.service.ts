/**
 * Travel questions as the API asks them: the current network's engine with the closures in force at this moment.
 * Routes and small matrices are answered in this thread; isochrones, coverage and larger matrices in a worker thread
 * on the same shared graph (travel.ts, road/road.worker.ts), under the asking user's limit of heavy work.
 * Other modules ask the engine through the geo door (`engine()` with `closedNow()`, server/geo/index.ts), never over HTTP.
 */
import './geo.errors.ts';
import { readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import turfArea from '@turf/area';
import { cellArea, latLngToCell } from 'h3-js';
import type {
  CoverageReply,
  CoverageRequest,
  IsochroneReply,
  IsochroneRequest,
  MatrixReply,
  MatrixRequest,
  Road,
  RouteReply,
  RouteRequest,
} from '../../contracts/geo.ts';
import { AppError } from '../errors.ts';
import type { RequestCtx } from '../platform/core/context.ts';
import { siblingModule } from '../platform/core/source-file.ts';
import type { Db } from '../platform/db/index.ts';
import type { SearchHit } from '../platform/map-catalogue.ts';
import { JsonBytes } from '../platform/workers/json-bytes.ts';
import type { WorkerPool } from '../platform/workers/worker-pool.ts';
import * as boundaries from './boundaries.repository.ts';
import type { ClosureIndex } from './closures/closures.service.ts';
import * as repo from './network.repository.ts';
import type { ImportJob, RoadNetworks } from './network.service.ts';
import { directions, roadLabel } from './road/directions.ts';
import type { Snap } from './road/engine.ts';
import { type LonLat, type Profile, ROAD_CLASSES } from './road/network.ts';
import type { RoadTask } from './road/road.worker.ts';
import { areaPolygons } from './road/road-engine.ts';
import {
  type Area,
  answerTravel,
  type CoverageFirstReply,
  type CoverageSetsReply,
  H3_RESOLUTION,
  type TravelQuestion,
  type TravelReply,
  type TravelTimesReply,
} from './travel.ts';

export interface GeoDeps {
  db: Db;
  networks: RoadNetworks;
  closures: ClosureIndex;
  /** coverage areas above this many H3 resolution-9 cells are refused (ANLAN_COVERAGE_MAX_CELLS) */
  coverageMaxCells?: number;
  /** heavy questions go to worker threads; without a pool they are answered in this thread */
  workers?: WorkerPool;
}

/** the default of ANLAN_COVERAGE_MAX_CELLS: the whole of Weihai (about 87,000 cells) with margin */
export const COVERAGE_MAX_CELLS = 150_000;

/** The network the engine answers from: what the map and the API say about it. */
export function currentNetwork(deps: GeoDeps) {
  const c = deps.networks.current();
  if (!c) throw new AppError('NO_ROAD_NETWORK');
  return {
    id: c.id,
    name: c.meta.name,
    synthetic: c.meta.synthetic,
    source: c.meta.source,
    attribution: c.meta.attribution,
    segmentCount: c.info.segmentCount,
    nodeCount: c.info.nodeCount,
    bbox: c.info.bbox,
    builtAt: c.info.builtAt,
  };
}

function networkTag(deps: GeoDeps) {
  const c = deps.networks.current();
  if (!c) throw new AppError('NO_ROAD_NETWORK');
  return { name: c.meta.name, synthetic: c.meta.synthetic };
}

export async function route(deps: GeoDeps, b: RouteRequest): Promise<RouteReply> {
  // the network that answers is the one whose names and shapes describe the answer
  const { id, engine, graph } = deps.networks.routing();
  const tag = networkTag(deps);
  const closed = await deps.closures.closedNow();
  const profile = b.profile ?? 'car';
  const r = engine.route(b.from as LonLat, b.to as LonLat, { profile, metric: b.metric ?? 'time', closed });
  if (!r) throw new AppError('NO_ROUTE', { field: 'to' });
  // a piece of no length (an end on the vertex where the route leaves the road it snapped to) is not driven
  const given = r.legs ?? r.segments.map((seg) => ({ seg, dir: 0 as const, meters: 1, seconds: 0 }));
  const driven = given.filter((l) => l.meters >= 0.01);
  const legs = driven.length > 0 ? driven : given.slice(0, 1);
  const from = r.snapped?.from ?? engine.snap(b.from as LonLat, 'from', { profile });
  const to = r.snapped?.to ?? engine.snap(b.to as LonLat, 'to', { profile });
  const rows = await repo.roadNames(deps.db.kysely, id, [...new Set([from.seg, to.seg, ...legs.map((l) => l.seg)])]);
  const names = new Map(rows.map((row) => [row.seg, { name: row.name, nameEn: row.name_en }]));
  const classOf = (seg: number) => ROAD_CLASSES[graph.segClass[seg]] ?? 'road';
  const end = (sn: Snap) => ({
    roadId: sn.seg,
    ...roadLabel(classOf(sn.seg), names.get(sn.seg)),
    meters: Math.round(sn.meters * 10) / 10,
  });
  // a segment driven twice in a row (a U-turn on it) is one road driven
  const roadIds = legs.map((l) => l.seg).filter((s, i, all) => i === 0 || all[i - 1] !== s);
  return {
    seconds: r.seconds,
    meters: r.meters,
    geometry: r.geometry,
    roadIds,
    steps: r.legs ? directions(graph, legs, (seg) => names.get(seg), { profile }) : [],
    ferry: legs.some((l) => classOf(l.seg) === 'ferry'),
    snapped: { from: end(from), to: end(to) },
    network: tag,
  };
}

/** small matrices are answered at once in this thread; larger ones go to a worker thread */
export const MATRIX_IN_PROCESS_CELLS = 400;

/**
 * Asks the engine: in a worker thread when there is a pool and the question is not small (the reply then comes
 * as JSON bytes, sent as they are), else here. The caller's own limit of heavy work applies (429 JOB_LIMIT).
 */
async function ask<Q extends TravelQuestion>(
  deps: GeoDeps,
  ctx: RequestCtx,
  q: Q,
  small: boolean,
  signal?: AbortSignal,
): Promise<TravelReply<Q> | JsonBytes> {
  const shared = deps.networks.shared();
  const closed = await deps.closures.closedNow();
  if (!deps.workers || small) return answerTravel(deps.networks.engine(), q, closed);
  const task: RoadTask = { network: shared, closed, question: q };
  const bytes = await deps.workers.run<Uint8Array>(ctx.actor, { entry: ROAD_WORKER, task, signal });
  return new JsonBytes(bytes);
}

const ROAD_WORKER = siblingModule(import.meta.url, './road/road.worker');

export async function isochrone(
  deps: GeoDeps,
  ctx: RequestCtx,
  b: IsochroneRequest,
  signal?: AbortSignal,
): Promise<IsochroneReply | JsonBytes> {
  const q = {
    kind: 'isochrone' as const,
    origins: b.origins as LonLat[],
    minutes: b.minutes,
    profile: b.profile ?? 'car',
    network: networkTag(deps),
  };
  return ask(deps, ctx, q, false, signal);
}

export async function matrix(
  deps: GeoDeps,
  ctx: RequestCtx,
  b: MatrixRequest,
  signal?: AbortSignal,
): Promise<MatrixReply | JsonBytes> {
  const q = {
    kind: 'matrix' as const,
    sources: b.sources as LonLat[],
    targets: b.targets as LonLat[],
    profile: b.profile ?? 'car',
  };
  return ask(deps, ctx, q, b.sources.length * b.targets.length <= MATRIX_IN_PROCESS_CELLS, signal);
}

/** Travel seconds for planning (`GeoApi.matrix`): Infinity where no road leads; points off the network flagged. */
export interface TravelTimes {
  /** row-major sources × targets */
  seconds: Float64Array;
  sourcesOffNetwork: boolean[];
  targetsOffNetwork: boolean[];
  profile: Profile;
  network: { name: string; synthetic: boolean };
  /** whether closures were in force (and so taken into account) */
  closures: boolean;
}

/**
 * The travel-time matrix other modules plan with (relief plans): the current network with the closures in force, in a
 * worker thread under the caller's limit of heavy work unless small. No network: NO_ROAD_NETWORK.
 */
export async function travelTimes(
  deps: GeoDeps,
  ctx: RequestCtx,
  b: { sources: readonly LonLat[]; targets: readonly LonLat[]; profile?: Profile },
  signal?: AbortSignal,
): Promise<TravelTimes> {
  const network = networkTag(deps);
  const profile = b.profile ?? 'car';
  const q = { kind: 'travel-times' as const, sources: [...b.sources], targets: [...b.targets], profile };
  const closed = await deps.closures.closedNow();
  const r = await ask(deps, ctx, q, b.sources.length * b.targets.length <= MATRIX_IN_PROCESS_CELLS, signal);
  const reply = (r instanceof JsonBytes ? r.parse() : r) as TravelTimesReply;
  const seconds = new Float64Array(reply.seconds.length);
  for (let k = 0; k < seconds.length; k++) seconds[k] = reply.seconds[k] ?? Number.POSITIVE_INFINITY;
  return {
    seconds,
    sourcesOffNetwork: reply.sourcesOffNetwork,
    targetsOffNetwork: reply.targetsOffNetwork,
    profile,
    network,
    closures: !!closed?.some((c) => c !== 0),
  };
}

async function areaOf(deps: GeoDeps, area: CoverageRequest['area']): Promise<Area> {
  if (typeof area === 'string') {
    const b = await boundaries.boundaryGeoJson(deps.db.kysely, area);
    if (!b) throw new AppError('VALIDATION', { field: 'area', reason: `no district with code ${area}` });
    return JSON.parse(b.geojson) as Area;
  }
  const a = area as { type?: string; geometry?: Area; coordinates?: unknown };
  const g = a.type === 'Feature' ? a.geometry : (a as Area);
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
    throw new AppError('VALIDATION', {
      field: 'area',
      reason: 'a GeoJSON Polygon or MultiPolygon (or a Feature of one), or a district code',
    });
  }
  return g;
}

/**
 * Coverage questions of other modules' analyses (fire coverage, siting): by each origin on its own, or one search
 * with each cell given to the origin first there. The area's budget is checked first, and the work goes to a worker
 * thread like every heavy travel question.
 */
export async function coverageBy<K extends 'coverage-sets' | 'coverage-first'>(
  deps: GeoDeps,
  ctx: RequestCtx,
  kind: K,
  q: Omit<Extract<TravelQuestion, { kind: K }>, 'kind'>,
  signal?: AbortSignal,
): Promise<K extends 'coverage-sets' ? CoverageSetsReply : CoverageFirstReply> {
  checkCoverageBudget(q.area, deps.coverageMaxCells ?? COVERAGE_MAX_CELLS);
  const r = await ask(deps, ctx, { kind, ...q } as TravelQuestion, q.origins.length <= 1, signal);
  return (r instanceof JsonBytes ? r.parse() : r) as K extends 'coverage-sets' ? CoverageSetsReply : CoverageFirstReply;
}

/**
 * The H3 resolution-9 cells an area holds, estimated from its area (holes excepted) and the size of a cell at its
 * centre (cells near Weihai are 0.068 km², well below the global mean of 0.105): the budget is checked before any
 * cell is made. A malformed area is refused by the engine's own check, naming what is wrong.
 */
export function estimateCoverageCells(area: Area): { cells: number; cellKm2: number } {
  const polygons = areaPolygons(area);
  let m2 = 0;
  let minLon = 180;
  let minLat = 90;
  let maxLon = -180;
  let maxLat = -90;
  for (const poly of polygons) {
    m2 += turfArea({ type: 'Polygon', coordinates: poly });
    for (const [lon, lat] of poly[0]) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  }
  const cellKm2 = cellArea(latLngToCell((minLat + maxLat) / 2, (minLon + maxLon) / 2, H3_RESOLUTION), 'km2');
  return { cells: Math.ceil(m2 / 1e6 / cellKm2), cellKm2 };
}

/** AREA_TOO_LARGE (with the limit in cells and km²) for an area above the budget. */
export function checkCoverageBudget(area: Area, maxCells: number): void {
  const e = estimateCoverageCells(area);
  if (e.cells > maxCells) {
    throw new AppError('AREA_TOO_LARGE', {
      field: 'area',
      cells: e.cells,
      max: maxCells,
      maxKm2: Math.round(maxCells * e.cellKm2),
    });
  }
}

export async function coverage(
  deps: GeoDeps,
  ctx: RequestCtx,
  b: CoverageRequest,
  signal?: AbortSignal,
): Promise<CoverageReply | JsonBytes> {
  const area = await areaOf(deps, b.area);
  checkCoverageBudget(area, deps.coverageMaxCells ?? COVERAGE_MAX_CELLS);
  const q = {
    kind: 'coverage' as const,
    origins: b.origins as LonLat[],
    minutes: b.minutes,
    area,
    profile: b.profile ?? 'car',
  };
  return ask(deps, ctx, q, false, signal);
}

function parseNear(near: string): LonLat {
  const [lon, lat] = near.split(',').map(Number);
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    throw new AppError('VALIDATION', { field: 'near', reason: 'lon,lat in degrees' });
  }
  return [lon, lat];
}

/** Roads near a point (nearest first) or by name; `closed` says whether a closure holds them now. */
export async function roads(
  deps: GeoDeps,
  q: { near?: string; radiusM?: number; q?: string; limit?: number },
): Promise<{ items: Road[]; total: number }> {
  const cur = deps.networks.current();
  if (!cur) throw new AppError('NO_ROAD_NETWORK');
  const limit = q.limit ?? 50;
  let segs: number[];
  let distance: Map<number, number> | undefined;
  if (q.near) {
    const p = parseNear(q.near);
    segs = deps.networks
      .engine()
      .segmentsNear(p, q.radiusM ?? 100)
      .slice(0, limit);
    distance = new Map(segs.map((s, i) => [s, i]));
  } else if (q.q?.trim()) {
    const hits = await repo.searchRoadsByName(deps.db.kysely, cur.id, q.q.trim(), limit);
    segs = hits.rows.flatMap((h) => h.segs).slice(0, limit);
  } else {
    throw new AppError('VALIDATION', { field: 'near', reason: 'give near=lon,lat or q=name' });
  }
  const rows = await repo.roadsByIds(deps.db.kysely, cur.id, segs);
  const closed = await deps.closures.closedNow();
  const items = rows.map((r) => ({
    id: r.seg,
    name: r.name,
    nameEn: r.name_en,
    class: r.class,
    oneway: r.oneway as Road['oneway'],
    meters: Math.round(r.meters),
    closed: !!closed?.[r.seg],
    geometry: JSON.parse(r.geojson),
  }));
  if (distance) {
    const order = distance;
    items.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
  return { items, total: items.length };
}

function bboxOf(geojson: string): [number, number, number, number] | undefined {
  const g = JSON.parse(geojson) as { type: string; coordinates: number[][][] | number[] };
  if (g.type === 'Point') {
    const [x, y] = g.coordinates as number[];
    return [x, y, x, y];
  }
  const ring = (g.coordinates as number[][][])[0];
  if (!ring) return undefined;
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export async function searchRoads(deps: GeoDeps, q: string, limit: number): Promise<SearchHit[]> {
  const cur = deps.networks.current();
  if (!cur) return [];
  const r = await repo.searchRoadsByName(deps.db.kysely, cur.id, q, limit);
  return r.rows.map((h) => ({
    kind: 'road',
    id: `road:${h.segs[0]}`,
    name: h.name,
    subtitle: `${h.name_en ? `${h.name_en} · ` : ''}${(h.meters / 1000).toFixed(1)} km${cur.meta.synthetic ? ' · 示例路网' : ''}`,
    point: [h.lon, h.lat],
    bbox: bboxOf(h.bbox),
  }));
}

/**
 * Where imports come from. JSON names a file in the configured import folder (`ANLAN_IMPORT_DIR`); the browser and
 * the CLI upload the file instead (streamed to `uploadDir`, removed when the import ends). Nothing else on the
 * server can be opened through the API: `/etc/shadow` once was.
 */
export interface ImportDeps {
  networks: RoadNetworks;
  /** the import folder: files named by JSON imports must lie in it (after symlinks) */
  importDir: string;
  imports: ImportTracker;
}

/** The imports started here, until each has ended (and its upload is removed). */
export class ImportTracker {
  #running = new Set<Promise<unknown>>();

  track(wait: Promise<unknown>, cleanup?: () => void): void {
    const p = wait
      .catch(() => undefined)
      .finally(() => {
        cleanup?.();
        this.#running.delete(p);
      });
    this.#running.add(p);
  }

  /** Resolves once every import started so far has ended and cleaned up after itself. */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.all([...this.#running]);
  }
}

function notAllowed(importDir: string, value: string): AppError {
  return new AppError('FILE_NOT_ALLOWED', { field: 'file', folder: importDir, value });
}

/**
 * The real path of a file named in the import folder: a bare file name (no folder, no `..`), an existing regular
 * file whose real path (symlinks resolved) still lies inside the folder's real path. Else 400 FILE_NOT_ALLOWED.
 */
export function importFilePath(importDir: string, name: string): string {
  if (!name || name === '.' || name === '..' || /[/\\]/.test(name) || name.includes('\u0000')) {
    throw notAllowed(importDir, name);
  }
  let folder: string;
  let real: string;
  try {
    folder = realpathSync(importDir);
    real = realpathSync(join(folder, name));
  } catch {
    throw notAllowed(importDir, name);
  }
  const inside = relative(folder, real);
  if (!inside || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw notAllowed(importDir, name);
  }
  if (!statSync(real).isFile()) throw notAllowed(importDir, name);
  return real;
}

/** The files a JSON import may name: regular files of the import folder (symlinks only when they stay inside). */
export function listImportFiles(importDir: string): {
  items: { name: string; bytes: number; modifiedAt: string }[];
  total: number;
  folder: string;
} {
  let names: string[] = [];
  try {
    names = readdirSync(importDir);
  } catch {
    // a folder not (yet) there has nothing to import
  }
  const items = names
    .filter((n) => !n.startsWith('.'))
    .flatMap((name) => {
      try {
        const st = statSync(importFilePath(importDir, name));
        return [{ name, bytes: st.size, modifiedAt: st.mtime.toISOString() }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { items, total: items.length, folder: importDir };
}

export interface ImportOptions {
  name?: string;
  datum?: 'wgs84' | 'gcj02';
}

/** `POST /geo/networks/import {file}`: imports a file of the import folder by name. */
export async function importFromFolder(
  deps: ImportDeps,
  ctx: RequestCtx,
  file: string,
  opts: ImportOptions,
): Promise<ImportJob> {
  const path = importFilePath(deps.importDir, file);
  const { job, wait } = await deps.networks.startOsmImport(ctx, path, opts);
  deps.imports.track(wait);
  return job;
}

/**
 * An uploaded extract (already on disk, in a folder of its own): imported, and the folder removed when the import
 * ends, or at once when it cannot start.
 */
export async function importUpload(
  deps: ImportDeps,
  ctx: RequestCtx,
  upload: { path: string; dir: string },
  opts: ImportOptions,
): Promise<ImportJob> {
  const remove = () => rmSync(upload.dir, { recursive: true, force: true });
  let started: Awaited<ReturnType<RoadNetworks['startOsmImport']>>;
  try {
    started = await deps.networks.startOsmImport(ctx, upload.path, opts);
  } catch (err) {
    remove();
    throw err;
  }
  deps.imports.track(started.wait, remove);
  return started.job;
}
