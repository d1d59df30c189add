// Issue #7, events: outbox throughput (transactions of 100 events, committed and delivered to one consumer) on
// PostgreSQL and PGlite; fan-out to 500 connected streams (commit → browser stream); and the live stream under
// abuse (100 clients replaying from event 0 and leaving after a second, /healthz probed throughout).
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../server/config.ts';
import { MODULES } from '../server/modules.ts';
import { type Db, migrate, openDb } from '../server/platform/db/index.ts';
import { MIGRATIONS_DIR } from '../server/platform/db/migrate.ts';
import { EventBus, emitEvents } from '../server/platform/events/events.ts';
import type { Platform } from '../server/platform/module.ts';
import { bringUp, createPlatform } from '../server/platform/platform.ts';
import { makeUser, USER_PASSWORD } from '../server/test/factories.ts';
import { ADMIN_PASSWORD, type AnlanServer, login, reportIncident, startAnlan } from './lib/anlan.ts';
import { pgUnreachable, pgUrl, recreateDatabase } from './lib/pg.ts';
import { sleep } from './lib/proc.ts';
import { fmt, log, median, type Report, verdict } from './lib/report.ts';
import { openStream, p99, type StreamClient, streamAbuse } from './lib/stream-clients.ts';

const OUTBOX_EVENTS = 20_000;
const ABUSE_USERS = 20;

/** A payload the size of an incident's (about 1 KB). */
const PAYLOAD = `jsonb_build_object('id', gen_random_uuid(), 'number', 'WH-2026-' || lpad(g::text, 6, '0'),
  'title', '测试事件 ' || g, 'description', repeat('暴雨导致道路积水，', 30),
  'reporter', jsonb_build_object('name', '张三', 'phone', '13812345678'))`;

/** A migrated, seeded data directory with `users` duty officers and `events` events in the outbox. */
async function prepare(
  workDir: string,
  users: number,
  events = OUTBOX_EVENTS,
): Promise<{ dataDir: string; usernames: string[] }> {
  const dataDir = mkdtempSync(join(workDir, 'events-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ANLAN_DEMO: '0',
    LOG_LEVEL: 'silent',
  });
  const booted = await createPlatform(config, MODULES);
  await bringUp(booted);
  const p: Platform = booted.platform;
  const usernames: string[] = [];
  for (let i = 0; i < users; i++) usernames.push((await makeUser(p, 'duty_officer', 'yjj', 'city')).username);
  if (events)
    await sql`insert into outbox (at, type, entity, entity_id, payload, visibility)
    select now(), 'incident.updated', 'incident', g::text, ${sql.raw(PAYLOAD)},
           '{"permission": "incidents.read", "district": "371002"}'::jsonb
    from generate_series(1, ${events}) g`.execute(p.db.kysely);
  await booted.bus.stop();
  await p.db.close();
  return { dataDir, usernames };
}

