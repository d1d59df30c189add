/**
 * OSM turn restrictions (relations type=restriction: from way, via node, to way) resolved to the segments of
 * those ways that touch the via vertex. Via-way restrictions and anything that cannot be resolved are skipped and
 * counted by reason.
 *
 * When a from/to way runs through the via node (two of its segments touch it), the segment that can be driven
 * into (from) or out of (to) the node is taken; if both can, the pair whose turn angle best fits the restriction
 * (left, right, straight, U-turn) is taken; no_entry/no_exit, which name no angle, bind every such pair.
 */
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
  /** segment range [first, end) of an OSM way in the network, or null */
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

export const SKIP = {
  otherVehicles: 'conditional or for other vehicles only (restriction:conditional, :hgv, …)',
  unknownValue: 'unknown restriction value',
  exceptCars: 'except=motorcar (does not bind cars)',
  viaWay: 'via is a way (not supported)',
  badMembers: 'missing or invalid from/via/to members',
  onlyMany: 'only_* with several from or to ways',
  wayMissing: 'from or to way is missing from the file or not drivable',
  viaMissing: 'via node is not on the road network',
  notTouching: 'from or to way does not touch the via node',
  ambiguous: 'ambiguous: a way runs through the via node',
} as const;

export function resolveRestrictions(
  raw: RawRestriction[],
  net: RestrictionNetwork,
): { restrictions: TurnRestriction[]; applied: number; skipped: Map<string, number> } {
  const restrictions: TurnRestriction[] = [];
  const skipped = new Map<string, number>();
  let applied = 0;
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);

  for (const r of raw) {
    const value = r.tags['restriction:motorcar'] ?? r.tags.restriction;
    if (value === undefined) {
      skip(SKIP.otherVehicles);
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
    if (via.some((m) => m.type === 'way')) {
      skip(SKIP.viaWay);
      continue;
    }
    if (
      via.length !== 1 ||
      from.length === 0 ||
      to.length === 0 ||
      from.some((m) => m.type !== 'way') ||
      to.some((m) => m.type !== 'way')
    ) {
      skip(SKIP.badMembers);
      continue;
    }
    if (kind === 'only' && (from.length > 1 || to.length > 1)) {
      skip(SKIP.onlyMany);
      continue;
    }
    const fromRanges = from.map((m) => net.segmentsOf(m.ref));
    const toRanges = to.map((m) => net.segmentsOf(m.ref));
    if (fromRanges.some((x) => x === null) || toRanges.some((x) => x === null)) {
      skip(SKIP.wayMissing);
      continue;
    }
    const v = net.vertexOf(via[0].ref);
    if (v < 0) {
      skip(SKIP.viaMissing);
      continue;
    }
    const ideal = idealTurn(value);
    const found: TurnRestriction[] = [];
    let failure: string | null = null;
    for (const fr of fromRanges as [number, number][]) {
      for (const tr of toRanges as [number, number][]) {
        const fs = candidates(net, fr, v, true);
        const ts = candidates(net, tr, v, false);
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
              const d = angleDiff(turnAngle(net, p[0], p[1], v), ideal);
              if (d < bestDiff) [best, bestDiff] = [p, d];
            }
            pairs = [best];
          }
        }
        if (pairs.length === 0) failure = SKIP.ambiguous;
        for (const [f, t] of pairs) {
          found.push(
            appliesTo
              ? { fromSeg: f, viaNode: v, toSeg: t, kind, appliesTo }
              : { fromSeg: f, viaNode: v, toSeg: t, kind },
          );
        }
      }
    }
    if (found.length === 0) {
      skip(failure ?? SKIP.notTouching);
      continue;
    }
    applied++;
    restrictions.push(...found);
  }
  return { restrictions, applied, skipped };
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

/** Turn at v from segment f into segment t, degrees, right positive. */
function turnAngle(net: RestrictionNetwork, f: number, t: number, v: number): number {
  const fa = net.shapeStart[f];
  const fb = net.shapeStart[f + 1] - 1;
  const ta = net.shapeStart[t];
  const tb = net.shapeStart[t + 1] - 1;
  // arriving: the last step into v; leaving: the first step out of v
  const [inA, inB] = net.segTo[f] === v ? [fb - 1, fb] : [fa + 1, fa];
  const [outA, outB] = net.segFrom[t] === v ? [ta, ta + 1] : [tb, tb - 1];
  return bearing(net, outA, outB) - bearing(net, inA, inB);
}

function bearing(net: RestrictionNetwork, a: number, b: number): number {
  const k = Math.cos((net.shapeLat[a] * Math.PI) / 180);
  return (Math.atan2((net.shapeLon[b] - net.shapeLon[a]) * k, net.shapeLat[b] - net.shapeLat[a]) * 180) / Math.PI;
}
