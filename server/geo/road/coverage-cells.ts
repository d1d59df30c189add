/**
 * The H3 cells of coverage: which cells of an area a set of reached road pieces passes through.
 *
 * The rule (the answer's definition): each reached piece, its points rounded to 1e-7°, is sampled every 40 m or
 * less along each of its shape edges (the edge's first point included, the piece's last point too), an edge only
 * when one of its ends lies in the area's box padded by 0.003°, a point only when it lies there; the cell of every
 * sample is reached. `sampleCells` is that rule, the only place it lives.
 *
 * What makes it cheap when asked again and again:
 * - an area's cells, with their boundary rings, are cached (LRU keyed by the area's coordinates, bounded by the
 *   number of cells held);
 * - the cells a whole segment passes through under the same rule are cached per graph, lazily, in a compact CSR of
 *   cell numbers (a dictionary numbers the cells met on the roads); a fully reached segment lying inside the padded
 *   box marks its cached cells, one lying outside it marks none, and only partly reached pieces and segments across
 *   the box's edge are sampled. Memory: 8 bytes per segment for the CSR head, 32 for its box, 4 per cached cell
 *   number, plus the dictionary (one string per cell met on the roads).
 */

import { cellToBoundary, latLngToCell, polygonToCells } from 'h3-js';
import { LRUCache } from 'lru-cache';
import type { LonLat } from './network.ts';
import { METERS_PER_DEGREE } from './road-geometry.ts';
import { grown } from './typed.ts';

export const H3_RESOLUTION = 9;
/** resolution 9 cells are ~174 m across: reached roads are sampled every 40 m */
const STEP = 40;
/** the area's box is padded by this much (degrees) before sampling */
const PAD = 0.003;
/** cells held by the area cache, over all areas (~170 bytes each: ~10 MB; an area of more cells is not cached) */
const AREA_CACHE_CELLS = 60_000;

/** [minLon, minLat, maxLon, maxLat] of the area's outer rings, padded by PAD. */
export type Box = [number, number, number, number];

export interface AreaCells {
  /** the area's cells, in the order polygonToCells gives them polygon after polygon, without repeats */
  cells: string[];
  /** boundary ring of cell i (closed, [lon, lat] rounded to 1e-6°): ringAt[i] … ringAt[i + 1] in ringXY pairs */
  ringAt: Int32Array;
  ringXY: Float64Array;
  box: Box;
}

/** The area's cells and their rings, computed (not cached). */
export function areaCells(polygons: LonLat[][][]): AreaCells {
  const set = new Set<string>();
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const poly of polygons) {
    for (const c of polygonToCells(poly, H3_RESOLUTION, true)) set.add(c);
    for (const [lon, lat] of poly[0]) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  const cells = [...set];
  const ringAt = new Int32Array(cells.length + 1);
  const xy: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    // 6 decimals (≈ 0.1 m) is ample for ~170 m cells and halves the reply of a district's ~15,000 cells
    for (const [x, y] of cellToBoundary(cells[i], true)) xy.push(Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6);
    ringAt[i + 1] = xy.length / 2;
  }
  return {
    cells,
    ringAt,
    ringXY: Float64Array.from(xy),
    box: [minLon - PAD, minLat - PAD, maxLon + PAD, maxLat + PAD],
  };
}

/** The GeoJSON ring of cell i. */
export function cellRing(a: AreaCells, i: number): number[][] {
  const out: number[][] = [];
  for (let k = a.ringAt[i], e = a.ringAt[i + 1]; k < e; k++) out.push([a.ringXY[2 * k], a.ringXY[2 * k + 1]]);
  return out;
}

function inBox(b: Box, x: number, y: number): boolean {
  return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

/** The sampling rule (see the top): calls visit with the cell of each sample of the piece's points. */
export function sampleCells(pts: LonLat[], box: Box | null, visit: (cell: string) => void): void {
  for (let k = 0; k < pts.length; k++) {
    const [x0, y0] = pts[k];
    if (k + 1 === pts.length) {
      if (!box || inBox(box, x0, y0)) visit(latLngToCell(y0, x0, H3_RESOLUTION));
      break;
    }
    const [x1, y1] = pts[k + 1];
    if (box && !inBox(box, x0, y0) && !inBox(box, x1, y1)) continue;
    const kx = METERS_PER_DEGREE * Math.cos((y0 * Math.PI) / 180);
    const n = Math.max(1, Math.ceil(Math.hypot((x1 - x0) * kx, (y1 - y0) * METERS_PER_DEGREE) / STEP));
    for (let t = 0; t < n; t++) visit(latLngToCell(y0 + ((y1 - y0) * t) / n, x0 + ((x1 - x0) * t) / n, H3_RESOLUTION));
  }
}

/** Cells numbered as met: number ↔ H3 index. */
class CellDictionary {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  idOf(c: string): number {
    let i = this.ids.get(c);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(c, i);
      this.names.push(c);
    }
    return i;
  }
}

/**
 * Per graph: the coverage cells of road pieces. `shape(s)` gives segment s's points rounded to 1e-7° as the
 * reached pieces have them when whole.
 */