async function loginAs(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: USER_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** 100 clients replaying from event 0, leaving after a second: how long /healthz stalls. */
async function abuseBench(report: Report, workDir: string): Promise<void> {
  log(`stream abuse: preparing a PGlite data directory with ${OUTBOX_EVENTS} events in the outbox…`);
  const { dataDir, usernames } = await prepare(workDir, ABUSE_USERS);
  let server: AnlanServer | undefined;
  try {
    server = await startAnlan({ dataDir, demo: false });
    const admin = await login(server.url);
    const tokens: string[] = [];
    for (const u of usernames) tokens.push(await loginAs(server.url, u));
    const cases = [
      { name: '1 user × 100 streams', tokens: [admin], per: 100 },
      { name: `${ABUSE_USERS} users × 5 streams`, tokens, per: 5 },
    ];
    for (const c of cases) {
      log(`stream abuse: ${c.name}, each replaying from event 0 and leaving after 1 s…`);
      const r = await streamAbuse(server.url, c.tokens, c.per);
      log(
        `  accepted ${r.accepted}, refused ${r.refused}, ${fmt.mb(r.bytes)} sent in their second; /healthz p99 before ` +
          `${fmt.ms(r.baselineP99)}, max while connected ${fmt.ms(r.duringMax)}, max after ${fmt.ms(r.afterMax)}, ` +
          `slow for ${fmt.s(r.stallAfterMs)} after they left`,
      );
      report.row(
        'stream abuse',
        `${c.name}: /healthz stalled after they left`,
        fmt.s(r.stallAfterMs),
        '≈ 0 (was 18 s)',
        verdict(r.stallAfterMs < 500),
      );
      report.row('stream abuse', `${c.name}: slowest /healthz`, fmt.ms(Math.max(r.duringMax, r.afterMax)), '');
      report.data[`abuse ${c.name}`] = r;
    }
  } finally {
    await server?.stop();
  }
}

const PER_TX = 100;

/**
 * `writers` loops committing transactions of PER_TX events (one statement each, no audit row) until `total`, a bus
 * kicked after each commit (as afterCommit does) and one consumer counting them: events/s committed, and
 * delivered (the consumer's last event).
 */
async function throughput(
  db: Db,
  total: number,
  writers: number,
): Promise<{ committedPerS: number; deliveredPerS: number; consumerLagMs: number }> {
  const type = `bench.reading.${Date.now()}`;
  let got = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => {
    resolveAll = r;
  });
  const bus = new EventBus(db, (err) => log(`  bus: ${(err as Error).message}`));
  bus.addConsumer({
    name: `bench.${type}`,
    types: [type],
    handle: async () => {
      if (++got === total) resolveAll();
    },
  });
  await bus.start();
  await bus.settle();
  const station = (i: number) => `ST${String(i % 500).padStart(4, '0')}`;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) {
        const base = next;
        next += PER_TX;
        await db.transaction((trx) =>
          emitEvents(
            trx,
            new Date(),
            Array.from({ length: PER_TX }, (_, i) => ({
              type,
              entity: 'reading',
              entityId: station(base + i),
              payload: { station: station(base + i), level: 1.25 + ((base + i) % 100) / 100, unit: 'm' },
              visibility: { permission: 'monitoring.read', internal: true },
            })),
          ),
        );
        void bus.kick();
      }
    }),
  );
  const committed = performance.now();
  await Promise.race([all, sleep(300_000)]);
  const delivered = performance.now();
  await bus.stop();
  return {
    committedPerS: (total / (committed - t0)) * 1000,
    deliveredPerS: (Math.min(got, total) / (delivered - t0)) * 1000,
    consumerLagMs: delivered - committed,
  };
}

async function throughputBench(report: Report, workDir: string): Promise<void> {
  const cases: { engine: 'pglite' | 'postgres'; total: number; writers: number; target: number }[] = [
    { engine: 'postgres', total: 200_000, writers: 8, target: 20_000 },
    { engine: 'pglite', total: 50_000, writers: 1, target: 5_000 },
  ];
  for (const c of cases) {
    let db: Db;
    if (c.engine === 'postgres') {
      const why = await pgUnreachable();
      if (why) {
        report.row(`events ${c.engine}`, 'committed and delivered', 'skipped', why.slice(0, 40), 'SKIP');
        continue;
      }
      await recreateDatabase('anlan_bench_events');
      db = await openDb({ databaseUrl: pgUrl('anlan_bench_events'), dataDir: '' });
    } else {
      db = await openDb({ dataDir: mkdtempSync(join(workDir, 'events-tp-')) });
    }
    try {
      await migrate(db, [MIGRATIONS_DIR, ...MODULES.flatMap((m) => (m.migrations ? [m.migrations] : []))]);
      log(`events ${c.engine}: ${c.total} events in transactions of ${PER_TX}, ${c.writers} writer(s), one consumer…`);
      const r = await throughput(db, c.total, c.writers);
      log(
        `  committed ${Math.round(r.committedPerS)} events/s, delivered ${Math.round(r.deliveredPerS)} events/s ` +
          `(the consumer's last event ${fmt.ms(r.consumerLagMs)} after the last commit)`,
      );
      const perS = Math.min(r.committedPerS, r.deliveredPerS);
      report.row(
        `events ${c.engine}`,
        `committed and delivered to one consumer (${c.writers} writer${c.writers > 1 ? 's' : ''})`,
        `${Math.round(perS)} events/s`,
        `≥ ${c.target}`,
        verdict(perS >= c.target),
      );
      report.data[`throughput ${c.engine}`] = { ...r, ...c };
    } finally {
      await db.close();
    }
  }
}

const FANOUT_STREAMS = 500;
const FANOUT_USERS = 100;
const FANOUT_EVENTS = 100;

