/**
 * Census layers (风险普查图层): a layer is one named import of one kind. The import reads GeoJSON, a zipped
 * Shapefile, KML, CSV or xlsx (census-read.ts), checks every feature — geometry present and sound, its class allowed
 * for the kind, PostGIS validity (self-intersection …), within the city's region (its boundary + 20 km), a lat,lon
 * pair given the wrong way round, the numbers the grid needs — and names every bad row with its reason; a commit
 * writes the layer and all its features in one transaction, or nothing (the platform import contract's rules: dry
 * run first, all or none, a job, audited). Datums: WGS-84 as is; CGCS2000 taken as WGS-84 (within a metre at this
 * scale); GCJ-02 converted (contracts/coordinates.ts). Reading is city-wide (risks.read); writing is risks.manage.
 */
import { createHash } from 'node:crypto';
import { type EntryDatum, toWgs84 } from '../../../contracts/coordinates.ts';
import type { ImportRowError } from '../../../contracts/imports.ts';
import type { Job } from '../../../contracts/jobs.ts';
import {
  CENSUS_KIND_INFO,
  CENSUS_KINDS,
  type CensusFeature,
  type CensusFeatureCollection,
  CensusImportQuery,
  type CensusImportReport,
  type CensusKind,
  type CensusKindItem,
  type CensusLayer,
  type CensusLayerListQuery,
  type GeometryClass,
  NEARBY_MAX_RADIUS_M,
  type NearbyReply,
} from '../../../contracts/risks.ts';
import { AppError, formatMessage } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { headerKey, printable } from '../../platform/imports/columns.ts';
import * as repo from './census.repository.ts';
import { type RawFeature, readCensusFile } from './census-read.ts';
import { type Geom, geometryClass, mapPositions, type Position, positions, structuralProblem } from './geometry.ts';
import * as grepo from './grid.repository.ts';
import { CITY_UNIT, cityRegion, REGION_BUFFER_M, type RisksDeps } from './risks.deps.ts';
import { currentSettings } from './risks.settings.ts';
import './risks.errors.ts';

export const MAX_FEATURES = 200_000;
const MAX_LISTED_ERRORS = 1000;
const LAYER_ENTITY = 'census_layer';
const visibility = { permission: 'risks.read', district: null, unit: null };

const GEOMETRY_WORDS: Record<GeometryClass, { zh: string; en: string }> = {
  point: { zh: '点', en: 'point' },
  line: { zh: '线', en: 'line' },
  polygon: { zh: '面', en: 'polygon' },
};

const DATUM_NOTE: Record<EntryDatum, { zh: string; en: string }> = {
  wgs84: { zh: '坐标按 WGS-84 读取', en: 'Coordinates read as WGS-84' },
  cgcs2000: {
    zh: 'CGCS2000 坐标按 WGS-84 处理（两者相差不到 1 米，在本图比例下视为相同）',
    en: 'CGCS2000 coordinates are treated as WGS-84 (they differ by less than a metre at this scale)',
  },
  gcj02: {
    zh: 'GCJ-02（国内网络地图）坐标已转换为 WGS-84',
    en: 'GCJ-02 (Chinese web map) coordinates were converted to WGS-84',
  },
};

// ── reading ──────────────────────────────────────────────────────────────────

function toLayer(r: repo.LayerRow): CensusLayer {
  let bbox: CensusLayer['bbox'] = null;
  if (r.bbox) {
    const ps = positions(JSON.parse(r.bbox) as Geom);
    if (ps.length) {
      const xs = ps.map((p) => p[0]);
      const ys = ps.map((p) => p[1]);
      bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    }
  }
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as CensusKind,
    role: CENSUS_KIND_INFO[r.kind as CensusKind].role,
    source: r.source,
    datum: r.datum as EntryDatum,
    format: r.format as CensusLayer['format'],
    fileName: r.file_name,
    importedAt: new Date(r.imported_at).toISOString(),
    importedBy: r.imported_by,
    featureCount: Number(r.feature_count),
    ownerUnit: r.owner_unit,
    bbox,
    demo: r.demo,
  };
}