export class CoverageCells {
  private readonly dict = new CellDictionary();
  /** segment s: its cells are data[at[s]] … data[at[s] + len[s]]; at[s] = -1 until computed */
  private readonly at: Int32Array;
  private readonly len: Int32Array;
  private data = new Int32Array(1024);
  private used = 0;
  /** segment s's box of rounded points; NaN until computed */
  private readonly segBox: Float64Array;
  /** marks of the current question, by cell number */
  private mark = new Uint32Array(1024);
  private round = 0;
  /** the cell numbers marked in the current question, in the order first marked */
  private readonly touched: number[] = [];
  /** per area (its cells object): cell number → index in the area's cells */
  private readonly areaIndex = new WeakMap<AreaCells, Map<number, number>>();
  private readonly areas = new LRUCache<string, AreaCells>({
    max: 32,
    maxSize: AREA_CACHE_CELLS,
    sizeCalculation: (a) => Math.max(1, a.cells.length),
  });
  private readonly visit = (c: string) => this.markCell(this.dict.idOf(c));

  constructor(
    segmentCount: number,
    private readonly shape: (s: number) => LonLat[],
  ) {
    this.at = new Int32Array(segmentCount).fill(-1);
    this.len = new Int32Array(segmentCount);
    this.segBox = new Float64Array(4 * segmentCount).fill(Number.NaN);
  }

  /** The area's cells (cached by its coordinates). */
  area(polygons: LonLat[][][]): AreaCells {
    const key = JSON.stringify(polygons);
    let a = this.areas.get(key);
    if (!a) {
      a = areaCells(polygons);
      this.areas.set(key, a);
    }
    return a;
  }

  /** Starts a question: no cell marked. */
  begin(): void {
    this.touched.length = 0;
    this.round++;
    if (this.round === 0xffffffff) {
      this.mark.fill(0);
      this.round = 1;
    }
  }

  private markCell(id: number): void {
    if (id >= this.mark.length) {
      this.mark = grown(this.mark, Math.max(id + 1, this.mark.length * 2));
    }
    if (this.mark[id] !== this.round) {
      this.mark[id] = this.round;
      this.touched.push(id);
    }
  }

  /** Marks the cells of segment s reached whole. */
  markWhole(s: number, box: Box): void {
    const where = this.boxSide(s, box);
    if (where < 0) return;
    if (where > 0) {
      sampleCells(this.shape(s), box, this.visit);
      return;
    }
    if (this.at[s] < 0) this.cacheSegment(s);
    for (let k = this.at[s], e = k + this.len[s]; k < e; k++) this.markCell(this.data[k]);
  }

  /** Marks the cells of a piece of segment s (its points rounded to 1e-7°). */
  markPiece(s: number, pts: LonLat[], box: Box): void {
    // a piece's points lie in its segment's box of rounded points (rounding keeps order)
    if (this.boxSide(s, box) < 0) return;
    sampleCells(pts, box, this.visit);
  }

  /** Whether cell is marked in the current question. */
  marked(cell: string): boolean {
    const id = this.dict.ids.get(cell);
    return id !== undefined && id < this.mark.length && this.mark[id] === this.round;
  }

  /** The indices into the area's cells of the cells marked in the current question, ascending. */
  markedIndices(a: AreaCells): Int32Array {
    let index = this.areaIndex.get(a);
    if (!index) {
      index = new Map();
      for (let i = 0; i < a.cells.length; i++) index.set(this.dict.idOf(a.cells[i]), i);
      this.areaIndex.set(a, index);
    }
    const out: number[] = [];
    for (const id of this.touched) {
      const i = index.get(id);
      if (i !== undefined) out.push(i);
    }
    return Int32Array.from(out).sort();
  }

  /** -1: segment s lies wholly outside the box, 0: wholly inside, 1: across its edge. */
  private boxSide(s: number, box: Box): number {
    const b = this.segBox;
    if (Number.isNaN(b[4 * s])) {
      let x0 = Number.POSITIVE_INFINITY;
      let y0 = Number.POSITIVE_INFINITY;
      let x1 = Number.NEGATIVE_INFINITY;
      let y1 = Number.NEGATIVE_INFINITY;
      for (const [x, y] of this.shape(s)) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      b[4 * s] = x0;
      b[4 * s + 1] = y0;
      b[4 * s + 2] = x1;
      b[4 * s + 3] = y1;
    }
    const x0 = b[4 * s];
    const y0 = b[4 * s + 1];
    const x1 = b[4 * s + 2];
    const y1 = b[4 * s + 3];
    if (x1 < box[0] || x0 > box[2] || y1 < box[1] || y0 > box[3]) return -1;
    if (x0 >= box[0] && x1 <= box[2] && y0 >= box[1] && y1 <= box[3]) return 0;
    return 1;
  }

  private cacheSegment(s: number): void {
    const ids: number[] = [];
    sampleCells(this.shape(s), null, (c) => {
      const id = this.dict.idOf(c);
      if (ids[ids.length - 1] !== id) ids.push(id);
    });
    if (this.used + ids.length > this.data.length) {
      this.data = grown(this.data, Math.max(this.used + ids.length, this.data.length * 2));
    }
    this.data.set(ids, this.used);
    this.at[s] = this.used;
    this.len[s] = ids.length;
    this.used += ids.length;
  }

  /** bytes held by the per-segment cache (CSR and boxes; the dictionary's strings not counted) */
  get bytes(): number {
    return this.at.byteLength + this.len.byteLength + this.segBox.byteLength + this.used * 4 + this.mark.byteLength;
  }
}
