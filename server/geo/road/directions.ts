/**
 * Turn-by-turn directions from a route's driven pieces (RouteResult.legs): the steps a dispatcher reads out to a
 * driver — "depart on X Road, 400 m; turn left onto Y Street, 1.2 km; at the roundabout take the 2nd exit onto Z
 * Road …; arrive". Pure: the graph gives shapes, classes and which ways leave each junction; names come from the
 * caller (the `roads` table of the current network), so that the engine keeps no strings.
 *
 * Turn classes follow OSRM's guidance conventions (osrm-backend, util/guidance/toolkit.hpp `getTurnDirection`,
 * BSD-2-Clause), written here as the deviation from straight on, in degrees (positive = to the right):
 *   straight ≤ 10 < slight ≤ 40 < turn ≤ 120 < sharp < 180 = U-turn.
 * Bearings are taken between the junction and the point BEARING_LOOKAHEAD_M along each road (shape points are
 * stored to about 1 m, so the very last piece of a shape is too short to give a stable direction).
 *
 * Steps are merged the way a driver thinks of them: consecutive pieces of the same road (same name; unnamed roads
 * by their class) make one step unless the route really turns there (more than a slight bend where another way
 * leaves too). Where the taken way and another leave within FORK_ANGLE of straight on, the step is `keep_left` or
 * `keep_right`: at such a fork "turn" misleads and "straight" does not say which branch.
 *
 * Roundabouts (segFlags & SEG_ROUNDABOUT) become one step `roundabout` with `exit` = the number of the exit taken,
 * counting the drivable ways leaving the roundabout at each vertex passed; the step carries the name of the road
 * taken out of it. The compiled graph carries `segFlags` once the engine keeps them (issue 8); a graph without them
 * describes a roundabout as the turns it is made of.
 */

import type { RouteManeuver } from '../../../contracts/geo.ts';
import type { RouteLeg } from './engine.ts';
import { type Profile, ROAD_CLASSES, type RoadClass, SEG_ROUNDABOUT } from './network.ts';
import { METERS_PER_DEGREE } from './road-geometry.ts';
import { COORD_SCALE, profileIndex, type RoadGraph, SHAPE_DIVISOR, SHAPE_SCALE } from './road-graph.ts';

export type Maneuver = RouteManeuver;

export interface Step {
  /** the road driven in this step: its name as tagged, or the road class in Chinese when unnamed */
  name: string;
  /** `name:en` where tagged, else the Chinese name; the road class in English when unnamed */
  nameEn: string;
  /** metres and seconds driven in this step (0 for `arrive`) */
  meters: number;
  seconds: number;
  /** the manoeuvre at the start of the step */
  maneuver: Maneuver;
  /** roundabout only: the number of the exit taken (1 = the first drivable exit) */
  exit?: number;
}

export interface RoadName {
  name: string | null;
  nameEn: string | null;
}

/** Straight on up to this deviation (OSRM: angles 170–190). */
export const STRAIGHT_MAX_DEG = 10;
/** Slight turns up to this (OSRM: 140–170 and 190–220). */
export const SLIGHT_MAX_DEG = 40;
/** Plain turns up to this; sharp beyond (OSRM: 60–140 and 220–300). */
export const TURN_MAX_DEG = 120;
/** a U-turn: back along the same road, or a turn this sharp onto the road of the same name (a dual carriageway) */
export const UTURN_MIN_DEG = 170;
/** two ways leaving within this of straight on make a fork (keep left / keep right): the slight range */
export const FORK_ANGLE_DEG = SLIGHT_MAX_DEG;
/** metres along a road to take its bearing at a junction */
export const BEARING_LOOKAHEAD_M = 10;

/** Readable names of the road classes, for unnamed roads. */
export const ROAD_CLASS_NAMES: Record<RoadClass, { zh: string; en: string }> = {
  motorway: { zh: '高速公路', en: 'motorway' },
  motorway_link: { zh: '高速匝道', en: 'motorway ramp' },
  trunk: { zh: '快速路', en: 'expressway' },
  trunk_link: { zh: '快速路匝道', en: 'expressway ramp' },
  primary: { zh: '主干道', en: 'main road' },
  primary_link: { zh: '主干道连接道', en: 'main road link' },
  secondary: { zh: '次干道', en: 'secondary road' },
  secondary_link: { zh: '次干道连接道', en: 'secondary road link' },
  tertiary: { zh: '支路', en: 'minor road' },
  tertiary_link: { zh: '支路连接道', en: 'minor road link' },
  unclassified: { zh: '无名道路', en: 'unnamed road' },
  residential: { zh: '小区道路', en: 'residential street' },
  living_street: { zh: '生活街道', en: 'living street' },
  service: { zh: '内部道路', en: 'service road' },
  track: { zh: '机耕路', en: 'track' },
  road: { zh: '道路', en: 'road' },
  ferry: { zh: '轮渡', en: 'ferry' },
};

