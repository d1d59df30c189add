/**
 * OSM turn restrictions (relations type=restriction) resolved to segments: from one way into another through a
 * via node, or through a sequence of via ways (then `viaSegs` lists the via ways' segments in driving order, and
 * `viaNode` is where the from way meets the first of them). Anything that cannot be resolved is skipped and
 * counted by reason. As the OSM wiki (Relation:restriction) says: `*_on_red` permits or forbids a turn on a red
 * light and bans no turn, so it is ignored; only `no_entry` may have several from ways and only `no_exit` several
 * to ways, any other restriction with several is invalid.
 *
 * When a from/to way runs through the via node (two of its segments touch it), the segment that can be driven
 * into (from) or out of (to) the node is taken; if both can, the pair whose turn angle best fits the restriction
 * (left, right, straight, U-turn) is taken; no_entry/no_exit, which name no angle, bind every such pair.
 */
import { englishOf, SKIPPED_RESTRICTION_REASONS } from '../../../contracts/road-import.ts';
import type { Profile, TurnRestriction } from '../road/network.ts';
import type { OsmMember, Tags } from './osm-types.ts';

export interface RawRestriction {
  id: number;
  members: OsmMember[];
  tags: Tags;
}

export interface RestrictionNetwork {
  /** vertex index of an OSM node, -1 when it is not a vertex of the network */
  vertexOf(osmNodeId: number): number;
  /** segment range [first, end) of an OSM way in the network (its segments in the way's order), or null */
  segmentsOf(osmWayId: number): [number, number] | null;
  segFrom: Uint32Array;
  segTo: Uint32Array;
  /** any profile may drive the segment forward / backward */
  canForward(seg: number): boolean;
  canBackward(seg: number): boolean;
  shapeStart: Uint32Array;
  shapeLon: Float64Array;
  shapeLat: Float64Array;
}

export const SKIP = englishOf(SKIPPED_RESTRICTION_REASONS);

type Range = [number, number];

