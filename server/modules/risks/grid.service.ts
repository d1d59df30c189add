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
import { cellContributions, centre, type GridFeature, type GridInput, type GridOutput, maxReachM } from './grid.ts';
import { classAt, districtAt, packGrid, type StoredGrid, unpackGrid } from './grid-blob.ts';
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
  const packed = packGrid(out, r6);
  const now = deps.clock.now();
  const durationMs = Math.round(performance.now() - t0);
  await deps.db.transaction(async (trx) => {
    await repo.saveGrid(trx, now, packed);
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

/** the stored grid, unpacked once per computation and kept until the next (every instance reads the same row) */
const cache = new WeakMap<RisksDeps, { at: number; grid: StoredGrid }>();

async function storedGrid(deps: RisksDeps): Promise<{ grid: StoredGrid; computedAt: Date } | null> {
  const s = await repo.state(deps.db.kysely);
  if (!s.computed_at) return null;
  const at = new Date(s.computed_at).getTime();
  const had = cache.get(deps);
  if (had && had.at === at) return { grid: had.grid, computedAt: new Date(at) };
  const row = await repo.readGrid(deps.db.kysely);
  if (!row) return null;
  const grid = unpackGrid(row.data);
  const rowAt = new Date(row.computed_at).getTime();
  cache.set(deps, { at: rowAt, grid });
  return { grid, computedAt: new Date(rowAt) };
}

const cellOf = (g: StoredGrid, i: number): RiskCell => ({
  h3: g.h3[i],
  cls: classAt(g, i),
  score: g.cols.score[i],
  h: g.cols.h[i],
  e: g.cols.e[i],
  v: g.cols.v[i],
  district: districtAt(g, i),
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
  const worst = RISK_CLASSES.indexOf(min);
  const limit = q.limit ?? 100_000;
  const stored = await storedGrid(deps);
  const hits: number[] = [];
  if (stored) {
    const g = stored.grid;
    // a cell whose centre lies within half a cell of the box meets it (edge ≤ 0.5 km at resolution 8)
    const pad = g.resolution >= 9 ? 0.003 : 0.008;
    for (let i = 0; i < g.n; i++) {
      if (g.cls[i] > worst) continue;
      if (
        bbox &&
        (g.lon[i] < bbox[0] - pad || g.lon[i] > bbox[2] + pad || g.lat[i] < bbox[1] - pad || g.lat[i] > bbox[3] + pad)
      )
        continue;
      hits.push(i);
    }
    hits.sort((a, b) => g.cols.score[b] - g.cols.score[a] || (g.h3[a] < g.h3[b] ? -1 : 1));
  }
  const items = stored ? hits.slice(0, limit).map((i) => cellOf(stored.grid, i)) : [];
  if (q.format === 'geojson')
    return {
      type: 'FeatureCollection',
      features: items.map((c) => ({
        type: 'Feature' as const,
        id: c.h3,
        geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.h3, true).map(([x, y]) => [r6(x), r6(y)])] },
        properties: { ...c, color: RISK_CLASS_INFO[c.cls].color },
      })),
      total: hits.length,
      truncated: hits.length > limit,
    };
  return {
    resolution: stored?.grid.resolution ?? (await repo.state(deps.db.kysely)).resolution,
    computedAt: stored?.computedAt.toISOString() ?? null,
    items,
    total: hits.length,
    truncated: hits.length > limit,
  };
}

/** One cell: its values, raw figures and what contributes (computed again from the features near it). */
export async function cellDetail(deps: RisksDeps, ctx: RequestCtx, h3: string): Promise<RiskCellDetail> {
  requirePermission(ctx.actor, 'risks.read');
  const db = deps.db.kysely;
  const stored = await storedGrid(deps);
  if (!stored) throw new AppError('GRID_NOT_COMPUTED');
  const g = stored.grid;
  const i = g.index.get(h3);
  if (i === undefined) throw new AppError('CELL_NOT_IN_GRID', { field: 'h3', h3 });
  // the rules the grid was computed with (a later change shows once recomputed)
  const settings: RiskGridSettings = { ...(await currentSettings(db)).value, resolution: g.resolution as 8 | 9 };
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
  const populationOf = (cells: string[]) => {
    const m = new Map<string, number>();
    for (const c of cells) {
      const k = g.index.get(c);
      if (k !== undefined) m.set(c, g.cols.population[k]);
    }
    return m;
  };
  const contributions = cellContributions(h3, feats, settings, populationOf);
  const perPart = new Map<string, number>();
  const top = contributions.filter((c) => {
    const k = perPart.get(c.part) ?? 0;
    perPart.set(c.part, k + 1);
    return k < 20;
  });
  const district = districtAt(g, i);
  return {
    ...cellOf(g, i),
    districtName: districtName(deps, district),
    raw: {
      hazard: g.cols.rawHazard[i],
      exposure: g.cols.rawExposure[i],
      population: g.cols.population[i],
      vulnerable: g.cols.vulnerable[i],
      shelterCapacity: g.cols.shelter[i],
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
    computedAt: stored.computedAt.toISOString(),
    resolution: g.resolution,
  };
}

export async function districts(deps: RisksDeps, ctx: RequestCtx): Promise<RiskDistrictsReply> {
  requirePermission(ctx.actor, 'risks.read');
  const stored = await storedGrid(deps);
  if (!stored) return { items: [], total: 0, computedAt: null };
  const g = stored.grid;
  const units = deps.units();
  const rows = g.districts.map((code) => ({
    district: code,
    districtName: units.get(code)?.name ?? code,
    districtNameEn: units.get(code)?.nameEn ?? code,
    cells: 0,
    counts: { major: 0, large: 0, general: 0, low: 0 },
    meanScore: 0,
    maxScore: 0,
    population: 0,
    populationMajor: 0,
    populationLarge: 0,
  }));
  for (let i = 0; i < g.n; i++) {
    const d = g.district[i];
    if (d === 0xffff) continue;
    const r = rows[d];
    const cls = classAt(g, i);
    const pop = g.cols.population[i];
    r.cells++;
    r.counts[cls]++;
    r.meanScore += g.cols.score[i];
    r.maxScore = Math.max(r.maxScore, g.cols.score[i]);
    r.population += pop;
    if (cls === 'major') r.populationMajor += pop;
    if (cls === 'large') r.populationLarge += pop;
  }
  const items = rows.map((r) => ({
    ...r,
    meanScore: r6(r.cells ? r.meanScore / r.cells : 0),
    maxScore: r6(r.maxScore),
    population: Math.round(r.population),
    populationMajor: Math.round(r.populationMajor),
    populationLarge: Math.round(r.populationLarge),
  }));
  return { items, total: items.length, computedAt: stored.computedAt.toISOString() };
}
