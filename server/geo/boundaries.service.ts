import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import type { RequestCtx } from '../platform/core/context.ts';
import type { Clock } from '../platform/core/ids.ts';
import type { Db } from '../platform/db/index.ts';
import * as repo from './boundaries.repository.ts';
import { type Crs, toWgs84 } from './coordinates.ts';

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}

export const DATAV_SOURCE = 'DataV.GeoAtlas (GCJ-02 → WGS-84; licence unstated; demo only)';

/**
 * Loads district polygons from a GeoJSON FeatureCollection. Each feature needs a code (`code` or `adcode`) and a
 * `name`; polygons only. Returns the codes loaded. One transaction: a bad feature loads nothing.
 */
export async function importBoundaries(
  deps: { db: Db; clock: Clock },
  ctx: RequestCtx,
  fc: { features?: Feature[] },
  opts: { crs: Crs; kind: 'district' | 'neighbour'; source: string; only?: (code: string) => boolean },
): Promise<string[]> {
  const bad = (field: string, reason: string) => new AppError('VALIDATION', { field, reason });
  if (!Array.isArray(fc.features)) throw bad('features', 'not a GeoJSON FeatureCollection');
  const now = deps.clock.now();
  const rows = fc.features.map((f, i) => {
    const code = String(f.properties?.code ?? f.properties?.adcode ?? '').trim();
    const name = String(f.properties?.name ?? '').trim();
    if (!code) throw bad(`features.${i}.properties.code`, 'code or adcode is required');
    if (!name) throw bad(`features.${i}.properties.name`, 'name is required');
    if (!f.geometry || !['Polygon', 'MultiPolygon'].includes(f.geometry.type)) {
      throw bad(`features.${i}.geometry`, 'Polygon or MultiPolygon');
    }
    return { code, name, geometry: toWgs84(structuredClone(f.geometry), opts.crs) };
  });
  const chosen = rows.filter((r) => !opts.only || opts.only(r.code));
  await deps.db.transaction(async (trx) => {
    for (const r of chosen) await repo.upsertBoundary(trx, { ...r, kind: opts.kind, source: opts.source, now });
    await recordAudit(trx, ctx, now, {
      action: 'boundaries.imported',
      entity: 'boundaries',
      after: { codes: chosen.map((r) => r.code), kind: opts.kind, source: opts.source },
    });
  });
  return chosen.map((r) => r.code);
}

/** Weihai's districts and Shandong's other cities from the shared DataV files, when the boundaries table is empty. */
export async function loadSharedBoundaries(
  deps: { db: Db; clock: Clock },
  ctx: RequestCtx,
  sharedData: string,
): Promise<string> {
  const n = Number((await repo.countBoundaries(deps.db.kysely)).n);
  if (n > 0) return `boundaries: ${n} already loaded`;
  const city = join(sharedData, 'boundaries', 'datav_371000_full.json');
  const province = join(sharedData, 'boundaries', 'datav_370000_full.json');
  if (!existsSync(city))
    return `boundaries: ${city} not found; districts unknown until \`npx anlan import boundaries FILE\``;
  const d = await importBoundaries(deps, ctx, JSON.parse(readFileSync(city, 'utf8')), {
    crs: 'gcj02',
    kind: 'district',
    source: DATAV_SOURCE,
  });
  let neighbours: string[] = [];
  if (existsSync(province)) {
    neighbours = await importBoundaries(deps, ctx, JSON.parse(readFileSync(province, 'utf8')), {
      crs: 'gcj02',
      kind: 'neighbour',
      source: DATAV_SOURCE,
      only: (code) => code !== '371000',
    });
  }
  return `boundaries: ${d.length} districts, ${neighbours.length} neighbouring cities (GCJ-02 converted to WGS-84)`;
}

let cache: { at: number; body: object } | null = null;

/** The offline basemap: district and neighbour polygons as one GeoJSON FeatureCollection (WGS-84). */
export async function basemap(db: Db): Promise<object> {
  if (cache && Date.now() - cache.at < 60_000) return cache.body;
  const rows = await repo.basemapFeatures(db.kysely);
  const body = {
    type: 'FeatureCollection',
    attribution: [...new Set(rows.map((r) => r.source))],
    features: rows.map((r) => ({
      type: 'Feature',
      properties: { code: r.code, name: r.name, kind: r.kind, labelPoint: JSON.parse(r.label).coordinates },
      geometry: JSON.parse(r.geometry),
    })),
  };
  cache = { at: Date.now(), body };
  return body;
}

let version = 0;

/** Moves whenever boundaries change in this process (tile caches follow it). */
export function boundariesVersion(): number {
  return version;
}

export function invalidateBasemap() {
  version++;
  cache = null;
}
