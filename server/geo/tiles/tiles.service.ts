import { type GeoJSONVTTile, geoJSONToTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { LRUCache } from 'lru-cache';
import { ROAD_CLASS_STYLE, roadStyleClass } from '../../../contracts/geo.ts';
import { AppError } from '../../errors.ts';
import type { Db } from '../../platform/db/index.ts';
import { ROAD_CLASSES } from '../road/network.ts';
import { buildStyle, type MapTheme } from './map-style.ts';
import * as repo from './tiles.repository.ts';

export interface TileNetwork {
  id: string;
  synthetic: boolean;
  attribution: string;
  name: string;
}

export interface TileDeps {
  db: Db;
  /** the current road network, or null before any import */
  network: () => TileNetwork | null;
  /** changes when roads, areas, boundaries or closures change */
  version: () => string;
  /** English names of boundaries by code (the boundaries table has none), for the English map */
  boundaryNamesEn?: () => Record<string, string>;
}

export type TileService = ReturnType<typeof createTileService>;

/** Tiles are 4096 units wide; 128 units (1/32 of a tile) around each are drawn too, so lines and labels join. */
export const EXTENT = 4096;
export const BUFFER = 128;
export const MAX_ZOOM = 22;
/** The style's source asks tiles up to this zoom; MapLibre draws deeper zooms from them. */
export const SOURCE_MAX_ZOOM = 16;

const EMPTY = Buffer.alloc(0);

function lon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

function lat(y: number, z: number): number {
  const n = Math.PI * (1 - (2 * y) / 2 ** z);
  return (Math.atan(Math.sinh(n)) * 180) / Math.PI;
}

/** z/x/y checked: integers, z ≤ 22, x and y inside the zoom's grid. */
export function checkTile(z: number, x: number, y: number): void {
  const bad = (field: string, reason: string) => new AppError('VALIDATION', { field, reason });
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) throw bad('z', `an integer from 0 to ${MAX_ZOOM}`);
  const n = 2 ** z;
  if (!Number.isInteger(x) || x < 0 || x >= n) throw bad('x', `an integer from 0 to ${n - 1} at zoom ${z}`);
  if (!Number.isInteger(y) || y < 0 || y >= n) throw bad('y', `an integer from 0 to ${n - 1} at zoom ${z}`);
}

/** The raw road classes drawn at a zoom (each drawn class from its ROAD_CLASS_STYLE.minzoom); null = all. */
export function roadClassesAt(z: number): string[] | null {
  if (Object.values(ROAD_CLASS_STYLE).every((s) => s.minzoom <= z)) return null;
  return ROAD_CLASSES.filter((c) => ROAD_CLASS_STYLE[roadStyleClass(c)].minzoom <= z);
}

/** What one tile reads: its buffered box, the tolerance of one unit, the decimals that still tell units apart. */
export function tileQuery(z: number, x: number, y: number, networkId: string | null): repo.TileQuery {
  const b = BUFFER / EXTENT;
  const unitDeg = 360 / 2 ** z / EXTENT;
  return {
    west: lon(x - b, z),
    east: lon(x + 1 + b, z),
    north: lat(Math.max(0, y - b), z),
    south: lat(Math.min(2 ** z, y + 1 + b), z),
    inner: [lon(x, z), lat(y + 1, z), lon(x + 1, z), lat(y, z)],
    // one tile unit: below what geojson-vt keeps anyway (3 units), so nothing visible is lost
    tolerance: z >= SOURCE_MAX_ZOOM ? 0 : unitDeg,
    decimals: Math.min(7, Math.max(2, Math.ceil(-Math.log10(unitDeg)) + 1)),
    networkId,
    roadClasses: roadClassesAt(z),
  };
}

type Props = Record<string, string | number | boolean | null>;
interface Feature {
  type: 'Feature';
  id?: number;
  properties: Props;
  geometry: { type: string; coordinates: unknown };
}

