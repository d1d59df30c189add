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
import { seededRandom } from './grid-network.ts';
import { type NetworkData, ROAD_CLASSES } from './network.ts';
import { compileGraph, type RoadGraph } from './road-engine.ts';
import { routeVertices } from './search.ts';

const PAIRS = 200;
/** the bound, against osm2pgrouting's own lengths (`length_m`, on the WGS-84 spheroid) */
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
      const g = compileGraph(
        net,
        {
          id: 'pgrouting-test',
          builtAt: new Date().toISOString(),
          name: file,
          synthetic: false,
          source: `OpenStreetMap: ${file}`,
          attribution: '© OpenStreetMap contributors',
        },
        { turnRestrictions: false },
      );
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
      // ours only: the class osm2pgrouting's car configuration lacks
      expect(onlyOurs.filter(([, o]) => o.cls !== TRACK).map(([w]) => w)).toEqual([]);
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
      const common = [...ours]
        .filter(([w, o]) => pgrWays.has(w) && (o.forward || o.backward))
        .map(([w]) => w)
        .sort((a, b) => a - b);
      const commonSet = new Set(common);
      const closed = new Uint8Array(net.segmentCount);
      for (let s = 0; s < net.segmentCount; s++) if (!commonSet.has(net.segWayId[s])) closed[s] = 1;
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
  },
);
