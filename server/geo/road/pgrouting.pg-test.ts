// Shortest distances of our engine against an independent implementation: pgRouting's pgr_dijkstra on the same OSM
// extract loaded by osm2pgrouting (turn restrictions off on our side: osm2pgrouting ignores them). Runs only in
// `npm run test:pg` (needs a PostgreSQL server with pgRouting, osm2pgrouting and osmium: .ci/run installs them).
//
// The two imports differ on purpose in which ways a car may use, and the test states it exactly instead of
// loosening the tolerance: osm2pgrouting (car configuration, mapconfig_for_cars.xml) has no `track` class and ignores
// access, construction, area and oneway=reversible tags, which our profile honours. Every way only one side has,
// and every way whose directions differ, must be explained by those rules (from the way's own tags, which
// osm2pgrouting stores with --tags); the distances are then compared on the ways both sides route on, the same way
// in the same directions on both sides.
//
// Issue 8 adds routes between coordinates, as users ask them: vertex coordinates (many where one-way segments meet)
// and points along segments, routed by the engine API and by pgRouting's pgr_withPoints (points placed on its edges at
// the same spot). The engine with the driver's rules switched off (no turn costs, U-turns allowed, no restrictions,
// no barriers) must give pgRouting's cost; with the rules on, it may only be dearer, and each such route must be
// explained by what pgRouting's own path does that a driver may not: a U-turn at a junction, a restricted turn, or
// passing a barrier or a node closed by its access tags.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRoutingDb,
  osm2pgrouting,
  osmXml,
  PgRouting,
  pgrVertexIds,
  type RoutingDb,
} from '../../../bench/lib/pgrouting.ts';
import { SHARED_DATA } from '../../test/template.ts';
import { readOsmNetwork } from '../osm/osm-import.ts';
import { loadProfiles } from '../osm/profiles.ts';
import type { RoadEngine } from './engine.ts';
import { seededRandom } from './grid-network.ts';
import {
  haversine,
  type LonLat,
  type NetworkData,
  type PROFILES as PROFILE_NAMES,
  ROAD_CLASSES,
  type TurnCosts,
} from './network.ts';
import { compileGraph, createRoadEngine, type RoadGraph } from './road-engine.ts';
import { routeVertices } from './search.ts';

const PAIRS = 200;
/** routes between coordinates per extract */
const POINT_PAIRS = 150;
/** the issue's bound, against osm2pgrouting's own lengths (`length_m`, on the WGS-84 spheroid) */
const TOLERANCE = 0.01;
/**
 * Against lengths on the sphere (PostGIS `ST_Length(geography, false)`, mean radius 6,371,008.8 m: our import
 * measures on that sphere), so only rounding separates the two sides: our graph keeps each segment's length in
 * integer centimetres (≤ 0.5 cm off per segment).
 */
const SPHERE_TOLERANCE = 1e-4;

type Tags = Record<string, string>;

interface Loaded {
  db: RoutingDb;
  tmp: string;
  net: NetworkData;
  g: RoadGraph;
  ways: string;
  /** pgRouting vertex id by OSM node id */
  pgrIds: Map<number, number>;
  /** per OSM way: may a car go along (forward) and against (backward) the way's direction, per osm2pgrouting */
  pgrWays: Map<number, { forward: boolean; backward: boolean; tags: Tags }>;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** `"k"=>"v", …` (hstore as text) → record */
function parseHstore(text: string | null): Tags {
  const out: Tags = {};
  if (!text) return out;
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g)) {
    out[m[1].replace(/\\(.)/g, '$1')] = m[2].replace(/\\(.)/g, '$1');
  }
  return out;
}

const PROFILES = loadProfiles();