function toFeatures(rows: repo.TileRow[], network: TileNetwork | null, namesEn: Record<string, string>) {
  const layers: Record<string, Feature[]> = {};
  const synthetic = network?.synthetic ?? false;
  for (const r of rows) {
    let properties: Props;
    let id: number | undefined;
    if (r.layer === 'roads') {
      id = r.id ?? undefined;
      properties = {
        class: roadStyleClass(r.class ?? ''),
        name: r.name,
        name_en: r.name_en,
        oneway: r.oneway,
        synthetic,
      };
    } else if (r.layer === 'water' || r.layer === 'land') {
      id = r.id ?? undefined;
      properties = { name: r.name, synthetic };
    } else {
      // district codes are numbers (adcodes): a feature id the web can use for feature state
      id = r.code && /^\d{1,15}$/.test(r.code) ? Number(r.code) : undefined;
      properties = { kind: r.kind, code: r.code, name: r.name, name_en: (r.code && namesEn[r.code]) || null };
    }
    const list = layers[r.layer] ?? [];
    layers[r.layer] = list;
    list.push({ type: 'Feature', ...(id !== undefined ? { id } : {}), properties, geometry: JSON.parse(r.geometry) });
  }
  return layers;
}

/** Encodes the features of one tile as a Mapbox Vector Tile (empty buffer when nothing is there). */
export function encodeTile(layers: Record<string, Feature[]>, z: number, x: number, y: number): Buffer {
  const tiles: Record<string, GeoJSONVTTile> = {};
  for (const [name, features] of Object.entries(layers)) {
    const t = geoJSONToTile({ type: 'FeatureCollection', features } as GeoJSON.FeatureCollection, z, x, y, {
      extent: EXTENT,
      buffer: BUFFER,
      clip: true,
      maxZoom: SOURCE_MAX_ZOOM,
    });
    if (t.features.length) tiles[name] = t;
  }
  if (!Object.keys(tiles).length) return EMPTY;
  const bytes = fromGeojsonVt(tiles, { version: 2, extent: EXTENT });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The offline basemap: vector tiles made from PostGIS query results (one query a tile), kept in an LRU by version and
 * z/x/y (concurrent requests for one tile share one query), and the MapLibre style that draws them.
 */
export function createTileService(deps: TileDeps, opts: { maxCachedTiles?: number; maxCachedBytes?: number } = {}) {
  let cachedVersion: string | null = null;
  let sources: { version: string; list: Promise<string[]> } | null = null;
  let knownSources: string[] = [];
  const cache = new LRUCache<string, Buffer, { z: number; x: number; y: number; network: TileNetwork | null }>({
    max: opts.maxCachedTiles ?? 5000,
    maxSize: opts.maxCachedBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (b) => b.length || 1,
    // a request in flight when the version moves still gets its tile
    ignoreFetchAbort: true,
    fetchMethod: async (_key, _stale, { context: { z, x, y, network } }) => {
      const rows = await repo.tileFeatures(deps.db.kysely, tileQuery(z, x, y, network?.id ?? null));
      return encodeTile(toFeatures(rows, network, deps.boundaryNamesEn?.() ?? {}), z, x, y);
    },
  });

  function currentVersion(): string {
    const v = deps.version();
    if (v !== cachedVersion) {
      // tiles of an older version are never asked for again: free them now rather than wait for the LRU
      cache.clear();
      cachedVersion = v;
    }
    return v;
  }

  return {
    /** The tile's bytes (empty when nothing lies there). Throws VALIDATION for z/x/y outside the grid. */
    async tile(z: number, x: number, y: number): Promise<Buffer> {
      checkTile(z, x, y);
      const network = deps.network();
      // the network is part of the key: a swapped network draws new tiles even before the version moves
      const key = `${currentVersion()}|${network?.id ?? '-'}/${z}/${x}/${y}`;
      return (await cache.fetch(key, { context: { z, x, y, network } })) ?? EMPTY;
    },
    /** Loads what the style says beside the tiles (the boundaries' sources); one query a version. */
    async prepare(): Promise<void> {
      const v = currentVersion();
      if (sources?.version !== v) sources = { version: v, list: repo.boundarySources(deps.db.kysely) };
      knownSources = await sources.list;
    },
    /** The MapLibre style (v8) of the basemap; `origin` is the scheme and host the browser reached Anlan at. */
    style(lang: 'zh' | 'en', origin: string, theme: MapTheme = 'light'): object {
      return buildStyle({
        lang,
        theme,
        origin,
        network: deps.network(),
        boundarySources: knownSources,
        maxzoom: SOURCE_MAX_ZOOM,
      });
    },
    /** Drops every cached tile. */
    clear(): void {
      cache.clear();
    },
    /** How many tiles are cached (for tests and metrics). */
    get cachedTiles(): number {
      return cache.size;
    },
  };
}
