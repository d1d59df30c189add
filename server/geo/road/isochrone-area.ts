/**
 * The area around reached roads: the union of buffers of `radius` metres around the road pieces, holes kept.
 *
 * Done on a raster, which makes the union free and the cost linear: the pieces are drawn into a grid of cells
 * (radius / 4 on a side, coarser for very large extents so the grid stays near a million cells), an exact
 * Euclidean distance transform gives each cell's distance to the nearest road cell, and marching squares
 * (d3-contour's algorithm, linear interpolation; re-done here for one threshold, see contourAtRadius) trace the
 * line at distance = radius into polygons with holes. The outline is
 * accurate to a fraction of a cell. The radius is 100 m, growing with the extent (1/200 of it) for regional areas.
 * Holes smaller than MIN_HOLE_KM2 are filled: a city block enclosed by reached streets is reached.
 */
import turfArea from '@turf/area';
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
// raster and row scratch kept between calls (one thread runs one call at a time), grown as needed: at most
// MAX_CELLS · 8 bytes (12 MB) for the raster after a regional area, ~0.3 MB after a city isochrone
let raster = new Float64Array(0);
let rowA = new Float64Array(0);
let rowB = new Float64Array(0);

export function bufferedRoads(lines: LonLat[][], radiusMeters?: number): BufferedArea {
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const l of lines) {
    for (let k = 0; k < l.length; k++) {
      const lon = l[k][0];
      const lat = l[k][1];
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
  // squared distance (in cells) to the nearest road cell (this thread's raster, reused from call to call)
  if (raster.length < cols * rows) raster = new Float64Array(Math.max(cols * rows, raster.length * 2));
  const grid = raster;
  grid.fill(BIG, 0, cols * rows);
  const step = cell / 2;
  for (const l of lines) {
    for (let k = 0; k < l.length; k++) {
      const x = (l[k][0] - minLon) * kx;
      const y = (l[k][1] - minLat) * ky;
      markRoad(grid, cols, Math.round((x - x0) / cell), Math.round((y - y0) / cell));
      if (k + 1 < l.length) {
        const x1 = (l[k + 1][0] - minLon) * kx;
        const y1 = (l[k + 1][1] - minLat) * ky;
        const ddx = x1 - x;
        const ddy = y1 - y;
        // not Math.hypot: several times slower in V8, and the same to an ulp here
        const n = Math.ceil(Math.sqrt(ddx * ddx + ddy * ddy) / step);
        for (let t = 1; t < n; t++)
          markRoad(
            grid,
            cols,
            Math.round((x + ((x1 - x) * t) / n - x0) / cell),
            Math.round((y + ((y1 - y) * t) / n - y0) / cell),
          );
      }
    }
  }
  const r = radius / cell;
  // only cells within r + 1 of a road can meet the outline (the distance changes by at most 1 from a cell to the next)
  distanceTransform(grid, cols, rows, Math.ceil(r) + 1);
  // holes of less than half MIN_HOLE_KM2 on the plane are less than MIN_HOLE_KM2 on the sphere: dropped below anyway
  const minHole = (MIN_HOLE_KM2 * 1e6) / 2 / (cell * cell);
  const mp = { coordinates: contourAtRadius(grid, cols, rows, r, minHole) };
  // contour coordinate X is cell X - 0.5 (d3 puts a value at the centre of its pixel)
  // in place: the rings' points are this call's own
  for (const poly of mp.coordinates)
    for (const ring of poly)
      for (const p of ring) {
        p[0] = round7(minLon + (x0 + (p[0] - 0.5) * cell) / kx);
        p[1] = round7(minLat + (y0 + (p[1] - 0.5) * cell) / ky);
      }
  const coordinates: LonLat[][][] = mp.coordinates.map((poly) =>
    poly
      .map((ring, k) => orient(ring, k === 0))
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

function markRoad(grid: Float64Array, cols: number, i: number, j: number): void {
  grid[j * cols + i] = 0;
}

/**
 * In place: each cell's squared distance (in cells) to the nearest cell holding 0, the others holding BIG
 * (Felzenszwalb–Huttenlocher). Along columns that is the distance to the nearest 0 above or below, found by a sweep
 * down and one up over whole rows (memory in order); then a lower envelope of parabolas along each row. With
 * `band`, only cells within `band` cells of a 0 are exact (the others get more than band², maybe not their
 * distance): along each row, each cell near a road (column distance ≤ band) spreads to the `band` cells either side.
 */
export function distanceTransform(grid: Float64Array, cols: number, rows: number, band?: number): void {
  if (rowA.length < cols) {
    rowA = new Float64Array(cols);
    rowB = new Float64Array(cols);
  }
  const last = rowA;
  last.fill(Number.NEGATIVE_INFINITY, 0, cols);
  for (let j = 0; j < rows; j++) {
    const o = j * cols;
    for (let i = 0; i < cols; i++) {
      if (grid[o + i] === 0) last[i] = j;
      else {
        const t = j - last[i];
        grid[o + i] = t === Number.POSITIVE_INFINITY ? BIG : t * t;
      }
    }
  }
  last.fill(Number.POSITIVE_INFINITY, 0, cols);
  for (let j = rows - 1; j >= 0; j--) {
    const o = j * cols;
    for (let i = 0; i < cols; i++) {
      const v = grid[o + i];
      if (v === 0) last[i] = j;
      else {
        const t = last[i] - j;
        if (t !== Number.POSITIVE_INFINITY && t * t < v) grid[o + i] = t * t;
      }
    }
  }
  if (band === undefined) {
    const f = new Float64Array(cols);
    const d = new Float64Array(cols);
    const v = new Int32Array(cols);
    const z = new Float64Array(cols + 1);
    for (let j = 0; j < rows; j++) {
      const o = j * cols;
      for (let i = 0; i < cols; i++) f[i] = grid[o + i];
      edt1d(f, cols, d, v, z);
      for (let i = 0; i < cols; i++) grid[o + i] = d[i];
    }
    return;
  }
  // within the band only: a cell's nearest road cell lies within `band` columns of it
  const w2 = band * band;
  const f = rowB;
  for (let j = 0; j < rows; j++) {
    const o = j * cols;
    for (let i = 0; i < cols; i++) {
      f[i] = grid[o + i];
      grid[o + i] = BIG;
    }
    for (let c = 0; c < cols; c++) {
      const fc = f[c];
      if (fc > w2) continue;
      const q1 = Math.min(cols - 1, c + band);
      for (let q = Math.max(0, c - band); q <= q1; q++) {
        const dq = q - c;
        const d = dq * dq + fc;
        if (d < grid[o + q]) grid[o + q] = d;
      }
    }
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

// ---------------------------------------------------------------------------------------------------------------
// The outline at distance r: d3-contour's `contours().size([cols, rows]).contour(values, 0)` with values
// r - √(squared distance), the same rings point for point (marching squares, fragments stitched into rings, linear
// interpolation, holes given to the first polygon holding them), without its per-cell closures and sparse arrays,
// and taking square roots only where the outline passes. Adapted from d3-contour's isorings, smoothLinear, area and
// contains, under its licence:
//
//   Copyright 2012-2026 Mike Bostock
//
//   Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby
//   granted, provided that the above copyright notice and this permission notice appear in all copies.
//
//   THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO THIS SOFTWARE INCLUDING
//   ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL,
//   DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS,
//   WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE
//   USE OR PERFORMANCE OF THIS SOFTWARE.

type Pt = [number, number];

/** d3-contour's marching-squares cases: the line pieces of each of the 16 corner states. */
const CASES: number[][][][] = [
  [],
  [
    [
      [1.0, 1.5],
      [0.5, 1.0],
    ],
  ],
  [
    [
      [1.5, 1.0],
      [1.0, 1.5],
    ],
  ],
  [
    [
      [1.5, 1.0],
      [0.5, 1.0],
    ],
  ],
  [
    [
      [1.0, 0.5],
      [1.5, 1.0],
    ],
  ],
  [
    [
      [1.0, 1.5],
      [0.5, 1.0],
    ],
    [
      [1.0, 0.5],
      [1.5, 1.0],
    ],
  ],
  [
    [
      [1.0, 0.5],
      [1.0, 1.5],
    ],
  ],
  [
    [
      [1.0, 0.5],
      [0.5, 1.0],
    ],
  ],
  [
    [
      [0.5, 1.0],
      [1.0, 0.5],
    ],
  ],
  [
    [
      [1.0, 1.5],
      [1.0, 0.5],
    ],
  ],
  [
    [
      [0.5, 1.0],
      [1.0, 0.5],
    ],
    [
      [1.5, 1.0],
      [1.0, 1.5],
    ],
  ],
  [
    [
      [1.5, 1.0],
      [1.0, 0.5],
    ],
  ],
  [
    [
      [0.5, 1.0],
      [1.5, 1.0],
    ],
  ],
  [
    [
      [1.0, 1.5],
      [1.5, 1.0],
    ],
  ],
  [
    [
      [0.5, 1.0],
      [1.0, 1.5],
    ],
  ],
  [],
];

/** a fragment-by-end-point table entry nobody holds */
const NONE = -1;
// lookup tables of fragments by start / end point key, kept all NONE between calls (one thread runs one at a time)
let byStartKey = new Int32Array(0);
let byEndKey = new Int32Array(0);

/**
 * d3-contour's stitching of marching-squares lines into rings (its fragmentByStart / fragmentByEnd), the same rings
 * in the same order: fragments are linked lists of points (prepend, append and join in O(1) where d3 unshifts and
 * concatenates arrays), found by their end points' keys in typed tables instead of sparse arrays.
 */
class Stitcher {
  private readonly width: number;
  private readonly off: number;
  private readonly used: number[] = [];
  // points: coordinates and the next point of their fragment
  private readonly px: number[] = [];
  private readonly py: number[] = [];
  private readonly next: number[] = [];
  // fragments: end point keys, first and last points
  private readonly fStart: number[] = [];
  private readonly fEnd: number[] = [];
  private readonly fHead: number[] = [];
  private readonly fTail: number[] = [];

  constructor(
    dx: number,
    dy: number,
    private readonly done: (ring: Pt[]) => void,
  ) {
    this.width = (dx + 1) * 4;
    // keys run from -1 - 2 (dx + 1) (the point (-0.5, -0.5)) to 2 dx + 1 + (dy + 0.5) · 4 (dx + 1)
    this.off = 2 * (dx + 1) + 1;
    const size = this.off + 2 * dx + 2 + (dy + 1) * this.width;
    if (byStartKey.length < size) {
      byStartKey = new Int32Array(size).fill(NONE);
      byEndKey = new Int32Array(size).fill(NONE);
    }
  }

  add(code: number, x: number, y: number): void {
    for (const line of CASES[code]) this.stitch(line[0][0] + x, line[0][1] + y, line[1][0] + x, line[1][1] + y);
  }

  /** Leaves the tables all NONE for the next call. */
  finish(): void {
    for (const k of this.used) {
      byStartKey[k] = NONE;
      byEndKey[k] = NONE;
    }
  }

  private point(x: number, y: number): number {
    this.px.push(x);
    this.py.push(y);
    this.next.push(NONE);
    return this.px.length - 1;
  }

  private fragment(start: number, end: number, head: number, tail: number): number {
    const f = this.fStart.length;
    this.fStart.push(start);
    this.fEnd.push(end);
    this.fHead.push(head);
    this.fTail.push(tail);
    byStartKey[start] = f;
    byEndKey[end] = f;
    this.used.push(start, end);
    return f;
  }

  private ring(f: number): Pt[] {
    const out: Pt[] = [];
    for (let p = this.fHead[f]; p !== NONE; p = this.next[p]) out.push([this.px[p], this.py[p]]);
    return out;
  }

  private stitch(sx: number, sy: number, ex: number, ey: number): void {
    const startIndex = sx * 2 + sy * this.width + this.off;
    const endIndex = ex * 2 + ey * this.width + this.off;
    const f = byEndKey[startIndex];
    if (f !== NONE) {
      const g = byStartKey[endIndex];
      if (g !== NONE) {
        byEndKey[this.fEnd[f]] = NONE;
        byStartKey[this.fStart[g]] = NONE;
        if (f === g) {
          const p = this.point(ex, ey);
          this.next[this.fTail[f]] = p;
          this.fTail[f] = p;
          this.done(this.ring(f));
        } else {
          // f's points then g's, as one new fragment
          this.next[this.fTail[f]] = this.fHead[g];
          this.fragment(this.fStart[f], this.fEnd[g], this.fHead[f], this.fTail[g]);
        }
      } else {
        byEndKey[this.fEnd[f]] = NONE;
        const p = this.point(ex, ey);
        this.next[this.fTail[f]] = p;
        this.fTail[f] = p;
        this.fEnd[f] = endIndex;
        byEndKey[endIndex] = f;
        this.used.push(endIndex);
      }
      return;
    }
    const h = byStartKey[endIndex];
    if (h !== NONE) {
      // (d3 then looks for a fragment ending at the start point: there is none, see above)
      byStartKey[this.fStart[h]] = NONE;
      const p = this.point(sx, sy);
      this.next[p] = this.fHead[h];
      this.fHead[h] = p;
      this.fStart[h] = startIndex;
      byStartKey[startIndex] = h;
      this.used.push(startIndex);
      return;
    }
    const a = this.point(sx, sy);
    const b = this.point(ex, ey);
    this.next[a] = b;
    this.fragment(startIndex, endIndex, a, b);
  }
}

/**
 * d3-contour's contour(values, 0).coordinates for values r - √sq, sq squared distances (integers or BIG), less the
 * holes of less than `minHole` square cells (which the caller would drop: they need no polygon found for them).
 */
export function contourAtRadius(sq: Float64Array, dx: number, dy: number, r: number, minHole = 0): Pt[][][] {
  // inside (value ≥ 0) ⇔ sq ≤ dMax, sq being a whole number or BIG
  let dMax = Math.floor(r * r) + 2;
  while (dMax >= 0 && !(r - Math.sqrt(dMax) >= 0)) dMax--;
  const polygons: Pt[][][] = [];
  const holes: Pt[][] = [];
  const n = dx * dy;
  const value = (i: number): number => (i >= 0 && i < n ? r - Math.sqrt(sq[i]) : Number.NEGATIVE_INFINITY);
  const st = new Stitcher(dx, dy, (ring) => {
    for (const point of ring) {
      const x = point[0];
      const y = point[1];
      const xt = x | 0;
      const yt = y | 0;
      const v1 = value(yt * dx + xt);
      if (x > 0 && x < dx && xt === x) point[0] = smooth1(x, value(yt * dx + xt - 1), v1, 0);
      if (y > 0 && y < dy && yt === y) point[1] = smooth1(y, value((yt - 1) * dx + xt), v1, 0);
    }
    const a = ringArea(ring);
    if (a > 0) polygons.push([ring]);
    else if (-a / 2 >= minHole) holes.push(ring);
  });
  const ab = (i: number): number => (sq[i] <= dMax ? 1 : 0);
  let x: number;
  let y: number;
  let t0: number;
  let t1: number;
  let t2: number;
  let t3: number;
  // first row (y = -1, t2 = t3 = 0)
  x = y = -1;
  t1 = ab(0);
  if (t1) st.add(t1 << 1, x, y);
  while (++x < dx - 1) {
    t0 = t1;
    t1 = ab(x + 1);
    const c = t0 | (t1 << 1);
    if (c) st.add(c, x, y);
  }
  if (t1) st.add(t1, x, y);
  // intermediate rows
  while (++y < dy - 1) {
    x = -1;
    const o = y * dx;
    t1 = ab(o + dx);
    t2 = ab(o);
    let c = (t1 << 1) | (t2 << 2);
    if (c) st.add(c, x, y);
    while (++x < dx - 1) {
      t0 = t1;
      t1 = ab(o + dx + x + 1);
      t3 = t2;
      t2 = ab(o + x + 1);
      c = t0 | (t1 << 1) | (t2 << 2) | (t3 << 3);
      if (c !== 0 && c !== 15) st.add(c, x, y);
    }
    c = t1 | (t2 << 3);
    if (c) st.add(c, x, y);
  }
  // last row (y = dy - 1, t0 = t1 = 0)
  x = -1;
  const o = y * dx;
  t2 = ab(o);
  if (t2) st.add(t2 << 2, x, y);
  while (++x < dx - 1) {
    t3 = t2;
    t2 = ab(o + x + 1);
    const c = (t2 << 2) | (t3 << 3);
    if (c) st.add(c, x, y);
  }
  if (t2) st.add(t2 << 3, x, y);
  st.finish();
  for (const hole of holes) {
    for (const polygon of polygons) {
      if (contains(polygon[0], hole) !== -1) {
        polygon.push(hole);
        break;
      }
    }
  }
  return polygons;
}

function smooth1(x: number, v0: number, v1: number, value: number): number {
  const a = value - v0;
  const b = v1 - v0;
  const d = Number.isFinite(a) || Number.isFinite(b) ? a / b : Math.sign(a) / Math.sign(b);
  return Number.isNaN(d) ? x : x + d - 0.5;
}

function ringArea(ring: Pt[]): number {
  const n = ring.length;
  let a = ring[n - 1][1] * ring[0][0] - ring[n - 1][0] * ring[0][1];
  for (let i = 1; i < n; i++) a += ring[i - 1][1] * ring[i][0] - ring[i - 1][0] * ring[i][1];
  return a;
}

function contains(ring: Pt[], hole: Pt[]): number {
  for (const p of hole) {
    const c = ringContains(ring, p);
    if (c) return c;
  }
  return 0;
}

function ringContains(ring: Pt[], point: Pt): number {
  const x = point[0];
  const y = point[1];
  let inside = -1;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const pi = ring[i];
    const xi = pi[0];
    const yi = pi[1];
    const pj = ring[j];
    const xj = pj[0];
    const yj = pj[1];
    if (segmentContains(pi, pj, point)) return 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = -inside;
  }
  return inside;
}

function segmentContains(a: Pt, b: Pt, c: Pt): boolean {
  const i = a[0] === b[0] ? 1 : 0;
  return (b[0] - a[0]) * (c[1] - a[1]) === (c[0] - a[0]) * (b[1] - a[1]) && within(a[i], c[i], b[i]);
}

function within(p: number, q: number, r: number): boolean {
  return (p <= q && q <= r) || (r <= q && q <= p);
}