/** 500 streams (100 duty officers × 5) on a server; incidents reported through the API; commit → stream latency. */
async function fanoutBench(report: Report, workDir: string): Promise<void> {
  log(`fan-out: a PGlite server with ${FANOUT_USERS} duty officers, ${FANOUT_STREAMS} streams…`);
  const { dataDir, usernames } = await prepare(workDir, FANOUT_USERS, 0);
  let server: AnlanServer | undefined;
  const clients: StreamClient[] = [];
  try {
    server = await startAnlan({ dataDir, demo: false });
    const tokens: string[] = [];
    for (const u of usernames) tokens.push(await loginAs(server.url, u));
    const reporter = tokens[0];
    const latencies: number[] = [];
    /** per incident (by its event's `at`): when its first and its last stream got it */
    const perIncident = new Map<string, { first: number; last: number }>();
    let measuring = false;
    let received = 0;
    for (let i = 0; i < FANOUT_STREAMS; i++) {
      clients.push(
        openStream(server.url, tokens[i % tokens.length], {
          onEvent: (event, data) => {
            if (event !== 'incident.created' || !measuring) return;
            // `at` is taken before the reporting transaction commits: this over-states the latency a little.
            // (The time is read from the text, not parsed as JSON: 500 streams' worth of parsing would load the
            // client, which shares the machine, more than the server.)
            const at = /"at":"([^"]+)"/.exec(data)?.[1];
            if (!at) return;
            const now = Date.now();
            latencies.push(now - Date.parse(at));
            const inc = perIncident.get(at) ?? { first: now, last: now };
            inc.last = now;
            perIncident.set(at, inc);
            received++;
          },
        }),
      );
    }
    const statuses = await Promise.all(clients.map((c) => c.status));
    const open = statuses.filter((s) => s === 200).length;
    const report1 = (title: string) =>
      reportIncident(server!.url, reporter, title, {
        reporter: { name: '张三', unit: '路政', phone: '13812345678' },
        casualties: { deaths: 0 },
      });
    log(`  ${open} streams open; 5 incidents to warm up, then ${FANOUT_EVENTS}, 10 a second…`);
    for (let i = 0; i < 5; i++) await report1(`预热 ${i}`);
    await sleep(1_000);
    measuring = true;
    const replies: number[] = [];
    for (let i = 0; i < FANOUT_EVENTS; i++) {
      const t = performance.now();
      await report1(`扇出测试 ${i}`);
      replies.push(performance.now() - t);
      await sleep(Math.max(0, 100 - (performance.now() - t)));
    }
    const expected = open * FANOUT_EVENTS;
    for (let waited = 0; received < expected && waited < 30_000; waited += 100) await sleep(100);
    const spreads = [...perIncident.values()].map((x) => x.last - x.first);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const p = p99(latencies);
    log(
      `  ${received} of ${expected} deliveries; commit → stream p50 ${fmt.ms(p50)}, p99 ${fmt.ms(p)}, ` +
        `max ${fmt.ms(sorted.at(-1) ?? 0)}; the POST itself (reply) p50 ${fmt.ms(median(replies))}, ` +
        `p99 ${fmt.ms(p99(replies))}; first to last stream of one incident p50 ${fmt.ms(median(spreads))}, ` +
        `max ${fmt.ms(Math.max(0, ...spreads))}`,
    );
    report.row(
      'events fan-out pglite',
      `${open} streams: commit → browser stream p99`,
      fmt.ms(p),
      '≤ 200 ms',
      verdict(p <= 200 && received === expected),
    );
    report.row('events fan-out pglite', 'deliveries', `${received} of ${expected}`, '');
    report.data.fanout = {
      open,
      expected,
      received,
      p50,
      p99: p,
      max: sorted.at(-1),
      postReplyMs: { p50: median(replies), p99: p99(replies) },
      spreadMs: { p50: median(spreads), max: Math.max(0, ...spreads) },
    };
  } finally {
    for (const c of clients) c.close();
    await server?.stop();
  }
}

/** `BENCH_EVENTS=throughput,fanout,abuse` picks some (default all). */
export async function eventsBench(report: Report, workDir: string): Promise<void> {
  const pick = new Set((process.env.BENCH_EVENTS ?? 'throughput,fanout,abuse').split(','));
  if (pick.has('throughput')) await throughputBench(report, workDir);
  if (pick.has('fanout')) await fanoutBench(report, workDir);
  if (pick.has('abuse')) await abuseBench(report, workDir);
}