/** How a road is called in directions: its names as tagged, or its class when unnamed. */
export function roadLabel(cls: RoadClass, n: RoadName | undefined): { name: string; nameEn: string } {
  if (n?.name) return { name: n.name, nameEn: n.nameEn || n.name };
  const c = ROAD_CLASS_NAMES[cls] ?? ROAD_CLASS_NAMES.road;
  return { name: c.zh, nameEn: c.en };
}

type DirectionsGraph = RoadGraph & { segFlags?: Uint8Array };

/** Segments meeting at each vertex (CSR), built once per graph: the junction's other ways. */
const incidence = new WeakMap<RoadGraph, { first: Uint32Array; segs: Uint32Array }>();

function incidentSegments(g: RoadGraph): { first: Uint32Array; segs: Uint32Array } {
  let inc = incidence.get(g);
  if (inc) return inc;
  const n = g.nodeCount;
  const first = new Uint32Array(n + 1);
  for (let s = 0; s < g.segmentCount; s++) {
    first[g.segFrom[s] + 1]++;
    if (g.segTo[s] !== g.segFrom[s]) first[g.segTo[s] + 1]++;
  }
  for (let v = 0; v < n; v++) first[v + 1] += first[v];
  const fill = first.slice(0, n);
  const segs = new Uint32Array(first[n]);
  for (let s = 0; s < g.segmentCount; s++) {
    segs[fill[g.segFrom[s]]++] = s;
    if (g.segTo[s] !== g.segFrom[s]) segs[fill[g.segTo[s]]++] = s;
  }
  inc = { first, segs };
  incidence.set(g, inc);
  return inc;
}

/** The vertex a leg drives into. */
const headOf = (g: RoadGraph, seg: number, dir: number) => (dir === 0 ? g.segTo[seg] : g.segFrom[seg]);

/** shape points of one segment in degrees (scratch, grown as needed: directions run for every route reply) */
let scratch = new Float64Array(64);

/**
 * Compass bearing (degrees clockwise from north) of segment `seg` at one of its ends, pointing away from that end
 * along the road: `atEnd` 0 = at segFrom, 1 = at segTo. Reads the graph's packed shape as shapeOf does, without
 * allocating.
 */
