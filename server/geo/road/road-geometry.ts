/**
 * Segment shapes in degrees and the plane geometry the engine needs on them: nearest point, cutting a piece
 * between two fractions of the length, distances to a drawn line. Lengths use a local equirectangular projection
 * (metres) around the point of interest, accurate to well under a metre over the distances involved.
 */
import type { LonLat } from './network.ts';
import { COORD_SCALE, type RoadGraph, SHAPE_DIVISOR, SHAPE_SCALE } from './road-graph.ts';

export const METERS_PER_DEGREE = 111_195.08;

/** Shape of segment s as flat [lon0, lat0, lon1, lat1, …] in degrees, from its first vertex to its last. */
export function shapeOf(g: RoadGraph, s: number): number[] {
  const a = g.segFrom[s];
  const b = g.segTo[s];
  const out = [g.nodeLon[a] / COORD_SCALE, g.nodeLat[a] / COORD_SCALE];
  let x = Math.round(g.nodeLon[a] / SHAPE_DIVISOR);
  let y = Math.round(g.nodeLat[a] / SHAPE_DIVISOR);
  for (let i = g.shapeStart[s], e = g.shapeStart[s + 1]; i < e; i++) {
    x += g.shapeDLon[i];
    y += g.shapeDLat[i];
    out.push(x / SHAPE_SCALE, y / SHAPE_SCALE);
  }
  out.push(g.nodeLon[b] / COORD_SCALE, g.nodeLat[b] / COORD_SCALE);
  return out;
}

/**
 * shapeOf(g, s) as [lon, lat] points rounded to 1e-7 degree: the same numbers, read from the packed shape without
 * the flat array.
 */
