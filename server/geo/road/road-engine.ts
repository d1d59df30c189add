/**
 * The road engine: answers RoadEngine (engine.ts) from a compiled RoadGraph held in memory.
 *
 * A point is matched to every segment the profile may drive (and not closed) within snapToleranceMeters of the
 * nearest one; a query starts inside those segments (source seeds: the base node at a segment's end in each direction
 * the profile may drive it, with the time still to drive) and ends inside them (target seeds: each segment direction
 * the turn into the segment is allowed from, with the turn and the piece up to the point), so a point on a vertex
 * routes from that vertex in every allowed direction. The same seeds serve routes, matrices, isochrones and
 * coverage, so they agree. Routes on time use the contraction hierarchy (falling back to A* on the plain graph when
 * a closure lies on the hierarchy's path), routes on distance use A*; matrices use the hierarchy's bucket
 * many-to-many (rows whose paths cross a closure are redone by Dijkstra); isochrones and coverage use a bounded
 * multi-source Dijkstra.
 */
import { grown } from './typed.ts';
import '../geo.errors.ts';
import { cellToLatLng } from 'h3-js';
import { AppError } from '../../errors.ts';
import { CoverageCells, cellRing } from './coverage-cells.ts';
import type {
  CoverageFirst,
  CoverageResult,
  CoverageSets,
  IsochroneResult,
  ManyToOneResult,
  MatrixResult,
  NetworkInfo,
  QueryOptions,
  RoadEngine,
  RouteResult,
  Snap,
} from './engine.ts';
import { quantHi, quantLo, segmentBox } from './graph-compile.ts';
import { bufferedRoads } from './isochrone-area.ts';
import type { LonLat, Profile } from './network.ts';
import {
  appendCut,
  cutShape,
  METERS_PER_DEGREE,
  projectOnShape,
  projectSegment,
  roundedShape,
  shapeOf,
  shareNear,
} from './road-geometry.ts';
import {
  COORD_SCALE,
  findArc,
  graphBytes,
  hasHierarchy,
  NO_ARC,
  type ProfileGraph,
  profileGraph,
  profileIndex,
  type RoadGraph,
  SPATIAL_NODE,
  sdOf,
  spatialLevels,
  spatialSearch,
} from './road-graph.ts';
import {
  anyClosed,
  boundedReach,
  chManyToMany,
  chMatrixPath,
  chPath,
  chRoute,
  chRowCm,
  entryClosed,
  entryCm,
  manyToOneBackward,
  oneToMany,
  pathArcMs,
  plainRoute,
  type Seeds,
  searchContext,
  seedAtRank,
} from './search.ts';

export { compileGraph } from './graph-compile.ts';
export { deserializeGraph, serializeGraph } from './graph-io.ts';
export type { RoadGraph } from './road-graph.ts';
export { graphBytes } from './road-graph.ts';

const Q = 65535;

/** Seeds at the ends of a snapped segment, with the direction (0 = along the way, 1 = against) each stands for. */
/**
 * Seeds of one end of a query with what each stands for: the snap candidate (index) and the direction driven on
 * its segment; ms and cm are the piece of it driven (a target's time includes the turn into it).
 */
interface EndSeeds extends Seeds {
  cand: number[];
  dirs: number[];
}

interface Piece {
  seg: number;
  from: number;
  to: number;
}

