/**
 * The edge-based base graph of the road engine: one node per segment direction (sd = seg * 2 + dir, "at the end of
 * seg driven in dir") and one arc per allowed turn from a node arriving at a vertex to a node leaving it.
 *
 * An arc's time for a profile = the turn's cost + the signal at the vertex + the time to drive the segment turned
 * into (its own signals included). A turn is not allowed (NO_ARC) when the profile may not drive the next segment
 * that way, a turn restriction forbids it, a barrier at the vertex closes it to the profile, or it is a U-turn
 * (the same segment back) where none is allowed: U-turns only at dead ends (no other way out for the profile, or a
 * barrier ahead), unless the profile's `uturnOnTwoWay` allows them on two-way roads. Every U-turn costs `uturnS`;
 * other turns cost by angle (OSRM's sigmoid, `turnSeconds`) where more than two roads meet, so that a way merely
 * bending or continuing as another way costs nothing. All in integer ms, so that every search adds the same integers.
 */
import {
  DEFAULT_TURN_COSTS,
  type NetworkData,
  NODE_SIGNALS,
  PROFILES,
  type Profile,
  type TurnCosts,
  type TurnRestriction,
} from './network.ts';
import { NO_ARC } from './road-graph.ts';

type Restriction = TurnRestriction & { appliesTo?: readonly Profile[] };

/**
 * Seconds a turn by `angle` degrees costs (0 straight on, > 0 to the right, < 0 to the left, ±180 back): OSRM car.lua's
 * sigmoid, which tops out at turnPenaltyS; turnBias > 1 makes left turns (across oncoming traffic in right-hand
 * traffic) dearer than right turns. About 7 ms straight on, 2.1 s a right and 5.4 s a left turn of 90° (defaults).
 */
export function turnSeconds(angle: number, tc: TurnCosts): number {
  const bias = tc.turnBias;
  if (angle >= 0) return tc.turnPenaltyS / (1 + Math.exp(-((13 / bias) * (angle / 180) - 6.5 * bias)));
  return tc.turnPenaltyS / (1 + Math.exp(-(13 * bias * (-angle / 180) - 6.5 / bias)));
}

/** How far along a segment (m) its bearing at an end is taken, so that a kink at the vertex does not decide it. */
const BEARING_LOOKAHEAD_M = 5;

export interface TurnGraph {
  /** segment directions leaving each vertex */
  vertexFirst: Uint32Array;
  vertexInc: Uint32Array;
  firstOut: Uint32Array;
  arcHead: Uint32Array;
  /** per profile (PROFILES order) */
  arcMs: Uint32Array[];
  sdMs: Uint32Array[];
  /** segment direction of each copy node (node 2S + i), ascending */
  copySd: Uint32Array;
  used: number;
  ignored: number;
}

