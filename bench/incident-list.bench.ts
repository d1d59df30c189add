// Issue #2, incident register: GET /api/v1/incidents?limit=50 with filters over 100,000 incidents at 50 concurrent
// connections, against a plain Fastify route (child process, no database) serving the very bodies Anlan answered.
import { performance } from 'node:perf_hooks';
import type { IncidentFilters } from '../server/modules/incidents/incidents.repository.ts';
import { openDb } from '../server/platform/db/index.ts';
import { startAnchor } from './lib/anchor.ts';
import { type AnlanServer, login, startAnlan } from './lib/anlan.ts';
import { type Filled, INCIDENTS, pglite100k, postgres100k } from './lib/fill.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { pgServerVersion, pgUnreachable } from './lib/pg.ts';
import { type QueryTiming, type SqlCeiling, sqlCeiling, timeListQueries } from './lib/queries.ts';
import { fmt, log, type Report, verdict } from './lib/report.ts';
import { rssOf } from './lib/rss.ts';

export const CONNECTIONS = 50;
export const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 3;

interface Case {
  name: string;
  query: Record<string, string>;
  filters: IncidentFilters;
}

/** The rotated URLs: what a duty officer's register asks, from broad to narrow. */
function cases(now = Date.now()): Case[] {
  const day = 86_400_000;
  const startOfDay = (t: number) => new Date(Math.floor(t / day) * day);
  const from = startOfDay(now - 400 * day);
  const to = startOfDay(now - 300 * day);
  return [
    { name: 'no filter', query: {}, filters: {} },
    { name: 'status=responding', query: { status: 'responding' }, filters: { statuses: ['responding'] } },
    {
      name: 'category=accident&level=III',
      query: { category: 'accident', level: 'III' },
      filters: { categories: ['accident'], levels: ['III'] },
    },
    {
      name: 'district=371002&100-day range',
      query: { district: '371002', from: from.toISOString(), to: to.toISOString() },
      filters: { district: '371002', from, to },
    },
    {
      name: 'responding+accident+III+371002',
      query: { status: 'responding', category: 'accident', level: 'III', district: '371002' },
      filters: { statuses: ['responding'], categories: ['accident'], levels: ['III'], district: '371002' },
    },
  ];
}

const pathOf = (c: Case) => `/api/v1/incidents?${new URLSearchParams({ limit: '50', ...c.query })}`;

interface Captured {
  bodies: Record<string, string>;
  perCase: {
    name: string;
    path: string;
    items: number;
    total: number;
    bytes: number;
    coldMs: number;
    warmMs: number;
  }[];
}