export function createRoadEngine(
  g: RoadGraph,
  opts: { maxSnapMeters?: number; snapToleranceMeters?: number } = {},
): RoadEngine {
  const maxSnap = opts.maxSnapMeters ?? 500;
  const snapTolerance = opts.snapToleranceMeters ?? 5;

  const ctx = searchContext(g);
  const box = g.meta.spatialBox;
  const sx = Q / (box[2] - box[0]);
  const sy = Q / (box[3] - box[1]);
  const S = g.segmentCount;
  // per-segment scratch for reached pieces (allocated on the first isochrone)
  let reachFwd: Float32Array | undefined;
  // per node: the origin whose search reached it first (coverageFirst; allocated on first use)
  let labels: Int32Array | undefined;
  let reachBwd: Float32Array | undefined;
  let reachStamp: Uint32Array | undefined;
  let reachRound = 0;
  // coverage cells of areas and of whole segments (allocated on the first coverage)
  let cover: CoverageCells | undefined;

  const info: NetworkInfo = {
    id: g.meta.id,
    name: g.meta.name,
    synthetic: g.meta.synthetic,
    source: g.meta.source,
    attribution: g.meta.attribution,
    nodeCount: g.nodeCount,
    segmentCount: g.segmentCount,
    arcCount: g.firstOut[g.graphNodeCount],
    bbox: g.meta.bbox,
    builtAt: g.meta.builtAt,
    bytes: graphBytes(g),
  };

  const segBox = new Float64Array(4);
  /**
   * Segments whose box (quantised outwards, as the index has it) meets the quantised box and that pass `filter`:
   * the index's leaf groups narrowed to their members that can be there.
   */
  function indexSearch(x0: number, y0: number, x1: number, y1: number, filter?: (s: number) => boolean): number[] {
    return spatialSearch(g, x0, y0, x1, y1, filter, (s) => {
      segmentBox(g.nodeLon, g.nodeLat, g.segFrom, g.segTo, g.shapeStart, g.shapeDLon, g.shapeDLat, s, segBox);
      return (
        quantLo((segBox[0] / COORD_SCALE - box[0]) * sx) <= x1 &&
        quantLo((segBox[1] / COORD_SCALE - box[1]) * sy) <= y1 &&
        quantHi((segBox[2] / COORD_SCALE - box[0]) * sx) >= x0 &&
        quantHi((segBox[3] / COORD_SCALE - box[1]) * sy) >= y0
      );
    });
  }

  function candidates(lon: number, lat: number, meters: number, filter?: (s: number) => boolean): number[] {
    const dLat = meters / METERS_PER_DEGREE;
    const dLon = meters / (METERS_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
    return indexSearch(
      quantLo((lon - dLon - box[0]) * sx),
      quantLo((lat - dLat - box[1]) * sy),
      quantHi((lon + dLon - box[0]) * sx),
      quantHi((lat + dLat - box[1]) * sy),
      filter,
    );
  }

  // --- snapping: the index searched without closures or arrays per candidate, each candidate projected once
  const levels = spatialLevels(S);
  const stack = new Int32Array(2 * (levels.length * SPATIAL_NODE + 1));
  const proj = new Float64Array(3);
  /** candidates of the last gather(): segment, its position in the index, metres, fraction, point */
  let cSeg = new Int32Array(256);
  let cPos = new Int32Array(256);
  let cMeters = new Float64Array(256);
  let cFrac = new Float64Array(256);
  let cX = new Float64Array(256);
  let cY = new Float64Array(256);
  let cCount = 0;
  let order = new Int32Array(256);

  function growCandidates(): void {
    const n = cSeg.length * 2;
    cSeg = grown(cSeg, n);
    cPos = grown(cPos, n);
    cMeters = grown(cMeters, n);
    cFrac = grown(cFrac, n);
    cX = grown(cX, n);
    cY = grown(cY, n);
    order = new Int32Array(n);
  }

  /**
   * The box of each segment quantised outwards as the index has it, in the index's order (position k: segment
   * spatialOrder[k]): 8 bytes a segment (56 kB on central Shanghai), built on the first snap, not part of the graph
   * (whose index keeps no per-segment boxes, for its size). Recomputing a box from the shape at each snap read the
   * vertices at random and took about half of a snap.
   */
  let segQ: Uint16Array | undefined;
  function buildSegQ(): Uint16Array {
    const q = new Uint16Array(S * 4);
    for (let k = 0; k < S; k++) {
      const s = g.spatialOrder[k];
      segmentBox(g.nodeLon, g.nodeLat, g.segFrom, g.segTo, g.shapeStart, g.shapeDLon, g.shapeDLat, s, segBox);
      q[k * 4] = quantLo((segBox[0] / COORD_SCALE - box[0]) * sx);
      q[k * 4 + 1] = quantLo((segBox[1] / COORD_SCALE - box[1]) * sy);
      q[k * 4 + 2] = quantHi((segBox[2] / COORD_SCALE - box[0]) * sx);
      q[k * 4 + 3] = quantHi((segBox[3] / COORD_SCALE - box[1]) * sy);
    }
    segQ = q;
    return q;
  }

  let qx0 = 0;
  let qy0 = 0;
  let qx1 = 0;
  let qy1 = 0;
  /** the quantised query box of candidates(lon, lat, meters), into qx0 … qy1 */
  function queryBox(lon: number, lat: number, meters: number): void {
    const dLat = meters / METERS_PER_DEGREE;
    const dLon = meters / (METERS_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
    qx0 = quantLo((lon - dLon - box[0]) * sx);
    qy0 = quantLo((lat - dLat - box[1]) * sy);
    qx1 = quantHi((lon + dLon - box[0]) * sx);
    qy1 = quantHi((lat + dLat - box[1]) * sy);
  }

  /**
   * The segments within `meters` of the point among those candidates(lon, lat, meters, ok) gives, where ok is
   * snapAll's rule (profile bits `mask`, not a loop, not closed), each projected: into cSeg … cY, cCount.
   */
  function gather(lon: number, lat: number, meters: number, mask: number, closed: Uint8Array | undefined, kx: number) {
    queryBox(lon, lat, meters);
    const x0 = qx0;
    const y0 = qy0;
    const x1 = qx1;
    const y1 = qy1;
    cCount = 0;
    if (levels.length === 0) return;
    const q = segQ ?? buildSegQ();
    const { spatialBoxes: boxes, spatialOrder: ord, segAccess, segFrom, segTo } = g;
    let sp = 0;
    stack[sp++] = levels.length - 1;
    stack[sp++] = 0;
    while (sp > 0) {
      const i = stack[--sp];
      const lv = stack[--sp];
      const b = (levels[lv].offset + i) * 4;
      if (boxes[b] > x1 || boxes[b + 1] > y1 || boxes[b + 2] < x0 || boxes[b + 3] < y0) continue;
      if (lv === 0) {
        const inside = boxes[b] >= x0 && boxes[b + 1] >= y0 && boxes[b + 2] <= x1 && boxes[b + 3] <= y1;
        for (let k = i * SPATIAL_NODE, e = Math.min(S, k + SPATIAL_NODE); k < e; k++) {
          const k4 = k * 4;
          if (!inside && (q[k4] > x1 || q[k4 + 1] > y1 || q[k4 + 2] < x0 || q[k4 + 3] < y0)) continue;
          const s = ord[k];
          if ((segAccess[s] & mask) === 0 || segFrom[s] === segTo[s]) continue;
          if (closed !== undefined && s < closed.length && closed[s] !== 0) continue;
          // only those within `meters` count for snapping
          const m = projectSegment(g, s, lon, lat, kx, proj);
          if (m > meters) continue;
          if (cCount === cSeg.length) growCandidates();
          const c = cCount++;
          cSeg[c] = s;
          cPos[c] = k;
          cMeters[c] = m;
          cFrac[c] = proj[0];
          cX[c] = proj[1];
          cY[c] = proj[2];
        }
      } else {
        for (let c = i * SPATIAL_NODE, e = Math.min(levels[lv - 1].count, c + SPATIAL_NODE); c < e; c++) {
          stack[sp++] = lv - 1;
          stack[sp++] = c;
        }
      }
    }
  }

  /** least metres among the gathered candidates (Infinity when none) */
  function gatheredMin(): number {
    let best = Number.POSITIVE_INFINITY;
    for (let c = 0; c < cCount; c++) if (cMeters[c] < best) best = cMeters[c];
    return best;
  }

  function checkPoint(p: unknown, field: string): LonLat {
    validPoint(p, field);
    return [p[0], p[1]];
  }

  function validPoint(p: unknown, field: string): asserts p is LonLat {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
      throw new AppError('VALIDATION', { field, reason: 'expected [longitude, latitude]' });
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) throw new AppError('COORDINATES_OUT_OF_RANGE', { field });
  }

  function snapOn(p: LonLat, field: string, profile: Profile, maxMeters: number, closed?: Uint8Array): Snap {
    return snapAll(p, field, profile, maxMeters, closed, true)[0];
  }

  /**
   * Every segment the profile may drive (and not closed) within snapTolerance of the nearest one, nearest first:
   * a point on a vertex meets all the segments there, a point between two carriageways both of them.
   */
  function snapAll(
    p: LonLat,
    field: string,
    profile: Profile,
    maxMeters: number,
    closed?: Uint8Array,
    firstOnly = false,
  ): Snap[] {
    validPoint(p, field);
    const lon = p[0];
    const lat = p[1];
    const mask = 3 << (2 * profileIndex(g, profile));
    const kx = METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
    // nearest within a small radius first: anything nearer than r has its box in the query box
    for (let r = Math.min(maxMeters, 50); ; r = Math.min(maxMeters, r * 4)) {
      gather(lon, lat, r, mask, closed, kx);
      const best = gatheredMin();
      if (best <= r) {
        const within = best + snapTolerance;
        let n = 0;
        if (within > r) {
          gather(lon, lat, within, mask, closed, kx);
          for (let c = 0; c < cCount; c++) if (cMeters[c] <= within) order[n++] = c;
        } else {
          // the candidates of the smaller box `within`: their group inside it, or their own box meeting it
          queryBox(lon, lat, within);
          const boxes = g.spatialBoxes;
          const sq = segQ as Uint16Array;
          for (let c = 0; c < cCount; c++) {
            if (cMeters[c] > within) continue;
            const k4 = cPos[c] * 4;
            const l4 = Math.floor(cPos[c] / SPATIAL_NODE) * 4;
            const inside = boxes[l4] >= qx0 && boxes[l4 + 1] >= qy0 && boxes[l4 + 2] <= qx1 && boxes[l4 + 3] <= qy1;
            const meets = sq[k4] <= qx1 && sq[k4 + 1] <= qy1 && sq[k4 + 2] >= qx0 && sq[k4 + 3] >= qy0;
            if (inside || meets) order[n++] = c;
          }
        }
        // nearest first, ties by segment id (insertion sort: a handful at most)
        for (let i = 1; i < n; i++) {
          const c = order[i];
          let j = i - 1;
          while (
            j >= 0 &&
            (cMeters[order[j]] > cMeters[c] || (cMeters[order[j]] === cMeters[c] && cSeg[order[j]] > cSeg[c]))
          ) {
            order[j + 1] = order[j];
            j--;
          }
          order[j + 1] = c;
        }
        if (firstOnly && n > 1) n = 1;
        const all: Snap[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const c = order[i];
          all[i] = {
            seg: cSeg[c],
            fraction: cFrac[c],
            point: [Math.round(cX[c] * 1e7) / 1e7, Math.round(cY[c] * 1e7) / 1e7],
            meters: Math.round(cMeters[c] * 100) / 100,
          };
        }
        return all;
      }
      if (r >= maxMeters) break;
    }
    let meters: number | null = null;
    for (let r = Math.max(maxMeters * 4, 1000); r <= 256_000; r *= 4) {
      gather(lon, lat, r, mask, closed, kx);
      const best = gatheredMin();
      if (best <= r) {
        meters = Math.round(best);
        break;
      }
    }
    throw new AppError('OFF_NETWORK', { field, meters: meters ?? '>256000', max: maxMeters });
  }

  /** Seeds leaving from the snapped point: each candidate, each way the profile may drive it, to its end. */
  function sourceSeeds(cands: Snap[], pg: ProfileGraph): EndSeeds {
    const out: EndSeeds = { nodes: [], ms: [], cm: [], cand: [], dirs: [] };
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i];
      for (let dir = 0; dir < 2; dir++) {
        const sd = c.seg * 2 + dir;
        const t = pg.sdMs[sd];
        if (t === NO_ARC) continue;
        const rest = dir === 0 ? 1 - c.fraction : c.fraction;
        out.nodes.push(sd);
        out.ms.push(rest * t);
        out.cm.push(rest * g.segCm[c.seg]);
        out.cand.push(i);
        out.dirs.push(dir);
      }
    }
    return out;
  }

  /**
   * Seeds arriving at the snapped point: for each candidate and each way the profile may drive it, every segment
   * direction from which the turn into it is allowed (its base node, or a copy), with the turn and the piece up to
   * the point. Turning into a segment is what the base graph's arcs are, so these are their times, cut short.
   */
  function targetSeeds(cands: Snap[], pg: ProfileGraph): EndSeeds {
    const out: EndSeeds = { nodes: [], ms: [], cm: [], cand: [], dirs: [] };
    const { copySd, vertexFirst, vertexInc } = g;
    for (let j = 0; j < cands.length; j++) {
      const c = cands[j];
      for (let dir = 0; dir < 2; dir++) {
        const b = c.seg * 2 + dir;
        const t = pg.sdMs[b];
        if (t === NO_ARC) continue;
        const part = dir === 0 ? c.fraction : 1 - c.fraction;
        const tail = dir === 0 ? g.segFrom[c.seg] : g.segTo[c.seg];
        for (let i = vertexFirst[tail], e = vertexFirst[tail + 1]; i < e; i++) {
          // the segment direction arriving here, then its copies (nodesOfSd)
          const sd = vertexInc[i] ^ 1;
          pushTarget(out, pg, sd, b, t, part, c.seg, j, dir);
          if (copySd.length === 0) continue;
          for (let k = firstCopy(copySd, sd); k < copySd.length && copySd[k] === sd; k++)
            pushTarget(out, pg, 2 * S + k, b, t, part, c.seg, j, dir);
        }
      }
    }
    return out;
  }

  /** the target seed at base node x turning into segment direction b, if the profile may */
  function pushTarget(
    out: EndSeeds,
    pg: ProfileGraph,
    x: number,
    b: number,
    t: number,
    part: number,
    seg: number,
    j: number,
    dir: number,
  ): void {
    const a = findArc(g, x, b);
    if (a < 0 || pg.arcMs[a] === NO_ARC) return;
    out.nodes.push(x);
    out.ms.push(pg.arcMs[a] - t + part * t);
    out.cm.push(part * g.segCm[seg]);
    out.cand.push(j);
    out.dirs.push(dir);
  }

  /** the cheapest way along one segment from fraction a to fraction b, or null */
  function direct(pg: ProfileGraph, s: number, a: number, b: number, metric: 'time' | 'distance') {
    const cm = g.segCm[s];
    let best: { ms: number; cm: number; dir: 0 | 1 } | null = null;
    const consider = (ms: number, c: number, dir: 0 | 1) => {
      if (!best || (metric === 'time' ? ms < best.ms : c < best.cm)) best = { ms, cm: c, dir };
    };
    const fwd = pg.sdMs[s * 2];
    const bwd = pg.sdMs[s * 2 + 1];
    if (b >= a && fwd !== NO_ARC) consider((b - a) * fwd, (b - a) * cm, 0);
    if (b <= a && bwd !== NO_ARC) consider((a - b) * bwd, (a - b) * cm, 1);
    return best as { ms: number; cm: number; dir: 0 | 1 } | null;
  }

  /** the best way along a segment both ends lie on (start and end on the same segment), or null */
  function directBest(pg: ProfileGraph, from: Snap[], to: Snap[], metric: 'time' | 'distance') {
    let best: { ms: number; cm: number; dir: 0 | 1; i: number; j: number } | null = null;
    for (let i = 0; i < from.length; i++) {
      for (let j = 0; j < to.length; j++) {
        if (from[i].seg !== to[j].seg) continue;
        const d = direct(pg, from[i].seg, from[i].fraction, to[j].fraction, metric);
        if (d && (!best || (metric === 'time' ? d.ms < best.ms : d.cm < best.cm))) best = { ...d, i, j };
      }
    }
    return best;
  }

  function route(
    from: LonLat,
    to: LonLat,
    o: QueryOptions & { metric?: 'time' | 'distance' } = {},
  ): RouteResult | null {
    const profile = o.profile ?? 'car';
    const metric = o.metric ?? 'time';
    const closed = anyClosed(o.closed) ? o.closed : undefined;
    const A = snapAll(from, 'from', profile, maxSnap, closed);
    const B = snapAll(to, 'to', profile, maxSnap, closed);
    const pg = profileGraph(g, profile);
    const src = sourceSeeds(A, pg);
    const dst = targetSeeds(B, pg);
    let best: { ms: number; cm: number; si: number; di: number; start: number; nodes: number[] } | null = null;
    let usePlain = metric === 'distance' || !hasHierarchy(pg);
    if (!usePlain) {
      const r = chRoute(ctx, pg, src, dst);
      if (r) {
        const p = chPath(ctx, pg, r.meet);
        if (closed && p.nodes.some((x) => closed[sdOf(g, x) >>> 1])) usePlain = true;
        else {
          const si = seedAtRank(src, pg, p.start);
          const di = seedAtRank(dst, pg, p.end);
          let cm = src.cm[si] + dst.cm[di];
          for (const x of p.nodes) cm += g.segCm[sdOf(g, x) >>> 1];
          best = { ms: r.ms, cm, si, di, start: src.nodes[si], nodes: p.nodes };
        }
      }
    }
    if (usePlain) {
      const p = plainRoute(ctx, profile, src, dst, metric, B[0].point, closed);
      if (p) {
        let ms = src.ms[p.srcSeed] + dst.ms[p.dstSeed];
        let cm = src.cm[p.srcSeed] + dst.cm[p.dstSeed];
        for (const x of p.nodes) cm += g.segCm[sdOf(g, x) >>> 1];
        for (const t of pathArcMs(g, pg, p.start, p.nodes)) ms += t;
        best = { ms, cm, si: p.srcSeed, di: p.dstSeed, start: p.start, nodes: p.nodes };
      }
    }
    const out: Drive = { coords: [], segments: [], legs: [] };
    let snapped: { from: Snap; to: Snap };
    let ms: number;
    let cm: number;
    const d = directBest(pg, A, B, metric);
    if (d && (!best || (metric === 'time' ? d.ms <= best.ms : d.cm <= best.cm))) {
      const a = A[d.i];
      drive(out, g, a.seg, d.dir, a.fraction, B[d.j].fraction, d.cm, d.ms);
      snapped = { from: a, to: B[d.j] };
      ms = d.ms;
      cm = d.cm;
    } else if (best) {
      const a = A[src.cand[best.si]];
      const b = B[dst.cand[best.di]];
      const sDir = src.dirs[best.si] as 0 | 1;
      const tDir = dst.dirs[best.di] as 0 | 1;
      drive(out, g, a.seg, sDir, a.fraction, sDir === 0 ? 1 : 0, src.cm[best.si], src.ms[best.si]);
      let prev = best.start;
      for (const x of best.nodes) {
        const arc = findArc(g, prev, x);
        const sd = sdOf(g, x);
        const dir = (sd & 1) as 0 | 1;
        drive(out, g, sd >>> 1, dir, dir, 1 - dir, g.segCm[sd >>> 1], arc >= 0 ? pg.arcMs[arc] : NO_ARC);
        prev = x;
      }
      drive(out, g, b.seg, tDir, tDir === 0 ? 0 : 1, b.fraction, dst.cm[best.di], dst.ms[best.di]);
      snapped = { from: a, to: b };
      ms = best.ms;
      cm = best.cm;
    } else return null;
    const coords = out.coords;
    if (coords.length === 0) coords.push(snapped.from.point);
    if (coords.length === 1) coords.push(coords[0]);
    return {
      seconds: Math.round(ms) / 1000,
      meters: Math.round(cm) / 100,
      geometry: { type: 'LineString', coordinates: coords },
      segments: out.segments,
      legs: out.legs,
      snapped,
    };
  }

  function checkMinutes(minutes: number): number {
    if (!Number.isFinite(minutes) || minutes < 0)
      throw new AppError('VALIDATION', { field: 'minutes', reason: 'a number of minutes ≥ 0' });
    return minutes;
  }

  /** road pieces reached within `minutes` from the origins */
  function reach(
    origins: LonLat[],
    minutes: number,
    o: QueryOptions,
    anyOrder = false,
    nodeLabels?: Int32Array,
  ): Piece[] {
    const profile = o.profile ?? 'car';
    const closed = anyClosed(o.closed) ? o.closed : undefined;
    const pg = profileGraph(g, profile);
    const budget = checkMinutes(minutes) * 60_000;
    const snaps = origins.map((p, i) => snapAll(p, `origins.${i}`, profile, maxSnap, closed));
    const seeds: Seeds = { nodes: [], ms: [], cm: [] };
    const extra = new Map<number, [number, number][]>();
    // with nodeLabels: each seed labelled with its origin's index
    const seedLabels: number[] = [];
    for (const [k, cands] of snaps.entries()) {
      const ss = sourceSeeds(cands, pg);
      if (nodeLabels) for (let i = 0; i < ss.nodes.length; i++) seedLabels.push(k);
      seeds.nodes.push(...ss.nodes);
      seeds.ms.push(...ss.ms);
      seeds.cm.push(...ss.cm);
      // the pieces of the segments the origin lies on, driven from it
      for (const c of cands) {
        let l = extra.get(c.seg);
        if (!l) {
          l = [];
          extra.set(c.seg, l);
        }
        const f = c.fraction;
        const fwd = pg.sdMs[c.seg * 2];
        const bwd = pg.sdMs[c.seg * 2 + 1];
        if (fwd !== NO_ARC) l.push([f, fwd > 0 ? Math.min(1, f + budget / fwd) : 1]);
        if (bwd !== NO_ARC) l.push([bwd > 0 ? Math.max(0, f - budget / bwd) : 0, f]);
        if (fwd === NO_ARC && bwd === NO_ARC) l.push([f, f]);
      }
    }
    boundedReach(
      ctx,
      pg,
      seeds,
      budget,
      closed,
      anyOrder,
      nodeLabels ? { seed: Int32Array.from(seedLabels), node: nodeLabels } : undefined,
    );
    if (!reachFwd || !reachBwd || !reachStamp) {
      reachFwd = new Float32Array(S);
      reachBwd = new Float32Array(S);
      reachStamp = new Uint32Array(S);
    }
    const rf = reachFwd;
    const rb = reachBwd;
    const stamp = reachStamp;
    const round = ++reachRound;
    const touched: number[] = [];
    reachedShares(
      g,
      pg,
      ctx.settled,
      ctx.settledCount,
      ctx.space(0).dist,
      budget,
      closed,
      rf,
      rb,
      stamp,
      round,
      touched,
    );
    for (const s of extra.keys()) {
      if (stamp[s] !== round) {
        stamp[s] = round;
        rf[s] = 0;
        rb[s] = 0;
        touched.push(s);
      }
    }
    return reachedPieces(touched, rf, rb, extra);
  }

  function pieceCoords(p: Piece): LonLat[] {
    if (p.from <= 0 && p.to >= 1) return roundedShape(g, p.seg);
    return cutShape(shapeOf(g, p.seg), p.from, p.to).map(round7);
  }

  function isochrone(origins: LonLat[], minutes: number, o: QueryOptions = {}): IsochroneResult {
    const lines = reach(origins, minutes, o)
      .filter((p) => p.to > p.from)
      .map(pieceCoords);
    const area = bufferedRoads(lines);
    return {
      polygon: area.polygon,
      roads: { type: 'MultiLineString', coordinates: lines },
      areaKm2: Math.round(area.areaKm2 * 1e4) / 1e4,
    };
  }

  function matrix(sources: LonLat[], targets: LonLat[], o: QueryOptions = {}): MatrixResult {
    const profile = o.profile ?? 'car';
    const closed = anyClosed(o.closed) ? o.closed : undefined;
    const pg = profileGraph(g, profile);
    const sSnaps = sources.map((p, i) => snapAll(p, `sources.${i}`, profile, maxSnap, closed));
    const tSnaps = targets.map((p, j) => snapAll(p, `targets.${j}`, profile, maxSnap, closed));
    const src = sSnaps.map((c) => sourceSeeds(c, pg));
    const dst = tSnaps.map((c) => targetSeeds(c, pg));
    const T = targets.length;
    const ms = new Float64Array(sources.length * T).fill(Number.POSITIVE_INFINITY);
    const cm = new Float64Array(sources.length * T).fill(Number.POSITIVE_INFINITY);
    const redo: number[] = [];
    const cmMemo = new Map<number, number>();
    const closedMemo = new Map<number, boolean>();
    if (!hasHierarchy(pg)) for (let i = 0; i < sources.length; i++) redo.push(i);
    else if (!closed) {
      const rowCm = new Float64Array(T);
      chManyToMany(ctx, pg, src, dst, (i, row, meetItem) => {
        chRowCm(ctx, pg, src[i], dst, meetItem, cmMemo, rowCm);
        for (let j = 0; j < T; j++) {
          if (meetItem[j] < 0) continue;
          ms[i * T + j] = row[j];
          cm[i * T + j] = rowCm[j];
        }
      });
    } else
      chManyToMany(ctx, pg, src, dst, (i, row, meetItem) => {
        let crosses = false;
        for (let j = 0; j < T; j++) {
          if (meetItem[j] < 0) continue;
          let len = 0;
          let hit = false;
          const ends = chMatrixPath(ctx, ctx.itemNode[meetItem[j]], meetItem[j], j, (e, at, up) => {
            len += entryCm(g, pg, e, at, up, cmMemo);
            if (closed && !hit) hit = entryClosed(g, pg, e, at, up, closed, closedMemo);
          });
          if (hit) {
            crosses = true;
            break;
          }
          const si = seedAtRank(src[i], pg, ends.start);
          const di = seedAtRank(dst[j], pg, ends.end);
          ms[i * T + j] = row[j];
          cm[i * T + j] = len + src[i].cm[si] + dst[j].cm[di];
        }
        if (crosses) redo.push(i);
      });
    for (const i of redo) {
      const r = oneToMany(ctx, pg, src[i], dst, closed);
      for (let j = 0; j < T; j++) {
        ms[i * T + j] = r.ms[j];
        cm[i * T + j] = r.cm[j];
      }
    }
    // along one segment: only pairs whose snaps share a segment can (the targets by segment, then each source's)
    const bySeg = new Map<number, number[]>();
    for (let j = 0; j < T; j++) {
      for (const c of tSnaps[j]) {
        const l = bySeg.get(c.seg);
        if (!l) bySeg.set(c.seg, [j]);
        else if (l[l.length - 1] !== j) l.push(j);
      }
    }
    for (let i = 0; i < sources.length; i++) {
      const js: number[] = [];
      for (const c of sSnaps[i]) {
        const l = bySeg.get(c.seg);
        if (l) for (const j of l) if (!js.includes(j)) js.push(j);
      }
      for (const j of js) {
        const d = directBest(pg, sSnaps[i], tSnaps[j], 'time');
        if (d && d.ms <= ms[i * T + j]) {
          ms[i * T + j] = d.ms;
          cm[i * T + j] = d.cm;
        }
      }
    }
    const seconds: (number | null)[][] = [];
    const meters: (number | null)[][] = [];
    for (let i = 0; i < sources.length; i++) {
      const sr: (number | null)[] = [];
      const mr: (number | null)[] = [];
      for (let j = 0; j < T; j++) {
        const t = ms[i * T + j];
        sr.push(Number.isFinite(t) ? Math.round(t) / 1000 : null);
        mr.push(Number.isFinite(t) ? Math.round(cm[i * T + j]) / 100 : null);
      }
      seconds.push(sr);
      meters.push(mr);
    }
    return { seconds, meters };
  }

  /** snaps of manyToOne's sources, valid for one closure mask (the engine itself is one network's) */
  const sourceSnaps: { closed: Uint8Array | undefined; byPoint: Map<string, Snap[]> } = {
    closed: undefined,
    byPoint: new Map(),
  };
  function manyToOne(sources: LonLat[], target: LonLat, o: QueryOptions & { nearest?: number } = {}): ManyToOneResult {
    const profile = o.profile ?? 'car';
    const closed = anyClosed(o.closed) ? o.closed : undefined;
    const pg = profileGraph(g, profile);
    const B = snapAll(target, 'target', profile, maxSnap, closed);
    const dst = targetSeeds(B, pg);
    const N = sources.length;
    const offNetwork: boolean[] = new Array(N).fill(false);
    const snaps: Snap[][] = [];
    const src: EndSeeds[] = [];
    const none: EndSeeds = { nodes: [], ms: [], cm: [], cand: [], dirs: [] };
    // the same sources (team bases) are asked again and again: their snaps are kept while the closures stay the same
    if (sourceSnaps.closed !== closed || sourceSnaps.byPoint.size > 50_000) {
      sourceSnaps.closed = closed;
      sourceSnaps.byPoint.clear();
    }
    for (let i = 0; i < N; i++) {
      const key = `${profile}|${sources[i][0]}|${sources[i][1]}`;
      let c = sourceSnaps.byPoint.get(key);
      if (c === undefined) {
        c = [];
        try {
          c = snapAll(sources[i], `sources.${i}`, profile, maxSnap, closed);
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'OFF_NETWORK')) throw err;
        }
        sourceSnaps.byPoint.set(key, c);
      }
      if (c.length === 0) offNetwork[i] = true;
      snaps.push(c);
      src.push(c.length > 0 ? sourceSeeds(c, pg) : none);
    }
    // along the target's own segments first (a source there may drive straight to it)
    const ms = new Float64Array(N).fill(Number.POSITIVE_INFINITY);
    const cm = new Float64Array(N).fill(Number.POSITIVE_INFINITY);
    const targetSegs = new Set(B.map((b) => b.seg));
    for (let i = 0; i < N; i++) {
      if (!snaps[i].some((c) => targetSegs.has(c.seg))) continue;
      const d = directBest(pg, snaps[i], B, 'time');
      if (d) {
        ms[i] = d.ms;
        cm[i] = d.cm;
      }
    }
    const r = manyToOneBackward(ctx, pg, src, dst, closed, o.nearest ?? Number.POSITIVE_INFINITY, { ms, cm });
    const seconds: (number | null)[] = [];
    const meters: (number | null)[] = [];
    for (let i = 0; i < N; i++) {
      const t = r.ms[i];
      seconds.push(Number.isFinite(t) ? Math.round(t) / 1000 : null);
      meters.push(Number.isFinite(t) ? Math.round(r.cm[i]) / 100 : null);
    }
    return { seconds, meters, offNetwork, complete: r.complete, snapped: B[0] };
  }

  function coverage(
    origins: LonLat[],
    minutes: number,
    area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    o: QueryOptions = {},
  ): CoverageResult {
    const polygons = areaPolygons(area);
    if (!cover) cover = new CoverageCells(S, (s) => pieceCoords({ seg: s, from: 0, to: 1 }));
    const cc = cover;
    const a = cc.area(polygons);
    const box = a.box;
    // the pieces' order does not matter here
    const pieces = reach(origins, minutes, o, true);
    cc.begin();
    for (const p of pieces) {
      if (p.from <= 0 && p.to >= 1) cc.markWhole(p.seg, box);
      else cc.markPiece(p.seg, pieceCoords(p), box);
    }
    const covered: unknown[] = [];
    const uncovered: unknown[] = [];
    const cells = a.cells;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const f = {
        type: 'Feature',
        properties: { h3: c },
        geometry: { type: 'Polygon', coordinates: [cellRing(a, i)] },
      };
      (cc.marked(c) ? covered : uncovered).push(f);
    }
    return {
      coveredShare: cells.length > 0 ? covered.length / cells.length : 0,
      covered: { type: 'FeatureCollection', features: covered },
      uncovered: { type: 'FeatureCollection', features: uncovered },
      cellCount: cells.length,
    };
  }

  /**
   * Arrival (ms) at a point on the road after the last bounded search: entering its segment in a direction the
   * search reached (its node's time, less the segment's own time) and driving to the point; a point behind the
   * origin on the origin's own segment gives a negative time in that direction, which does not count.
   */
  function arrivalAt(pg: ReturnType<typeof profileGraph>, snap: Snap): { ms: number; node: number } {
    const sp = ctx.space(0);
    let best = Number.POSITIVE_INFINITY;
    let node = -1;
    for (let dir = 0; dir < 2; dir++) {
      const sd = snap.seg * 2 + dir;
      const t = pg.sdMs[sd];
      if (t === NO_ARC || sp.stamp[sd] !== sp.round) continue;
      const at = sp.dist[sd] - t + (dir === 0 ? snap.fraction : 1 - snap.fraction) * t;
      if (at >= -1e-6 && at < best) {
        best = at;
        node = sd;
      }
    }
    return { ms: best, node };
  }

  function coverageSets(
    origins: LonLat[],
    minutes: number,
    area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    o: QueryOptions = {},
  ): CoverageSets {
    const polygons = areaPolygons(area);
    if (!cover) cover = new CoverageCells(S, (s) => pieceCoords({ seg: s, from: 0, to: 1 }));
    const cc = cover;
    const a = cc.area(polygons);
    const sets: (Int32Array | null)[] = [];
    for (const origin of origins) {
      let pieces: Piece[];
      try {
        pieces = reach([origin], minutes, o, true);
      } catch (err) {
        if (err instanceof AppError && err.code === 'OFF_NETWORK') {
          sets.push(null);
          continue;
        }
        throw err;
      }
      cc.begin();
      for (const p of pieces) {
        if (p.from <= 0 && p.to >= 1) cc.markWhole(p.seg, a.box);
        else cc.markPiece(p.seg, pieceCoords(p), a.box);
      }
      sets.push(cc.markedIndices(a));
    }
    return { cells: a.cells, sets };
  }

  function coverageFirst(
    origins: LonLat[],
    minutes: number,
    area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    o: QueryOptions = {},
  ): CoverageFirst {
    const polygons = areaPolygons(area);
    if (!cover) cover = new CoverageCells(S, (s) => pieceCoords({ seg: s, from: 0, to: 1 }));
    const cc = cover;
    const a = cc.area(polygons);
    const profile = o.profile ?? 'car';
    const closed = anyClosed(o.closed) ? o.closed : undefined;
    const offNetwork = origins.map((p, k) => {
      try {
        snapAll(p, `origins.${k}`, profile, maxSnap, closed);
        return false;
      } catch (err) {
        if (err instanceof AppError && err.code === 'OFF_NETWORK') return true;
        throw err;
      }
    });
    const good = origins.map((_, k) => k).filter((k) => !offNetwork[k]);
    const first = new Int32Array(a.cells.length).fill(-1);
    cc.begin();
    if (good.length > 0) {
      if (!labels) labels = new Int32Array(ctx.space(0).dist.length);
      const nodeLabels = labels;
      const pieces = reach(
        good.map((k) => origins[k]),
        minutes,
        o,
        true,
        nodeLabels,
      );
      for (const p of pieces) {
        if (p.from <= 0 && p.to >= 1) cc.markWhole(p.seg, a.box);
        else cc.markPiece(p.seg, pieceCoords(p), a.box);
      }
      const pg = profileGraph(g, profile);
      for (const i of cc.markedIndices(a)) {
        const [lat, lon] = cellToLatLng(a.cells[i]);
        let at: { ms: number; node: number } = { ms: Number.POSITIVE_INFINITY, node: -1 };
        try {
          at = arrivalAt(pg, snapOn([lon, lat], 'centre', profile, maxSnap, closed));
        } catch {
          // no road near the centre: the nearest origin below
        }
        if (at.node >= 0) first[i] = good[nodeLabels[at.node]];
        else {
          // the centre's own road was not reached (another road through the cell was): the nearest origin
          let d = Number.POSITIVE_INFINITY;
          for (const k of good) {
            const dd = (origins[k][0] - lon) ** 2 + (origins[k][1] - lat) ** 2;
            if (dd < d) {
              d = dd;
              first[i] = k;
            }
          }
        }
      }
    }
    return { cells: a.cells, first, offNetwork };
  }

  function segmentsNear(p: LonLat, radiusMeters: number): number[] {
    const [lon, lat] = checkPoint(p, 'near');
    if (!Number.isFinite(radiusMeters) || radiusMeters < 0)
      throw new AppError('VALIDATION', { field: 'radiusM', reason: 'a distance in metres ≥ 0' });
    const found: [number, number][] = [];
    for (const s of candidates(lon, lat, radiusMeters)) {
      const d = projectOnShape(shapeOf(g, s), lon, lat).meters;
      if (d <= radiusMeters) found.push([d, s]);
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return found.map((f) => f[1]);
  }

  function segmentsAlong(line: LonLat[], toleranceMeters: number): number[] {
    if (!Array.isArray(line) || line.length < 2)
      throw new AppError('VALIDATION', { field: 'geometry', reason: 'a line of at least 2 points' });
    for (let i = 0; i < line.length; i++) checkPoint(line[i], `geometry.coordinates.${i}`);
    if (!Number.isFinite(toleranceMeters) || toleranceMeters < 0)
      throw new AppError('VALIDATION', { field: 'toleranceMeters', reason: 'a distance in metres ≥ 0' });
    const cands = new Set<number>();
    for (let i = 0; i + 1 < line.length; i++) {
      const [x0, y0] = line[i];
      const [x1, y1] = line[i + 1];
      const midLat = (y0 + y1) / 2;
      const kx = METERS_PER_DEGREE * Math.max(0.01, Math.cos((midLat * Math.PI) / 180));
      const dLon = toleranceMeters / kx;
      const dLat = toleranceMeters / METERS_PER_DEGREE;
      const found = indexSearch(
        quantLo((Math.min(x0, x1) - dLon - box[0]) * sx),
        quantLo((Math.min(y0, y1) - dLat - box[1]) * sy),
        quantHi((Math.max(x0, x1) + dLon - box[0]) * sx),
        quantHi((Math.max(y0, y1) + dLat - box[1]) * sy),
      );
      for (const s of found) cands.add(s);
    }
    const out: number[] = [];
    for (const s of cands) if (shareNear(shapeOf(g, s), line, toleranceMeters) >= 0.6) out.push(s);
    return out.sort((a, b) => a - b);
  }

  return {
    info,
    snap(p, field, so = {}) {
      return snapOn(p, field, so.profile ?? 'car', so.maxMeters ?? maxSnap);
    },
    route,
    isochrone,
    matrix,
    manyToOne,
    coverage,
    coverageSets,
    coverageFirst,
    segmentsNear,
    segmentsAlong,
  };
}