export function resolveRestrictions(
  raw: RawRestriction[],
  net: RestrictionNetwork,
): { restrictions: TurnRestriction[]; applied: number; appliedViaWay: number; skipped: Map<string, number> } {
  const restrictions: TurnRestriction[] = [];
  const skipped = new Map<string, number>();
  let applied = 0;
  let appliedViaWay = 0;
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);

  for (const r of raw) {
    const value = r.tags['restriction:motorcar'] ?? r.tags.restriction;
    if (value === undefined) {
      skip(r.tags['restriction:conditional'] !== undefined ? SKIP.conditional : SKIP.otherVehicles);
      continue;
    }
    if (value.endsWith('_on_red')) {
      skip(SKIP.onRed);
      continue;
    }
    const kind = value.startsWith('no_') ? 'no' : value.startsWith('only_') ? 'only' : null;
    if (kind === null) {
      skip(SKIP.unknownValue);
      continue;
    }
    const except = (r.tags.except ?? '').split(';').map((s) => s.trim());
    if (except.some((e) => e === 'motorcar' || e === 'motor_vehicle' || e === 'vehicle')) {
      skip(SKIP.exceptCars);
      continue;
    }
    const appliesTo: Profile[] | undefined = except.includes('emergency') ? ['car'] : undefined;
    const from = r.members.filter((m) => m.role === 'from');
    const to = r.members.filter((m) => m.role === 'to');
    const via = r.members.filter((m) => m.role === 'via');
    const viaWays = via.length > 0 && via.every((m) => m.type === 'way');
    if (
      (!viaWays && (via.length !== 1 || via[0].type !== 'node')) ||
      from.length === 0 ||
      to.length === 0 ||
      from.some((m) => m.type !== 'way') ||
      to.some((m) => m.type !== 'way')
    ) {
      skip(SKIP.badMembers);
      continue;
    }
    if ((from.length > 1 && value !== 'no_entry') || (to.length > 1 && value !== 'no_exit')) {
      skip(SKIP.manyFromTo);
      continue;
    }
    const fromRanges = from.map((m) => net.segmentsOf(m.ref));
    const toRanges = to.map((m) => net.segmentsOf(m.ref));
    const viaRanges = viaWays ? via.map((m) => net.segmentsOf(m.ref)) : [];
    if ([...fromRanges, ...toRanges, ...viaRanges].some((x) => x === null)) {
      skip(SKIP.wayMissing);
      continue;
    }
    const v = viaWays ? -1 : net.vertexOf(via[0].ref);
    if (!viaWays && v < 0) {
      skip(SKIP.viaMissing);
      continue;
    }
    const ideal = idealTurn(value);
    const found: TurnRestriction[] = [];
    let failure: string | null = null;
    for (const fr of fromRanges as Range[]) {
      for (const tr of toRanges as Range[]) {
        let entry = v;
        let exit = v;
        let viaSegs: number[] | undefined;
        if (viaWays) {
          const chain = viaChain(net, fr, viaRanges as Range[], tr);
          if (chain === null) {
            failure = SKIP.viaNotConnected;
            continue;
          }
          ({ entry, exit, viaSegs } = chain);
        }
        const fs = candidates(net, fr, entry, true);
        const ts = candidates(net, tr, exit, false);
        if (fs.length === 0 || ts.length === 0) {
          failure = SKIP.notTouching;
          continue;
        }
        let pairs: [number, number][] = [];
        for (const f of fs) for (const t of ts) pairs.push([f, t]);
        if (pairs.length > 1) {
          if (ideal === null) {
            if (kind === 'only') pairs = [];
          } else {
            let best = pairs[0];
            let bestDiff = Number.POSITIVE_INFINITY;
            for (const p of pairs) {
              const d = angleDiff(turnAngle(net, p[0], entry, p[1], exit), ideal);
              if (d < bestDiff) [best, bestDiff] = [p, d];
            }
            pairs = [best];
          }
        }
        if (pairs.length === 0) failure = SKIP.ambiguous;
        for (const [f, t] of pairs) {
          const tr: TurnRestriction = { fromSeg: f, viaNode: entry, toSeg: t, kind };
          if (viaSegs) tr.viaSegs = viaSegs;
          if (appliesTo) tr.appliesTo = appliesTo;
          found.push(tr);
        }
      }
    }
    if (found.length === 0) {
      skip(failure ?? SKIP.notTouching);
      continue;
    }
    applied++;
    if (viaWays) appliedViaWay++;
    restrictions.push(...found);
  }
  return { restrictions, applied, appliedViaWay, skipped };
}

/** The vertices at the ends of a way's segments. */
function verticesOf(net: RestrictionNetwork, [first, end]: Range): Set<number> {
  const out = new Set<number>();
  for (let s = first; s < end; s++) {
    out.add(net.segFrom[s]);
    out.add(net.segTo[s]);
  }
  return out;
}

/**
 * The path from the from way through the via ways to the to way: where the from way meets the first via way
 * (entry), where the last via way meets the to way (exit), and the via ways' segments in driving order. Null when
 * consecutive ways share no vertex, or the choice of where they meet is not unique.
 */
function viaChain(
  net: RestrictionNetwork,
  from: Range,
  via: Range[],
  to: Range,
): { entry: number; exit: number; viaSegs: number[] } | null {
  const ways = [from, ...via, to];
  const sets = ways.map((w) => verticesOf(net, w));
  // junction i: where ways[i] meets ways[i+1]
  const junctions: number[][] = [];
  for (let i = 0; i + 1 < ways.length; i++) junctions.push([...sets[i]].filter((x) => sets[i + 1].has(x)));
  if (junctions.some((j) => j.length === 0)) return null;
  // every choice of meeting points whose via ways are entered and left at different vertices, and can be driven
  let best: { entry: number; exit: number; viaSegs: number[] } | null = null;
  let count = 0;
  const choose = (i: number, picked: number[]) => {
    if (i === junctions.length) {
      const segs: number[] = [];
      for (let k = 0; k < via.length; k++) {
        const path = pathAlong(net, via[k], picked[k], picked[k + 1]);
        if (path === null) return;
        segs.push(...path);
      }
      count++;
      if (best === null || segs.length < best.viaSegs.length) {
        best = { entry: picked[0], exit: picked[picked.length - 1], viaSegs: segs };
      }
      return;
    }
    for (const x of junctions[i]) {
      if (i > 0 && x === picked[i - 1]) continue;
      choose(i + 1, [...picked, x]);
    }
  };
  choose(0, []);
  return count === 1 ? best : null;
}

