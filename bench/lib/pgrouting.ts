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
       cost float8 not null, reverse_cost float8 not null, length_m float8 not null, reverse_length_m float8 not null)`,
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
      lines.push(
        `${s + 1}\t${net.segFrom[s] + 1}\t${net.segTo[s] + 1}\t${f}\t${b}\t${fwd[s] > 0 ? m : -1}\t${bwd[s] > 0 ? m : -1}\n`,
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