/**
 * For each segment entered from a settled node: the share of it driven each way within the budget, the greatest
 * (fwd / bwd by segment; stamp marks the segments of this round, listed in touched). Module level and apart from
 * reach(): a loop there got compiled on the stack and left to the interpreter for what follows it at every call.
 */
function reachedShares(
  g: RoadGraph,
  pg: ProfileGraph,
  settled: Int32Array,
  settledCount: number,
  dist: Float64Array,
  budget: number,
  closed: Uint8Array | undefined,
  fwd: Float32Array,
  bwd: Float32Array,
  stamp: Uint32Array,
  round: number,
  touched: number[],
): void {
  const { firstOut, arcHead, copySd } = g;
  const { arcMs, sdMs } = pg;
  const two = g.segmentCount * 2;
  for (let i = 0; i < settledCount; i++) {
    const x = settled[i];
    const left = budget - dist[x];
    for (let a = firstOut[x], e = firstOut[x + 1]; a < e; a++) {
      const ms = arcMs[a];
      if (ms === NO_ARC) continue;
      const h = arcHead[a];
      const sd = h < two ? h : copySd[h - two];
      const s = sd >>> 1;
      if (closed && s < closed.length && closed[s]) continue;
      // the turn comes first, then the segment: what is left after the turn drives a share of it
      const drive = sdMs[sd];
      const rest = left - (ms - drive);
      if (rest <= 0) continue;
      const frac = drive > 0 ? Math.min(1, rest / drive) : 1;
      if (stamp[s] !== round) {
        stamp[s] = round;
        fwd[s] = 0;
        bwd[s] = 0;
        touched.push(s);
      }
      if (sd & 1) {
        if (frac > bwd[s]) bwd[s] = frac;
      } else if (frac > fwd[s]) fwd[s] = frac;
    }
  }
}

