// Issue #7 §3, "one request must never stall everyone", on PGlite with 100,000 incidents and the synthetic Weihai
// network:
//  - abuse: while 100 stream clients each ask to replay from event 0 and leave after a second (again and again, from
//    a child process), a 1°×1° coverage request and a 50,000-row export run (each asked again when it ends), a
//    measuring client asks /healthz and the incident list: their p99 against the targets (≤ 100 ms, ≤ 300 ms);
//  - rw: readers paging the register while 10 writers create incidents as fast as they can, then at 42 writes/s.
// The same measurement with nothing else running comes first, for comparison. Prints; never fails.
import { performance } from 'node:perf_hooks';
import { openDb } from '../server/platform/db/index.ts';
import { type AnlanServer, login, startAnlan } from './lib/anlan.ts';
import { pglite100k } from './lib/fill.ts';
import { spawnNode } from './lib/proc.ts';
import { fmt, log, type Report, verdict } from './lib/report.ts';

const WINDOW_S = Number(process.env.BENCH_ABUSE_WINDOW_S ?? 20);
const OUTBOX_EVENTS = 20_000;
/** BENCH_ABUSE_STREAMS=0 leaves the stream clients out (to see what the heavy requests alone do) */
const STREAM_CLIENTS = Number(process.env.BENCH_ABUSE_STREAMS ?? 100);

interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
}

function summarise(samples: number[], failed: number): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : Number.NaN);
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s.length ? s[s.length - 1] : Number.NaN, failed };
}

const show = (l: Latency) =>
  `p50 ${fmt.ms(l.p50)}, p99 ${fmt.ms(l.p99)}, max ${fmt.ms(l.max)} (${l.n} requests${l.failed ? `, ${l.failed} failed` : ''})`;