export async function listKinds(deps: RisksDeps, ctx: RequestCtx): Promise<{ items: CensusKindItem[]; total: number }> {
  requirePermission(ctx.actor, 'risks.read');
  const counts = await repo.countsByKind(deps.db.kysely);
  const { value: settings } = await currentSettings(deps.db.kysely);
  const items = CENSUS_KINDS.map((k) => {
    const i = CENSUS_KIND_INFO[k];
    const p = settings.kinds[k] ?? { weight: i.weight, radiusM: i.radiusM };
    return {
      kind: k,
      zh: i.zh,
      en: i.en,
      role: i.role,
      geometries: [...i.geometries],
      weight: p.weight,
      radiusM: p.radiusM,
      vulnerable: i.vulnerable,
      color: i.color,
      featureCount: counts.get(k)?.features ?? 0,
      layerCount: counts.get(k)?.layers ?? 0,
    };
  });
  return { items, total: items.length };
}

export async function listLayers(
  deps: RisksDeps,
  ctx: RequestCtx,
  q: CensusLayerListQuery,
): Promise<{ items: CensusLayer[]; total: number }> {
  requirePermission(ctx.actor, 'risks.read');
  const kinds = q.kind
    ? [q.kind]
    : q.role
      ? CENSUS_KINDS.filter((k) => CENSUS_KIND_INFO[k].role === q.role)
      : undefined;
  const r = await repo.listLayers(deps.db.kysely, {
    kinds,
    q: q.q?.trim() || undefined,
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  return { items: r.rows.map(toLayer), total: r.total };
}

export async function getLayer(deps: RisksDeps, ctx: RequestCtx, id: string): Promise<CensusLayer> {
  requirePermission(ctx.actor, 'risks.read');
  const r = await repo.findLayer(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: LAYER_ENTITY });
  return toLayer(r);
}

export function parseBbox(text: string | undefined): [number, number, number, number] | undefined {
  if (!text) return undefined;
  const b = text.split(',').map(Number) as [number, number, number, number];
  if (
    b.length !== 4 ||
    b.some((x) => !Number.isFinite(x)) ||
    b[0] > b[2] ||
    b[1] > b[3] ||
    Math.abs(b[0]) > 180 ||
    Math.abs(b[2]) > 180 ||
    Math.abs(b[1]) > 90 ||
    Math.abs(b[3]) > 90
  )
    throw new AppError('VALIDATION', { field: 'bbox', reason: 'minLon,minLat,maxLon,maxLat in degrees' });
  return b;
}

function toFeature(r: repo.FeatureRow): CensusFeature {
  return {
    type: 'Feature',
    id: r.id,
    geometry: JSON.parse(r.geojson) as Geom,
    properties: {
      id: r.id,
      layerId: r.layer_id,
      kind: r.kind as CensusKind,
      name: r.name,
      population: r.population === null ? null : Number(r.population),
      capacity: r.capacity === null ? null : Number(r.capacity),
      hazardLevel: r.hazard_level === null ? null : Number(r.hazard_level),
      attributes: (r.properties ?? {}) as Record<string, unknown>,
      demo: r.demo,
    },
  };
}

/** A layer's features (or every layer's of a kind) as GeoJSON, in a bbox, at most `limit`. */
export async function features(
  deps: RisksDeps,
  ctx: RequestCtx,
  q: { layerId?: string; kind?: CensusKind; bbox?: string; limit?: number },
): Promise<CensusFeatureCollection> {
  requirePermission(ctx.actor, 'risks.read');
  if (q.layerId && !(await repo.findLayer(deps.db.kysely, q.layerId)))
    throw new AppError('NOT_FOUND', { field: 'id', entity: LAYER_ENTITY });
  if (q.kind && !CENSUS_KINDS.includes(q.kind)) throw new AppError('UNKNOWN_KIND', { field: 'kind', value: q.kind });
  const limit = q.limit ?? 5000;
  const r = await repo.features(deps.db.kysely, { layerId: q.layerId, kind: q.kind, bbox: parseBbox(q.bbox), limit });
  return { type: 'FeatureCollection', features: r.rows.map(toFeature), total: r.total, truncated: r.total > limit };
}

// ── deleting ─────────────────────────────────────────────────────────────────

export async function deleteLayer(deps: RisksDeps, ctx: RequestCtx, id: string): Promise<void> {
  requirePermission(ctx.actor, 'risks.manage');
  const had = await repo.findLayer(deps.db.kysely, id);
  if (!had) throw new AppError('NOT_FOUND', { field: 'id', entity: LAYER_ENTITY });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.deleteLayer(trx, id);
    await grepo.bumpDataMark(trx);
    const { bbox: _b, ...before } = had;
    await recordAudit(trx, ctx, now, { action: 'census_layer.deleted', entity: LAYER_ENTITY, entityId: id, before });
    await emitEvent(trx, now, {
      type: 'census.layer_deleted',
      entity: LAYER_ENTITY,
      entityId: id,
      payload: { id, kind: had.kind, name: had.name, featureCount: Number(had.feature_count) },
      visibility,
    });
  });
  deps.afterCommit();
  layersChanged(deps);
}

