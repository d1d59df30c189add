/**
 * The risk grid: recompute (a job; the census read in one query, the score computed in a worker thread by grid.ts,
 * the cells replaced in one transaction so readers see the old grid or the new one), the cells by bbox (compact or
 * GeoJSON polygons), one cell's contributors, per-district figures, and the rules (setting `risks.grid`, checked by
 * version, audited). Layer imports and deletions and a change of the rules schedule a recompute (coalesced).
 */
import { cellToBoundary } from 'h3-js';
import type { Job } from '../../../contracts/jobs.ts';
import {
  CENSUS_KIND_INFO,
  type CensusKind,
  RISK_CLASS_INFO,
  RISK_CLASSES,
  type RiskCell,
  type RiskCellDetail,
  type RiskClass,
  type RiskDistrictsReply,
  type RiskGridGeoJson,
  type RiskGridQuery,
  type RiskGridReply,
  type RiskGridSettings,
  type RiskGridStatus,
  RiskSettingsPut,
  type RiskSettingsReply,
} from '../../../contracts/risks.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { siblingModule } from '../../platform/core/source-file.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { putSetting } from '../../platform/settings.ts';
import * as crepo from './census.repository.ts';
import { parseBbox } from './census.service.ts';
import type { Geom } from './geometry.ts';
import * as repo from './grid.repository.ts';
import {
  cellContributions,
  centre,
  type GridFeature,
  type GridInput,
  type GridOutput,
  maxReachM,
  shelterCells,
} from './grid.ts';
import { districtAreas, districtName, type RisksDeps } from './risks.deps.ts';
import './risks.errors.ts';
import { currentSettings, GRID_SETTING } from './risks.settings.ts';

const GRID_WORKER = siblingModule(import.meta.url, './grid.worker');
const visibility = { permission: 'risks.read', district: null, unit: null };

// ── settings ─────────────────────────────────────────────────────────────────

export async function getSettings(deps: RisksDeps, ctx: RequestCtx): Promise<RiskSettingsReply> {
  requirePermission(ctx.actor, 'risks.read');
  const s = await currentSettings(deps.db.kysely);
  return { value: s.value, version: s.version, isDefault: s.isDefault, updatedAt: s.updatedAt?.toISOString() ?? null };
}

export async function putSettings(deps: RisksDeps, ctx: RequestCtx, body: RiskSettingsPut): Promise<RiskSettingsReply> {
  requirePermission(ctx.actor, 'risks.manage');
  checkInput(RiskSettingsPut, body);
  const t = body.value.thresholds;
  if (!(t.major > t.large && t.large > t.general && t.general > 0))
    throw new AppError('SETTINGS_THRESHOLDS', { field: 'value.thresholds' });
  for (const k of Object.keys(body.value.kinds))
    if (!(k in CENSUS_KIND_INFO)) throw new AppError('UNKNOWN_KIND', { field: `value.kinds.${k}`, value: k });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const had = await currentSettings(trx, { forUpdate: true });
    if (had.version !== body.version)
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await putSetting(trx, GRID_SETTING, body.value, now);
    await repo.bumpDataMark(trx);
    await recordAudit(trx, ctx, now, {
      action: 'risks.settings_changed',
      entity: 'setting',
      entityId: GRID_SETTING,
      before: had.value,
      after: body.value,
    });
    await emitEvent(trx, now, {
      type: 'risks.settings_changed',
      entity: 'setting',
      entityId: GRID_SETTING,
      payload: { version: had.version + 1 },
      visibility,
    });
  });
  deps.afterCommit();
  deps.layersChanged();
  return getSettings(deps, ctx);
}

// ── recompute ────────────────────────────────────────────────────────────────

function toGridFeature(r: crepo.GridFeatureRow): GridFeature {
  return {
    id: r.id,
    kind: r.kind as CensusKind,
    geometry: JSON.parse(r.geojson) as Geom,
    population: r.population === null ? null : Number(r.population),
    capacity: r.capacity === null ? null : Number(r.capacity),
    level: r.hazard_level === null ? null : Number(r.hazard_level),
  };
}