export function roundedShape(g: RoadGraph, s: number): LonLat[] {
  const a = g.segFrom[s];
  const b = g.segTo[s];
  const first = g.shapeStart[s];
  const end = g.shapeStart[s + 1];
  const out: LonLat[] = [[round7(g.nodeLon[a] / COORD_SCALE), round7(g.nodeLat[a] / COORD_SCALE)]];
  let x = Math.round(g.nodeLon[a] / SHAPE_DIVISOR);
  let y = Math.round(g.nodeLat[a] / SHAPE_DIVISOR);
  for (let i = first; i < end; i++) {
    x += g.shapeDLon[i];
    y += g.shapeDLat[i];
    out.push([round7(x / SHAPE_SCALE), round7(y / SHAPE_SCALE)]);
  }
  out.push([round7(g.nodeLon[b] / COORD_SCALE), round7(g.nodeLat[b] / COORD_SCALE)]);
  return out;
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

export interface Projection {
  /** metres from the point to the shape */
  meters: number;
  /** 0 at the first point … 1 at the last, by length */
  fraction: number;
  point: LonLat;
}

/** Nearest point of a shape to (lon, lat). */
export function projectOnShape(pts: number[], lon: number, lat: number): Projection {
  const kx = METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const st = startProjection(pts[0], pts[1]);
  for (let i = 0; i + 3 < pts.length; i += 2)
    stepProjection(pts[i], pts[i + 1], pts[i + 2], pts[i + 3], lon, lat, kx, st);
  return { meters: st[0], fraction: st[4] > 0 ? st[1] / st[4] : 0, point: [st[2], st[3]] };
}

/** The running state of a projection: best metres, best length along, best point x, y, length so far. */
const proj = new Float64Array(5);

function startProjection(x: number, y: number): Float64Array {
  proj[0] = Number.POSITIVE_INFINITY;
  proj[1] = 0;
  proj[2] = x;
  proj[3] = y;
  proj[4] = 0;
  return proj;
}

/** One piece (px, py) → (qx, qy) of a shape: the nearest point on it to (lon, lat), kept in st when nearer. */
function stepProjection(
  px: number,
  py: number,
  qx: number,
  qy: number,
  lon: number,
  lat: number,
  kx: number,
  st: Float64Array,
): void {
  const ky = METERS_PER_DEGREE;
  const ax = (px - lon) * kx;
  const ay = (py - lat) * ky;
  const bx = (qx - lon) * kx;
  const by = (qy - lat) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = ax + t * dx;
  const ey = ay + t * dy;
  const d = Math.sqrt(ex * ex + ey * ey);
  const len = Math.sqrt(l2);
  if (d < st[0]) {
    st[0] = d;
    st[1] = st[4] + t * len;
    st[2] = px + t * (qx - px);
    st[3] = py + t * (qy - py);
  }
  st[4] += len;
}

/**
 * projectOnShape(shapeOf(g, s), lon, lat) read straight from the graph's packed shape, with the same arithmetic (so
 * the same numbers) and no arrays: returns the metres, leaves the fraction and the point in out[0], out[1], out[2].
 * `kx` is METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180), as projectOnShape computes it.
 */
export function projectSegment(
  g: RoadGraph,
  s: number,
  lon: number,
  lat: number,
  kx: number,
  out: Float64Array,
): number {
  const a = g.segFrom[s];
  const b = g.segTo[s];
  const { shapeDLon, shapeDLat } = g;
  let px = g.nodeLon[a] / COORD_SCALE;
  let py = g.nodeLat[a] / COORD_SCALE;
  let ix = Math.round(g.nodeLon[a] / SHAPE_DIVISOR);
  let iy = Math.round(g.nodeLat[a] / SHAPE_DIVISOR);
  const st = startProjection(px, py);
  for (let i = g.shapeStart[s], e = g.shapeStart[s + 1]; i <= e; i++) {
    let qx: number;
    let qy: number;
    if (i < e) {
      ix += shapeDLon[i];
      iy += shapeDLat[i];
      qx = ix / SHAPE_SCALE;
      qy = iy / SHAPE_SCALE;
    } else {
      qx = g.nodeLon[b] / COORD_SCALE;
      qy = g.nodeLat[b] / COORD_SCALE;
    }
    stepProjection(px, py, qx, qy, lon, lat, kx, st);
    px = qx;
    py = qy;
  }
  out[0] = st[4] > 0 ? st[1] / st[4] : 0;
  out[1] = st[2];
  out[2] = st[3];
  return st[0];
}

/** Cumulative lengths (metres) along a shape, first 0. */
function cumulative(pts: number[]): number[] {
  const n = pts.length / 2;
  const lat = pts[1];
  const kx = METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const cum = [0];
  for (let i = 1; i < n; i++) {
    const dx = (pts[2 * i] - pts[2 * i - 2]) * kx;
    const dy = (pts[2 * i + 1] - pts[2 * i - 1]) * METERS_PER_DEGREE;
    cum.push(cum[i - 1] + Math.sqrt(dx * dx + dy * dy));
  }
  return cum;
}

/** The piece of a shape between fractions f0 and f1 (f0 > f1: reversed), as [lon, lat] points. */
/**
 * The point `d` metres along a shape whose cumulative lengths are `cum`. Module level on purpose: tsx compiles with
 * esbuild's keepNames, which names a closure (Object.defineProperty) each time it is created; as a closure inside
 * cutShape, called for every leg, it made a route 1.2–2× slower (andorra 135 → 69 µs, shanghai 116 → 95 µs).
 */
function pointAt(pts: number[], cum: number[], d: number): LonLat {
  const n = pts.length / 2;
  let i = 1;
  while (i < n - 1 && cum[i] < d) i++;
  const seg = cum[i] - cum[i - 1];
  const t = seg > 0 ? (d - cum[i - 1]) / seg : 0;
  return [pts[2 * i - 2] + t * (pts[2 * i] - pts[2 * i - 2]), pts[2 * i - 1] + t * (pts[2 * i + 1] - pts[2 * i - 1])];
}

export function cutShape(pts: number[], f0: number, f1: number): LonLat[] {
  const n = pts.length / 2;
  const reversed = f0 > f1;
  const lo = Math.max(0, Math.min(f0, f1));
  const hi = Math.min(1, Math.max(f0, f1));
  const cum = cumulative(pts);
  const total = cum[n - 1];
  const out: LonLat[] = [];
  if (total === 0) {
    out.push([pts[0], pts[1]], [pts[2 * n - 2], pts[2 * n - 1]]);
  } else {
    const a = lo * total;
    const b = hi * total;
    out.push(pointAt(pts, cum, a));
    for (let i = 1; i < n - 1; i++) if (cum[i] > a && cum[i] < b) out.push([pts[2 * i], pts[2 * i + 1]]);
    out.push(pointAt(pts, cum, b));
  }
  if (reversed) out.reverse();
  return out;
}

// scratch of appendCut: the shape, its cumulative lengths, the piece's points (grown as needed)
let cutPts = new Float64Array(64);
let cutCum = new Float64Array(32);
let cutOut = new Float64Array(72);

/**
 * Appends cutShape(shapeOf(g, s), f0, f1) to coords, each point rounded to 1e-7 degree and left out where it
 * repeats the last one: the same numbers as those calls, read from the packed shape without arrays per point.
 */
export function appendCut(coords: LonLat[], g: RoadGraph, s: number, f0: number, f1: number): void {
  const first = g.shapeStart[s];
  const end = g.shapeStart[s + 1];
  const n = end - first + 2;
  if (cutPts.length < 2 * n) {
    cutPts = new Float64Array(4 * n);
    cutCum = new Float64Array(2 * n);
    cutOut = new Float64Array(4 * n + 8);
  }
  const pts = cutPts;
  const cum = cutCum;
  const out = cutOut;
  // shapeOf
  const a = g.segFrom[s];
  const b = g.segTo[s];
  pts[0] = g.nodeLon[a] / COORD_SCALE;
  pts[1] = g.nodeLat[a] / COORD_SCALE;
  let x = Math.round(g.nodeLon[a] / SHAPE_DIVISOR);
  let y = Math.round(g.nodeLat[a] / SHAPE_DIVISOR);
  let k = 2;
  for (let i = first; i < end; i++) {
    x += g.shapeDLon[i];
    y += g.shapeDLat[i];
    pts[k++] = x / SHAPE_SCALE;
    pts[k++] = y / SHAPE_SCALE;
  }
  pts[k++] = g.nodeLon[b] / COORD_SCALE;
  pts[k++] = g.nodeLat[b] / COORD_SCALE;
  // cutShape
  const reversed = f0 > f1;
  const lo = Math.max(0, Math.min(f0, f1));
  const hi = Math.min(1, Math.max(f0, f1));
  if (n === 2 && lo === 0 && hi === 1) {
    // a whole straight segment: cutShape's points without the lengths (zero only where both ends coincide; else
    // the first end, and the last as pointAt gives it: t = 1)
    const same = pts[0] === pts[2] && pts[1] === pts[3];
    out[0] = pts[0];
    out[1] = pts[1];
    out[2] = same ? pts[2] : pts[0] + (pts[2] - pts[0]);
    out[3] = same ? pts[3] : pts[1] + (pts[3] - pts[1]);
    appendOut(coords, out, 4, reversed);
    return;
  }
  const kx = METERS_PER_DEGREE * Math.cos((pts[1] * Math.PI) / 180);
  cum[0] = 0;
  for (let i = 1; i < n; i++) {
    const dx = (pts[2 * i] - pts[2 * i - 2]) * kx;
    const dy = (pts[2 * i + 1] - pts[2 * i - 1]) * METERS_PER_DEGREE;
    cum[i] = cum[i - 1] + Math.sqrt(dx * dx + dy * dy);
  }
  const total = cum[n - 1];
  let m = 0;
  if (total === 0) {
    out[m++] = pts[0];
    out[m++] = pts[1];
    out[m++] = pts[2 * n - 2];
    out[m++] = pts[2 * n - 1];
  } else {
    const da = lo * total;
    const db = hi * total;
    m = pointInto(pts, cum, n, da, out, m);
    for (let i = 1; i < n - 1; i++) {
      if (cum[i] > da && cum[i] < db) {
        out[m++] = pts[2 * i];
        out[m++] = pts[2 * i + 1];
      }
    }
    m = pointInto(pts, cum, n, db, out, m);
  }
  appendOut(coords, out, m, reversed);
}

/** appends the m / 2 points in out (backwards if reversed), rounded to 1e-7 degree, each unless it repeats the last */
function appendOut(coords: LonLat[], out: Float64Array, m: number, reversed: boolean): void {
  for (let j = 0; j < m; j += 2) {
    const o = reversed ? m - 2 - j : j;
    const px = Math.round(out[o] * 1e7) / 1e7;
    const py = Math.round(out[o + 1] * 1e7) / 1e7;
    const last = coords[coords.length - 1];
    if (!last || last[0] !== px || last[1] !== py) coords.push([px, py]);
  }
}

/** pointAt into out at m; returns m + 2 */
function pointInto(pts: Float64Array, cum: Float64Array, n: number, d: number, out: Float64Array, m: number): number {
  let i = 1;
  while (i < n - 1 && cum[i] < d) i++;
  const seg = cum[i] - cum[i - 1];
  const t = seg > 0 ? (d - cum[i - 1]) / seg : 0;
  out[m] = pts[2 * i - 2] + t * (pts[2 * i] - pts[2 * i - 2]);
  out[m + 1] = pts[2 * i - 1] + t * (pts[2 * i + 1] - pts[2 * i - 1]);
  return m + 2;
}

/** Distance in metres from a point to a polyline given in [lon, lat]. */
export function distanceToLine(line: LonLat[], lon: number, lat: number): number {
  const kx = METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const ky = METERS_PER_DEGREE;
  let best = Number.POSITIVE_INFINITY;
  if (line.length === 1) {
    const dx = (line[0][0] - lon) * kx;
    const dy = (line[0][1] - lat) * ky;
    return Math.sqrt(dx * dx + dy * dy);
  }
  for (let i = 0; i + 1 < line.length; i++) {
    const ax = (line[i][0] - lon) * kx;
    const ay = (line[i][1] - lat) * ky;
    const dx = (line[i + 1][0] - line[i][0]) * kx;
    const dy = (line[i + 1][1] - line[i][1]) * ky;
    const l2 = dx * dx + dy * dy;
    let t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const px = ax + t * dx;
    const py = ay + t * dy;
    const d = px * px + py * py;
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/** Share (0…1) of a shape's length that lies within `tol` metres of a line, sampled about every tol/2 metres. */
export function shareNear(pts: number[], line: LonLat[], tol: number): number {
  const n = pts.length / 2;
  const kx = METERS_PER_DEGREE * Math.cos((pts[1] * Math.PI) / 180);
  let total = 0;
  let near = 0;
  for (let i = 0; i + 1 < n; i++) {
    const x0 = pts[2 * i];
    const y0 = pts[2 * i + 1];
    const x1 = pts[2 * i + 2];
    const y1 = pts[2 * i + 3];
    const len = Math.hypot((x1 - x0) * kx, (y1 - y0) * METERS_PER_DEGREE);
    if (len === 0) continue;
    const parts = Math.max(1, Math.min(200, Math.ceil(len / Math.max(1, tol / 2))));
    for (let k = 0; k < parts; k++) {
      const t = (k + 0.5) / parts;
      if (distanceToLine(line, x0 + t * (x1 - x0), y0 + t * (y1 - y0)) <= tol) near += len / parts;
    }
    total += len;
  }
  if (total === 0) return distanceToLine(line, pts[0], pts[1]) <= tol ? 1 : 0;
  return near / total;
}
