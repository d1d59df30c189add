// pgRouting as the anchor of the road benchmark and the reference of server/geo/road/pgrouting.pg-test.ts: a scratch
// database with PostGIS + pgRouting on the PostgreSQL server at DATABASE_URL, OSM extracts loaded with osm2pgrouting
// (PBF converted to XML with osmium first: osm2pgrouting reads only XML), generated networks loaded by COPY.
// Only `pg`, `psql`, `osmium` and `osm2pgrouting`: nothing of Anlan's server, so the test can use it too.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { NetworkData } from '../../server/geo/road/network.ts';

/** The server the comparison uses: DATABASE_URL, else the local default (trust auth). */
export const PG_SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** osm2pgrouting's car configuration: the classes a car may drive (motorway … road), the closest to our car profile. */
export const OSM2PGR_CAR_CONF = '/usr/share/osm2pgrouting/mapconfig_for_cars.xml';

export function urlWithDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface RoutingDb {
  name: string;
  url: string;
  client: pg.Client;
  pgrVersion: string;
  /** closes the client and drops the database (other sessions forced out) */
  drop(): Promise<void>;
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops and creates `name` on the server of `serverUrl`, with the postgis and pgrouting extensions. */
export async function createRoutingDb(name: string, serverUrl = PG_SERVER_URL): Promise<RoutingDb> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await admin(serverUrl, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  const url = urlWithDatabase(serverUrl, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('create extension if not exists postgis');
  await client.query('create extension if not exists pgrouting');
  const pgrVersion = (await client.query<{ v: string }>('select pgr_version() as v')).rows[0].v;
  return {
    name,
    url,
    client,
    pgrVersion,
    async drop() {
      await client.end().catch(() => undefined);
      await admin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

function run(cmd: string, args: string[], what: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${what}: cannot run ${cmd} (${r.error.message}); .ci/run installs it`);
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
  return `${r.stdout}\n${r.stderr}`;
}

/** The file as OSM XML: `.osm` as it is, `.osm.pbf` converted with `osmium cat` into `tmpDir`. */
export function osmXml(file: string, tmpDir: string): { xml: string; ms: number } {
  if (!file.endsWith('.pbf')) return { xml: file, ms: 0 };
  const base = file.split('/').pop() ?? 'extract.osm.pbf';
  const xml = join(tmpDir, base.replace(/\.osm\.pbf$|\.pbf$/, '.osm'));
  const t0 = performance.now();
  run('osmium', ['cat', '--overwrite', '-o', xml, file], `osmium cat ${base}`);
  return { xml, ms: performance.now() - t0 };
}

export interface Osm2pgrResult {
  ms: number;
  /** table names: `${prefix}ways`, `${prefix}ways_vertices_pgr` */
  ways: string;
  vertices: string;
  edges: number;
  vertexCount: number;
}

/**
 * Loads an OSM XML file with osm2pgrouting into tables `${prefix}ways` / `${prefix}ways_vertices_pgr` (--clean).
 * `withTags`: also the table `osm_ways` (no prefix) with each way's OSM tags as hstore (--addnodes --tags; slower).
 */
export async function osm2pgrouting(
  db: RoutingDb,
  xml: string,
  prefix: string,
  opts: { conf?: string; withTags?: boolean } = {},
): Promise<Osm2pgrResult> {
  const u = new URL(db.url);
  const args = ['--f', xml, '--conf', opts.conf ?? OSM2PGR_CAR_CONF, '--dbname', db.name];
  args.push('--host', u.hostname || '127.0.0.1', '--port', u.port || '5432');
  args.push('--username', decodeURIComponent(u.username || 'postgres'));
  if (u.password) args.push('--password', decodeURIComponent(u.password));
  args.push('--prefix', prefix, '--clean');
  if (opts.withTags) {
    await db.client.query('create extension if not exists hstore');
    args.push('--addnodes', '--tags');
  }
  const t0 = performance.now();
  run('osm2pgrouting', args, `osm2pgrouting ${xml.split('/').pop()}`);
  const ms = performance.now() - t0;
  const ways = `${prefix}ways`;
  const vertices = `${prefix}ways_vertices_pgr`;
  const n = await db.client.query<{ e: string; v: string }>(
    `select (select count(*) from ${ways}) as e, (select count(*) from ${vertices}) as v`,
  );
  return { ms, ways, vertices, edges: Number(n.rows[0].e), vertexCount: Number(n.rows[0].v) };
}

/** pgRouting vertex id by OSM node id. */
export async function pgrVertexIds(db: RoutingDb, verticesTable: string): Promise<Map<number, number>> {
  const r = await db.client.query<{ id: string; osm_id: string }>(`select id, osm_id from ${verticesTable}`);
  return new Map(r.rows.map((x) => [Number(x.osm_id), Number(x.id)]));
}

/**
 * A generated network as a pgRouting edge table: one row per segment, id = segment + 1, source/target = vertex + 1;
 * `cost`/`reverse_cost` seconds at the car profile's speeds, `length_m`/`reverse_length_m` metres; -1 where the car
 * may not drive that way (pgRouting leaves out edges of negative cost). Written with `COPY … FROM STDIN` through psql.
 */
export async function loadEdgeTable(db: RoutingDb, table: string, net: NetworkData): Promise<number> {
  const t0 = performance.now();
  await db.client.query(`drop table if exists ${table}`);
  await db.client.query(
    `create table ${table} (id bigint primary key, source bigint not null, target bigint not null,
       cost float8 not null, reverse_cost float8 not null, length_m float8 not null, reverse_length_m float8 not null,
       the_geom geometry(LineString, 4326) not null)`,
  );
  const fwd = net.speedKmh.car.forward;
  const bwd = net.speedKmh.car.backward;
  const psql = spawn('psql', [db.url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table} from pstdin`], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let err = '';
  psql.stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const done = new Promise<number>((resolve, reject) => {
    psql.on('error', reject);
    psql.on('exit', (code) => resolve(code ?? 1));
  });
  const CHUNK = 20_000;
  for (let start = 0; start < net.segmentCount; start += CHUNK) {
    const lines: string[] = [];
    for (let s = start; s < Math.min(net.segmentCount, start + CHUNK); s++) {
      const m = net.segMeters[s];
      const f = fwd[s] > 0 ? m / (fwd[s] / 3.6) : -1;
      const b = bwd[s] > 0 ? m / (bwd[s] / 3.6) : -1;
      const pts: string[] = [];
      for (let k = net.shapeStart[s]; k < net.shapeStart[s + 1]; k++) pts.push(`${net.shapeLon[k]} ${net.shapeLat[k]}`);
      lines.push(
        `${s + 1}\t${net.segFrom[s] + 1}\t${net.segTo[s] + 1}\t${f}\t${b}\t${fwd[s] > 0 ? m : -1}\t${bwd[s] > 0 ? m : -1}\t` +
          `SRID=4326;LINESTRING(${pts.join(',')})\n`,
      );
    }
    if (!psql.stdin.write(lines.join(''))) await new Promise((r) => psql.stdin.once('drain', r));
  }
  psql.stdin.end();
  const code = await done;
  if (code !== 0) throw new Error(`COPY into ${table} failed (psql exit ${code}): ${err.slice(-1000)}`);
  await db.client.query(`analyze ${table}`);
  return performance.now() - t0;
}

/**
 * The vertices a point may be snapped to in SQL (the PostGIS side of the API comparison): those of edges a car may
 * drive, with their points and a GiST index for nearest-neighbour search, in table `name`. Built once per graph, as
 * our engine builds its spatial index once.
 */
export async function createSnapTable(
  db: RoutingDb,
  name: string,
  edges: { table: string; cost: string; reverseCost: string },
  vertices?: string,
): Promise<void> {
  const e = edges;
  await db.client.query(`drop table if exists ${name}`);
  const drivable = `select source as id from ${e.table} where ${e.cost} >= 0 or ${e.reverseCost} >= 0
    union select target from ${e.table} where ${e.cost} >= 0 or ${e.reverseCost} >= 0`;
  await db.client.query(
    vertices
      ? `create table ${name} as select v.id, v.the_geom from ${vertices} v where v.id in (${drivable})`
      : // a generated network has no vertex table: each vertex's point is where its edges start or end
        `create table ${name} as select distinct on (id) id, the_geom from (
           select source as id, st_startpoint(the_geom) as the_geom from ${e.table} where ${e.cost} >= 0 or ${e.reverseCost} >= 0
           union all select target, st_endpoint(the_geom) from ${e.table} where ${e.cost} >= 0 or ${e.reverseCost} >= 0) x`,
  );
  await db.client.query(`create index on ${name} using gist (the_geom)`);
  await db.client.query(`analyze ${name}`);
}

/**
 * What an application built on pgRouting + PostGIS runs for the questions our engine API answers: points snapped to
 * the nearest drivable vertex in SQL, pgRouting's search, and the geometry made and sent back as GeoJSON (or the
 * matrix rows). Each question is one SQL statement; the result crosses the wire, as it would to an application.
 */
export class PgRoutingApi {
  constructor(
    readonly db: RoutingDb,
    /** pgRouting's edges SQL */
    readonly edges: string,
    /** `select <id> as id, <geometry> as geom from …`: each edge's geometry */
    readonly geometry: string,
    /** the snap table (createSnapTable) */
    readonly snap: string,
  ) {}

  private knn(x: string, y: string): string {
    return `(select id from ${this.snap} order by the_geom <-> st_setsrid(st_makepoint(${x}, ${y}), 4326) limit 1)`;
  }

  private async timed(sql: string, params: unknown[]): Promise<{ ms: number; n: number }> {
    const t0 = performance.now();
    const r = await this.db.client.query<Record<string, unknown>>(sql, params);
    // answers actually given: rows whose first column is not null (an aggregate over nothing gives one null row)
    return { ms: performance.now() - t0, n: r.rows.filter((row) => Object.values(row)[0] !== null).length };
  }

  /** pgr_drivingDistance from the snapped point + ST_ConcaveHull of the reached edges: the isochrone polygon */
  isochrone(p: [number, number], seconds: number) {
    return this.timed(
      `select st_asgeojson(st_concavehull(st_collect(e.geom), 0.5)) as polygon
       from pgr_drivingDistance($1, ${this.knn('$2::float8', '$3::float8')}, $4::float8) d
       join (${this.geometry}) e on e.id = d.edge`,
      [this.edges, p[0], p[1], seconds],
    );
  }

  /** batch pgr_drivingDistance from the snapped points (equicost) + ST_Union of the reached edges: the covered roads */
  coverage(ps: [number, number][], seconds: number) {
    return this.timed(
      `select st_asgeojson(st_union(e.geom)) as covered
       from pgr_drivingDistance($1,
         (select array_agg(s.id) from unnest($2::float8[], $3::float8[]) p(x, y), lateral ${this.knn('p.x', 'p.y')} s(id)),
         $4::float8, equicost => true) d
       join (${this.geometry}) e on e.id = d.edge`,
      [this.edges, ps.map((p) => p[0]), ps.map((p) => p[1]), seconds],
    );
  }

  /** batch pgr_dijkstra between snapped points, each route's edges joined to their geometry and merged into a line */
  routes(pairs: [[number, number], [number, number]][]) {
    const values = pairs.map(([a, b]) => `(${a[0]}, ${a[1]}, ${b[0]}, ${b[1]})`).join(',');
    const combinations = `select s.id as source, t.id as target
      from (values ${values}) p(x1, y1, x2, y2), lateral ${this.knn('p.x1', 'p.y1')} s(id), lateral ${this.knn('p.x2', 'p.y2')} t(id)`;
    return this.timed(
      `select r.start_vid, r.end_vid, max(r.agg_cost) as seconds,
         st_asgeojson(st_linemerge(st_collect(e.geom order by r.path_seq))) as line
       from pgr_dijkstra($1, $2) r join (${this.geometry}) e on e.id = r.edge
       group by r.start_vid, r.end_vid`,
      [this.edges, combinations],
    );
  }

  /** pgr_dijkstraCostMatrix among the snapped points, the n × n rows sent back */
  matrix(ps: [number, number][]) {
    return this.timed(
      `select start_vid, end_vid, agg_cost from pgr_dijkstraCostMatrix($1,
         (select array_agg(s.id order by p.i) from unnest($2::float8[], $3::float8[]) with ordinality p(x, y, i),
          lateral ${this.knn('p.x', 'p.y')} s(id)))`,
      [this.edges, ps.map((p) => p[0]), ps.map((p) => p[1])],
    );
  }
}

/**
 * Rewrites `cost_s`/`reverse_cost_s` of an osm2pgrouting ways table to our car profile's speeds (per OSM way, from
 * the network), -1 where our car may not drive (also on ways we did not import): both sides then answer the same
 * question on the same travel times. The table is rewritten compactly (VACUUM FULL) so that reading it costs what
 * reading a freshly loaded table costs.
 */
export async function setWaySpeeds(db: RoutingDb, ways: string, net: NetworkData): Promise<void> {
  const byWay = new Map<number, [number, number]>();
  for (let s = 0; s < net.segmentCount; s++) {
    byWay.set(net.segWayId[s], [net.speedKmh.car.forward[s], net.speedKmh.car.backward[s]]);
  }
  const ids = [...byWay.keys()];
  await db.client.query('drop table if exists bench_way_speeds');
  await db.client.query('create table bench_way_speeds (osm_id bigint primary key, f float8, b float8)');
  await db.client.query('insert into bench_way_speeds select * from unnest($1::bigint[], $2::float8[], $3::float8[])', [
    ids,
    ids.map((w) => byWay.get(w)?.[0] ?? 0),
    ids.map((w) => byWay.get(w)?.[1] ?? 0),
  ]);
  await db.client.query(
    `update ${ways} w set
       cost_s = case when s.f > 0 then w.length_m / (s.f / 3.6) else -1 end,
       reverse_cost_s = case when s.b > 0 then w.length_m / (s.b / 3.6) else -1 end
     from bench_way_speeds s where s.osm_id = w.osm_id`,
  );
  await db.client.query(
    `update ${ways} set cost_s = -1, reverse_cost_s = -1
     where osm_id not in (select osm_id from bench_way_speeds)`,
  );
  await db.client.query('drop table bench_way_speeds');
  await db.client.query(`vacuum full analyze ${ways}`);
}

/** The edges SQL pgRouting reads on every call: the application form (no cached graph). */
export function edgesSql(kind: 'osm' | 'grid', table: string, metric: 'time' | 'distance' = 'time'): string {
  if (kind === 'osm') {
    return metric === 'time'
      ? `select gid as id, source, target, cost_s as cost, reverse_cost_s as reverse_cost from ${table}`
      : `select gid as id, source, target, case when cost >= 0 then length_m else -1 end as cost,
           case when reverse_cost >= 0 then length_m else -1 end as reverse_cost from ${table}`;
  }
  return metric === 'time'
    ? `select id, source, target, cost, reverse_cost from ${table}`
    : `select id, source, target, length_m as cost, reverse_length_m as reverse_cost from ${table}`;
}

/** `(source, target)` pairs as a combinations SQL for pgRouting's one-call forms. */
export function combinationsSql(pairs: [number, number][]): string {
  return `select * from (values ${pairs.map(([a, b]) => `(${a}::bigint, ${b}::bigint)`).join(',')}) as t(source, target)`;
}

/** Timed pgRouting calls. Each sends one SQL statement and counts the result rows on the server (no rows shipped). */
export class PgRouting {
  constructor(
    readonly db: RoutingDb,
    readonly edges: string,
  ) {}

  private async timed(sql: string, params: unknown[]): Promise<{ ms: number; n: number }> {
    const t0 = performance.now();
    const r = await this.db.client.query<{ n: string }>(sql, params);
    return { ms: performance.now() - t0, n: Number(r.rows[0]?.n ?? 0) };
  }

  /** one-origin reach: number of vertices within `seconds` */
  drivingDistance(vid: number, seconds: number) {
    return this.timed('select count(*) as n from pgr_drivingDistance($1, $2::bigint, $3::float8)', [
      this.edges,
      vid,
      seconds,
    ]);
  }

  /** many origins in one call; equicost: each vertex once, to its nearest origin (the union a coverage needs) */
  drivingDistanceMany(vids: number[], seconds: number, equicost = true) {
    return this.timed(
      'select count(*) as n from pgr_drivingDistance($1, $2::bigint[], $3::float8, equicost => $4::boolean)',
      [this.edges, vids, seconds, equicost],
    );
  }

  /** all-pairs costs among `vids` (n × n, reachable pairs only) */
  costMatrix(vids: number[]) {
    return this.timed('select count(*) as n from pgr_dijkstraCostMatrix($1, $2::bigint[])', [this.edges, vids]);
  }

  /** one route: n = 1 when reachable */
  dijkstra(from: number, to: number) {
    return this.timed('select count(*) as n from pgr_dijkstra($1, $2::bigint, $3::bigint) where edge = -1', [
      this.edges,
      from,
      to,
    ]);
  }

  /** many routes in one call (combinations SQL): n = reachable pairs */
  dijkstraPairs(pairs: [number, number][]) {
    return this.timed('select count(*) as n from pgr_dijkstra($1, $2) where edge = -1', [
      this.edges,
      combinationsSql(pairs),
    ]);
  }

  /** shortest costs of pairs (combinations SQL), keyed `${from}>${to}`; unreachable pairs are absent */
  async pairCosts(pairs: [number, number][]): Promise<Map<string, number>> {
    const r = await this.db.client.query<{ s: string; t: string; c: number }>(
      'select start_vid as s, end_vid as t, agg_cost as c from pgr_dijkstra($1, $2) where edge = -1',
      [this.edges, combinationsSql(pairs)],
    );
    return new Map(r.rows.map((x) => [`${x.s}>${x.t}`, Number(x.c)]));
  }
}