/** a cell's bounding box as [minLon, minLat, maxLon, maxLat] */
export function cellBox(h: string): [number, number, number, number] {
  let a = 180;
  let b = 90;
  let c = -180;
  let d = -90;
  for (const [y, x] of cellToBoundary(h)) {
    if (x < a) a = x;
    if (y < b) b = y;
    if (x > c) c = x;
    if (y > d) d = y;
  }
  return [a, b, c, d];
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Reads the census and the rules, computes the grid (in a worker thread unless `inThread`), and replaces the cells
 * with the new ones in one transaction. Returns the new status.
 */
export async function computeAndStore(
  deps: RisksDeps,
  ctx: RequestCtx,
  o: { progress?: (p: { phase?: string; done?: number; total?: number }) => void; inThread?: boolean } = {},
): Promise<RiskGridStatus> {
  const progress = o.progress ?? (() => undefined);
  const t0 = performance.now();
  const before = await repo.state(deps.db.kysely);
  const settings = await currentSettings(deps.db.kysely);
  const districts = await districtAreas(deps);
  progress({ phase: 'read' });
  const features = (await crepo.gridFeatures(deps.db.kysely)).map(toGridFeature);
  progress({ phase: 'compute', done: 0, total: 1 });
  const input: GridInput = { settings: settings.value, districts, features };
  const out: GridOutput = o.inThread
    ? (await import('./grid.ts')).computeGrid(input)
    : await deps.workers.run<GridOutput>(ctx.actor, { entry: GRID_WORKER, task: input });
  progress({ phase: 'write', done: 0, total: out.h3.length });
  const n = out.h3.length;
  const write: repo.CellWrite = {
    h3: out.h3,
    district: out.district,
    h: Array.from(out.h, r6),
    e: Array.from(out.e, r6),
    v: Array.from(out.v, r6),
    score: Array.from(out.score, r6),
    cls: out.cls,
    population: Array.from(out.population, r6),
    raw: new Array(n),
    box: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    write.raw[i] = JSON.stringify({
      hazard: r6(out.rawHazard[i]),
      exposure: r6(out.rawExposure[i]),
      vulnerable: r6(out.vulnerable[i]),
      shelter: r6(out.shelter[i]),
    });
    write.box[i] = cellBox(out.h3[i]);
  }
  const now = deps.clock.now();
  const durationMs = Math.round(performance.now() - t0);
  await deps.db.transaction(async (trx) => {
    await repo.replaceCells(trx, write);
    await repo.saveState(trx, {
      computedAt: now,
      resolution: out.resolution,
      cellCount: n,
      featureCount: features.length,
      settingsVersion: settings.version,
      norms: out.norms,
      counts: out.counts,
      durationMs,
      mark: before.data_mark,
    });
    await recordAudit(trx, ctx, now, {
      action: 'risks.grid_recomputed',
      entity: 'risk_grid',
      after: { resolution: out.resolution, cells: n, features: features.length, counts: out.counts },
    });
    await emitEvent(trx, now, {
      type: 'risks.grid_recomputed',
      entity: 'risk_grid',
      entityId: null,
      payload: { resolution: out.resolution, cells: n, counts: out.counts },
      visibility,
    });
  });
  deps.afterCommit();
  return status(deps, ctx);
}

let runningJob: { id: string; done: Promise<Job> } | null = null;

/** `POST /api/v1/risks/grid/recompute`: a job (one at a time: a second request gets the running one). */
export async function recompute(deps: RisksDeps, ctx: RequestCtx): Promise<{ job: Job; done: Promise<Job> }> {
  requirePermission(ctx.actor, 'risks.manage');
  if (runningJob) {
    const job = await deps.jobs.get(ctx, runningJob.id).catch(() => null);
    if (job && job.state === 'running') return { job, done: runningJob.done };
  }
  const started = await deps.jobs.start(
    ctx,
    { kind: 'risks.grid', permission: 'risks.read', phase: 'read' },
    (progress) => computeAndStore(deps, ctx, { progress }),
  );
  const mine = { id: started.job.id, done: started.done };
  runningJob = mine;
  void started.done.finally(() => {
    if (runningJob === mine) runningJob = null;
  });
  return started;
}

/**
 * Recomputes after changes, coalesced: changes within `delayMs` of each other make one recompute, and changes while
 * one runs make one more after it.
 */
export class AutoRecompute {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #again = false;
  #stopped = false;

  constructor(
    private readonly deps: () => RisksDeps,
    private readonly delayMs: number,
  ) {}

  schedule(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.#run(), this.delayMs);
    this.#timer.unref();
  }

  #run(): void {
    this.#timer = null;
    const deps = this.deps();
    this.#running = recompute(deps, systemCtx())
      .then((s) => s.done)
      .catch((err) => deps.log.error('risk grid recompute failed', err))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.schedule();
        }
      });
  }

  /** waits for a running recompute (tests, stop) */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