/** One real response per URL (the anchor serves these), timing the first (count not cached) and a second call. */
async function capture(url: string, token: string, list: Case[]): Promise<Captured> {
  const bodies: Record<string, string> = {};
  const perCase: Captured['perCase'] = [];
  for (const c of list) {
    const path = pathOf(c);
    const get = async () => {
      const t0 = performance.now();
      const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 300)}`);
      return { text, ms: performance.now() - t0 };
    };
    const cold = await get();
    const warm = await get();
    const body = JSON.parse(warm.text) as { items: unknown[]; total: number };
    bodies[path] = warm.text;
    perCase.push({
      name: c.name,
      path,
      items: body.items.length,
      total: body.total,
      bytes: warm.text.length,
      coldMs: cold.ms,
      warmMs: warm.ms,
    });
  }
  return { bodies, perCase };
}

interface EngineResult {
  engine: 'pglite' | 'postgres';
  fill: Omit<Filled, 'dataDir' | 'databaseUrl'>;
  captured: Captured['perCase'];
  anchor: LoadResult;
  anlan: LoadResult;
  rssAfterLoad: number;
  queries: QueryTiming[];
  ceiling: SqlCeiling;
}

async function measure(engine: 'pglite' | 'postgres', filled: Filled, workDir: string): Promise<EngineResult> {
  const list = cases();
  const paths = list.map(pathOf);
  const server: AnlanServer = await startAnlan({
    dataDir: filled.dataDir,
    databaseUrl: filled.databaseUrl,
    demo: false,
  });
  let result: Omit<EngineResult, 'queries' | 'ceiling'>;
  try {
    const token = await login(server.url);
    const cap = await capture(server.url, token, list);
    for (const c of cap.perCase) {
      log(
        `  ${c.name.padEnd(32)} ${String(c.items).padStart(2)} items of ${String(c.total).padStart(6)}, ${Math.round(c.bytes / 1024)} KiB; first call ${fmt.ms(c.coldMs)}, second ${fmt.ms(c.warmMs)}`,
      );
    }
    const anchorSrv = await startAnchor(cap.bodies, workDir);
    let anchor: LoadResult;
    try {
      await runLoad({ url: anchorSrv.url, paths, connections: CONNECTIONS, durationS: WARMUP_S });
      anchor = await runLoad({ url: anchorSrv.url, paths, connections: CONNECTIONS, durationS: DURATION_S });
    } finally {
      await anchorSrv.stop();
    }
    log(`  anchor (plain Fastify): ${fmt.rps(anchor.rps)}, p50 ${fmt.ms(anchor.p50)}, p99 ${fmt.ms(anchor.p99)}`);
    const headers = { authorization: `Bearer ${token}` };
    await runLoad({ url: server.url, paths, headers, connections: CONNECTIONS, durationS: WARMUP_S });
    const anlan = await runLoad({ url: server.url, paths, headers, connections: CONNECTIONS, durationS: DURATION_S });
    log(
      `  Anlan: ${fmt.rps(anlan.rps)}, p50 ${fmt.ms(anlan.p50)}, p99 ${fmt.ms(anlan.p99)}, max ${fmt.ms(anlan.max)}` +
        (anlan.non2xx || anlan.errors ? `; ${anlan.non2xx} non-2xx, ${anlan.errors} errors` : ''),
    );
    const rssAfterLoad = rssOf(server.pid).rss;
    result = {
      engine,
      fill: { cached: filled.cached, fillMs: filled.fillMs, note: filled.note },
      captured: cap.perCase,
      anchor,
      anlan,
      rssAfterLoad,
    };
  } finally {
    await server.stop();
  }
  // The two SQL statements behind the endpoint, timed in-process (PGlite: one process per data directory,
  // so only after the server stopped).
  const db = await openDb({ dataDir: filled.dataDir, databaseUrl: filled.databaseUrl });
  let queries: QueryTiming[];
  let ceiling: SqlCeiling;
  try {
    queries = await timeListQueries(db, list);
    ceiling = await sqlCeiling(db, list);
  } finally {
    await db.close();
  }
  for (const q of queries) {
    log(`  SQL ${q.name.padEnd(32)} page ${fmt.ms(q.listMs)} (${q.listPlan}); count ${fmt.ms(q.countMs)} = ${q.total}`);
  }
  log(
    `  SQL alone, ${ceiling.concurrency} in flight: ${Math.round(ceiling.pagePerS)} pages/s, ${Math.round(ceiling.countPerS)} counts/s, ${Math.round(ceiling.sessionPerS)} session look-ups/s`,
  );
  return { ...result, queries, ceiling };
}

function reportEngine(r: EngineResult, report: Report): void {
  const sec = `list ${r.engine}`;
  const ratio = r.anlan.rps / r.anchor.rps;
  const p99x = r.anlan.p99 / Math.max(r.anchor.p99, 1);
  report.row(
    sec,
    'anchor: plain Fastify, same bodies',
    `${fmt.rps(r.anchor.rps)}, p99 ${fmt.ms(r.anchor.p99)}`,
    'anchor',
  );
  report.row(
    sec,
    'Anlan, 50 conn., 5 rotating URLs',
    `${fmt.rps(r.anlan.rps)}, p99 ${fmt.ms(r.anlan.p99)}`,
    'measured',
  );
  if (r.engine === 'postgres') {
    report.row(sec, 'throughput / anchor', fmt.pct(ratio), '≥ 20 %', verdict(ratio >= 0.2));
    report.row(sec, 'p99 / anchor p99', fmt.x(p99x), '≤ 3×', verdict(p99x <= 3));
  } else {
    report.row(sec, 'throughput / anchor', fmt.pct(ratio), '(no target)', 'info');
    report.row(sec, 'p99 / anchor p99', fmt.x(p99x), '(no target)', 'info');
    report.row(sec, 'p99', fmt.ms(r.anlan.p99), '≤ 150 ms', verdict(r.anlan.p99 <= 150));
  }
  if (r.anlan.non2xx || r.anlan.errors || r.anlan.timeouts) {
    report.row(
      sec,
      'non-2xx / errors / timeouts',
      `${r.anlan.non2xx} / ${r.anlan.errors} / ${r.anlan.timeouts}`,
      '0',
      'MISS',
    );
  }
  const slowest = [...r.queries].sort((a, b) => b.listMs - a.listMs)[0];
  const slowestCount = [...r.queries].sort((a, b) => b.countMs - a.countMs)[0];
  if (slowest) report.row(sec, `slowest page SQL: ${slowest.name}`, fmt.ms(slowest.listMs), '');
  if (slowestCount) report.row(sec, `slowest count(*): ${slowestCount.name}`, fmt.ms(slowestCount.countMs), '');
  report.row(
    sec,
    `SQL alone (${r.ceiling.concurrency} in flight): page / count(*) / session`,
    `${Math.round(r.ceiling.pagePerS)} / ${Math.round(r.ceiling.countPerS)} / ${Math.round(r.ceiling.sessionPerS)} per s`,
    'ceilings',
  );
  report.row(sec, 'server RSS after the load', fmt.mb(r.rssAfterLoad), '');
}

export async function incidentListBench(
  report: Report,
  workDir: string,
  engines: ('pglite' | 'postgres')[],
): Promise<void> {
  const results: EngineResult[] = [];
  if (engines.includes('pglite')) {
    log(`incident list on embedded PGlite, ${INCIDENTS} incidents`);
    const filled = await pglite100k(workDir);
    report.note(filled.note);
    const r = await measure('pglite', filled, workDir);
    results.push(r);
    reportEngine(r, report);
  }
  if (engines.includes('postgres')) {
    const why = await pgUnreachable();
    if (why) {
      report.note(`PostgreSQL part skipped: the server is unreachable (${why})`);
      report.row('list postgres', 'PostgreSQL server', 'unreachable', 'BENCH_PG_URL', 'SKIP');
    } else {
      log(`incident list on PostgreSQL (${(await pgServerVersion()).split(',')[0]}), ${INCIDENTS} incidents`);
      const filled = await postgres100k(workDir);
      report.note(filled.note);
      const r = await measure('postgres', filled, workDir);
      results.push(r);
      reportEngine(r, report);
    }
  }
  report.data.incidentList = { connections: CONNECTIONS, durationS: DURATION_S, results };
}