/** Why our car profile may not use a way osm2pgrouting imports (its tags only); undefined: no reason. */
function carClosedBy(tags: Tags): string | undefined {
  const car = PROFILES.profiles.car;
  const keys = car.accessKeys.flatMap((k) => [k, `${k}:forward`, `${k}:backward`]);
  if (keys.some((k) => tags[k] !== undefined && car.accessDeny.includes(tags[k]))) return 'access';
  if (car.denyWhen.some((m) => tags[m.key] !== undefined && m.values.includes(tags[m.key]))) return 'access';
  if (tags.construction !== undefined && !['no', 'minor', 'widening'].includes(tags.construction)) {
    return 'construction';
  }
  if (tags.area === 'yes') return 'area';
  if (tags.impassable === 'yes') return 'impassable';
  if (tags.oneway === 'reversible') return 'oneway=reversible';
  return undefined;
}

const metaOf = (file: string) => ({
  id: 'pgrouting-test',
  builtAt: new Date().toISOString(),
  name: file,
  synthetic: false,
  source: `OpenStreetMap: ${file}`,
  attribution: '© OpenStreetMap contributors',
});

/** The turn model with every cost zero: what a plain shortest-path search (pgRouting's) assumes. */
const costFree = (uturnOnTwoWay: boolean): Record<(typeof PROFILE_NAMES)[number], TurnCosts> => {
  const t: TurnCosts = { turnPenaltyS: 0, turnBias: 1, uturnS: 0, signalS: 0, uturnOnTwoWay };
  return { car: t, emergency: t };
};

/** The OSM ways both sides route on (open to cars on ours, present on theirs), and a closure of every other segment. */
function commonWays(net: NetworkData, pgrWays: Loaded['pgrWays']): { common: number[]; closed: Uint8Array } {
  const open = new Set<number>();
  for (let s = 0; s < net.segmentCount; s++) {
    if (net.speedKmh.car.forward[s] > 0 || net.speedKmh.car.backward[s] > 0) open.add(net.segWayId[s]);
  }
  const common = [...open].filter((w) => pgrWays.has(w)).sort((a, b) => a - b);
  const commonSet = new Set(common);
  const closed = new Uint8Array(net.segmentCount);
  for (let s = 0; s < net.segmentCount; s++) if (!commonSet.has(net.segWayId[s])) closed[s] = 1;
  return { common, closed };
}

/** The point at `fraction` of segment s's length along its shape (metres on the sphere, as the importer measures). */
function alongShape(net: NetworkData, s: number, fraction: number): LonLat {
  const a = net.shapeStart[s];
  const b = net.shapeStart[s + 1];
  const legs: number[] = [];
  for (let i = a; i + 1 < b; i++) {
    legs.push(haversine(net.shapeLon[i], net.shapeLat[i], net.shapeLon[i + 1], net.shapeLat[i + 1]));
  }
  let left = fraction * legs.reduce((x, y) => x + y, 0);
  for (let i = a; i + 1 < b; i++) {
    const m = legs[i - a];
    if (left <= m || i + 2 === b) {
      const t = m > 0 ? Math.min(1, left / m) : 0;
      return [
        net.shapeLon[i] + t * (net.shapeLon[i + 1] - net.shapeLon[i]),
        net.shapeLat[i] + t * (net.shapeLat[i + 1] - net.shapeLat[i]),
      ];
    }
    left -= m;
  }
  return [net.shapeLon[a], net.shapeLat[a]];
}