/** after a layer import or delete: the grid is recomputed (coalesced, when automatic recomputes are on) */
function layersChanged(deps: RisksDeps): void {
  deps.layersChanged();
}

// ── importing ────────────────────────────────────────────────────────────────

const ALIASES = {
  name: ['name', '名称', '名字', 'mc', 'title', '点位名称', '场所名称', '单位名称', '隐患点名称'],
  population: ['population', 'pop', '人口', '人口数', '常住人口', '人数', '威胁人口'],
  capacity: ['capacity', '容量', '容纳人数', '可容纳人数', '设计容量'],
  level: ['level', 'hazard_level', 'grade', '等级', '风险等级', '险情等级', '灾害等级', '隐患等级'],
};
const ALIAS_KEYS = Object.fromEntries(
  Object.entries(ALIASES).map(([k, names]) => [k, new Set(names.map(headerKey))]),
) as Record<keyof typeof ALIASES, Set<string>>;

function pick(props: Record<string, unknown>, which: keyof typeof ALIASES): { key: string; value: unknown } | null {
  for (const [k, v] of Object.entries(props))
    if (ALIAS_KEYS[which].has(headerKey(k)) && v !== null && v !== undefined && String(v).trim() !== '')
      return { key: k, value: v };
  return null;
}

const LEVEL_WORDS: Record<string, number> = {
  i: 1,
  ii: 2,
  iii: 3,
  iv: 4,
  Ⅰ: 1,
  Ⅱ: 2,
  Ⅲ: 3,
  Ⅳ: 4,
  特大: 1,
  特大型: 1,
  重大: 1,
  大型: 2,
  较大: 2,
  中型: 3,
  一般: 3,
  小型: 4,
  低: 4,
  一级: 1,
  二级: 2,
  三级: 3,
  四级: 4,
};

/** a hazard level 1 (most severe) … 4 from 1–4, I–IV, 特大/大型/中型/小型, or undefined when unreadable */
export function parseLevel(v: unknown): number | undefined {
  const s = String(v).trim().replace(/级$/, '').toLowerCase();
  if (/^[1-4]$/.test(s)) return Number(s);
  return LEVEL_WORDS[s] ?? LEVEL_WORDS[`${s}级`];
}

interface RowProblem {
  column: string | null;
  code: string;
  values: Record<string, unknown>;
}

export interface Checked {
  row: number;
  geometry: Geom;
  write: Omit<repo.FeatureWrite, 'id' | 'geojson'>;
}

const fmt = (p: Position) => `${p[0]},${p[1]}`;

