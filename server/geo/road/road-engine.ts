/**
 * The road engine: answers RoadEngine (engine.ts) from a compiled RoadGraph held in memory.
 *
 * Points are snapped to the nearest segment the profile may drive (and not closed); a query then starts inside
 * that segment: its searches are seeded at the segment's ends with the partial time (and length) to reach them in
 * each direction the profile may drive, and end likewise. Routes on time use the contraction hierarchy (falling
 * back to A* on the plain graph when a closure lies on the hierarchy's path), routes on distance use A*;
 * matrices use the hierarchy's bucket many-to-many (rows whose paths cross a closure are redone by Dijkstra);
 * isochrones and coverage use a bounded multi-source Dijkstra.
 */
import '../geo.errors.ts';
import { cellToBoundary, latLngToCell, polygonToCells } from 'h3-js';
import { AppError } from '../../errors.ts';
import type {
  CoverageResult,
  IsochroneResult,
  MatrixResult,
  NetworkInfo,
  QueryOptions,
  RoadEngine,
  RouteLeg,
  RouteResult,
  Snap,
} from './engine.ts';
import { quantHi, quantLo, segmentBox } from './graph-compile.ts';
import { bufferedRoads } from './isochrone-area.ts';
import type { LonLat, Profile } from './network.ts';
import { cutShape, METERS_PER_DEGREE, projectOnShape, shapeOf, shareNear } from './road-geometry.ts';
import {
  ARC_SD,
  arcHead,
  COORD_SCALE,
  findArc,
  graphBytes,
  NO_ARC,
  nodesOfVertex,
  type ProfileGraph,
  profileGraph,
  profileIndex,
  type RoadGraph,
  spatialSearch,
} from './road-graph.ts';
import {
  anyClosed,
  boundedReach,
  chManyToMany,
  chMatrixPath,
  chPath,
  chRoute,
  entryClosed,
  entryCm,
  oneToMany,
  plainRoute,
  type Seeds,
  searchContext,
} from './search.ts';

export { compileGraph } from './graph-compile.ts';
export { deserializeGraph, serializeGraph } from './graph-io.ts';
export type { RoadGraph } from './road-graph.ts';
export { graphBytes } from './road-graph.ts';

const Q = 65535;
const H3_RESOLUTION = 9;

/** Seeds at the ends of a snapped segment, with the direction (0 = along the way, 1 = against) each stands for. */
interface EndSeeds extends Seeds {
  dirs: number[];
}

interface Piece {
  seg: number;
  from: number;
  to: number;
}

