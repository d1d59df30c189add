// Issue #2, memory: resident memory (VmRSS) of the server idle after a start with the demo data, on embedded
// PGlite (the database lives in the server's process) and on a PostgreSQL server.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { type AnlanServer, startAnlan } from './lib/anlan.ts';
import { pgUnreachable, pgUrl, recreateDatabase } from './lib/pg.ts';
import { sleep } from './lib/proc.ts';
import { fmt, log, median, type Report, verdict } from './lib/report.ts';
import { rssOf } from './lib/rss.ts';

export const PGLITE_RSS_TARGET = 1.2 * 1024 ** 3;
export const POSTGRES_RSS_TARGET = 300 * 1024 ** 2;
const SETTLE_MS = 5_000;
const DEMO_DATABASE = 'anlan_bench_demo';

interface Idle {
  rss: number;
  hwm: number;
  startMs: number;
}

/** Lets the server settle, then takes the median of three VmRSS samples a second apart. */
async function idleRss(s: AnlanServer): Promise<Idle> {
  await sleep(SETTLE_MS);
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (i) await sleep(1_000);
    samples.push(rssOf(s.pid).rss);
  }
  return { rss: median(samples), hwm: rssOf(s.pid).hwm, startMs: s.readyMs };
}

async function startedTwice(dataDir: string, databaseUrl?: string): Promise<{ first: Idle; later: Idle }> {
  const a = await startAnlan({ dataDir, databaseUrl, demo: true, timeoutMs: 300_000 });
  let first: Idle;
  try {
    first = await idleRss(a);
  } finally {
    await a.stop();
  }
  const b = await startAnlan({ dataDir, databaseUrl, demo: true });
  try {
    return { first, later: await idleRss(b) };
  } finally {
    await b.stop();
  }
}

/** demoDataDir: a PGlite DATA_DIR with the demo already loaded (from the start-up benchmark), if there is one. */
export async function memoryBench(report: Report, workDir: string, demoDataDir?: string): Promise<void> {
  const data: Record<string, unknown> = {};
  log('memory on embedded PGlite (demo data)…');
  let pglite: Idle;
  if (demoDataDir) {
    const s = await startAnlan({ dataDir: demoDataDir, demo: true });
    try {
      pglite = await idleRss(s);
    } finally {
      await s.stop();
    }
  } else {
    const both = await startedTwice(mkdtempSync(join(workDir, 'memory-pglite-')));
    report.row('memory pglite', 'idle RSS after the first start', fmt.mb(both.first.rss), '');
    pglite = both.later;
  }
  log(`  idle RSS ${fmt.mb(pglite.rss)} (peak ${fmt.mb(pglite.hwm)})`);
  report.row(
    'memory pglite',
    'idle RSS after a start, demo data',
    fmt.mb(pglite.rss),
    '≤ 1.2 GB',
    verdict(pglite.rss <= PGLITE_RSS_TARGET),
  );
  report.row('memory pglite', 'peak RSS during that start (VmHWM)', fmt.mb(pglite.hwm), '');
  data.pglite = pglite;

  const why = await pgUnreachable();
  if (why) {
    report.note(`PostgreSQL memory skipped: the server is unreachable (${why})`);
    report.row('memory postgres', 'PostgreSQL server', 'unreachable', 'BENCH_PG_URL', 'SKIP');
  } else {
    log(`memory on PostgreSQL (database ${DEMO_DATABASE}, recreated, demo data)…`);
    await recreateDatabase(DEMO_DATABASE);
    const both = await startedTwice(mkdtempSync(join(workDir, 'memory-pg-')), pgUrl(DEMO_DATABASE));
    log(
      `  first start ${fmt.s(both.first.startMs)}, later ${fmt.s(both.later.startMs)}; idle RSS ${fmt.mb(both.later.rss)}`,
    );
    report.row(
      'memory postgres',
      'idle RSS after a start, demo data',
      fmt.mb(both.later.rss),
      '≤ 300 MB',
      verdict(both.later.rss <= POSTGRES_RSS_TARGET),
    );
    report.row('memory postgres', 'idle RSS after the first start', fmt.mb(both.first.rss), '');
    report.row(
      'start-up postgres',
      'first start / later start',
      `${fmt.s(both.first.startMs)} / ${fmt.s(both.later.startMs)}`,
      '(no target)',
    );
    data.postgres = both;
  }
  report.data.memory = data;
}
