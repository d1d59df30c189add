/**
 * Aviation coverage: which share of a city's land (its districts, and sea areas when the caller adds them as zones)
 * lies within reach of its air bases and helipads.
 *
 * The rule (the answer's definition): the zones are cut into H3 cells (a cell is a zone's when its centre lies in the
 * zone's polygon, `polygonToCells`; a cell held by several zones is the first one's); a cell is covered when the
 * geodesic distance on the WGS-84 ellipsoid from its centre to some base is at most that base's radius; areas are
 * the sums of the cells' areas (`cellArea`), so shares are area weighted and the resolution sets the error.
 *
 * What makes it cheap:
 * - a base is measured against a cell only when the cell's centre lies in the base's reach box (`reachBox`), a
 *   latitude/longitude box that provably holds every point within the radius: four comparisons dismiss most pairs;
 * - a great-circle distance decides the pairs clearly inside or outside the radius (`SPHERE_MARGIN`), so the
 *   geodesic inverse runs only for cells near a circle's edge;
 * - the zones' grid (cells, centres, areas, owner zone) is kept for the last few zone sets asked about (an LRU keyed
 *   by the zones' geometry and the resolution): the same districts are asked about with other bases again and again,
 *   and cutting them into cells is most of a first answer's time.
 */

import geodesic from 'geographiclib-geodesic';
import { cellArea, cellsToMultiPolygon, cellToLatLng, polygonToCells } from 'h3-js';
import { LRUCache } from 'lru-cache';

const { Geodesic } = geodesic;
const WGS84 = Geodesic.WGS84;

export interface AviationBase {
  id: string;
  name: string;
  /** [longitude, latitude], WGS-84 */
  location: [number, number];
  radiusKm: number;
}

export interface Zone {
  code: string;
  name: string;
  /** GeoJSON geometry, WGS-84 */
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface ZoneCoverage {
  code: string;
  name: string;
  coveredShare: number;
  areaKm2: number;
  coveredKm2: number;
}

export interface AviationCoverage {
  /** 0..1 of all zones' area */
  coveredShare: number;
  areaKm2: number;
  coveredKm2: number;
  districts: ZoneCoverage[];
  /** the cells no base reaches, merged, WGS-84 */
  uncovered: { type: 'MultiPolygon'; coordinates: number[][][][] };
  h3Resolution: number;
}

/**
 * Resolution 8 cells (~0.74 km², ~0.9 km across) keep every Weihai district's share within 0.0014 of PostGIS's exact
 * intersection (aviation-coverage.test.ts; resolution 7 strays by 0.013, resolution 9 is no closer on these cases:
 * the districts' own coastlines limit it) in tens of milliseconds, at a seventh of resolution 9's cells.
 */
export const DEFAULT_RESOLUTION = 8;

/** Lower bounds of the length of one degree on the WGS-84 ellipsoid, km, rounded down for a safe margin. */
// a meridian degree is shortest at the equator: π/180 · a(1 − e²) = 110.574 km
const KM_PER_DEGREE_LAT = 110.57;
// a parallel degree at latitude φ is π/180 · N(φ) cos φ with N ≥ a: at least 111.319 km · cos φ
const KM_PER_DEGREE_LON_EQUATOR = 111.31;

/** [minLon, minLat, maxLon, maxLat] of a base's reach; longitudes unwrapped (may pass ±180), `wholeLon` near a pole. */
export interface ReachBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  wholeLon: boolean;
}

/**
 * A box holding every point within `radiusKm` (geodesic, WGS-84) of the centre. Why it holds: the distance between
 * two points is at least the meridian arc between their parallels, which bounds the latitude; every point of the
 * geodesic to a point in reach stays within that latitude band, where a step east–west of dλ costs at least
 * N cos φ dλ ≥ a cos φmax dλ, which bounds the longitude.
 */
export function reachBox(center: [number, number], radiusKm: number): ReachBox {
  const [lon, lat] = center;
  const dLat = radiusKm / KM_PER_DEGREE_LAT;
  const minLat = lat - dLat;
  const maxLat = lat + dLat;
  const farthest = Math.max(Math.abs(minLat), Math.abs(maxLat));
  const cosMax = farthest >= 90 ? 0 : Math.cos((farthest * Math.PI) / 180);
  const dLon = cosMax > 0 ? radiusKm / (KM_PER_DEGREE_LON_EQUATOR * cosMax) : Number.POSITIVE_INFINITY;
  const wholeLon = dLon >= 180;
  return {
    minLon: wholeLon ? -180 : lon - dLon,
    minLat: Math.max(minLat, -90),
    maxLon: wholeLon ? 180 : lon + dLon,
    maxLat: Math.min(maxLat, 90),
    wholeLon,
  };
}