function bearingAway(g: RoadGraph, seg: number, atEnd: 0 | 1): number {
  const a = g.segFrom[seg];
  const b = g.segTo[seg];
  const s0 = g.shapeStart[seg];
  const s1 = g.shapeStart[seg + 1];
  const n = s1 - s0 + 2;
  if (scratch.length < 2 * n) scratch = new Float64Array(4 * n);
  const pts = scratch;
  pts[0] = g.nodeLon[a] / COORD_SCALE;
  pts[1] = g.nodeLat[a] / COORD_SCALE;
  let x = Math.round(g.nodeLon[a] / SHAPE_DIVISOR);
  let y = Math.round(g.nodeLat[a] / SHAPE_DIVISOR);
  for (let i = s0, k = 2; i < s1; i++, k += 2) {
    x += g.shapeDLon[i];
    y += g.shapeDLat[i];
    pts[k] = x / SHAPE_SCALE;
    pts[k + 1] = y / SHAPE_SCALE;
  }
  pts[2 * n - 2] = g.nodeLon[b] / COORD_SCALE;
  pts[2 * n - 1] = g.nodeLat[b] / COORD_SCALE;
  const i0 = atEnd === 0 ? 0 : n - 1;
  const step = atEnd === 0 ? 1 : -1;
  const x0 = pts[2 * i0];
  const y0 = pts[2 * i0 + 1];
  const kx = METERS_PER_DEGREE * Math.cos((y0 * Math.PI) / 180);
  let dx = 0;
  let dy = 0;
  for (let i = i0 + step; i >= 0 && i < n; i += step) {
    dx = (pts[2 * i] - x0) * kx;
    dy = (pts[2 * i + 1] - y0) * METERS_PER_DEGREE;
    if (dx * dx + dy * dy >= BEARING_LOOKAHEAD_M * BEARING_LOOKAHEAD_M) break;
  }
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

/** Bearing of a leg as it arrives at its head vertex (direction of travel). */
function arrivingBearing(g: RoadGraph, leg: RouteLeg): number {
  // the road seen from the head vertex points back along the leg: turn it round
  return (bearingAway(g, leg.seg, leg.dir === 0 ? 1 : 0) + 180) % 360;
}

/** Bearing of a leg as it leaves its tail vertex. */
function leavingBearing(g: RoadGraph, seg: number, dir: number): number {
  return bearingAway(g, seg, dir === 0 ? 0 : 1);
}

/** Signed deviation from straight on, (-180, 180]: positive to the right. */
function deviation(inBearing: number, outBearing: number): number {
  let d = (outBearing - inBearing) % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}

/** The angle class of a turn by its deviation (OSRM's thresholds, see the file's head). */
export function angleManeuver(dev: number): Maneuver {
  const a = Math.abs(dev);
  if (a <= STRAIGHT_MAX_DEG) return 'straight';
  const right = dev > 0;
  if (a <= SLIGHT_MAX_DEG) return right ? 'slight_right' : 'slight_left';
  if (a <= TURN_MAX_DEG) return right ? 'turn_right' : 'turn_left';
  if (a < 180) return right ? 'sharp_right' : 'sharp_left';
  return 'uturn';
}

interface Exit {
  seg: number;
  dir: 0 | 1;
  dev: number;
}

export interface DirectionsOptions {
  /** the profile the route was driven with: which ways count as exits of a junction (default car) */
  profile?: Profile;
}

/**
 * The steps of a route from its driven pieces, in order. `nameOf(seg)` gives the road's names (null when
 * unnamed). An empty route gives no steps.
 */
export function directions(
  graph: DirectionsGraph,
  legs: readonly RouteLeg[],
  nameOf: (seg: number) => RoadName | undefined,
  opts: DirectionsOptions = {},
): Step[] {
  if (legs.length === 0) return [];
  const g = graph;
  const pi = profileIndex(g, opts.profile ?? 'car');
  const inc = incidentSegments(g);
  const flags = g.segFlags;
  const isRoundabout = (s: number) => flags !== undefined && (flags[s] & SEG_ROUNDABOUT) !== 0;
  const isFerry = (s: number) => ROAD_CLASSES[g.segClass[s]] === 'ferry';
  const cls = (s: number): RoadClass => ROAD_CLASSES[g.segClass[s]] ?? 'road';

  const names = new Map<number, { name: string; nameEn: string; key: string }>();
  const label = (s: number) => {
    let l = names.get(s);
    if (!l) {
      const n = nameOf(s);
      l = { ...roadLabel(cls(s), n), key: n?.name ? `n:${n.name}` : `c:${cls(s)}` };
      names.set(s, l);
    }
    return l;
  };

  /** whether the profile may leave vertex v along segment s in direction dir */
  const leaves = (v: number, s: number, dir: 0 | 1) =>
    (dir === 0 ? g.segFrom[s] : g.segTo[s]) === v && (g.segAccess[s] & (1 << (2 * pi + dir))) !== 0;

  /**
   * Drivable ways leaving vertex v other than back along `inSeg` and than `skip` (seg * 2 + dir), with their
   * deviations when `inBearing` is given (bearings are the costly part: only forks and roundabouts need them).
   */
  const exitsAt = (v: number, inSeg: number, skip: number, inBearing?: number): Exit[] => {
    const out: Exit[] = [];
    for (let k = inc.first[v], e = inc.first[v + 1]; k < e; k++) {
      const s = inc.segs[k];
      if (s === inSeg) continue;
      for (const dir of [0, 1] as const) {
        if (s * 2 + dir === skip || !leaves(v, s, dir)) continue;
        out.push({ seg: s, dir, dev: inBearing === undefined ? 0 : deviation(inBearing, leavingBearing(g, s, dir)) });
      }
    }
    return out;
  };

  const steps: (Step & { key: string })[] = [];
  const first = legs[0];
  let cur: Step & { key: string } = {
    ...pick(label(first.seg)),
    key: label(first.seg).key,
    meters: 0,
    seconds: 0,
    maneuver: 'depart',
  };
  const add = (leg: RouteLeg) => {
    cur.meters += leg.meters;
    cur.seconds += leg.seconds;
  };
  const start = (leg: RouteLeg, maneuver: Maneuver) => {
    steps.push(cur);
    const l = label(leg.seg);
    cur = { ...pick(l), key: l.key, meters: 0, seconds: 0, maneuver };
  };
  // setting off inside a roundabout is a plain depart: leaving it is then told as a turn
  let inRoundabout = false;
  add(first);

  for (let i = 1; i < legs.length; i++) {
    const prev = legs[i - 1];
    const leg = legs[i];
    const v = headOf(g, prev.seg, prev.dir);
    const inBearing = arrivingBearing(g, prev);
    if (inRoundabout) {
      if (isRoundabout(leg.seg)) {
        // still on the roundabout: the ways leaving it here are exits passed
        cur.exit = (cur.exit ?? 0) + exitsAt(v, prev.seg, -1).filter((x) => !isRoundabout(x.seg)).length;
        add(leg);
        continue;
      }
      // out of the roundabout by this exit: the step goes on along the road taken
      inRoundabout = false;
      cur.exit = (cur.exit ?? 0) + 1;
      const l = label(leg.seg);
      cur.name = l.name;
      cur.nameEn = l.nameEn;
      cur.key = l.key;
      if (isFerry(leg.seg)) start(leg, 'ferry');
      add(leg);
      continue;
    }
    if (isRoundabout(leg.seg) && !isRoundabout(prev.seg)) {
      start(leg, 'roundabout');
      cur.exit = 0;
      inRoundabout = true;
      add(leg);
      continue;
    }
    if (isFerry(leg.seg)) {
      // boarding, or changing to another ferry line; the same line goes on in the same step
      if (!isFerry(prev.seg) || label(leg.seg).key !== cur.key) start(leg, 'ferry');
      add(leg);
      continue;
    }
    const back = leg.seg === prev.seg && leg.dir !== prev.dir;
    const dev = back ? 180 : deviation(inBearing, leavingBearing(g, leg.seg, leg.dir));
    const same = label(leg.seg).key === cur.key;
    if (back || (same && Math.abs(dev) >= UTURN_MIN_DEG)) {
      start(leg, 'uturn');
      add(leg);
      continue;
    }
    // the other ways the driver could take here; their angles matter only where ours is near straight on
    const near = Math.abs(dev) <= FORK_ANGLE_DEG;
    const others = exitsAt(v, prev.seg, leg.seg * 2 + leg.dir, near ? inBearing : undefined);
    const branches = near ? others.filter((x) => Math.abs(x.dev) <= FORK_ANGLE_DEG) : [];
    // straight on while every other branch bends off clearly (twice the straight range) is no fork: it is obvious
    const obvious = Math.abs(dev) <= STRAIGHT_MAX_DEG && branches.every((x) => Math.abs(x.dev) > 2 * STRAIGHT_MAX_DEG);
    const fork = branches.length > 0 && !obvious;
    // the same road with no real turn: one step (a bend with no other way to take, or a gentle one not at a fork)
    if (same && (others.length === 0 || (Math.abs(dev) <= SLIGHT_MAX_DEG && !fork))) {
      add(leg);
      continue;
    }
    let maneuver: Maneuver;
    if (isFerry(prev.seg)) {
      // driving off a ferry: the landing gives no turn to speak of
      maneuver = 'straight';
    } else if (fork) {
      const leftmost = branches.every((x) => x.dev > dev);
      const rightmost = branches.every((x) => x.dev < dev);
      maneuver = leftmost ? 'keep_left' : rightmost ? 'keep_right' : 'straight';
    } else maneuver = angleManeuver(dev);
    start(leg, maneuver);
    add(leg);
  }
  // a route ending on the roundabout took no exit
  if (inRoundabout) cur.exit = undefined;
  steps.push(cur);
  const end = label(legs[legs.length - 1].seg);
  steps.push({ ...pick(end), key: end.key, meters: 0, seconds: 0, maneuver: 'arrive' });
  return steps.map(({ name, nameEn, meters, seconds, maneuver, exit }) => {
    const s: Step = {
      name,
      nameEn,
      meters: Math.round(meters * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      maneuver,
    };
    if (exit !== undefined && maneuver === 'roundabout') s.exit = exit;
    return s;
  });
}

function pick(l: { name: string; nameEn: string }): { name: string; nameEn: string } {
  return { name: l.name, nameEn: l.nameEn };
}