/** One feature's checks short of PostGIS's validity: what is wrong, or the feature to write. */
export function checkFeature(
  f: RawFeature,
  kind: CensusKind,
  datum: EntryDatum,
  inRegion: (p: Position) => boolean,
): { problems: RowProblem[]; checked?: Checked } {
  const problems: RowProblem[] = [];
  const info = CENSUS_KIND_INFO[kind];
  const props = { ...f.props };
  const name = pick(props, 'name');
  const pop = pick(props, 'population');
  const cap = pick(props, 'capacity');
  const lvl = pick(props, 'level');
  const number = (p: { key: string; value: unknown } | null): number | null => {
    if (!p) return null;
    const n = typeof p.value === 'number' ? p.value : Number(String(p.value).replace(/,/g, '').trim());
    if (!Number.isFinite(n) || n < 0) {
      problems.push({ column: p.key, code: 'CENSUS_BAD_NUMBER', values: { column: p.key, value: String(p.value) } });
      return null;
    }
    return n;
  };
  const population = number(pop);
  const capacity = number(cap);
  let hazardLevel: number | null = null;
  if (lvl) {
    const l = parseLevel(lvl.value);
    if (l === undefined)
      problems.push({
        column: lvl.key,
        code: 'CENSUS_BAD_LEVEL',
        values: { column: lvl.key, value: String(lvl.value) },
      });
    else hazardLevel = l;
  }
  if (f.problem) {
    problems.push({ column: f.problem.column, code: f.problem.code, values: f.problem.values });
    return { problems };
  }
  if (!f.geometry) {
    problems.push({ column: 'geometry', code: 'CENSUS_GEOMETRY_EMPTY', values: {} });
    return { problems };
  }
  const cls = geometryClass(f.geometry.type);
  const structural = structuralProblem(f.geometry);
  if (structural?.code === 'empty') {
    problems.push({ column: 'geometry', code: 'CENSUS_GEOMETRY_EMPTY', values: {} });
    return { problems };
  }
  if (!cls || structural) {
    const reason =
      structural && structural.code === 'invalid' ? { zh: structural.zh, en: structural.en } : f.geometry.type;
    problems.push({ column: 'geometry', code: 'CENSUS_GEOMETRY_INVALID', values: { reason } });
    return { problems };
  }
  if (!info.geometries.includes(cls)) {
    const words = (l: 'zh' | 'en') => info.geometries.map((g) => GEOMETRY_WORDS[g][l]).join(l === 'zh' ? '、' : ', ');
    problems.push({
      column: 'geometry',
      code: 'CENSUS_GEOMETRY_TYPE',
      values: {
        kind: { zh: info.zh, en: info.en },
        given: GEOMETRY_WORDS[cls],
        allowed: { zh: words('zh'), en: words('en') },
      },
    });
    return { problems };
  }
  const g = mapPositions(f.geometry, (p) => toWgs84(datum, p[0], p[1]));
  const ps = positions(g);
  const outside = ps.find((p) => !inRegion(p));
  if (outside) {
    const given = positions(f.geometry)[ps.indexOf(outside)] ?? outside;
    const swapped = positions(mapPositions(f.geometry, (p) => toWgs84(datum, p[1], p[0])));
    if (swapped.every((p) => inRegion(p)))
      problems.push({ column: 'geometry', code: 'CENSUS_AXIS_SWAPPED', values: { given: fmt(given) } });
    else
      problems.push({
        column: 'geometry',
        code: 'CENSUS_OUTSIDE_REGION',
        values: { given: fmt(given), km: REGION_BUFFER_M / 1000 },
      });
    return { problems };
  }
  if (problems.length) return { problems };
  for (const p of [name, pop, cap, lvl]) if (p) delete props[p.key];
  return {
    problems,
    checked: {
      row: f.row,
      geometry: g,
      write: {
        kind,
        name: name ? printable(String(name.value), 200) : null,
        properties: props,
        population,
        capacity,
        hazardLevel,
      },
    },
  };
}

/** PostGIS's reasons in both languages (the common ones named; the rest as PostGIS says them). */
export function invalidReasonWords(reason: string): { zh: string; en: string } {
  const at = /\[(.*)\]/.exec(reason)?.[1];
  const where = at ? `（${at.replace(' ', ',')}）` : '';
  const whereEn = at ? ` (at ${at.replace(' ', ',')})` : '';
  const known: [RegExp, string, string][] = [
    [/^Ring Self-intersection/i, '环自相交', 'ring self-intersection'],
    [/^Self-intersection/i, '自相交', 'self-intersection'],
    [/^Too few points/i, '点数过少', 'too few points'],
    [/^Hole lies outside shell/i, '内环在外环之外', 'a hole lies outside its shell'],
    [/^Nested shells/i, '外环相互嵌套', 'nested shells'],
    [/^Interior is disconnected/i, '内部不连通', 'the interior is disconnected'],
    [/^Nested holes/i, '内环相互嵌套', 'nested holes'],
  ];
  for (const [re, zh, en] of known) if (re.test(reason)) return { zh: zh + where, en: en + whereEn };
  return { zh: reason, en: reason };
}

export interface CensusImportOptions {
  mode: 'dry-run' | 'commit';
  kind: CensusKind;
  name: string;
  source?: string;
  datum: EntryDatum;
  demo?: boolean;
}

interface ReadFile {
  format: CensusImportReport['format'];
  file: CensusImportReport['file'];
  features: RawFeature[];
}

/** Reads the upload (a bad file: 400 at once, before any job). */
export async function readUpload(upload: { name: string; data: Buffer }): Promise<ReadFile> {
  const read = await readCensusFile(upload.data);
  if (!read.features.length) throw new AppError('CENSUS_NO_FEATURES', { field: 'file' });
  if (read.features.length > MAX_FEATURES)
    throw new AppError('CENSUS_TOO_MANY_FEATURES', { field: 'file', rows: read.features.length, max: MAX_FEATURES });
  return {
    format: read.format,
    file: {
      name: printable(upload.name, 255),
      size: upload.data.length,
      sha256: createHash('sha256').update(upload.data).digest('hex'),
    },
    features: read.features,
  };
}