export function createRoadEngine(g: RoadGraph, opts: { maxSnapMeters?: number } = {}): RoadEngine {
  const maxSnap = opts.maxSnapMeters ?? 500;
  const ctx = searchContext(g);
  const box = g.meta.spatialBox;
  const sx = Q / (box[2] - box[0]);
  const sy = Q / (box[3] - box[1]);
  const S = g.segmentCount;
  // per-segment scratch for reached pieces (allocated on the first isochrone)
  let reachFwd: Float32Array | undefined;
  let reachBwd: Float32Array | undefined;
  let reachStamp: Uint32Array | undefined;
  let reachRound = 0;

  const info: NetworkInfo = {
    id: g.meta.id,
    name: g.meta.name,
    synthetic: g.meta.synthetic,
    source: g.meta.source,
    attribution: g.meta.attribution,
    nodeCount: g.nodeCount,
    segmentCount: g.segmentCount,
    arcCount: g.firstOut[g.nodeCount],
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

  function nearest(lon: number, lat: number, meters: number, filter: (s: number) => boolean): Snap | null {
    let best: Snap | null = null;
    for (const s of candidates(lon, lat, meters, filter)) {
      const p = projectOnShape(shapeOf(g, s), lon, lat);
      // ties go to the least segment id (candidates come in no particular order)
      if (p.meters <= meters && (!best || p.meters < best.meters || (p.meters === best.meters && s < best.seg)))
        best = { seg: s, ...p };
    }
    return best;
  }

  function checkPoint(p: unknown, field: string): LonLat {
    if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
      throw new AppError('VALIDATION', { field, reason: 'expected [longitude, latitude]' });
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) throw new AppError('COORDINATES_OUT_OF_RANGE', { field });
    return [p[0], p[1]];
  }

  function snapOn(p: LonLat, field: string, profile: Profile, maxMeters: number, closed?: Uint8Array): Snap {
    const [lon, lat] = checkPoint(p, field);
    const pi = profileIndex(g, profile);
    const mask = 3 << (2 * pi);
    const ok = (s: number) =>
      (g.segAccess[s] & mask) !== 0 &&
      g.segFrom[s] !== g.segTo[s] &&
      !(closed !== undefined && s < closed.length && closed[s] !== 0);
    // nearest within a small radius first: anything nearer than r has its box in the query box
    for (let r = Math.min(maxMeters, 50); ; r = Math.min(maxMeters, r * 4)) {
      const best = nearest(lon, lat, r, ok);
      if (best) return roundSnap(best);
      if (r >= maxMeters) break;
    }
    let meters: number | null = null;
    for (let r = Math.max(maxMeters * 4, 1000); r <= 256_000; r *= 4) {
      const best = nearest(lon, lat, r, ok);
      if (best) {
        meters = Math.round(best.meters);
        break;
      }
    }
    throw new AppError('OFF_NETWORK', { field, meters: meters ?? '>256000', max: maxMeters });
  }

  /** arc times of the snapped segment for the profile, from its (uncopied) end vertices */
  function segArcs(pg: ProfileGraph, s: number): { fwd: number; bwd: number; fwdArc: number; bwdArc: number } {
    const fa = findArc(g, g.segFrom[s], s * 2);
    const ba = findArc(g, g.segTo[s], s * 2 + 1);
    return {
      fwdArc: fa,
      bwdArc: ba,
      fwd: fa >= 0 ? pg.arcMs[fa] : NO_ARC,
      bwd: ba >= 0 ? pg.arcMs[ba] : NO_ARC,
    };
  }

  function sourceSeeds(sn: Snap, pg: ProfileGraph): EndSeeds {
    const out: EndSeeds = { nodes: [], ms: [], cm: [], dirs: [] };
    const s = sn.seg;
    const f = sn.fraction;
    const { fwd, bwd, fwdArc, bwdArc } = segArcs(pg, s);
    const cm = g.segCm[s];
    if (fwd !== NO_ARC) {
      out.nodes.push(arcHead(g, fwdArc));
      out.ms.push((1 - f) * fwd);
      out.cm.push((1 - f) * cm);
      out.dirs.push(0);
    }
    if (bwd !== NO_ARC) {
      out.nodes.push(arcHead(g, bwdArc));
      out.ms.push(f * bwd);
      out.cm.push(f * cm);
      out.dirs.push(1);
    }
    return out;
  }

  function targetSeeds(sn: Snap, pg: ProfileGraph): EndSeeds {
    const out: EndSeeds = { nodes: [], ms: [], cm: [], dirs: [] };
    const s = sn.seg;
    const f = sn.fraction;
    const cm = g.segCm[s];
    for (let dir = 0; dir < 2; dir++) {
      const tail = dir === 0 ? g.segFrom[s] : g.segTo[s];
      const part = dir === 0 ? f : 1 - f;
      for (const x of nodesOfVertex(g, tail)) {
        const a = findArc(g, x, s * 2 + dir);
        if (a < 0 || pg.arcMs[a] === NO_ARC) continue;
        out.nodes.push(x);
        out.ms.push(part * pg.arcMs[a]);
        out.cm.push(part * cm);
        out.dirs.push(dir);
      }
    }
    return out;
  }

  /** the cheapest way along one segment from fraction a to fraction b, or null */
  function direct(pg: ProfileGraph, s: number, a: number, b: number, metric: 'time' | 'distance') {
    const { fwd, bwd } = segArcs(pg, s);
    const cm = g.segCm[s];
    let best: { ms: number; cm: number } | null = null;
    const consider = (ms: number, c: number) => {
      if (!best || (metric === 'time' ? ms < best.ms : c < best.cm)) best = { ms, cm: c };
    };
    if (b >= a && fwd !== NO_ARC) consider((b - a) * fwd, (b - a) * cm);
    if (b <= a && bwd !== NO_ARC) consider((a - b) * bwd, (a - b) * cm);
    return best as { ms: number; cm: number } | null;
  }

  /** index of the seed standing at CH node `at` with the least time */
  function seedAt(seeds: Seeds, pg: ProfileGraph, at: number): number {
    let k = -1;
    for (let i = 0; i < seeds.nodes.length; i++)
      if (pg.rank[seeds.nodes[i]] === at && (k < 0 || seeds.ms[i] < seeds.ms[k])) k = i;
    return k;
  }

  function route(
    from: LonLat,
    to: LonLat,
    o: QueryOptions & { metric?: 'time' | 'distance' } = {},
  ): RouteResult | null {
    const profile = o.profile ?? 'car';
    const metric = o.metric ?? 'time';
    const closed = anyClosed(o.closed) ? o.closed : undefined;
    const a = snapOn(from, 'from', profile, maxSnap, closed);
    const b = snapOn(to, 'to', profile, maxSnap, closed);
    const pg = profileGraph(g, profile);
    const src = sourceSeeds(a, pg);
    const dst = targetSeeds(b, pg);
    let best: {
      ms: number;
      cm: number;
      segDirs: number[];
      srcDir: number;
      dstDir: number;
      srcCm: number;
      dstCm: number;
      srcMs: number;
      dstMs: number;
    } | null = null;
    let usePlain = metric === 'distance';
    if (metric === 'time') {
      const r = chRoute(ctx, pg, src, dst);
      if (r) {
        const p = chPath(ctx, pg, r.meet);
        if (closed && p.segDirs.some((sd) => closed[sd >>> 1])) usePlain = true;
        else {
          const si = seedAt(src, pg, p.start);
          const di = seedAt(dst, pg, p.end);
          let cm = src.cm[si] + dst.cm[di];
          for (const sd of p.segDirs) cm += g.segCm[sd >>> 1];
          best = {
            ms: r.ms,
            cm,
            segDirs: p.segDirs,
            srcDir: src.dirs[si],
            dstDir: dst.dirs[di],
            srcCm: src.cm[si],
            dstCm: dst.cm[di],
            srcMs: src.ms[si],
            dstMs: dst.ms[di],
          };
        }
      }
    }
    if (usePlain) {
      const p = plainRoute(ctx, profile, src, dst, metric, b.point, closed);
      if (p) {
        let ms = src.ms[p.srcSeed] + dst.ms[p.dstSeed];
        let cm = src.cm[p.srcSeed] + dst.cm[p.dstSeed];
        for (const sd of p.segDirs) {
          cm += g.segCm[sd >>> 1];
          ms += arcMsAlong(pg, sd);
        }
        best = {
          ms,
          cm,
          segDirs: p.segDirs,
          srcDir: src.dirs[p.srcSeed],
          dstDir: dst.dirs[p.dstSeed],
          srcCm: src.cm[p.srcSeed],
          dstCm: dst.cm[p.dstSeed],
          srcMs: src.ms[p.srcSeed],
          dstMs: dst.ms[p.dstSeed],
        };
      }
    }
    if (a.seg === b.seg) {
      const d = direct(pg, a.seg, a.fraction, b.fraction, metric);
      if (d && (!best || (metric === 'time' ? d.ms <= best.ms : d.cm <= best.cm))) {
        const shape = shapeOf(g, a.seg);
        return {
          seconds: Math.round(d.ms) / 1000,
          meters: Math.round(d.cm) / 100,
          geometry: { type: 'LineString', coordinates: cutShape(shape, a.fraction, b.fraction).map(round7) },
          segments: [a.seg],
          legs: [{ seg: a.seg, dir: b.fraction >= a.fraction ? 0 : 1, meters: d.cm / 100, seconds: d.ms / 1000 }],
          snapped: { from: a, to: b },
        };
      }
    }
    if (!best) return null;
    const coords: LonLat[] = [];
    const append = (pts: LonLat[]) => {
      for (const q of pts) {
        const p = round7(q);
        const last = coords[coords.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) coords.push(p);
      }
    };
    append(cutShape(shapeOf(g, a.seg), a.fraction, best.srcDir === 0 ? 1 : 0));
    // the snapped segments count when a piece of them (≥ 1 cm) is driven, not when the point is at their far end
    const segments = best.srcCm >= 1 || best.segDirs.length === 0 ? [a.seg] : [];
    // the driven pieces for directions (issue 8): a minimal fill from the unpacked path, partial at both ends
    const legs: RouteLeg[] =
      segments.length > 0
        ? [{ seg: a.seg, dir: best.srcDir as 0 | 1, meters: best.srcCm / 100, seconds: best.srcMs / 1000 }]
        : [];
    for (const sd of best.segDirs) {
      const s = sd >>> 1;
      append(cutShape(shapeOf(g, s), sd & 1 ? 1 : 0, sd & 1 ? 0 : 1));
      if (segments[segments.length - 1] !== s) segments.push(s);
      legs.push({ seg: s, dir: (sd & 1) as 0 | 1, meters: g.segCm[s] / 100, seconds: arcMsAlong(pg, sd) / 1000 });
    }
    append(cutShape(shapeOf(g, b.seg), best.dstDir === 0 ? 0 : 1, b.fraction));
    if (best.dstCm >= 1 || legs.length === 0)
      legs.push({ seg: b.seg, dir: best.dstDir as 0 | 1, meters: best.dstCm / 100, seconds: best.dstMs / 1000 });
    if (segments[segments.length - 1] !== b.seg && (best.dstCm >= 1 || segments.length === 0)) segments.push(b.seg);
    return {
      seconds: Math.round(best.ms) / 1000,
      meters: Math.round(best.cm) / 100,
      geometry: { type: 'LineString', coordinates: coords },
      segments,
      legs,
      snapped: { from: a, to: b },
    };
  }

  function arcMsAlong(pg: ProfileGraph, sd: number): number {
    const s = sd >>> 1;
    const a = findArc(g, sd & 1 ? g.segTo[s] : g.segFrom[s], sd);
    return a >= 0 ? pg.arcMs[a] : NO_ARC;
  }

  function checkMinutes(minutes: number): number {
    if (!Number.isFinite(minutes) || minutes < 0)
      throw new AppError('VALIDATION', { field: 'minutes', reason: 'a number of minutes ≥ 0' });
    return minutes;
  }

  /** road pieces reached within `minutes` from the origins */
  function reach(origins: LonLat[], minutes: number, o: QueryOptions): Piece[] {
    const profile = o.profile ?? 'car';
    const closed = anyClosed(o.closed) ? o.closed : undefined;
    const pg = profileGraph(g, profile);
    const budget = checkMinutes(minutes) * 60_000;
    const snaps = origins.map((p, i) => snapOn(p, `origins.${i}`, profile, maxSnap, closed));
    const seeds: Seeds = { nodes: [], ms: [], cm: [] };
    const extra = new Map<number, [number, number][]>();
    for (const sn of snaps) {
      const ss = sourceSeeds(sn, pg);
      seeds.nodes.push(...ss.nodes);
      seeds.ms.push(...ss.ms);
      seeds.cm.push(...ss.cm);
      const { fwd, bwd } = segArcs(pg, sn.seg);
      let l = extra.get(sn.seg);
      if (!l) {
        l = [];
        extra.set(sn.seg, l);
      }
      const f = sn.fraction;
      if (fwd !== NO_ARC) l.push([f, fwd > 0 ? Math.min(1, f + budget / fwd) : 1]);
      if (bwd !== NO_ARC) l.push([bwd > 0 ? Math.max(0, f - budget / bwd) : 0, f]);
      if (fwd === NO_ARC && bwd === NO_ARC) l.push([f, f]);
    }
    boundedReach(ctx, pg, seeds, budget, closed);
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
    const dist = ctx.space(0).dist;
    const { firstOut, arcSeg } = g;
    const arcMs = pg.arcMs;
    for (let i = 0; i < ctx.settledCount; i++) {
      const x = ctx.settled[i];
      const left = budget - dist[x];
      for (let a = firstOut[x], e = firstOut[x + 1]; a < e; a++) {
        const ms = arcMs[a];
        if (ms === NO_ARC) continue;
        const sd = arcSeg[a] & ARC_SD;
        const s = sd >>> 1;
        if (closed && s < closed.length && closed[s]) continue;
        const frac = ms > 0 ? Math.min(1, left / ms) : 1;
        if (frac <= 0) continue;
        if (stamp[s] !== round) {
          stamp[s] = round;
          rf[s] = 0;
          rb[s] = 0;
          touched.push(s);
        }
        if (sd & 1) {
          if (frac > rb[s]) rb[s] = frac;
        } else if (frac > rf[s]) rf[s] = frac;
      }
    }
    for (const s of extra.keys()) {
      if (stamp[s] !== round) {
        stamp[s] = round;
        rf[s] = 0;
        rb[s] = 0;
        touched.push(s);
      }
    }
    const pieces: Piece[] = [];
    for (const s of touched) {
      const iv: [number, number][] = [];
      if (rf[s] > 0) iv.push([0, rf[s]]);
      if (rb[s] > 0) iv.push([1 - rb[s], 1]);
      const ex = extra.get(s);
      if (ex) iv.push(...ex);
      iv.sort((p, q) => p[0] - q[0]);
      let cur: [number, number] | null = null;
      for (const [lo, hi] of iv) {
        if (cur && lo <= cur[1]) cur[1] = Math.max(cur[1], hi);
        else {
          if (cur) pieces.push({ seg: s, from: cur[0], to: cur[1] });
          cur = [lo, hi];
        }
      }
      if (cur) pieces.push({ seg: s, from: cur[0], to: cur[1] });
    }
    return pieces;
  }

  function pieceCoords(p: Piece): LonLat[] {
    const shape = shapeOf(g, p.seg);
    if (p.from <= 0 && p.to >= 1) {
      const out: LonLat[] = [];
      for (let i = 0; i < shape.length; i += 2) out.push(round7([shape[i], shape[i + 1]]));
      return out;
    }
    return cutShape(shape, p.from, p.to).map(round7);
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
    const sSnaps = sources.map((p, i) => snapOn(p, `sources.${i}`, profile, maxSnap, closed));
    const tSnaps = targets.map((p, j) => snapOn(p, `targets.${j}`, profile, maxSnap, closed));
    const src = sSnaps.map((sn) => sourceSeeds(sn, pg));
    const dst = tSnaps.map((sn) => targetSeeds(sn, pg));
    const T = targets.length;
    const ms = new Float64Array(sources.length * T).fill(Number.POSITIVE_INFINITY);
    const cm = new Float64Array(sources.length * T).fill(Number.POSITIVE_INFINITY);
    const redo: number[] = [];
    const cmMemo = new Map<number, number>();
    const closedMemo = new Map<number, boolean>();
    chManyToMany(ctx, pg, src, dst, (i, row, meetItem) => {
      let crosses = false;
      for (let j = 0; j < T; j++) {
        if (meetItem[j] < 0) continue;
        let len = 0;
        let hit = false;
        const ends = chMatrixPath(ctx, ctx.itemNode[meetItem[j]], meetItem[j], j, (e, at, up) => {
          len += entryCm(pg, g.segCm, e, at, up, cmMemo);
          if (closed && !hit) hit = entryClosed(pg, e, at, up, closed, closedMemo);
        });
        if (hit) {
          crosses = true;
          break;
        }
        const si = seedAt(src[i], pg, ends.start);
        const di = seedAt(dst[j], pg, ends.end);
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
    for (let i = 0; i < sources.length; i++) {
      for (let j = 0; j < T; j++) {
        if (sSnaps[i].seg !== tSnaps[j].seg) continue;
        const d = direct(pg, sSnaps[i].seg, sSnaps[i].fraction, tSnaps[j].fraction, 'time');
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

  function coverage(
    origins: LonLat[],
    minutes: number,
    area: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
    o: QueryOptions = {},
  ): CoverageResult {
    const polygons = areaPolygons(area);
    const cells = new Set<string>();
    let minLon = Number.POSITIVE_INFINITY;
    let minLat = Number.POSITIVE_INFINITY;
    let maxLon = Number.NEGATIVE_INFINITY;
    let maxLat = Number.NEGATIVE_INFINITY;
    for (const poly of polygons) {
      for (const c of polygonToCells(poly, H3_RESOLUTION, true)) cells.add(c);
      for (const [lon, lat] of poly[0]) {
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      }
    }
    const reached = new Set<string>();
    // resolution 9 cells are ~174 m across: sample the reached roads every 40 m
    const step = 40;
    const pad = 0.003;
    for (const p of reach(origins, minutes, o)) {
      const pts = pieceCoords(p);
      for (let k = 0; k < pts.length; k++) {
        const [x0, y0] = pts[k];
        if (k + 1 === pts.length) {
          if (inBox(x0, y0)) reached.add(latLngToCell(y0, x0, H3_RESOLUTION));
          break;
        }
        const [x1, y1] = pts[k + 1];
        if (!inBox(x0, y0) && !inBox(x1, y1)) continue;
        const kx = METERS_PER_DEGREE * Math.cos((y0 * Math.PI) / 180);
        const n = Math.max(1, Math.ceil(Math.hypot((x1 - x0) * kx, (y1 - y0) * METERS_PER_DEGREE) / step));
        for (let t = 0; t < n; t++)
          reached.add(latLngToCell(y0 + ((y1 - y0) * t) / n, x0 + ((x1 - x0) * t) / n, H3_RESOLUTION));
      }
    }
    function inBox(x: number, y: number): boolean {
      return x >= minLon - pad && x <= maxLon + pad && y >= minLat - pad && y <= maxLat + pad;
    }
    const covered: unknown[] = [];
    const uncovered: unknown[] = [];
    for (const c of cells) {
      const f = {
        type: 'Feature',
        properties: { h3: c },
        // 6 decimals (≈ 0.1 m) is ample for ~170 m cells and halves the reply of a district's ~15,000 cells
        geometry: {
          type: 'Polygon',
          coordinates: [
            cellToBoundary(c, true).map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]),
          ],
        },
      };
      (reached.has(c) ? covered : uncovered).push(f);
    }
    return {
      coveredShare: cells.size > 0 ? covered.length / cells.size : 0,
      covered: { type: 'FeatureCollection', features: covered },
      uncovered: { type: 'FeatureCollection', features: uncovered },
      cellCount: cells.size,
    };
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
    coverage,
    segmentsNear,
    segmentsAlong,
  };
}

function round7(p: LonLat): LonLat {
  return [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];
}

function roundSnap(s: Snap): Snap {
  return {
    seg: s.seg,
    fraction: s.fraction,
    point: round7(s.point),
    meters: Math.round(s.meters * 100) / 100,
  };
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