/** The reached pieces of the touched segments, in that order (see mergePieces). */
function reachedPieces(
  touched: number[],
  fwd: Float32Array,
  bwd: Float32Array,
  extra: Map<number, [number, number][]>,
): Piece[] {
  const pieces: Piece[] = [];
  for (const s of touched) {
    const f = fwd[s];
    const b = bwd[s];
    const ex = extra.get(s);
    if (ex) {
      mergePieces(s, f, b, ex, pieces);
      continue;
    }
    // [0, f] and [1 - b, 1], merged when they meet (what mergePieces does, without its arrays)
    if (f > 0 && b > 0 && 1 - b <= f) pieces.push({ seg: s, from: 0, to: 1 });
    else {
      if (f > 0) pieces.push({ seg: s, from: 0, to: f });
      if (b > 0) pieces.push({ seg: s, from: 1 - b, to: 1 });
    }
  }
  return pieces;
}

/**
 * The pieces of segment s reached: [0, fwd] driven along it, [1 - bwd, 1] against it and the intervals of `extra`
 * (from origins on it), merged where they meet or overlap, in order along the segment.
 */
function mergePieces(s: number, fwd: number, bwd: number, extra: [number, number][], out: Piece[]): void {
  const iv: [number, number][] = [];
  if (fwd > 0) iv.push([0, fwd]);
  if (bwd > 0) iv.push([1 - bwd, 1]);
  iv.push(...extra);
  iv.sort(byStart);
  let cur: [number, number] | null = null;
  for (const [lo, hi] of iv) {
    if (cur && lo <= cur[1]) cur[1] = Math.max(cur[1], hi);
    else {
      if (cur) out.push({ seg: s, from: cur[0], to: cur[1] });
      cur = [lo, hi];
    }
  }
  if (cur) out.push({ seg: s, from: cur[0], to: cur[1] });
}

