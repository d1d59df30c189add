/**
 * Pure geometry of the census (no database): GeoJSON shapes, their class, bounding box and coordinates, the
 * structural checks an import runs before PostGIS's validity check, planar distances (equirectangular at Weihai's
 * latitude: within a fraction of a percent over tens of kilometres) and the city's region (its district polygons,
 * with a buffer) for "outside the region" and "axis swapped".
 */
import type { GeometryClass } from '../../../contracts/risks.ts';

export type Position = [number, number];
export interface Geom {
  type: string;
  coordinates: unknown;
}

export const EARTH_M_PER_DEG = 111_320;

export function geometryClass(type: string): GeometryClass | null {
  if (type === 'Point' || type === 'MultiPoint') return 'point';
  if (type === 'LineString' || type === 'MultiLineString') return 'line';
  if (type === 'Polygon' || type === 'MultiPolygon') return 'polygon';
  return null;
}

const isPos = (p: unknown): p is Position =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** The depth of positions in a geometry's coordinates: Point 0, LineString 1, Polygon 2, MultiPolygon 3. */
const DEPTH: Record<string, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/** Every position of the geometry, in order. */
export function positions(g: Geom): Position[] {
  const out: Position[] = [];
  const walk = (c: unknown, depth: number) => {
    if (depth === 0) {
      if (isPos(c)) out.push([c[0], c[1]]);
      return;
    }
    if (Array.isArray(c)) for (const x of c) walk(x, depth - 1);
  };
  walk(g.coordinates, DEPTH[g.type] ?? 0);
  return out;
}

/** The geometry with every position mapped (datum conversion, axis swap); extra ordinates (z) dropped. */
export function mapPositions(g: Geom, fn: (p: Position) => Position): Geom {
  const walk = (c: unknown, depth: number): unknown => {
    if (depth === 0) return isPos(c) ? fn([c[0], c[1]]) : c;
    return Array.isArray(c) ? c.map((x) => walk(x, depth - 1)) : c;
  };
  return { type: g.type, coordinates: walk(g.coordinates, DEPTH[g.type] ?? 0) };
}

export type Bbox = [number, number, number, number];

export function bboxOf(ps: readonly Position[]): Bbox {
  let a = Infinity;
  let b = Infinity;
  let c = -Infinity;
  let d = -Infinity;
  for (const [x, y] of ps) {
    if (x < a) a = x;
    if (y < b) b = y;
    if (x > c) c = x;
    if (y > d) d = y;
  }
  return [a, b, c, d];
}

/**
 * What is structurally wrong with a GeoJSON geometry before any database sees it: `empty` (no positions), or a
 * reason (a position that is not two numbers, a ring of fewer than 4 positions or not closed, a line of one
 * position). null when it is sound (its validity — self-intersection — is PostGIS's to say).
 */
export function structuralProblem(g: Geom): { code: 'empty' } | { code: 'invalid'; zh: string; en: string } | null {
  const depth = DEPTH[g.type];
  if (depth === undefined)
    return { code: 'invalid', zh: `不支持的几何类型 ${g.type}`, en: `unsupported type ${g.type}` };
  let bad: { zh: string; en: string } | null = null;
  let count = 0;
  const walk = (c: unknown, d: number, what: 'ring' | 'line' | 'point' | 'list') => {
    if (bad) return;
    if (d === 0) {
      // not range-checked here: a latitude of 122 is a swapped pair, which the region check names
      if (!isPos(c)) bad = { zh: '坐标不是一对数值', en: 'a position is not a pair of numbers' };
      else count++;
      return;
    }
    if (!Array.isArray(c)) {
      bad = { zh: '坐标结构错误', en: 'malformed coordinates' };
      return;
    }
    if (d === 1 && what === 'ring' && c.length > 0) {
      if (c.length < 4) bad = { zh: '多边形的环少于 4 个点', en: 'a polygon ring has fewer than 4 positions' };
      else if (
        isPos(c[0]) &&
        isPos(c[c.length - 1]) &&
        (c[0][0] !== c[c.length - 1][0] || c[0][1] !== c[c.length - 1][1])
      )
        bad = { zh: '多边形的环未闭合', en: 'a polygon ring is not closed' };
    }
    if (d === 1 && what === 'line' && c.length === 1) bad = { zh: '线只有一个点', en: 'a line of one position' };
    for (const x of c) walk(x, d - 1, what);
  };
  const what = geometryClass(g.type) === 'polygon' ? 'ring' : geometryClass(g.type) === 'line' ? 'line' : 'point';
  walk(g.coordinates, depth, what);
  if (bad) return { code: 'invalid', ...(bad as { zh: string; en: string }) };
  return count === 0 ? { code: 'empty' } : null;
}

// ── planar measures near one latitude ─────────────────────────────────────────

/** metres per degree of longitude at a latitude */
export const mPerDegLon = (lat: number) => EARTH_M_PER_DEG * Math.cos((lat * Math.PI) / 180);

