import { performance } from 'node:perf_hooks';
import {
  type CompiledQuery,
  CompiledQuery as CQ,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import {
  countIncidents,
  type IncidentFilters,
  listIncidents,
} from '../../server/modules/incidents/incidents.repository.ts';
import { findSessionUser } from '../../server/platform/auth/auth.repository.ts';
import type { Actor } from '../../server/platform/core/context.ts';
import type { Database, Db } from '../../server/platform/db/index.ts';
import { median } from './report.ts';

const CITY_ACTOR: Actor = {
  kind: 'user',
  id: null,
  name: 'bench',
  unitCode: 'yjj',
  scope: 'city',
  roles: ['admin'],
  permissions: new Set(['*']),
};

/** The SQL the repository would send, captured by running it against Kysely's dummy driver. */
async function compile(run: (k: Kysely<Database>) => Promise<unknown>): Promise<CompiledQuery> {
  let captured: CompiledQuery | undefined;
  const k = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (e) => {
      captured = e.query;
    },
  });
  await run(k).catch(() => undefined);
  if (!captured) throw new Error('no query captured');
  return captured;
}

export interface SqlCeiling {
  /** page queries (limit 50) per second, rotating through the cases, `concurrency` at a time */
  pagePerS: number;
  /** count(*) queries per second, same */
  countPerS: number;
  /** session look-ups (what every request's auth does) per second */
  sessionPerS: number;
  concurrency: number;
}

async function rate(db: Db, qs: CompiledQuery[], concurrency: number, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; performance.now() < end; i++) {
        await db.kysely.executeQuery(qs[i % qs.length]);
        n++;
      }
    }),
  );
  return n / (ms / 1000);
}

/**
 * How many of each query the database side alone answers per second (no HTTP, no JSON): the ceiling the endpoint
 * could reach if it ran only that query. PostgreSQL: the server's pool size (10) in flight; PGlite: one at a time.
 */
export async function sqlCeiling(db: Db, cases: { filters: IncidentFilters }[], ms = 3_000): Promise<SqlCeiling> {
  const concurrency = db.engine === 'postgres' ? 10 : 1;
  const pages = await Promise.all(cases.map((c) => compile((k) => listIncidents(k, CITY_ACTOR, c.filters, 50, 0))));
  const counts = await Promise.all(cases.map((c) => compile((k) => countIncidents(k, CITY_ACTOR, c.filters))));
  const recent = await db.kysely
    .selectFrom('sessions')
    .select('token_hash')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const session = await compile((k) => findSessionUser(k, recent?.token_hash ?? '', new Date()));
  return {
    pagePerS: await rate(db, pages, concurrency, ms),
    countPerS: await rate(db, counts, concurrency, ms),
    sessionPerS: await rate(db, [session], concurrency, ms),
    concurrency,
  };
}

export interface QueryTiming {
  name: string;
  listMs: number;
  countMs: number;
  rows: number;
  total: number;
  /** node types from the top of the list query's plan, e.g. Limit > Incremental Sort > Index Scan(incidents_status_idx) */
  listPlan: string;
  countPlan: string;
  listExplain: string;
  countExplain: string;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
  'Parent Relationship'?: string;
}

function planPath(node: PlanNode): string {
  const parts: string[] = [];
  let n: PlanNode | undefined = node;
  while (n) {
    parts.push(n['Index Name'] ? `${n['Node Type']}(${n['Index Name']})` : n['Node Type']);
    // follow the outer (main) child, not the correlated district-name subplan
    n = n.Plans?.find((p) => p['Parent Relationship'] !== 'SubPlan');
  }
  return parts.join(' > ');
}

async function timeQuery(db: Db, q: CompiledQuery, runs: number): Promise<{ ms: number; rows: unknown[] }> {
  const times: number[] = [];
  let rows: unknown[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = (await db.kysely.executeQuery(q)).rows;
    times.push(performance.now() - t0);
  }
  return { ms: median(times), rows };
}

async function explain(db: Db, q: CompiledQuery): Promise<{ text: string; path: string }> {
  const text = (
    await db.kysely.executeQuery<{ 'QUERY PLAN': string }>(
      CQ.raw(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]),
    )
  ).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  const json = (
    await db.kysely.executeQuery<{ 'QUERY PLAN': unknown }>(CQ.raw(`explain (format json) ${q.sql}`, [...q.parameters]))
  ).rows[0]?.['QUERY PLAN'];
  const parsed = (typeof json === 'string' ? JSON.parse(json) : json) as { Plan: PlanNode }[];
  return { text, path: planPath(parsed[0].Plan) };
}

/**
 * Times the list endpoint's two queries in-process (no HTTP, no auth): the page (limit 50) and the count(*)
 * that gives `total` (the service caches it per filter until the next write). Median of `runs`.
 */
export async function timeListQueries(
  db: Db,
  cases: { name: string; filters: IncidentFilters }[],
  runs = 5,
): Promise<QueryTiming[]> {
  const out: QueryTiming[] = [];
  for (const c of cases) {
    const list = await compile((k) => listIncidents(k, CITY_ACTOR, c.filters, 50, 0));
    const count = await compile((k) => countIncidents(k, CITY_ACTOR, c.filters));
    await timeQuery(db, list, 1);
    const l = await timeQuery(db, list, runs);
    const n = await timeQuery(db, count, runs);
    const le = await explain(db, list);
    const ce = await explain(db, count);
    out.push({
      name: c.name,
      listMs: l.ms,
      countMs: n.ms,
      rows: l.rows.length,
      total: Number((n.rows[0] as { n: unknown } | undefined)?.n ?? -1),
      listPlan: le.path,
      countPlan: ce.path,
      listExplain: le.text,
      countExplain: ce.text,
    });
  }
  return out;
}