function byStart(p: [number, number], q: [number, number]): number {
  return p[0] - q[0];
}

function round7(p: LonLat): LonLat {
  return [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];
}

/** index of the first copy of segment direction sd in copySd (ascending), or copySd.length */
function firstCopy(copySd: Uint32Array, sd: number): number {
  let lo = 0;
  let hi = copySd.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (copySd[mid] < sd) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A route's geometry, segments and legs as its pieces are driven. */
interface Drive {
  coords: LonLat[];
  segments: number[];
  legs: RouteResult['legs'];
}

/**
 * Adds a driven piece of a route (segment, direction, fractions from → to along the way, cm and ms) unless it is
 * shorter than 1 cm: a start on a vertex that leaves along another segment names not its own. Module level: see
 * pointAt in road-geometry.
 */
function drive(out: Drive, g: RoadGraph, seg: number, dir: 0 | 1, from: number, to: number, cm: number, ms: number) {
  if (!(cm >= 1)) return;
  appendCut(out.coords, g, seg, from, to);
  if (out.segments[out.segments.length - 1] !== seg) out.segments.push(seg);
  out.legs.push({ seg, dir, meters: Math.round(cm) / 100, seconds: Math.round(ms) / 1000 });
}

/** The area's polygons as GeoJSON rings ([lon, lat]); refuses anything else (400 naming `area`). */
export function areaPolygons(area: { type: string; coordinates: unknown }): LonLat[][][] {
  const bad = (reason: string): never => {
    throw new AppError('VALIDATION', { field: 'area', reason });
  };
  const isRing = (r: unknown): r is LonLat[] =>
    Array.isArray(r) &&
    r.length >= 4 &&
    r.every(
      (p) =>
        Array.isArray(p) &&
        Number.isFinite(p[0]) &&
        Number.isFinite(p[1]) &&
        Math.abs(p[0]) <= 180 &&
        Math.abs(p[1]) <= 90,
    );
  const isPolygon = (p: unknown): p is LonLat[][] => Array.isArray(p) && p.length > 0 && p.every(isRing);
  if (!area || typeof area !== 'object') return bad('a GeoJSON Polygon or MultiPolygon');
  if (area.type === 'Polygon') {
    if (!isPolygon(area.coordinates)) return bad('Polygon coordinates: rings of ≥ 4 [lon, lat] points');
    return [area.coordinates];
  }
  if (area.type === 'MultiPolygon') {
    const c = area.coordinates;
    if (!Array.isArray(c) || !c.every(isPolygon)) return bad('MultiPolygon coordinates: polygons of rings');
    return c as LonLat[][][];
  }
  return bad('a GeoJSON Polygon or MultiPolygon');
}