function count(xs: string[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

describe.each([['shanghai_center.osm'], ['monaco.osm.pbf']])(
  'shortest distances on %s against pgr_dijkstra',
  (file) => {
    let L: Loaded;

    beforeAll(async () => {
      const name = `anlan_pgr_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const db = await createRoutingDb(name);
      const tmp = mkdtempSync(join(tmpdir(), 'anlan-pgr-'));
      L = { db, tmp } as Loaded;
      const path = join(SHARED_DATA, 'osm', file);
      const loaded = await osm2pgrouting(db, osmXml(path, tmp).xml, 'o_', { withTags: true });
      const rows = await db.client.query<{ osm_id: string; f: boolean; b: boolean; tags: string | null }>(
        `select w.osm_id, bool_or(w.cost >= 0) as f, bool_or(w.reverse_cost >= 0) as b, t.tags::text as tags
       from ${loaded.ways} w left join osm_ways t using (osm_id) group by w.osm_id, t.tags`,
      );
      const { network: net } = await readOsmNetwork(path);
      // pgRouting's question: a node-based graph, U-turns anywhere, no turn costs, no barriers, no restrictions
      const g = compileGraph(net, metaOf(file), { turnRestrictions: false, turnModel: false });
      Object.assign(L, {
        net,
        g,
        ways: loaded.ways,
        pgrIds: await pgrVertexIds(db, loaded.vertices),
        pgrWays: new Map(
          rows.rows.map((r) => [Number(r.osm_id), { forward: r.f, backward: r.b, tags: parseHstore(r.tags) }]),
        ),
      });
    });

    afterAll(async () => {
      await L?.db?.drop();
      if (L?.tmp) rmSync(L.tmp, { recursive: true, force: true });
    });

    it(`gives the same shortest length for ${PAIRS} random pairs of common vertices, every difference explained`, async () => {
      const { net, g, pgrIds, pgrWays } = L;
      const TRACK = ROAD_CLASSES.indexOf('track');
      const FERRY = ROAD_CLASSES.indexOf('ferry');

      // 1. the ways each side routes on, and their directions for a car
      const ours = new Map<number, { forward: boolean; backward: boolean; cls: number }>();
      for (let s = 0; s < net.segmentCount; s++) {
        ours.set(net.segWayId[s], {
          forward: net.speedKmh.car.forward[s] > 0,
          backward: net.speedKmh.car.backward[s] > 0,
          cls: net.segClass[s],
        });
      }
      const onlyOurs = [...ours].filter(([w]) => !pgrWays.has(w));
      const onlyTheirs = [...pgrWays].filter(([w]) => !ours.has(w));
      const carClosed = [...ours].filter(([, o]) => !o.forward && !o.backward).map(([w]) => w);
      const differ = [...ours].filter(([w, o]) => {
        const p = pgrWays.get(w);
        return p && (o.forward || o.backward) && (p.forward !== o.forward || p.backward !== o.backward);
      });
      // ours only: the classes osm2pgrouting's car configuration lacks (tracks, and car ferries: route=ferry)
      expect(onlyOurs.filter(([, o]) => o.cls !== TRACK && o.cls !== FERRY).map(([w]) => w)).toEqual([]);
      // theirs only: ways our profile drops for what their tags say
      const theirsWhy = onlyTheirs.map(([w, p]) => carClosedBy(p.tags) ?? `unexplained way ${w}`);
      expect(theirsWhy.filter((x) => x.startsWith('unexplained'))).toEqual([]);
      // kept by us for emergency vehicles only (closed to cars): the same tag rules
      const closedWhy = carClosed
        .filter((w) => pgrWays.has(w))
        .map((w) => carClosedBy(pgrWays.get(w)?.tags ?? {}) ?? `unexplained way ${w}`);
      expect(closedWhy.filter((x) => x.startsWith('unexplained'))).toEqual([]);
      // a way open to cars on both sides but in other directions: none may remain unexplained
      expect(
        differ.map(([w, o]) => `${w}: ours ${o.forward}/${o.backward}, theirs ${JSON.stringify(pgrWays.get(w))}`),
      ).toEqual([]);

      // 2. both sides on exactly the common ways, in the same directions
      const { common, closed } = commonWays(net, pgrWays);
      const only = `where osm_id = any('{${common.join(',')}}'::bigint[])`;
      const edges = (len: string) =>
        `select gid as id, source, target, case when cost >= 0 then ${len} else -1 end as cost,
         case when reverse_cost >= 0 then ${len} else -1 end as reverse_cost from ${L.ways} ${only}`;
      const spheroid = new PgRouting(L.db, edges('length_m'));
      const sphere = new PgRouting(L.db, edges('st_length(the_geom::geography, false)'));

      // 3. random pairs of vertices both graphs have (same OSM node), kept when reachable on both sides
      const vertices: number[] = [];
      for (let v = 0; v < net.nodeCount; v++) if (pgrIds.has(net.nodeOsmId[v])) vertices.push(v);
      const rnd = seededRandom(20260303);
      const candidates: [number, number][] = [];
      while (candidates.length < PAIRS * 3) {
        const a = vertices[Math.floor(rnd() * vertices.length)];
        const b = vertices[Math.floor(rnd() * vertices.length)];
        if (a !== b) candidates.push([a, b]);
      }
      const pid = (v: number) => pgrIds.get(net.nodeOsmId[v]) as number;
      const pgrPairs = candidates.map(([a, b]) => [pid(a), pid(b)] as [number, number]);
      const theirs = await spheroid.pairCosts(pgrPairs);
      const theirsSphere = await sphere.pairCosts(pgrPairs);

      const rows: { a: number; b: number; ours: number; theirs: number; rel: number; relSphere: number }[] = [];
      const reachDiffers: string[] = [];
      for (const [a, b] of candidates) {
        const r = routeVertices(g, 'car', a, b, 'distance', closed);
        const key = `${pid(a)}>${pid(b)}`;
        const t = theirs.get(key);
        if (!r !== (t === undefined)) reachDiffers.push(`${net.nodeOsmId[a]}→${net.nodeOsmId[b]}`);
        if (!r || t === undefined || rows.length >= PAIRS) continue;
        const ts = theirsSphere.get(key) as number;
        rows.push({
          a,
          b,
          ours: r.meters,
          theirs: t,
          rel: Math.abs(r.meters - t) / t,
          relSphere: Math.abs(r.meters - ts) / ts,
        });
      }
      const rel = rows.map((d) => d.rel).sort((x, y) => x - y);
      const relSphere = rows.map((d) => d.relSphere).sort((x, y) => x - y);
      const e = (x: number) => x.toExponential(1);
      const dist = (xs: number[]) =>
        `median ${e(quantile(xs, 0.5))}, p90 ${e(quantile(xs, 0.9))}, p99 ${e(quantile(xs, 0.99))}, max ${e(xs[xs.length - 1])}`;
      const worst = [...rows].sort((x, y) => y.rel - x.rel)[0];
      console.log(
        [
          `[pgrouting] ${file}: ours ${net.segmentCount} segments on ${ours.size} ways, osm2pgrouting ${pgrWays.size} ways; ` +
            `${common.length} ways compared`,
          `  ours only (track): ${onlyOurs.length}; theirs only: ${onlyTheirs.length} (${count(theirsWhy)}); ` +
            `closed to cars by us only: ${closedWhy.length} (${count(closedWhy)}); other direction differences: ${differ.length}`,
          `  ${vertices.length} common vertices; ${candidates.length} candidate pairs, reachability differs for ${reachDiffers.length}; ` +
            `${rows.length} compared (mean ${Math.round(rows.reduce((s, d) => s + d.theirs, 0) / rows.length)} m)`,
          `  relative difference vs length_m (spheroid): ${dist(rel)}; worst ${net.nodeOsmId[worst.a]}→${net.nodeOsmId[worst.b]} ` +
            `${worst.ours.toFixed(1)} m vs ${worst.theirs.toFixed(1)} m`,
          `  relative difference vs the sphere: ${dist(relSphere)}`,
        ].join('\n'),
      );
      expect(reachDiffers).toEqual([]);
      expect(rows).toHaveLength(PAIRS);
      expect(rel[rel.length - 1]).toBeLessThanOrEqual(TOLERANCE);
      expect(relSphere[relSphere.length - 1]).toBeLessThanOrEqual(SPHERE_TOLERANCE);
    });

    it(`routes between ${POINT_PAIRS} pairs of coordinates as pgr_withPoints does; with the driver's rules every difference has its cause`, async () => {
      const { net, pgrIds, pgrWays, db } = L;
      const N = net.nodeCount;
      const { common, closed } = commonWays(net, pgrWays);
      const commonSet = new Set(common);
      const fwd = net.speedKmh.car.forward;
      const bwd = net.speedKmh.car.backward;

      // 1. pgRouting's edges on the common ways, in seconds at our car speeds (lengths on the sphere, as ours)
      const speeds = new Map<number, [number, number]>();
      for (let s = 0; s < net.segmentCount; s++) {
        if (commonSet.has(net.segWayId[s])) speeds.set(net.segWayId[s], [fwd[s], bwd[s]]);
      }
      await db.client.query('create temp table xy_speeds (osm_id bigint primary key, f float8, b float8)');
      await db.client.query('insert into xy_speeds select * from unnest($1::bigint[], $2::float8[], $3::float8[])', [
        [...speeds.keys()],
        [...speeds.values()].map((v) => v[0]),
        [...speeds.values()].map((v) => v[1]),
      ]);
      const len = 'st_length(w.the_geom::geography, false)';
      const edgesSql = `select w.gid as id, w.source, w.target,
          case when w.cost >= 0 and s.f > 0 then ${len} / (s.f / 3.6) else -1 end as cost,
          case when w.reverse_cost >= 0 and s.b > 0 then ${len} / (s.b / 3.6) else -1 end as reverse_cost
        from ${L.ways} w join xy_speeds s using (osm_id)`;
      const wayOfEdge = new Map(
        (await db.client.query<{ gid: string; osm_id: string }>(`select gid, osm_id from ${L.ways}`)).rows.map((r) => [
          Number(r.gid),
          Number(r.osm_id),
        ]),
      );

      // 2. the engine without the driver's rules: pgRouting's question exactly
      const free = createRoadEngine(
        compileGraph({ ...net, nodeClosed: new Uint8Array(N), turnCosts: costFree(true) }, metaOf(file), {
          turnRestrictions: false,
        }),
      );
      // and with them (restrictions, barriers and node access, no U-turn at junctions), turns and signals still free
      const ruled = createRoadEngine(compileGraph({ ...net, turnCosts: costFree(false) }, metaOf(file)));

      // 3. the ends: vertex coordinates (half of them where a one-way segment meets others) and points along segments
      const vertexOfOsm = new Map<number, number>();
      for (let v = 0; v < N; v++) vertexOfOsm.set(net.nodeOsmId[v], v);
      const degree = new Uint16Array(N);
      const oneWayAt = new Uint8Array(N);
      const segPool: number[] = [];
      for (let s = 0; s < net.segmentCount; s++) {
        if (closed[s] || net.segFrom[s] === net.segTo[s]) continue;
        degree[net.segFrom[s]]++;
        degree[net.segTo[s]]++;
        if (fwd[s] > 0 !== bwd[s] > 0) oneWayAt[net.segFrom[s]] = oneWayAt[net.segTo[s]] = 1;
        if (net.segMeters[s] > 60) segPool.push(s);
      }
      // An end has one place on pgRouting's side (a vertex, or a point on one edge), while our engine may also use every
      // segment within a few metres of it (issue 8's snapping): ends with another road that near are left out, so
      // that both sides answer the same question. SNAP_CLEAR is well above the engine's snapping tolerance.
      const SNAP_CLEAR = 15;
      const open = (s: number) => !closed[s];
      const clearOfOthers = (at: LonLat, own: (s: number) => boolean) =>
        free.segmentsNear(at, SNAP_CLEAR).filter(open).every(own);
      const vertexPool: number[] = [];
      for (let v = 0; v < N; v++) {
        if (degree[v] === 0 || !pgrIds.has(net.nodeOsmId[v])) continue;
        const touches = (s: number) => net.segFrom[s] === v || net.segTo[s] === v;
        if (clearOfOthers([net.nodeLon[v], net.nodeLat[v]], touches)) vertexPool.push(v);
      }
      const oneWayPool = vertexPool.filter((v) => oneWayAt[v] && degree[v] >= 2);

      type End = { key: string; at: LonLat; pgr: number; what: string };
      const points: { pid: number; way: number; at: LonLat }[] = [];
      const rnd = seededRandom(20260808);
      const pickOf = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
      const vertexEnd = (v: number): End => ({
        key: `v${v}`,
        at: [net.nodeLon[v], net.nodeLat[v]],
        pgr: pgrIds.get(net.nodeOsmId[v]) as number,
        what: `node ${net.nodeOsmId[v]}`,
      });
      const pointEnd = (): End => {
        let s: number;
        let at: LonLat;
        // at least SNAP_CLEAR from the segment's ends (its vertices' other roads) and from any other road
        do {
          s = pickOf(segPool);
          const margin = SNAP_CLEAR / net.segMeters[s];
          at = alongShape(net, s, margin + (1 - 2 * margin) * rnd());
        } while (!clearOfOthers(at, (x) => x === s));
        const pid = points.length + 1;
        points.push({ pid, way: net.segWayId[s], at });
        return {
          key: `p${pid}`,
          at,
          pgr: -pid,
          what: `${at[0].toFixed(7)},${at[1].toFixed(7)} on way ${net.segWayId[s]}`,
        };
      };
      const end = (): End => {
        const r = rnd();
        return r < 0.4 ? vertexEnd(pickOf(oneWayPool)) : r < 0.6 ? vertexEnd(pickOf(vertexPool)) : pointEnd();
      };
      const pairs: [End, End][] = [];
      while (pairs.length < POINT_PAIRS) {
        const a = end();
        const b = end();
        if (a.key !== b.key) pairs.push([a, b]);
      }
      // the same spot on pgRouting's edge of the same way: its fraction measured on the sphere, as our lengths are
      await db.client.query(
        `create temp table xy_points as
         select p.pid, e.gid as edge_id,
           coalesce(st_length(st_linesubstring(e.the_geom, 0, st_linelocatepoint(e.the_geom, p.g))::geography, false)
             / nullif(${len.replace('w.', 'e.')}, 0), 0) as fraction
         from (select pid, osm_id, st_setsrid(st_makepoint(lon, lat), 4326) as g
               from unnest($1::int[], $2::bigint[], $3::float8[], $4::float8[]) as u(pid, osm_id, lon, lat)) p
         cross join lateral (select gid, the_geom from ${L.ways} w where w.osm_id = p.osm_id
                             order by w.the_geom <-> p.g limit 1) e`,
        [points.map((p) => p.pid), points.map((p) => p.way), points.map((p) => p.at[0]), points.map((p) => p.at[1])],
      );
      const combos = `select * from (values ${pairs.map(([a, b]) => `(${a.pgr}::bigint, ${b.pgr}::bigint)`).join(',')}) as t(source, target)`;
      const rows = await db.client.query<{ s: string; t: string; node: string; edge: string; c: number }>(
        `select start_pid as s, end_pid as t, node, edge, agg_cost as c
         from pgr_withPoints($1, 'select pid, edge_id, fraction from xy_points', $2,
                             directed => true, driving_side => 'b', details => false) order by seq`,
        [edgesSql, combos],
      );
      const theirs = new Map<string, { cost: number; nodes: number[]; edges: number[] }>();
      for (const r of rows.rows) {
        const k = `${r.s}>${r.t}`;
        const p = theirs.get(k) ?? { cost: 0, nodes: [], edges: [] };
        theirs.set(k, p);
        p.nodes.push(Number(r.node));
        if (Number(r.edge) === -1) p.cost = Number(r.c);
        else p.edges.push(Number(r.edge));
      }

      const route = (e: RoadEngine, a: End, b: End) =>
        e.route(a.at, b.at, { profile: 'car', closed, metric: 'time' })?.seconds ?? null;
      const close = (x: number, y: number) => Math.abs(x - y) <= 1e-3 * y + 0.05;

      // what pgRouting's path does that a driver may not
      const restricted = new Map<string, { kind: 'no' | 'only'; to: number }[]>();
      for (const r of net.restrictions) {
        if (r.appliesTo && !r.appliesTo.includes('car')) continue;
        const k = `${net.segWayId[r.fromSeg]}@${net.nodeOsmId[r.viaNode]}`;
        const to = net.segWayId[r.viaSegs?.length ? r.viaSegs[0] : r.toSeg];
        restricted.set(k, [...(restricted.get(k) ?? []), { kind: r.viaSegs?.length ? 'no' : r.kind, to }]);
      }
      const osmOfPgr = new Map([...pgrIds].map(([osm, id]) => [id, osm]));
      // osm2pgrouting splits ways only where they meet: a barrier inside a way lies inside one of its edges
      const closedAt = [...Array(N).keys()].filter((v) => net.nodeClosed[v] & 1);
      const barrierEdges = new Set(
        (
          await db.client.query<{ gid: string }>(
            `select distinct w.gid from ${L.ways} w
             join unnest($1::float8[], $2::float8[]) as b(lon, lat)
               on st_dwithin(w.the_geom, st_setsrid(st_makepoint(b.lon, b.lat), 4326), 1e-7)`,
            [closedAt.map((v) => net.nodeLon[v]), closedAt.map((v) => net.nodeLat[v])],
          )
        ).rows.map((r) => Number(r.gid)),
      );
      const causes = (p: { nodes: number[]; edges: number[] }): string[] => {
        const out = new Set<string>();
        for (let k = 1; k < p.edges.length; k++) {
          const node = p.nodes[k];
          const v = node > 0 ? vertexOfOsm.get(osmOfPgr.get(node) ?? -1) : undefined;
          // turning round where the road goes on (a junction, or a node inside one of our segments)
          if (p.edges[k] === p.edges[k - 1] && (v === undefined || degree[v] >= 2)) out.add('U-turn at a junction');
          if (v !== undefined && net.nodeClosed[v] & 1) out.add('barrier or node access');
          if (barrierEdges.has(p.edges[k - 1]) || barrierEdges.has(p.edges[k])) out.add('barrier or node access');
          const from = wayOfEdge.get(p.edges[k - 1]);
          const to = wayOfEdge.get(p.edges[k]);
          for (const r of restricted.get(`${from}@${osmOfPgr.get(node)}`) ?? []) {
            if ((r.kind === 'no' && r.to === to) || (r.kind === 'only' && r.to !== to)) out.add('turn restriction');
          }
        }
        return [...out];
      };

      const freeDiffers: string[] = [];
      const unexplained: string[] = [];
      const explained: string[] = [];
      let sameWithRules = 0;
      for (const [a, b] of pairs) {
        const t = theirs.get(`${a.pgr}>${b.pgr}`);
        const name = `${a.what} → ${b.what}`;
        const f = route(free, a, b);
        if ((f === null) !== (t === undefined) || (f !== null && t && !close(f, t.cost))) {
          freeDiffers.push(
            `${name}: ours ${f?.toFixed(2) ?? 'no route'} s, pgRouting ${t?.cost.toFixed(2) ?? 'no route'} s`,
          );
        }
        if (!t) continue;
        const r = route(ruled, a, b);
        if (r !== null && close(r, t.cost)) {
          sameWithRules++;
          continue;
        }
        const why = causes(t);
        const line = `${name}: ours ${r?.toFixed(2) ?? 'no route'} s, pgRouting ${t.cost.toFixed(2)} s`;
        // the rules only take paths away: never a cheaper route than the unconstrained shortest path
        if (r !== null && r < t.cost) unexplained.push(`${line} (cheaper than the shortest path)`);
        else if (why.length === 0) unexplained.push(line);
        else explained.push(...why);
      }
      console.log(
        [
          `[pgrouting] ${file}, between coordinates (pgr_withPoints, driving side both): ${pairs.length} pairs ` +
            `(${points.length} points along segments; drawn from ${vertexPool.length} vertices clear of other roads ` +
            `within ${SNAP_CLEAR} m, ${oneWayPool.length} of them where one-way segments meet)`,
          `  without the driver's rules: ${pairs.length - freeDiffers.length} equal, ${freeDiffers.length} differ`,
          `  with them: ${sameWithRules} equal, ${explained.length ? count(explained) : 'no difference'}; ` +
            `unexplained ${unexplained.length}`,
        ].join('\n'),
      );
      expect(freeDiffers).toEqual([]);
      expect(unexplained).toEqual([]);
    });
  },
);