// ── reading ──────────────────────────────────────────────────────────────────

const countsOf = (v: unknown): Record<RiskClass, number> => {
  const c = (v ?? {}) as Partial<Record<RiskClass, number>>;
  return { major: c.major ?? 0, large: c.large ?? 0, general: c.general ?? 0, low: c.low ?? 0 };
};

export async function status(deps: RisksDeps, ctx: RequestCtx): Promise<RiskGridStatus> {
  requirePermission(ctx.actor, 'risks.read');
  const s = await repo.state(deps.db.kysely);
  const norms = (s.norms ?? {}) as { hazard?: number; exposure?: number };
  return {
    computedAt: s.computed_at ? new Date(s.computed_at).toISOString() : null,
    resolution: Number(s.resolution),
    cellCount: Number(s.cell_count),
    featureCount: Number(s.feature_count),
    settingsVersion: Number(s.settings_version),
    stale: !s.computed_at || Number(s.computed_mark) !== Number(s.data_mark),
    jobId: runningJob?.id ?? null,
    norms: { hazard: norms.hazard ?? 0, exposure: norms.exposure ?? 0 },
    durationMs: s.duration_ms === null ? null : Number(s.duration_ms),
    counts: countsOf(s.counts),
  };
}

const toCell = (r: repo.CellRow): RiskCell => ({
  h3: r.h3,
  cls: r.cls as RiskClass,
  score: Number(r.score),
  h: Number(r.h),
  e: Number(r.e),
  v: Number(r.v),
  district: r.district_code,
});

/** The cells in a bbox of `minClass` or worse, compact or as GeoJSON polygons (with their class colour). */
export async function grid(
  deps: RisksDeps,
  ctx: RequestCtx,
  q: RiskGridQuery,
): Promise<RiskGridReply | RiskGridGeoJson> {
  requirePermission(ctx.actor, 'risks.read');
  const bbox = parseBbox(q.bbox);
  const min = q.minClass ?? 'general';
  const classes = RISK_CLASSES.slice(0, RISK_CLASSES.indexOf(min) + 1);
  const limit = q.limit ?? 100_000;
  const [s, r] = await Promise.all([
    repo.state(deps.db.kysely),
    repo.cells(deps.db.kysely, { classes: [...classes], bbox, limit }),
  ]);
  const items = r.rows.map(toCell);
  if (q.format === 'geojson')
    return {
      type: 'FeatureCollection',
      features: items.map((c) => ({
        type: 'Feature' as const,
        id: c.h3,
        geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.h3, true).map(([x, y]) => [r6(x), r6(y)])] },
        properties: { ...c, color: RISK_CLASS_INFO[c.cls].color },
      })),
      total: r.total,
      truncated: r.total > limit,
    };
  return {
    resolution: Number(s.resolution),
    computedAt: s.computed_at ? new Date(s.computed_at).toISOString() : null,
    items,
    total: r.total,
    truncated: r.total > limit,
  };
}

