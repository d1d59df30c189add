import { describe, expect, it } from 'vitest';
import type { ProfileRestriction } from './graph-compile.ts';
import { gridNetwork, seededRandom } from './grid-network.ts';
import { type NetworkData, NODE_SIGNALS, type Profile } from './network.ts';
import { compileGraph } from './road-engine.ts';
import { findArc, NO_ARC, profileGraph, shortcutMid, UP_IN, UP_NODE, UP_OUT } from './road-graph.ts';
import {
  matrixVertices,
  oneToMany,
  reachVertices,
  routeVertices,
  searchContext,
  vertexSource,
  vertexTarget,
} from './search.ts';
import { TEST_META, withoutTurnCosts } from './test-networks.ts';

/**
 * Reference: a plain edge-based Dijkstra written straight from the NetworkData (states = the segment and direction
 * a vertex was reached by, so turn restrictions apply as they are stated), with an O(n²) scan instead of a heap.
 * Arc weights are the engine's definition: round(metres × 3600 / km/h) ms, round(metres × 100) cm; turns cost
 * nothing (the networks below say so), and a U-turn is allowed only where no other way leads on.
 */
function reference(
  net: NetworkData,
  profile: Profile,
  from: number,
  metric: 'time' | 'distance',
  closed?: Uint8Array,
  restrictions = true,
): Float64Array {
  const S = net.segmentCount;
  const leaving: number[][] = Array.from({ length: net.nodeCount }, () => []);
  for (let s = 0; s < S; s++) {
    leaving[net.segFrom[s]].push(s * 2);
    leaving[net.segTo[s]].push(s * 2 + 1);
  }
  const sp = net.speedKmh[profile];
  const weight = (sd: number): number => {
    const s = sd >> 1;
    const kmh = sd & 1 ? sp.backward[s] : sp.forward[s];
    if (!(kmh > 0) || closed?.[s]) return Number.POSITIVE_INFINITY;
    return metric === 'time' ? Math.round((net.segMeters[s] * 3600) / kmh) : Math.round(net.segMeters[s] * 100);
  };
  const drivable = (sd: number) => (sd & 1 ? sp.backward[sd >> 1] : sp.forward[sd >> 1]) > 0;
  const rs = restrictions ? (net.restrictions as ProfileRestriction[]) : [];
  const allowed = (fromSeg: number, via: number, toSeg: number): boolean => {
    let only = false;
    let hit = false;
    for (const r of rs) {
      if (r.fromSeg !== fromSeg || r.viaNode !== via) continue;
      if (r.appliesTo && !r.appliesTo.includes(profile)) continue;
      if (r.kind === 'no' && r.toSeg === toSeg) return false;
      if (r.kind === 'only') {
        only = true;
        if (r.toSeg === toSeg) hit = true;
      }
    }
    return !only || hit;
  };
  const headOf = (sd: number) => (sd & 1 ? net.segFrom[sd >> 1] : net.segTo[sd >> 1]);
  const dist = new Float64Array(2 * S).fill(Number.POSITIVE_INFINITY);
  const done = new Uint8Array(2 * S);
  for (const sd of leaving[from]) dist[sd] = Math.min(dist[sd], weight(sd));
  for (;;) {
    let best = -1;
    for (let i = 0; i < 2 * S; i++)
      if (!done[i] && dist[i] < Number.POSITIVE_INFINITY && (best < 0 || dist[i] < dist[best])) best = i;
    if (best < 0) break;
    done[best] = 1;
    const v = headOf(best);
    const deadEnd = !leaving[v].some((sd) => sd !== (best ^ 1) && drivable(sd));
    for (const sd of leaving[v]) {
      if (sd === (best ^ 1) && !deadEnd) continue;
      if (!allowed(best >> 1, v, sd >> 1)) continue;
      const d = dist[best] + weight(sd);
      if (d < dist[sd]) dist[sd] = d;
    }
  }
  const out = new Float64Array(net.nodeCount).fill(Number.POSITIVE_INFINITY);
  out[from] = 0;
  for (let sd = 0; sd < 2 * S; sd++) {
    const v = headOf(sd);
    if (dist[sd] < out[v]) out[v] = dist[sd];
  }
  return out;
}