/** Checks every feature and, in commit mode with none wrong, writes the layer and its features in one transaction. */
export async function runCensusImport(
  deps: RisksDeps,
  ctx: RequestCtx,
  file: ReadFile,
  o: CensusImportOptions,
  progress: (p: { phase?: string; done?: number; total?: number }) => void = () => undefined,
): Promise<CensusImportReport> {
  requirePermission(ctx.actor, 'risks.manage');
  const region = await cityRegion(deps);
  const inRegion = (p: Position) => region.contains(p);
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const add = (row: number, p: RowProblem) => {
    errorCount++;
    if (errors.length < MAX_LISTED_ERRORS)
      errors.push({ row, column: p.column, code: p.code, message: formatMessage(p.code, ctx.lang, p.values) });
  };
  const total = file.features.length;
  progress({ phase: 'check', done: 0, total });
  const checked: Checked[] = [];
  for (const [i, f] of file.features.entries()) {
    const r = checkFeature(f, o.kind, o.datum, inRegion);
    for (const p of r.problems) add(f.row, p);
    if (r.checked) checked.push(r.checked);
    if (i % 2000 === 1999) {
      progress({ done: i + 1 });
      await new Promise((res) => setImmediate(res));
    }
  }
  // PostGIS's validity (self-intersections, bad rings) of the sound ones, a few thousand per query
  const geojsons = checked.map((c) => JSON.stringify(c.geometry));
  const valid: Checked[] = [];
  for (let at = 0; at < checked.length; at += 5000) {
    const reasons = await repo.validityReasons(deps.db.kysely, geojsons.slice(at, at + 5000));
    reasons.forEach((reason, j) => {
      const c = checked[at + j];
      if (reason)
        add(c.row, {
          column: 'geometry',
          code: 'CENSUS_GEOMETRY_INVALID',
          values: { reason: invalidReasonWords(reason) },
        });
      else valid.push(c);
    });
  }
  errors.sort((a, b) => a.row - b.row);
  const report = (imported: number, layerId: string | null): CensusImportReport => ({
    mode: o.mode,
    format: file.format,
    kind: o.kind,
    datum: o.datum,
    file: file.file,
    rows: total,
    accepted: valid.length,
    imported,
    errors,
    errorCount,
    layerId,
    datumNote: DATUM_NOTE[o.datum][ctx.lang],
  });
  if (o.mode === 'dry-run' || errorCount > 0) return report(0, null);

  progress({ phase: 'write', done: 0, total: valid.length });
  const layerId = await writeLayer(deps, ctx, { ...o, format: file.format, file: file.file }, valid);
  progress({ done: valid.length });
  return report(valid.length, layerId);
}

/**
 * Writes a layer and its checked features in one transaction with its audit row and event (an import's commit, the
 * demo); the grid is then due for a recompute.
 */
export async function writeLayer(
  deps: RisksDeps,
  ctx: RequestCtx,
  o: Omit<CensusImportOptions, 'mode'> & {
    format: CensusImportReport['format'];
    file: CensusImportReport['file'] | null;
  },
  valid: readonly Checked[],
): Promise<string> {
  const now = deps.clock.now();
  const layerId = deps.ids.next();
  const writes: repo.FeatureWrite[] = valid.map((c) => ({
    ...c.write,
    id: deps.ids.next(),
    geojson: JSON.stringify(c.geometry),
  }));
  await deps.db.transaction(async (trx) => {
    await repo.insertLayer(trx, {
      id: layerId,
      name: o.name,
      kind: o.kind,
      source: o.source ?? null,
      datum: o.datum,
      format: o.format,
      fileName: o.file?.name ?? null,
      sha256: o.file?.sha256 ?? null,
      ownerUnit: ctx.actor.unitCode ?? CITY_UNIT,
      by: ctx.actor.name,
      now,
      demo: o.demo ?? false,
    });
    await repo.insertFeatures(trx, layerId, o.demo ?? false, writes);
    await grepo.bumpDataMark(trx);
    await recordAudit(trx, ctx, now, {
      action: 'census_layer.imported',
      entity: LAYER_ENTITY,
      entityId: layerId,
      after: { name: o.name, kind: o.kind, datum: o.datum, file: o.file, format: o.format, features: writes.length },
    });
    await emitEvent(trx, now, {
      type: 'census.layer_imported',
      entity: LAYER_ENTITY,
      entityId: layerId,
      payload: { id: layerId, kind: o.kind, name: o.name, featureCount: writes.length },
      visibility,
    });
  });
  deps.afterCommit();
  layersChanged(deps);
  return layerId;
}