export function buildTurns(
  network: NetworkData,
  segAccess: Uint8Array,
  profiles: readonly Profile[],
  useRestrictions: boolean,
  turnModel: boolean,
): TurnGraph {
  const N = network.nodeCount;
  const S = network.segmentCount;
  const { segFrom, segTo } = network;
  const P = profiles.length;
  const costs = profiles.map((p) => network.turnCosts?.[p] ?? DEFAULT_TURN_COSTS[p]);
  const closedBit = profiles.map((p) => 1 << PROFILES.indexOf(p));
  const nodeFlags = network.nodeFlags ?? new Uint8Array(N);
  const nodeClosed = network.nodeClosed ?? new Uint8Array(N);
  const segSignals = network.segSignals ?? new Uint8Array(S);

  // segment directions leaving each vertex
  const vertexFirst = new Uint32Array(N + 1);
  for (let s = 0; s < S; s++) {
    vertexFirst[segFrom[s] + 1]++;
    vertexFirst[segTo[s] + 1]++;
  }
  for (let i = 0; i < N; i++) vertexFirst[i + 1] += vertexFirst[i];
  const vertexInc = new Uint32Array(2 * S);
  {
    const fill = vertexFirst.slice(0, N);
    for (let s = 0; s < S; s++) {
      vertexInc[fill[segFrom[s]]++] = s * 2;
      vertexInc[fill[segTo[s]]++] = s * 2 + 1;
    }
  }
  const drivable = (sd: number, p: number) => (segAccess[sd >>> 1] & (1 << (2 * p + (sd & 1)))) !== 0;

  // time to drive each segment direction, signals inside it included
  const sdMs = profiles.map(() => new Uint32Array(2 * S).fill(NO_ARC));
  for (let p = 0; p < P; p++) {
    const sp = network.speedKmh[profiles[p]];
    const signalMs = turnModel ? Math.round(costs[p].signalS * 1000) : 0;
    for (let s = 0; s < S; s++) {
      const meters = network.segMeters[s];
      for (let d = 0; d < 2; d++) {
        const kmh = d ? sp.backward[s] : sp.forward[s];
        if (!(kmh > 0)) continue;
        sdMs[p][s * 2 + d] = Math.min(NO_ARC - 1, Math.round((meters * 3600) / kmh) + segSignals[s] * signalMs);
      }
    }
  }

  // bearings (degrees clockwise from north) at each segment's ends, along the way
  const startBearing = new Float32Array(S);
  const endBearing = new Float32Array(S);
  if (turnModel) {
    const { shapeStart, shapeLon, shapeLat } = network;
    const k = Math.PI / 180;
    const bearing = (i: number, j: number) => {
      const dx = (shapeLon[j] - shapeLon[i]) * Math.cos(shapeLat[i] * k);
      const dy = shapeLat[j] - shapeLat[i];
      return Math.atan2(dx, dy) / k;
    };
    const far = (i: number, j: number) => {
      const dx = (shapeLon[j] - shapeLon[i]) * Math.cos(shapeLat[i] * k) * 111_195;
      const dy = (shapeLat[j] - shapeLat[i]) * 111_195;
      return dx * dx + dy * dy >= BEARING_LOOKAHEAD_M * BEARING_LOOKAHEAD_M;
    };
    for (let s = 0; s < S; s++) {
      const first = shapeStart[s];
      const last = shapeStart[s + 1] - 1;
      let j = first + 1;
      while (j < last && !far(first, j)) j++;
      startBearing[s] = bearing(first, j);
      let i = last - 1;
      while (i > first && !far(i, last)) i--;
      endBearing[s] = bearing(i, last);
    }
  }
  const inBearing = (sd: number) => (sd & 1 ? startBearing[sd >>> 1] + 180 : endBearing[sd >>> 1]);
  const outBearing = (sd: number) => (sd & 1 ? endBearing[sd >>> 1] + 180 : startBearing[sd >>> 1]);

  // node turn restrictions by the segment direction arriving at the via vertex
  const byArrival = new Map<number, Restriction[]>();
  const viaWays: { r: Restriction; sds: number[] }[] = [];
  let used = 0;
  let ignored = 0;
  if (useRestrictions) {
    for (const r of network.restrictions as Restriction[]) {
      if (r.viaSegs?.length) {
        const sds = viaWayChain(network, r);
        if (sds) viaWays.push({ r, sds });
        else ignored++;
        continue;
      }
      const { fromSeg, toSeg, viaNode } = r;
      const valid =
        !r.viaSegs?.length &&
        fromSeg >= 0 &&
        fromSeg < S &&
        toSeg >= 0 &&
        toSeg < S &&
        (segFrom[toSeg] === viaNode || segTo[toSeg] === viaNode) &&
        (segFrom[fromSeg] === viaNode || segTo[fromSeg] === viaNode) &&
        (r.kind === 'no' || r.kind === 'only');
      if (!valid) {
        ignored++;
        continue;
      }
      used++;
      for (const a of [fromSeg * 2, fromSeg * 2 + 1]) {
        if ((a & 1 ? segFrom[fromSeg] : segTo[fromSeg]) !== viaNode) continue;
        let list = byArrival.get(a);
        if (!list) {
          list = [];
          byArrival.set(a, list);
        }
        list.push(r);
      }
    }
  }
  const allowed = (rs: Restriction[] | undefined, toSeg: number, p: Profile): boolean => {
    if (!rs) return true;
    let hasOnly = false;
    let onlyHit = false;
    for (const r of rs) {
      if (r.appliesTo && !r.appliesTo.includes(p)) continue;
      if (r.kind === 'no') {
        if (r.toSeg === toSeg) return false;
      } else {
        hasOnly = true;
        if (r.toSeg === toSeg) onlyHit = true;
      }
    }
    return !hasOnly || onlyHit;
  };

  // --- arcs, node by node (each node's arcs are the turns at the vertex it arrives at)
  let bound = 0;
  for (let v = 0; v < N; v++) {
    const d = vertexFirst[v + 1] - vertexFirst[v];
    bound += d * d;
  }
  const firstOut = new Uint32Array(2 * S + 1);
  let heads = new Uint32Array(bound);
  let ms = profiles.map(() => new Uint32Array(bound));
  const degree = new Int32Array(P);
  const deadEnd = new Uint8Array(P);
  const w = new Uint32Array(P);
  let A = 0;
  for (let a = 0; a < 2 * S; a++) {
    firstOut[a] = A;
    let any = false;
    for (let p = 0; p < P; p++) if (drivable(a, p)) any = true;
    if (!any) continue;
    const s = a >>> 1;
    const v = a & 1 ? segFrom[s] : segTo[s];
    const i0 = vertexFirst[v];
    const i1 = vertexFirst[v + 1];
    // roads meeting at v per profile, and whether arriving by a leaves no way out but back
    for (let p = 0; p < P; p++) {
      let deg = 0;
      let out = 0;
      for (let i = i0; i < i1; i++) {
        const b = vertexInc[i];
        if (drivable(b, p) || drivable(b ^ 1, p)) deg++;
        if (b !== (a ^ 1) && drivable(b, p)) out++;
      }
      degree[p] = deg;
      deadEnd[p] = out === 0 || (nodeClosed[v] & closedBit[p]) !== 0 ? 1 : 0;
    }
    const rs = byArrival.get(a);
    const signal = (nodeFlags[v] & NODE_SIGNALS) !== 0;
    for (let i = i0; i < i1; i++) {
      const b = vertexInc[i];
      const uturn = b === (a ^ 1);
      let usable = false;
      for (let p = 0; p < P; p++) {
        w[p] = NO_ARC;
        if (!drivable(a, p) || !drivable(b, p)) continue;
        if (!allowed(rs, b >>> 1, profiles[p])) continue;
        if (!turnModel) {
          w[p] = sdMs[p][b];
          usable = true;
          continue;
        }
        const tc = costs[p];
        if (!uturn && (nodeClosed[v] & closedBit[p]) !== 0) continue;
        if (uturn && !deadEnd[p] && !tc.uturnOnTwoWay) continue;
        let turnMs = 0;
        if (uturn) turnMs = Math.round(tc.uturnS * 1000);
        else if (degree[p] > 2) {
          let angle = outBearing(b) - inBearing(a);
          while (angle > 180) angle -= 360;
          while (angle <= -180) angle += 360;
          turnMs = Math.round(turnSeconds(angle, tc) * 1000);
        }
        if (signal) turnMs += Math.round(tc.signalS * 1000);
        w[p] = Math.min(NO_ARC - 1, turnMs + sdMs[p][b]);
        usable = true;
      }
      if (!usable) continue;
      heads[A] = b;
      for (let p = 0; p < P; p++) ms[p][A] = w[p];
      A++;
    }
  }
  firstOut[2 * S] = A;
  heads = heads.slice(0, A);
  ms = ms.map((m) => m.slice(0, A));
  const split = splitViaWays(S, firstOut, heads, ms, viaWays, profiles);
  return { vertexFirst, vertexInc, sdMs, used: used + split.used, ignored, ...split.graph };
}