/**
 * The segments of one way from vertex a to vertex b, in driving order, driven in a direction some profile may
 * take; the fewest when the way offers two (a loop). Null when there is no such path.
 */
function pathAlong(net: RestrictionNetwork, [first, end]: Range, a: number, b: number): number[] | null {
  let best: number[] | null = null;
  const n = end - first;
  // walk from every segment touching a, along the way's consecutive segments, in both directions (round the end
  // of a closed way: a roundabout)
  for (let s0 = first; s0 < end; s0++) {
    for (const dir of [1, -1]) {
      const start = dir === 1 ? net.segFrom[s0] : net.segTo[s0];
      if (start !== a) continue;
      const path: number[] = [];
      let at = a;
      for (let step = 0; step < n; step++) {
        const s = first + ((((s0 - first + dir * step) % n) + n) % n);
        const forward = net.segFrom[s] === at;
        if (!forward && net.segTo[s] !== at) break;
        if (!(forward ? net.canForward(s) : net.canBackward(s))) break;
        path.push(s);
        at = forward ? net.segTo[s] : net.segFrom[s];
        if (at === b) {
          if (best === null || path.length < best.length) best = path.slice();
          break;
        }
        if (at === a) break;
      }
    }
  }
  return best;
}

/** Segments of a way touching vertex v; preferring those drivable into v (from) or out of v (to). */
function candidates(net: RestrictionNetwork, [first, end]: [number, number], v: number, into: boolean): number[] {
  const touching: number[] = [];
  const drivable: number[] = [];
  for (let s = first; s < end; s++) {
    const atEnd = net.segTo[s] === v;
    const atStart = net.segFrom[s] === v;
    if (!atEnd && !atStart) continue;
    touching.push(s);
    const ok = into
      ? (atEnd && net.canForward(s)) || (atStart && net.canBackward(s))
      : (atStart && net.canForward(s)) || (atEnd && net.canBackward(s));
    if (ok) drivable.push(s);
  }
  return drivable.length > 0 ? drivable : touching;
}

function idealTurn(value: string): number | null {
  if (value.endsWith('left_turn')) return -90;
  if (value.endsWith('right_turn')) return 90;
  if (value.endsWith('straight_on')) return 0;
  if (value.endsWith('u_turn')) return 180;
  return null;
}

function angleDiff(a: number, b: number): number {
  return Math.abs(((a - b + 540) % 360) - 180);
}

/** Turn from segment f, arriving at vertex a, into segment t, leaving vertex b (a = b but via ways), degrees, right positive. */
function turnAngle(net: RestrictionNetwork, f: number, a: number, t: number, b: number): number {
  const fa = net.shapeStart[f];
  const fb = net.shapeStart[f + 1] - 1;
  const ta = net.shapeStart[t];
  const tb = net.shapeStart[t + 1] - 1;
  // arriving: the last step into a; leaving: the first step out of b
  const [inA, inB] = net.segTo[f] === a ? [fb - 1, fb] : [fa + 1, fa];
  const [outA, outB] = net.segFrom[t] === b ? [ta, ta + 1] : [tb, tb - 1];
  return bearing(net, outA, outB) - bearing(net, inA, inB);
}

function bearing(net: RestrictionNetwork, a: number, b: number): number {
  const k = Math.cos((net.shapeLat[a] * Math.PI) / 180);
  return (Math.atan2((net.shapeLon[b] - net.shapeLon[a]) * k, net.shapeLat[b] - net.shapeLat[a]) * 180) / Math.PI;
}