function inBox(box: ReachBox, lon: number, lat: number): boolean {
  if (lat < box.minLat || lat > box.maxLat) return false;
  if (box.wholeLon) return true;
  // the box may pass ±180: try the point's longitude a turn either way too
  for (const l of [lon, lon - 360, lon + 360]) if (l >= box.minLon && l <= box.maxLon) return true;
  return false;
}

/** Geodesic distance on WGS-84 in km between two [lon, lat] points. */
export function geodesicKm(a: [number, number], b: [number, number]): number {
  return (WGS84.Inverse(a[1], a[0], b[1], b[0], Geodesic.DISTANCE).s12 ?? Number.NaN) / 1000;
}

/**
 * The polygon of the points at `radiusKm` from the centre along geodesics on WGS-84, `points` vertices (azimuths
 * evenly spaced), as a GeoJSON Polygon with its ring counter-clockwise and closed. Longitudes are unwrapped, so a
 * circle across ±180 stays one ring; a circle around a pole is not a valid ring (no base reaches that far).
 */
export function geodesicCircle(
  center: [number, number],
  radiusKm: number,
  points = 720,
): { type: 'Polygon'; coordinates: [number, number][][] } {
  if (!Number.isInteger(points) || points < 3) throw new RangeError(`points must be an integer ≥ 3, not ${points}`);
  checkRadius(radiusKm);
  const [lon, lat] = center;
  const outmask = Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.LONG_UNROLL;
  const ring: [number, number][] = [];
  // azimuths are clockwise from north: walking them backwards draws the ring counter-clockwise (RFC 7946)
  for (let i = 0; i < points; i++) {
    const azimuth = 360 - (360 * i) / points;
    const p = WGS84.Direct(lat, lon, azimuth, radiusKm * 1000, outmask);
    ring.push([p.lon2 ?? lon, p.lat2 ?? lat]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

function checkRadius(radiusKm: number): void {
  if (!Number.isFinite(radiusKm) || radiusKm < 0)
    throw new RangeError(`radius must be a finite number ≥ 0 km, not ${radiusKm}`);
}

/** The zone's polygons as GeoJSON rings ([lon, lat] pairs); a malformed geometry is refused rather than read as empty. */
export function zonePolygons(zone: Zone): number[][][][] {
  const { type, coordinates } = zone.geometry;
  const polygons = type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' ? coordinates : undefined;
  if (!Array.isArray(polygons) || !polygons.every(isPolygon))
    throw new TypeError(`zone ${zone.code}: not a GeoJSON Polygon or MultiPolygon`);
  return polygons;
}

function isPolygon(p: unknown): p is number[][][] {
  return (
    Array.isArray(p) &&
    p.every(
      (ring) =>
        Array.isArray(ring) &&
        ring.every((pt) => Array.isArray(pt) && pt.length >= 2 && Number.isFinite(pt[0]) && Number.isFinite(pt[1])),
    )
  );
}

/** Each zone's cells, a cell only in the first zone that holds its centre. */
export function zoneCells(zones: Zone[], resolution: number): string[][] {
  const taken = new Set<string>();
  return zones.map((zone) => {
    const own: string[] = [];
    for (const polygon of zonePolygons(zone)) {
      for (const cell of polygonToCells(polygon, resolution, true)) {
        if (taken.has(cell)) continue;
        taken.add(cell);
        own.push(cell);
      }
    }
    return own;
  });
}

/** The zones cut into cells, in columns: cell i lies in zone `zone[i]`, its centre at (`lon[i]`, `lat[i]`). */
interface Grid {
  cells: string[];
  zone: Uint32Array;
  lon: Float64Array;
  lat: Float64Array;
  areaKm2: Float64Array;
}

function gridOf(zones: Zone[], resolution: number): Grid {
  const cellsOfZones = zoneCells(zones, resolution);
  const cells = cellsOfZones.flat();
  const g: Grid = {
    cells,
    zone: new Uint32Array(cells.length),
    lon: new Float64Array(cells.length),
    lat: new Float64Array(cells.length),
    areaKm2: new Float64Array(cells.length),
  };
  let i = 0;
  cellsOfZones.forEach((own, z) => {
    for (const cell of own) {
      const [lat, lon] = cellToLatLng(cell);
      g.zone[i] = z;
      g.lon[i] = lon;
      g.lat[i] = lat;
      g.areaKm2[i] = cellArea(cell, 'km2');
      i++;
    }
  });
  return g;
}

/** cells held by the grid cache over all its grids (~100 bytes each: ~30 MB; a larger grid is not cached) */
const GRID_CACHE_CELLS = 300_000;
const grids = new LRUCache<string, Grid>({
  maxSize: GRID_CACHE_CELLS,
  sizeCalculation: (g) => Math.max(1, g.cells.length),
});

function cachedGrid(zones: Zone[], resolution: number): Grid {
  // the geometry is the key: a re-imported boundary is another grid, whatever its code
  const key = `${resolution}|${JSON.stringify(zones.map((z) => z.geometry))}`;
  let g = grids.get(key);
  if (!g) {
    g = gridOf(zones, resolution);
    if (g.cells.length <= GRID_CACHE_CELLS) grids.set(key, g);
  }
  return g;
}

/**
 * How far the great-circle distance on a sphere of the mean radius may stray from the geodesic on WGS-84, as a
 * share of the distance: at most about 0.56 % (the flattening, 1/298, with the latitude's own distortion); 1 % is
 * the margin taken, and the test checks the bound on pairs all over the globe.
 */
export const SPHERE_MARGIN = 0.01;
const MEAN_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance in km on the sphere of the mean radius (haversine), from precomputed cosines. */
function sphereKm(lat1: number, lon1: number, cos1: number, lat2: number, lon2: number, cos2: number): number {
  const sLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sLat * sLat + cos1 * cos2 * sLon * sLon;
  return 2 * MEAN_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in km between two [lon, lat] points on the sphere of the mean radius. */
export function greatCircleKm(a: [number, number], b: [number, number]): number {
  return sphereKm(a[1], a[0], Math.cos(a[1] * RAD), b[1], b[0], Math.cos(b[1] * RAD));
}

interface PreparedBase {
  location: [number, number];
  cosLat: number;
  radiusKm: number;
  box: ReachBox;
}

function prepareBase(b: AviationBase): PreparedBase {
  checkRadius(b.radiusKm);
  const [lon, lat] = b.location;
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90)
    throw new RangeError(`base ${b.id}: location must be [longitude, latitude] in degrees`);
  return {
    location: b.location,
    cosLat: Math.cos(lat * RAD),
    radiusKm: b.radiusKm,
    box: reachBox(b.location, b.radiusKm),
  };
}

/** Whether some base reaches the point (geodesic, WGS-84), asking the ellipsoid only when the sphere cannot tell. */
function reaches(bases: PreparedBase[], lon: number, lat: number): boolean {
  const cosLat = Math.cos(lat * RAD);
  for (const b of bases) {
    if (!inBox(b.box, lon, lat)) continue;
    const approx = sphereKm(b.location[1], b.location[0], b.cosLat, lat, lon, cosLat);
    if (approx <= b.radiusKm * (1 - SPHERE_MARGIN)) return true;
    if (approx >= b.radiusKm * (1 + SPHERE_MARGIN)) continue;
    if (geodesicKm(b.location, [lon, lat]) <= b.radiusKm) return true;
  }
  return false;
}

/** The share of the zones within reach of the bases, overall and per zone, and the part out of reach. */
export function aviationCoverage(
  zones: Zone[],
  bases: AviationBase[],
  opts: { resolution?: number } = {},
): AviationCoverage {
  const resolution = opts.resolution ?? DEFAULT_RESOLUTION;
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15)
    throw new RangeError(`H3 resolution must be an integer 0…15, not ${resolution}`);
  const prepared = bases.map(prepareBase);
  const grid = cachedGrid(zones, resolution);
  const zoneArea = new Float64Array(zones.length);
  const zoneCovered = new Float64Array(zones.length);
  const uncoveredCells: string[] = [];
  for (let i = 0; i < grid.cells.length; i++) {
    const z = grid.zone[i];
    zoneArea[z] += grid.areaKm2[i];
    if (reaches(prepared, grid.lon[i], grid.lat[i])) zoneCovered[z] += grid.areaKm2[i];
    else uncoveredCells.push(grid.cells[i]);
  }
  let areaKm2 = 0;
  let coveredKm2 = 0;
  const districts = zones.map((zone, z) => {
    areaKm2 += zoneArea[z];
    coveredKm2 += zoneCovered[z];
    return {
      code: zone.code,
      name: zone.name,
      coveredShare: share(zoneCovered[z], zoneArea[z]),
      areaKm2: zoneArea[z],
      coveredKm2: zoneCovered[z],
    };
  });
  return {
    coveredShare: share(coveredKm2, areaKm2),
    areaKm2,
    coveredKm2,
    districts,
    uncovered: { type: 'MultiPolygon', coordinates: rounded(cellsToMultiPolygon(uncoveredCells, true)) },
    h3Resolution: resolution,
  };
}

// 6 decimals (~0.1 m) is far below a cell's ~0.9 km and nearly halves the outline's JSON
function rounded(polygons: number[][][][]): number[][][][] {
  return polygons.map((p) =>
    p.map((ring) => ring.map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6])),
  );
}

// a zone too small to hold a cell's centre has no area at this resolution: nothing of it is covered
function share(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, part / whole) : 0;
}