/** `loops` sequential clients asking `next()`'s path until `until`; each request timed from send to last byte. */
async function measure(
  url: string,
  headers: Record<string, string>,
  next: () => string,
  loops: number,
  until: number,
): Promise<Latency> {
  const samples: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (Date.now() < until) {
        const t0 = performance.now();
        try {
          const res = await fetch(url + next(), { headers, signal: AbortSignal.timeout(60_000) });
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
          else samples.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  return summarise(samples, failed);
}

const LIST_PATHS = [
  '/api/v1/incidents?limit=50',
  '/api/v1/incidents?limit=50&status=responding',
  '/api/v1/incidents?limit=50&category=accident&level=III',
  '/api/v1/incidents?limit=50&district=371002',
  '/api/v1/incidents?limit=50&status=responding&category=accident&level=III&district=371002',
];

/** /healthz (2 sequential clients) and the incident list (5 clients over the 5 URLs) for `seconds`. */
async function probe(url: string, token: string, seconds: number) {
  const until = Date.now() + seconds * 1000;
  let k = 0;
  const auth = { authorization: `Bearer ${token}` };
  const [health, list] = await Promise.all([
    measure(url, {}, () => '/healthz', 2, until),
    measure(url, auth, () => LIST_PATHS[k++ % LIST_PATHS.length], 5, until),
  ]);
  return { health, list };
}

interface Heavy {
  done: number;
  statuses: Record<string, number>;
  ms: number[];
  bytes: number;
  note: string;
}

/** Asks one heavy request again and again (one at a time) until stopped; a request in flight is then abandoned. */
function repeat(url: string, token: string, req: { path: string; method: 'GET' | 'POST'; body?: unknown }) {
  const h: Heavy = { done: 0, statuses: {}, ms: [], bytes: 0, note: '' };
  const ac = new AbortController();
  const running = (async () => {
    while (!ac.signal.aborted) {
      const t0 = performance.now();
      try {
        const res = await fetch(url + req.path, {
          method: req.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: ac.signal,
        });
        const body = new Uint8Array(await res.arrayBuffer());
        h.statuses[res.status] = (h.statuses[res.status] ?? 0) + 1;
        h.done++;
        h.ms.push(performance.now() - t0);
        h.bytes = body.byteLength;
        h.note =
          res.headers.get('x-row-count') ?? (res.status !== 200 ? new TextDecoder().decode(body.slice(0, 200)) : '');
        if (res.status >= 400) await new Promise((r) => setTimeout(r, 500));
      } catch {
        // stopped
      }
    }
  })();
  return {
    h,
    async stop() {
      ac.abort();
      await running;
    },
  };
}

async function seedOutbox(dataDir: string): Promise<void> {
  const db = await openDb({ dataDir });
  try {
    // incident events of about 1 KB each, as real ones are: what a replay from event 0 has to read and send
    await db.execScript(`
      insert into outbox (at, type, entity, entity_id, payload, visibility)
      select now() - (${OUTBOX_EVENTS} - g) * interval '1 second', 'incident.updated', 'incident', gen_random_uuid()::text,
        jsonb_build_object('title', '压测事件 ' || g, 'description', repeat('现场情况说明。', 60),
          'reporter', jsonb_build_object('name', '报告人', 'phone', '13812345678')),
        '{"permission": "incidents.read"}'::jsonb
      from generate_series(1, ${OUTBOX_EVENTS}) g`);
  } finally {
    await db.close();
  }
}

async function waitForNetwork(url: string, token: string): Promise<void> {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    const res = await fetch(`${url}/api/v1/geo/network`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('no road network after 5 minutes');
}

const BOX_1DEG = {
  type: 'Polygon',
  coordinates: [
    [
      [121.5, 36.8],
      [122.5, 36.8],
      [122.5, 37.8],
      [121.5, 37.8],
      [121.5, 36.8],
    ],
  ],
};

export async function abuseBench(report: Report, workDir: string): Promise<void> {
  const sec = 'abuse pglite';
  log('abuse: PGlite, 100,000 incidents, the synthetic Weihai network, 20,000 events in the outbox');
  const filled = await pglite100k(workDir);
  report.note(filled.note);
  await seedOutbox(filled.dataDir);
  // the demo loads once on this data directory: it builds the synthetic road network the coverage needs
  const server: AnlanServer = await startAnlan({ dataDir: filled.dataDir, demo: true, timeoutMs: 900_000 });
  try {
    const token = await login(server.url);
    await waitForNetwork(server.url, token);
    const quiet = await probe(server.url, token, 10);
    log(`  quiet: /healthz ${show(quiet.health)}; list ${show(quiet.list)}`);

    const abusers = spawnNode('bench/lib/stream-abuser.ts', {
      URL: server.url,
      TOKEN: token,
      CLIENTS: String(STREAM_CLIENTS),
      HOLD_MS: '1000',
      DURATION_MS: String((WINDOW_S + 3) * 1000),
    });
    const coverage = repeat(server.url, token, {
      path: '/api/v1/geo/coverage',
      method: 'POST',
      body: { origins: [[122.12, 37.51]], minutes: 15, area: BOX_1DEG },
    });
    const exporting = repeat(server.url, token, { path: '/api/v1/incidents/export', method: 'GET' });
    await new Promise((r) => setTimeout(r, 3000));
    const loaded = await probe(server.url, token, WINDOW_S);
    await coverage.stop();
    await exporting.stop();
    await abusers.waitForLine('{', 120_000).catch(() => '');
    const streamLine = abusers
      .output()
      .split('\n')
      .find((l) => l.startsWith('{'));
    const streams = streamLine
      ? (JSON.parse(streamLine) as { connections: number; refused: number; errors: number; bytes: number })
      : null;
    await abusers.stop(2_000);
    // after the abuse: does the server answer at once again?
    const after = await probe(server.url, token, 5);
    log(`  under abuse: /healthz ${show(loaded.health)}; list ${show(loaded.list)}`);
    log(`  after: /healthz ${show(after.health)}; list ${show(after.list)}`);
    const heavy = (name: string, h: Heavy) =>
      `${name}: ${h.done} done ${JSON.stringify(h.statuses)}${h.ms.length ? `, ${h.ms.map((m) => fmt.s(m)).join(' / ')}` : ''}, last ${Math.round(h.bytes / 1024)} KiB${h.note ? ` (${h.note.slice(0, 120)})` : ''}`;
    log(`  ${heavy('coverage 1°×1°', coverage.h)}`);
    log(`  ${heavy('export', exporting.h)}`);
    log(`  streams: ${streams ? JSON.stringify(streams) : 'no summary from the abusers'}`);

    report.row(sec, '/healthz quiet', `p99 ${fmt.ms(quiet.health.p99)}`, '(no target)', 'info');
    report.row(sec, 'incident list quiet', `p99 ${fmt.ms(quiet.list.p99)}`, '(no target)', 'info');
    report.row(
      sec,
      '/healthz p99 under abuse',
      fmt.ms(loaded.health.p99),
      '≤ 100 ms',
      verdict(loaded.health.p99 <= 100 && loaded.health.failed === 0),
    );
    report.row(
      sec,
      'incident list p99 under abuse',
      fmt.ms(loaded.list.p99),
      '≤ 300 ms',
      verdict(loaded.list.p99 <= 300 && loaded.list.failed === 0),
    );
    report.row(sec, '/healthz, list p99 after abuse', `${fmt.ms(after.health.p99)}, ${fmt.ms(after.list.p99)}`, '');
    report.row(
      sec,
      'coverage 1°×1° / export (done, statuses)',
      `${coverage.h.done} ${JSON.stringify(coverage.h.statuses)} / ${exporting.h.done} ${JSON.stringify(exporting.h.statuses)}`,
      '',
    );
    report.row(
      sec,
      'stream clients: connections / refused / errors',
      streams ? `${streams.connections} / ${streams.refused} / ${streams.errors}` : 'n/a',
      `${STREAM_CLIENTS} clients`,
    );
    report.data.abuse = { quiet, loaded, after, coverage: coverage.h, export: exporting.h, streams };
  } finally {
    await server.stop();
  }
}

/** Creates incidents in `writers` loops until `until`; paced to `perSecond` in all when given. */
async function write(url: string, token: string, writers: number, until: number, perSecond?: number) {
  const samples: number[] = [];
  let failed = 0;
  const gap = perSecond ? (1000 * writers) / perSecond : 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let nextAt = performance.now() + (gap * w) / writers;
      while (Date.now() < until) {
        if (gap) {
          const wait = nextAt - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          nextAt += gap;
        }
        const t0 = performance.now();
        try {
          const res = await fetch(`${url}/api/v1/incidents`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              title: '读写压测',
              typeCode: '12H02',
              occurredAt: new Date(Date.now() - 60_000).toISOString(),
              location: { type: 'Point', coordinates: [122.12, 37.5] },
              casualties: { deaths: 1 },
            }),
          });
          await res.arrayBuffer();
          if (res.status !== 201) failed++;
          else samples.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  return summarise(samples, failed);
}

/** Readers paging the register (pages 1–20 of the unfiltered list) while 10 writers create incidents. */
export async function readsWhileWritesBench(report: Report, workDir: string): Promise<void> {
  const sec = 'reads+writes pglite';
  log('reads while writes run: PGlite, 100,000 incidents; 5 readers paging the register, 10 writers');
  const filled = await pglite100k(workDir);
  const server = await startAnlan({ dataDir: filled.dataDir, demo: false });
  try {
    const token = await login(server.url);
    const auth = { authorization: `Bearer ${token}` };
    let k = 0;
    const page = () => `/api/v1/incidents?limit=50&offset=${50 * (k++ % 20)}`;
    const seconds = 15;
    const alone = await measure(server.url, auth, page, 5, Date.now() + 5_000);
    const runs: unknown[] = [];
    report.data.readsWhileWrites = { alone, runs };
    log(`  reads alone: ${show(alone)}`);
    for (const pace of [undefined, 42]) {
      const until = Date.now() + seconds * 1000;
      const [reads, writes] = await Promise.all([
        measure(server.url, auth, page, 5, until),
        write(server.url, token, 10, until, pace),
      ]);
      const label = pace ? `at ${pace} writes/s` : 'writers flat out';
      const rate = writes.n / seconds;
      log(`  ${label}: reads ${show(reads)}; writes ${rate.toFixed(1)}/s, ${show(writes)}`);
      report.row(sec, `reads p50 / p99, ${label}`, `${fmt.ms(reads.p50)} / ${fmt.ms(reads.p99)}`, '(no target)');
      report.row(sec, `writes, ${label}`, `${rate.toFixed(1)}/s, p99 ${fmt.ms(writes.p99)}`, '(no target)');
      runs.push({ pace: pace ?? 'max', reads, writes, rate });
    }
    report.row(sec, 'reads alone p50 / p99', `${fmt.ms(alone.p50)} / ${fmt.ms(alone.p99)}`, '(no target)');
  } finally {
    await server.stop();
  }
}