/** a grid with one-ways, random speeds and random turn restrictions; turns cost nothing unless `turnCosts` */
function randomNetwork(seed: number, turnCosts = false): NetworkData {
  const net = gridNetwork({
    cols: 16,
    rows: 14,
    spacingM: 120,
    origin: [121.4, 31.2],
    seed,
    arterialEvery: 5,
    onewayShare: 0.25,
  });
  const rand = seededRandom(seed + 1);
  const at: number[][] = Array.from({ length: net.nodeCount }, () => []);
  for (let s = 0; s < net.segmentCount; s++) {
    at[net.segFrom[s]].push(s);
    at[net.segTo[s]].push(s);
  }
  const restrictions: ProfileRestriction[] = [];
  for (let k = 0; k < 60; k++) {
    const v = Math.floor(rand() * net.nodeCount);
    if (at[v].length < 3) continue;
    const fromSeg = at[v][Math.floor(rand() * at[v].length)];
    const toSeg = at[v][Math.floor(rand() * at[v].length)];
    const kind = rand() < 0.75 ? 'no' : 'only';
    const appliesTo: Profile[] | undefined = rand() < 0.2 ? ['car'] : undefined;
    restrictions.push({ fromSeg, viaNode: v, toSeg, kind, ...(appliesTo ? { appliesTo } : {}) });
  }
  net.restrictions = restrictions;
  if (!turnCosts) withoutTurnCosts(net);
  else {
    // signals at some vertices and inside some segments, so that their costs are in the comparison too
    for (let v = 0; v < net.nodeCount; v += 7) net.nodeFlags[v] = NODE_SIGNALS;
    for (let s = 0; s < net.segmentCount; s += 11) net.segSignals[s] = 1;
    // and via-way restrictions (from a segment at v, along a segment v → w, into a segment at w)
    for (let k = 0; k < 40; k++) {
      const v = Math.floor(rand() * net.nodeCount);
      const fromSeg = at[v][Math.floor(rand() * at[v].length)];
      const via = at[v][Math.floor(rand() * at[v].length)];
      if (via === fromSeg) continue;
      const w = net.segFrom[via] === v ? net.segTo[via] : net.segFrom[via];
      const toSeg = at[w][Math.floor(rand() * at[w].length)];
      if (toSeg === via) continue;
      const kind = rand() < 0.7 ? 'no' : 'only';
      net.restrictions.push({ fromSeg, viaNode: v, viaSegs: [via], toSeg, kind });
    }
  }
  return net;
}

/**
 * these grids need 6–8 shortcuts per node, beyond the default give-up (HIERARCHY_MAX_SHORTCUTS_PER_NODE): without
 * ALWAYS the hierarchy would not be built and these tests would compare plain searches with plain Dijkstra
 */
const ALWAYS = { maxShortcutsPerNode: Number.POSITIVE_INFINITY };