/**
 * The segment directions of a via-way restriction in driving order — from (arriving at viaNode), the via
 * segments, to (leaving the last via segment's end) — or null when they do not join up.
 */
function viaWayChain(n: NetworkData, r: Restriction): number[] | null {
  const S = n.segmentCount;
  const ok = (s: number) => Number.isInteger(s) && s >= 0 && s < S;
  if (!ok(r.fromSeg) || !ok(r.toSeg) || !(r.kind === 'no' || r.kind === 'only')) return null;
  const out: number[] = [];
  if (n.segTo[r.fromSeg] === r.viaNode) out.push(r.fromSeg * 2);
  else if (n.segFrom[r.fromSeg] === r.viaNode) out.push(r.fromSeg * 2 + 1);
  else return null;
  let at = r.viaNode;
  for (const s of [...(r.viaSegs ?? []), r.toSeg]) {
    if (!ok(s)) return null;
    if (n.segFrom[s] === at) {
      out.push(s * 2);
      at = n.segTo[s];
    } else if (n.segTo[s] === at) {
      out.push(s * 2 + 1);
      at = n.segFrom[s];
    } else return null;
  }
  return out;
}

/**
 * Via-way restrictions by node splitting: the via segment directions get copies reachable only from the
 * restriction's first segment (its arc into the first via segment leads to the first copy, each copy's arc into
 * the next via segment to the next copy), and the last copy lacks the forbidden continuation (no_*) or all but the
 * mandated one (only_*) for the profiles the restriction binds. Restrictions sharing a beginning share copies.
 * Copies are numbered 2S … in the order of the segment direction they copy (so nodesOfSd finds them).
 */