/** distance (m) from p to the segment ab, planar at p's latitude */
export function segmentDistanceM(p: Position, a: Position, b: Position): number {
  const kx = mPerDegLon(p[1]);
  const ky = EARTH_M_PER_DEG;
  const ax = (a[0] - p[0]) * kx;
  const ay = (a[1] - p[1]) * ky;
  const bx = (b[0] - p[0]) * kx;
  const by = (b[1] - p[1]) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const x = ax + t * dx;
  const y = ay + t * dy;
  return Math.sqrt(x * x + y * y);
}

export function pointDistanceM(p: Position, q: Position): number {
  const dx = (q[0] - p[0]) * mPerDegLon(p[1]);
  const dy = (q[1] - p[1]) * EARTH_M_PER_DEG;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Is p inside the ring (even-odd)? */
export function inRing(p: Position, ring: readonly Position[]): boolean {
  let inside = false;
  const [x, y] = p;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The polygons of a Polygon or MultiPolygon (each: outer ring, holes). */
export function polygonsOf(g: Geom): Position[][][] {
  if (g.type === 'Polygon') return [g.coordinates as Position[][]];
  if (g.type === 'MultiPolygon') return g.coordinates as Position[][][];
  return [];
}

/** The lines (paths) of a geometry: rings of polygons, lines; points give none. */
export function pathsOf(g: Geom): Position[][] {
  switch (g.type) {
    case 'LineString':
      return [g.coordinates as Position[]];
    case 'MultiLineString':
      return g.coordinates as Position[][];
    case 'Polygon':
      return g.coordinates as Position[][];
    case 'MultiPolygon':
      return (g.coordinates as Position[][][]).flat();
    default:
      return [];
  }
}

export function inPolygons(p: Position, polys: readonly Position[][][]): boolean {
  for (const poly of polys) {
    if (!poly.length || !inRing(p, poly[0])) continue;
    let hole = false;
    for (let i = 1; i < poly.length && !hole; i++) hole = inRing(p, poly[i]);
    if (!hole) return true;
  }
  return false;
}

/** Distance (m) from p to the geometry: 0 inside a polygon or on it. */
export function distanceToGeomM(p: Position, g: Geom): number {
  const cls = geometryClass(g.type);
  if (cls === 'point') {
    let best = Infinity;
    for (const q of positions(g)) best = Math.min(best, pointDistanceM(p, q));
    return best;
  }
  if (cls === 'polygon' && inPolygons(p, polygonsOf(g))) return 0;
  let best = Infinity;
  for (const path of pathsOf(g)) {
    if (path.length === 1) best = Math.min(best, pointDistanceM(p, path[0]));
    for (let i = 1; i < path.length; i++) best = Math.min(best, segmentDistanceM(p, path[i - 1], path[i]));
  }
  return best;
}

/** A representative point: the mean of the outer ring's or the positions' coordinates (inside for convex shapes). */
export function centreOf(g: Geom): Position {
  const ps = geometryClass(g.type) === 'polygon' ? polygonsOf(g).flatMap((p) => p[0] ?? []) : positions(g);
  let x = 0;
  let y = 0;
  for (const q of ps) {
    x += q[0];
    y += q[1];
  }
  return ps.length ? [x / ps.length, y / ps.length] : [0, 0];
}

// ── the city's region ────────────────────────────────────────────────────────

/** The city's land (its district polygons) with a buffer: is a position inside, or within `bufferM` of it? */
export class Region {
  readonly polys: Position[][][];
  readonly bbox: Bbox;
  readonly #edges: [Position, Position][] = [];

  constructor(
    areas: readonly Geom[],
    readonly bufferM: number,
  ) {
    this.polys = areas.flatMap((a) => polygonsOf(a));
    const all = this.polys.flatMap((p) => p.flat());
    this.bbox = bboxOf(all);
    for (const poly of this.polys)
      for (const ring of poly) for (let i = 1; i < ring.length; i++) this.#edges.push([ring[i - 1], ring[i]]);
  }

  get empty(): boolean {
    return this.polys.length === 0;
  }

  /** inside the region's land (no buffer) */
  containsStrict(p: Position): boolean {
    const [a, b, c, d] = this.bbox;
    if (p[0] < a || p[0] > c || p[1] < b || p[1] > d) return false;
    return inPolygons(p, this.polys);
  }

  /** inside the land or within the buffer of its edge */
  contains(p: Position): boolean {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1]) || Math.abs(p[1]) > 90) return false;
    const padY = this.bufferM / EARTH_M_PER_DEG;
    const padX = this.bufferM / mPerDegLon(Math.min(89, Math.abs(p[1])));
    const [a, b, c, d] = this.bbox;
    if (p[0] < a - padX || p[0] > c + padX || p[1] < b - padY || p[1] > d + padY) return false;
    if (inPolygons(p, this.polys)) return true;
    for (const [u, v] of this.#edges) {
      // cheap reject before the exact distance
      if (Math.abs(u[1] - p[1]) > padY && Math.abs(v[1] - p[1]) > padY && (u[1] - p[1]) * (v[1] - p[1]) > 0) continue;
      if (segmentDistanceM(p, u, v) <= this.bufferM) return true;
    }
    return false;
  }
}