describe('contraction hierarchy against a plain Dijkstra', () => {
  for (const seed of [11, 12]) {
    const net = randomNetwork(seed);
    const graph = compileGraph(net, TEST_META, ALWAYS);
    const rand = seededRandom(seed * 7);
    const pick = () => Math.floor(rand() * net.nodeCount);
    const sources = Array.from({ length: 12 }, pick);
    const targets = Array.from({ length: 25 }, pick);

    it(`routes on time and distance equal the reference (seed ${seed}, turn restrictions)`, () => {
      expect(graph.meta.restrictionsUsed).toBeGreaterThan(10);
      expect(graph.meta.hierarchy).toBe(true);
      let reachable = 0;
      for (const profile of ['car', 'emergency'] as const) {
        for (const s of sources) {
          const time = reference(net, profile, s, 'time');
          const length = reference(net, profile, s, 'distance');
          for (const t of targets) {
            const r = routeVertices(graph, profile, s, t, 'time');
            if (time[t] === Number.POSITIVE_INFINITY) expect(r).toBeNull();
            else {
              reachable++;
              expect(r?.seconds).toBe(time[t] / 1000);
            }
            const d = routeVertices(graph, profile, s, t, 'distance');
            if (length[t] === Number.POSITIVE_INFINITY) expect(d).toBeNull();
            else expect(Math.round((d?.meters ?? 0) * 100)).toBe(length[t]);
          }
        }
      }
      expect(reachable).toBeGreaterThan(300);
    });

    it(`matrices equal the reference (seed ${seed})`, () => {
      const m = matrixVertices(graph, 'car', sources, targets);
      sources.forEach((s, i) => {
        const time = reference(net, 'car', s, 'time');
        targets.forEach((t, j) => {
          expect(m[i * targets.length + j]).toBe(time[t] / 1000);
        });
      });
    });

    it(`closures give the reference's answers on the remaining roads (seed ${seed})`, () => {
      const closed = new Uint8Array(net.segmentCount);
      for (let s = 0; s < net.segmentCount; s++) if (rand() < 0.08) closed[s] = 1;
      const m = matrixVertices(graph, 'car', sources, targets, closed);
      sources.forEach((s, i) => {
        const time = reference(net, 'car', s, 'time', closed);
        const length = reference(net, 'car', s, 'distance', closed);
        targets.forEach((t, j) => {
          expect(m[i * targets.length + j]).toBe(time[t] / 1000);
          const r = routeVertices(graph, 'car', s, t, 'time', closed);
          expect(r ? r.seconds : Number.POSITIVE_INFINITY).toBe(time[t] / 1000);
          const d = routeVertices(graph, 'car', s, t, 'distance', closed);
          expect(d ? Math.round(d.meters * 100) : Number.POSITIVE_INFINITY).toBe(length[t]);
        });
        const within = time.filter((x) => x <= 90_000).length;
        expect(reachVertices(graph, 'car', [s], 90, closed).count).toBe(within);
      });
    });
  }

  it("lists each node's upward entries OUT only, then both flags, then IN only (the searches rely on it)", () => {
    const group = (h: number) => ((h & UP_OUT) !== 0 ? ((h & UP_IN) !== 0 ? 1 : 0) : 2);
    const seen = [0, 0, 0];
    for (const net of [randomNetwork(11), randomNetwork(31, true)]) {
      const pg = profileGraph(compileGraph(net, TEST_META, ALWAYS), 'car');
      for (let r = 0; r + 1 < pg.upFirst.length; r++) {
        for (let e = pg.upFirst[r]; e < pg.upFirst[r + 1]; e++) {
          const h = pg.upHead[e];
          expect((h & (UP_OUT | UP_IN)) !== 0).toBe(true);
          seen[group(h)]++;
          if (e > pg.upFirst[r]) expect(group(h)).toBeGreaterThanOrEqual(group(pg.upHead[e - 1]));
        }
      }
    }
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[2]).toBeGreaterThan(0);
  });

  it('stores the middle of every shortcut entry only, and each entry weighs what its arc or its two halves weigh', () => {
    const graph = compileGraph(randomNetwork(31, true), TEST_META, ALWAYS);
    let shortcuts = 0;
    let originals = 0;
    for (const profile of ['car', 'emergency'] as const) {
      const pg = profileGraph(graph, profile);
      // the least weight of an entry at x with head h and the flag
      const least = (x: number, h: number, flag: number) => {
        let w = Number.POSITIVE_INFINITY;
        for (let e = pg.upFirst[x]; e < pg.upFirst[x + 1]; e++)
          if ((pg.upHead[e] & UP_NODE) === h && (pg.upHead[e] & flag) !== 0 && pg.upMs[e] !== NO_ARC)
            w = Math.min(w, pg.upMs[e]);
        return w;
      };
      for (let x = 0; x + 1 < pg.upFirst.length; x++) {
        for (let e = pg.upFirst[x]; e < pg.upFirst[x + 1]; e++) {
          const h = pg.upHead[e] & UP_NODE;
          const w = pg.upMs[e];
          const mid = shortcutMid(pg, e);
          for (const flag of [UP_OUT, UP_IN]) {
            if ((pg.upHead[e] & flag) === 0 || w === NO_ARC) continue;
            // OUT: x → h, IN: h → x
            const [from, to] = flag === UP_OUT ? [x, h] : [h, x];
            if (mid < 0) {
              originals++;
              expect(pg.arcMs[findArc(graph, from, to)]).toBe(w);
            } else {
              shortcuts++;
              expect(least(mid, from, UP_IN) + least(mid, to, UP_OUT)).toBe(w);
            }
          }
        }
      }
      let bits = 0;
      for (let b = 1; b < pg.upShortcut.length; b += 2)
        for (let i = 0; i < 32; i++) bits += (pg.upShortcut[b] >>> i) & 1;
      expect(bits).toBe(pg.upMid.length);
    }
    expect(shortcuts).toBeGreaterThan(1000);
    expect(originals).toBeGreaterThan(1000);
  });

  it('without turn restrictions equals the reference that ignores them', () => {
    const net = randomNetwork(21);
    const graph = compileGraph(net, TEST_META, { ...ALWAYS, turnRestrictions: false });
    expect(graph.meta.restrictionsUsed).toBe(0);
    expect(graph.meta.hierarchy).toBe(true);
    const rand = seededRandom(5);
    for (let k = 0; k < 10; k++) {
      const s = Math.floor(rand() * net.nodeCount);
      const time = reference(net, 'car', s, 'time', undefined, false);
      for (let t = 0; t < net.nodeCount; t += 13) {
        const r = routeVertices(graph, 'car', s, t, 'time');
        expect(r ? r.seconds : Number.POSITIVE_INFINITY).toBe(time[t] / 1000);
      }
    }
  });

  it('with turn and signal costs and via-way restrictions, the hierarchy answers what Dijkstra answers', () => {
    const net = randomNetwork(31, true);
    const graph = compileGraph(net, TEST_META, ALWAYS);
    expect(graph.graphNodeCount).toBeGreaterThan(2 * graph.segmentCount);
    expect(graph.meta.hierarchy).toBe(true);
    const ctx = searchContext(graph);
    const rand = seededRandom(9);
    const pick = () => Math.floor(rand() * net.nodeCount);
    let compared = 0;
    for (const profile of ['car', 'emergency'] as const) {
      const pg = profileGraph(graph, profile);
      for (let k = 0; k < 12; k++) {
        const s = pick();
        const targets = Array.from({ length: 20 }, pick).filter((t) => t !== s);
        const plain = oneToMany(
          ctx,
          pg,
          vertexSource(graph, pg, s),
          targets.map((t) => vertexTarget(graph, t)),
        );
        const m = matrixVertices(graph, profile, [s], targets);
        targets.forEach((t, j) => {
          const r = routeVertices(graph, profile, s, t, 'time');
          expect(r ? r.seconds : Number.POSITIVE_INFINITY).toBe(plain.ms[j] / 1000);
          expect(m[j]).toBe(plain.ms[j] / 1000);
          if (r) compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});