function splitViaWays(
  S: number,
  firstOut: Uint32Array,
  heads: Uint32Array,
  ms: Uint32Array[],
  viaWays: { r: Restriction; sds: number[] }[],
  profiles: readonly Profile[],
): {
  graph: { firstOut: Uint32Array; arcHead: Uint32Array; arcMs: Uint32Array[]; copySd: Uint32Array };
  used: number;
} {
  const P = profiles.length;
  const copies: { sd: number; heads: number[]; ms: number[][] }[] = [];
  const arcsOf = (x: number): { heads: number[]; ms: number[][] } => {
    if (x >= 2 * S) return copies[x - 2 * S];
    const h: number[] = [];
    const w: number[][] = [];
    for (let a = firstOut[x]; a < firstOut[x + 1]; a++) {
      h.push(heads[a]);
      w.push(ms.map((m) => m[a]));
    }
    return { heads: h, ms: w };
  };
  const sdOfTemp = (x: number) => (x < 2 * S ? x : copies[x - 2 * S].sd);
  let used = 0;
  for (const { r, sds } of viaWays) {
    let cur = sds[0];
    let ok = true;
    // follow (or make) the copies of the via segment directions
    for (let i = 1; i < sds.length - 1 && ok; i++) {
      const want = sds[i];
      let found = -1;
      if (cur < 2 * S) {
        for (let a = firstOut[cur]; a < firstOut[cur + 1]; a++) if (sdOfTemp(heads[a]) === want) found = a;
        if (found < 0) ok = false;
        else if (heads[found] < 2 * S) {
          const c = arcsOf(want);
          copies.push({ sd: want, heads: c.heads, ms: c.ms });
          heads[found] = 2 * S + copies.length - 1;
        }
        if (ok) cur = heads[found];
      } else {
        const cp = copies[cur - 2 * S];
        found = cp.heads.findIndex((h) => sdOfTemp(h) === want);
        if (found < 0) ok = false;
        else {
          if (cp.heads[found] < 2 * S) {
            const c = arcsOf(want);
            copies.push({ sd: want, heads: c.heads, ms: c.ms });
            cp.heads[found] = 2 * S + copies.length - 1;
          }
          cur = cp.heads[found];
        }
      }
    }
    used++;
    // a turn along the chain is not allowed anyway: nothing left to forbid
    if (!ok || cur < 2 * S) continue;
    const last = copies[cur - 2 * S];
    const toSeg = sds[sds.length - 1] >>> 1;
    last.heads.forEach((h, j) => {
      const hit = sdOfTemp(h) >>> 1 === toSeg;
      for (let p = 0; p < P; p++) {
        if (r.appliesTo && !r.appliesTo.includes(profiles[p])) continue;
        if (r.kind === 'no' ? hit : !hit) last.ms[j][p] = NO_ARC;
      }
    });
  }
  if (copies.length === 0) return { graph: { firstOut, arcHead: heads, arcMs: ms, copySd: new Uint32Array(0) }, used };
  // number the copies in the order of their segment directions
  const order = copies.map((_, i) => i).sort((a, b) => copies[a].sd - copies[b].sd || a - b);
  const newId = new Uint32Array(copies.length);
  order.forEach((c, i) => {
    newId[c] = 2 * S + i;
  });
  const remap = (h: number) => (h < 2 * S ? h : newId[h - 2 * S]);
  const A0 = firstOut[2 * S];
  let A = A0;
  for (const c of copies) A += c.heads.length;
  const G = 2 * S + copies.length;
  const fo = new Uint32Array(G + 1);
  fo.set(firstOut);
  const ah = new Uint32Array(A);
  const am = ms.map(() => new Uint32Array(A));
  for (let a = 0; a < A0; a++) {
    ah[a] = remap(heads[a]);
    for (let p = 0; p < P; p++) am[p][a] = ms[p][a];
  }
  let k = A0;
  order.forEach((c, i) => {
    const cp = copies[c];
    cp.heads.forEach((h, j) => {
      ah[k] = remap(h);
      for (let p = 0; p < P; p++) am[p][k] = cp.ms[j][p];
      k++;
    });
    fo[2 * S + i + 1] = k;
  });
  return {
    graph: { firstOut: fo, arcHead: ah, arcMs: am, copySd: Uint32Array.from(order, (c) => copies[c].sd) },
    used,
  };
}
