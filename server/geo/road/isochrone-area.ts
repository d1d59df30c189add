/**
 * The area around reached roads: the union of buffers of `radius` metres around the road pieces, holes kept.
 *
 * Done on a raster, which makes the union free and the cost linear: the pieces are drawn into a grid of cells
 * (radius / 4 on a side, coarser for very large extents so the grid stays near a million cells), an exact
 * Euclidean distance transform gives each cell's distance to the nearest road cell, and marching squares
 * (d3-contour, linear interpolation) trace the line at distance = radius into polygons with holes. The outline is
 * accurate to a fraction of a cell. The radius is 100 m, growing with the extent (1/200 of it) for regional areas.
 * Holes smaller than MIN_HOLE_KM2 are filled: a city block enclosed by reached streets is reached.
 */
import turfArea from '@turf/area';
import { contours } from 'd3-contour';
import type { LonLat } from './network.ts';
import { METERS_PER_DEGREE } from './road-geometry.ts';

export interface BufferedArea {
  polygon: { type: 'MultiPolygon'; coordinates: LonLat[][][] };
  areaKm2: number;
  radiusMeters: number;
}

const MAX_CELLS = 1_500_000;
/** Holes below this area (km²) — blocks between reached streets — are part of the reached area. */
export const MIN_HOLE_KM2 = 0.5;
const BIG = 1e20;

export function bufferedRoads(lines: LonLat[][], radiusMeters?: number): BufferedArea {
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const l of lines) {
    for (const [lon, lat] of l) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  if (!Number.isFinite(minLon))
    return { polygon: { type: 'MultiPolygon', coordinates: [] }, areaKm2: 0, radiusMeters: 0 };
  const lat0 = (minLat + maxLat) / 2;
  const kx = METERS_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180);
  const ky = METERS_PER_DEGREE;
  const w = (maxLon - minLon) * kx;
  const h = (maxLat - minLat) * ky;
  const extent = Math.max(w, h);
  const radius = radiusMeters ?? Math.max(100, extent / 200);
  let cell = radius / 4;
  const cellsFor = (c: number) => (Math.ceil((w + 2 * radius) / c) + 4) * (Math.ceil((h + 2 * radius) / c) + 4);
  while (cellsFor(cell) > MAX_CELLS) cell *= 1.25;
  const cols = Math.ceil((w + 2 * radius) / cell) + 4;
  const rows = Math.ceil((h + 2 * radius) / cell) + 4;
  // cell (i, j) has its centre at x0 + i * cell, y0 + j * cell (metres east / north of minLon, minLat)
  const x0 = -radius - 2 * cell;
  const y0 = -radius - 2 * cell;
  const grid = new Float64Array(cols * rows).fill(BIG);
  const step = cell / 2;
  const mark = (x: number, y: number) => {
    const i = Math.round((x - x0) / cell);
    const j = Math.round((y - y0) / cell);
    grid[j * cols + i] = 0;
  };
  for (const l of lines) {
    for (let k = 0; k < l.length; k++) {
      const x = (l[k][0] - minLon) * kx;
      const y = (l[k][1] - minLat) * ky;
      mark(x, y);
      if (k + 1 < l.length) {
        const x1 = (l[k + 1][0] - minLon) * kx;
        const y1 = (l[k + 1][1] - minLat) * ky;
        const n = Math.ceil(Math.hypot(x1 - x, y1 - y) / step);
        for (let t = 1; t < n; t++) mark(x + ((x1 - x) * t) / n, y + ((y1 - y) * t) / n);
      }
    }
  }
  distanceTransform(grid, cols, rows);
  const r = radius / cell;
  const values = new Float64Array(cols * rows);
  for (let i = 0; i < values.length; i++) values[i] = r - Math.sqrt(grid[i]);
  const mp = contours()
    .size([cols, rows])
    .contour(values as unknown as number[], 0);
  // contour coordinate X is cell X - 0.5 (d3 puts a value at the centre of its pixel)
  const toLonLat = (p: number[]): LonLat => [
    round7(minLon + (x0 + (p[0] - 0.5) * cell) / kx),
    round7(minLat + (y0 + (p[1] - 0.5) * cell) / ky),
  ];
  const coordinates: LonLat[][][] = mp.coordinates.map((poly) =>
    poly
      .map((ring, k) => orient(ring.map(toLonLat), k === 0))
      .filter((ring, k) => k === 0 || turfArea({ type: 'Polygon', coordinates: [ring] }) / 1e6 >= MIN_HOLE_KM2),
  );
  const polygon = { type: 'MultiPolygon' as const, coordinates };
  return { polygon, areaKm2: turfArea(polygon) / 1e6, radiusMeters: radius };
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

/** RFC 7946: exterior rings counter-clockwise, holes clockwise. */
function orient(ring: LonLat[], exterior: boolean): LonLat[] {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  // s > 0: clockwise
  const clockwise = s > 0;
  if (exterior === clockwise) ring.reverse();
  return ring;
}

/** In place: each cell's squared distance (in cells) to the nearest cell holding 0 (Felzenszwalb–Huttenlocher). */
export function distanceTransform(grid: Float64Array, cols: number, rows: number): void {
  const n = Math.max(cols, rows);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) f[j] = grid[j * cols + i];
    edt1d(f, rows, d, v, z);
    for (let j = 0; j < rows; j++) grid[j * cols + i] = d[j];
  }
  for (let j = 0; j < rows; j++) {
    const o = j * cols;
    for (let i = 0; i < cols; i++) f[i] = grid[o + i];
    edt1d(f, cols, d, v, z);
    for (let i = 0; i < cols; i++) grid[o + i] = d[i];
  }
}

function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = Number.NEGATIVE_INFINITY;
  z[1] = Number.POSITIVE_INFINITY;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const t = q - v[k];
    d[q] = t * t + f[v[k]];
  }
}