/** One cell: its values, raw figures and what contributes (computed again from the features near it). */
export async function cellDetail(deps: RisksDeps, ctx: RequestCtx, h3: string): Promise<RiskCellDetail> {
  requirePermission(ctx.actor, 'risks.read');
  const db = deps.db.kysely;
  const s = await repo.state(db);
  if (!s.computed_at) throw new AppError('GRID_NOT_COMPUTED');
  const row = await repo.cell(db, h3);
  if (!row) throw new AppError('CELL_NOT_IN_GRID', { field: 'h3', h3 });
  // the rules the grid was computed with (a later change shows once recomputed)
  const settings: RiskGridSettings = {
    ...(await currentSettings(db)).value,
    resolution: Number(s.resolution) as 8 | 9,
  };
  const [lon, lat] = centre(h3);
  const near = await crepo.nearby(db, {
    lon,
    lat,
    radiusM: maxReachM(settings),
    kinds: Object.keys(CENSUS_KIND_INFO).filter((k) => k !== 'prevention_work'),
    limit: 100_000,
  });
  const feats: GridFeature[] = near.rows.map((x) => ({
    id: x.id,
    kind: x.kind as CensusKind,
    geometry: JSON.parse(x.geojson) as Geom,
    population: x.population === null ? null : Number(x.population),
    capacity: x.capacity === null ? null : Number(x.capacity),
    level: x.hazard_level === null ? null : Number(x.hazard_level),
  }));
  const byId = new Map(near.rows.map((x) => [x.id, x]));
  // a shelter's capacity is shared by the population of every cell it serves: read those cells' populations
  const served = new Set<string>();
  for (const f of feats)
    if (f.kind === 'shelter') for (const c of shelterCells(f, settings, settings.resolution)) served.add(c);
  const pops = await repo.populations(db, [...served]);
  const contributions = cellContributions(h3, feats, settings, () => pops);
  const raw = (row.raw ?? {}) as Record<string, number>;
  const perPart = new Map<string, number>();
  const top = contributions.filter((c) => {
    const k = perPart.get(c.part) ?? 0;
    perPart.set(c.part, k + 1);
    return k < 20;
  });
  return {
    ...toCell(row as repo.CellRow),
    districtName: districtName(deps, row.district_code),
    raw: {
      hazard: raw.hazard ?? 0,
      exposure: raw.exposure ?? 0,
      population: Number(row.population),
      vulnerable: raw.vulnerable ?? 0,
      shelterCapacity: raw.shelter ?? 0,
    },
    contributions: top.map((c) => ({
      featureId: c.featureId,
      layerId: byId.get(c.featureId)?.layer_id ?? '',
      kind: c.kind,
      name: byId.get(c.featureId)?.name ?? null,
      part: c.part,
      value: r6(c.value),
      meters: c.meters,
    })),
    computedAt: new Date(s.computed_at).toISOString(),
    resolution: Number(s.resolution),
  };
}

export async function districts(deps: RisksDeps, ctx: RequestCtx): Promise<RiskDistrictsReply> {
  requirePermission(ctx.actor, 'risks.read');
  const [s, rows] = await Promise.all([repo.state(deps.db.kysely), repo.districtSummary(deps.db.kysely)]);
  const units = deps.units();
  const items = rows
    .filter((r) => r.district_code)
    .map((r) => ({
      district: r.district_code as string,
      districtName: units.get(r.district_code as string)?.name ?? (r.district_code as string),
      districtNameEn: units.get(r.district_code as string)?.nameEn ?? (r.district_code as string),
      cells: Number(r.cells),
      counts: { major: Number(r.major), large: Number(r.large), general: Number(r.general), low: Number(r.low) },
      meanScore: r6(Number(r.mean ?? 0)),
      maxScore: r6(Number(r.max ?? 0)),
      population: Math.round(Number(r.population ?? 0)),
      populationMajor: Math.round(Number(r.pop_major ?? 0)),
      populationLarge: Math.round(Number(r.pop_large ?? 0)),
    }));
  return { items, total: items.length, computedAt: s.computed_at ? new Date(s.computed_at).toISOString() : null };
}
