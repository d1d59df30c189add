import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import type { RequestCtx } from '../platform/core/context.ts';
import type { Clock, Ids } from '../platform/core/ids.ts';
import type { Db } from '../platform/db/index.ts';
import { emitEvent } from '../platform/events/events.ts';
import * as repo from './boundaries.repository.ts';
import { placeOpenClosures } from './closures/closures.repository.ts';
import { type Crs, toWgs84 } from './coordinates.ts';
import { syncAdminPlaces } from './places/places.repository.ts';

/**
 * English names of Shandong's prefecture-level cities (the neighbours of the boundary data: the DataV files carry
 * Chinese only), by administrative code, as the cities write them themselves.
 */
export const NEIGHBOUR_NAMES_EN: Record<string, string> = {
  '370100': 'Jinan',
  '370200': 'Qingdao',
  '370300': 'Zibo',
  '370400': 'Zaozhuang',
  '370500': 'Dongying',
  '370600': 'Yantai',
  '370700': 'Weifang',
  '370800': 'Jining',
  '370900': "Tai'an",
  '371000': 'Weihai',
  '371100': 'Rizhao',
  '371300': 'Linyi',
  '371400': 'Dezhou',
  '371500': 'Liaocheng',
  '371600': 'Binzhou',
  '371700': 'Heze',
};

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: { type: string; coordinates: unknown } | null;
}

export const DATAV_SOURCE = 'DataV.GeoAtlas (GCJ-02 → WGS-84; licence unstated; demo only)';

/**
 * The seat of government a feature names, where labels belong (a centroid can sit far inland of a coastal city's
 * seat): `seat` or DataV's `center`, [lon, lat] in the file's datum.
 */
function seatOf(f: Feature, crs: Crs): [number, number] | undefined {
  const p = f.properties?.seat ?? f.properties?.center;
  if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return undefined;
  if (Math.abs(p[0] as number) > 180 || Math.abs(p[1] as number) > 90) return undefined;
  const pt = toWgs84({ type: 'Point', coordinates: [p[0], p[1]] }, crs) as { coordinates: [number, number] };
  return [pt.coordinates[0], pt.coordinates[1]];
}

/**
 * Loads district polygons from a GeoJSON FeatureCollection. Each feature needs a code (`code` or `adcode`) and a
 * `name`; polygons only; its label goes at `seat` or `center` when given and inside. Returns the codes loaded. One transaction: a bad feature loads nothing.
 * The gazetteer's administrative units (places of source `admin`, at the label points) follow in the same transaction.
 */
export async function importBoundaries(
  deps: { db: Db; clock: Clock; ids: Ids },
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
    return { code, name, geometry: toWgs84(structuredClone(f.geometry), opts.crs), seat: seatOf(f, opts.crs) };
  });
  const chosen = rows.filter((r) => !opts.only || opts.only(r.code));
  await deps.db.transaction(async (trx) => {
    for (const r of chosen) await repo.upsertBoundary(trx, { ...r, kind: opts.kind, source: opts.source, now });
    // open closures belong to the district they lie in: with new polygons, possibly another one
    if (opts.kind === 'district') await placeOpenClosures(trx);
    await syncAdminPlaces(trx, () => deps.ids.next(), now);
    await recordAudit(trx, ctx, now, {
      action: 'boundaries.imported',
      entity: 'boundaries',
      after: { codes: chosen.map((r) => r.code), kind: opts.kind, source: opts.source },
    });
    // every instance drops its basemap and tiles (internal: no browser needs the event itself)
    await emitEvent(trx, now, {
      type: 'boundaries.imported',
      entity: 'boundaries',
      entityId: null,
      payload: { codes: chosen.map((r) => r.code) },
      visibility: { permission: 'geo.read', internal: true },
    });
  });
  return chosen.map((r) => r.code);
}

/** Weihai's districts and Shandong's other cities from the shared DataV files, when the boundaries table is empty. */
export async function loadSharedBoundaries(
  deps: { db: Db; clock: Clock; ids: Ids },
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

/**
 * The boundaries as the map draws them, kept until they change: an import here, or on another instance (the
 * `boundaries.imported` event reaches every instance), moves `version()`, which tile caches follow.
 */
export class BoundaryCache {
  #basemap: object | null = null;
  #codes: Promise<Set<string>> | null = null;
  #version = 0;

  constructor(private readonly db: Db) {}

  version(): number {
    return this.#version;
  }

  invalidate(): void {
    this.#version++;
    this.#basemap = null;
    this.#codes = null;
  }

  /** The offline basemap: district and neighbour polygons as one GeoJSON FeatureCollection (WGS-84). */
  async basemap(): Promise<object> {
    if (this.#basemap) return this.#basemap;
    const rows = await repo.basemapFeatures(this.db.kysely);
    const body = {
      type: 'FeatureCollection',
      attribution: [...new Set(rows.map((r) => r.source))],
      features: rows.map((r) => ({
        type: 'Feature',
        properties: {
          code: r.code,
          name: r.name,
          nameEn: NEIGHBOUR_NAMES_EN[r.code],
          kind: r.kind,
          labelPoint: JSON.parse(r.label).coordinates,
        },
        geometry: JSON.parse(r.geometry),
      })),
    };
    this.#basemap = body;
    return body;
  }

  /** A polygon of the basemap by its code (districts and neighbouring cities). */
  async area(code: string): Promise<{ type: string; coordinates: unknown } | undefined> {
    const fc = (await this.basemap()) as {
      features: { properties: { code: string }; geometry: { type: string; coordinates: unknown } }[];
    };
    return fc.features.find((f) => f.properties.code === code)?.geometry;
  }

  /** Codes of the district polygons loaded. */
  codes(): Promise<Set<string>> {
    this.#codes ??= repo.districtCodes(this.db.kysely).then((rows) => new Set(rows.map((r) => r.code)));
    return this.#codes;
  }
}