/** The route's entry: reads the upload, then the dry run or the commit as a job (a small file is answered done). */
export async function startCensusImport(
  deps: RisksDeps,
  ctx: RequestCtx,
  upload: { name: string; data: Buffer },
  q: CensusImportQuery,
): Promise<{ job: Job; done: Promise<Job>; rows: number }> {
  requirePermission(ctx.actor, 'risks.manage');
  checkInput(CensusImportQuery, q);
  const file = await readUpload(upload);
  const opts: CensusImportOptions = {
    mode: q.mode ?? 'dry-run',
    kind: q.kind,
    name: q.name.trim(),
    source: q.source?.trim() || undefined,
    datum: q.datum ?? 'wgs84',
  };
  const { job, done } = await deps.jobs.start(
    ctx,
    { kind: 'import.census', permission: 'risks.manage', phase: 'check' },
    (progress) => runCensusImport(deps, ctx, file, opts, progress),
  );
  return { job, done, rows: file.features.length };
}

// ── nearby ───────────────────────────────────────────────────────────────────

/** every census kind but the population grid: hazards and the sites people are at */
export const NEARBY_KINDS: CensusKind[] = CENSUS_KINDS.filter((k) => k !== 'population_grid');

function parseNear(near: string): [number, number] {
  const [lon, lat] = near.split(',').map(Number);
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
    throw new AppError('VALIDATION', { field: 'near', reason: 'lon,lat in degrees' });
  return [lon, lat];
}

/** `GET /api/v1/risks/nearby`'s query as the route gets it: `near` as text, kinds comma-separated. */
export async function nearbyQuery(
  deps: RisksDeps,
  ctx: RequestCtx,
  q: { near: string; radiusM?: number; limit?: number; kinds?: string },
): Promise<NearbyReply> {
  const [lon, lat] = parseNear(q.near);
  let kinds: CensusKind[] | undefined;
  if (q.kinds) {
    kinds = [];
    for (const k of q.kinds
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!NEARBY_KINDS.includes(k as CensusKind)) throw new AppError('UNKNOWN_KIND', { field: 'kinds', value: k });
      kinds.push(k as CensusKind);
    }
  }
  return nearby(deps, ctx, { lon, lat, radiusM: q.radiusM ?? 5000, limit: q.limit, kinds });
}

/**
 * Hazards and vulnerable sites within `radiusM` (≤ 50 km) of a point, nearest first: the geodesic distance to the
 * nearest point of each geometry (0 inside a zone).
 */
export async function nearby(
  deps: RisksDeps,
  ctx: RequestCtx,
  q: { lon: number; lat: number; radiusM: number; limit?: number; kinds?: CensusKind[] },
): Promise<NearbyReply> {
  requirePermission(ctx.actor, 'risks.read');
  if (!(q.lon >= -180 && q.lon <= 180 && q.lat >= -90 && q.lat <= 90))
    throw new AppError('VALIDATION', { field: 'near', reason: 'lon,lat in degrees' });
  if (!(q.radiusM > 0) || q.radiusM > NEARBY_MAX_RADIUS_M)
    throw new AppError('VALIDATION', { field: 'radiusM', reason: `between 1 and ${NEARBY_MAX_RADIUS_M} m` });
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new AppError('VALIDATION', { field: 'limit', reason: '1 to 500' });
  const r = await repo.nearby(deps.db.kysely, {
    lon: q.lon,
    lat: q.lat,
    radiusM: q.radiusM,
    kinds: q.kinds?.length ? q.kinds : NEARBY_KINDS,
    limit,
  });
  return {
    items: r.rows.map((x) => ({
      id: x.id,
      layer: x.layer_id,
      layerName: x.layer_name,
      kind: x.kind as CensusKind,
      role: CENSUS_KIND_INFO[x.kind as CensusKind].role,
      name: x.name,
      meters: Math.round(Number(x.meters) * 10) / 10,
      hazardLevel: x.hazard_level === null ? null : Number(x.hazard_level),
      population: x.population === null ? null : Number(x.population),
      capacity: x.capacity === null ? null : Number(x.capacity),
      geometry: JSON.parse(x.geojson) as Geom,
    })),
    total: r.total,
  };
}
