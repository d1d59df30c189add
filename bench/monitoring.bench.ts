// Issue 10, ingestion: 1,000 devices × the 9 standard metrics, one message per device per tick, published over MQTT,
// end to end (broker → checks → stored → rules). Targets: sustained ≥ 10,000 readings/s on embedded PGlite (aedes)
// and ≥ 30,000 on PostgreSQL (the machine's Mosquitto), p99 from publish to a raised warning ≤ 200 ms under that
// load, and messages/s ≥ 50 % of what the same broker carries publish → subscribe with no processing, measured here.
// `BENCH_MON_DEVICES` (default 1000) and `BENCH_MON_SECONDS` (default 15) change the load.

import { createServer, type Server } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { ADMIN_PASSWORD, login, startAnlan } from './lib/anlan.ts';
import { pgUnreachable, pgUrl, recreateDatabase } from './lib/pg.ts';
import { freePort } from './lib/proc.ts';
import { fmt, log, type Report } from './lib/report.ts';
import { openStream, p99 } from './lib/stream-clients.ts';

const METRICS = [
  'rain_mm',
  'water_level_m',
  'wind_speed_ms',
  'wind_gust_ms',
  'temperature_c',
  'visibility_m',
  'gas_lel_pct',
  'displacement_mm',
  'people_count',
];
const QUIET = {
  rain_mm: 0,
  water_level_m: 3.2,
  wind_speed_ms: 4,
  wind_gust_ms: 6,
  temperature_c: 22,
  visibility_m: 9000,
  gas_lel_pct: 0,
  displacement_mm: 1,
  people_count: 120,
};

/** The broker alone: one publisher and one subscriber at QoS 1, `n` messages, messages per second. */
async function brokerBaseline(url: string, n: number, topic: string): Promise<number> {
  const sub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const pub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  await sub.subscribeAsync(topic, { qos: 1 });
  const payload = JSON.stringify({ ts: new Date().toISOString(), values: QUIET });
  let got = 0;
  const done = new Promise<void>((resolve) =>
    sub.on('message', () => {
      if (++got === n) resolve();
    }),
  );
  const t0 = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    inflight.push(pub.publishAsync(topic, payload, { qos: 1 }));
    if (inflight.length >= 100) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  await done;
  const rate = n / ((performance.now() - t0) / 1000);
  await pub.endAsync();
  await sub.endAsync();
  return rate;
}

async function standaloneAedes(): Promise<{ url: string; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => broker.close(() => r()))),
  };
}

interface Engine {
  name: string;
  databaseUrl?: string;
  env: Record<string, string>;
  /** where devices connect; embedded: the server's broker with device credentials */
  deviceUrl: (port: number) => string;
  auth: boolean;
  baselineUrl: () => Promise<{ url: string; close(): Promise<void> }>;
  readingsTarget: number;
}

async function runEngine(report: Report, workDir: string, e: Engine): Promise<void> {
  const devices = Number(process.env.BENCH_MON_DEVICES ?? 1000);
  const seconds = Number(process.env.BENCH_MON_SECONDS ?? 15);
  const section = `monitoring ${e.name}`;
  const base = await e.baselineUrl();
  const baseline = await brokerBaseline(base.url, 20_000, `bench/${Date.now()}`);
  await base.close();
  log(`${section}: the broker alone carries ${fmt.n(baseline)} msg/s (QoS 1, one publisher, one subscriber)`);

  const mqttPort = await freePort();
  const server = await startAnlan({
    dataDir: `${workDir}/mon-${e.name}`,
    databaseUrl: e.databaseUrl,
    demo: false,
    env: { ...e.env, ...(e.auth ? { MQTT_PORT: String(mqttPort) } : {}) },
  });
  try {
    const token = await login(server.url, ADMIN_PASSWORD);
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    log(`${section}: registering ${devices} devices…`);
    const ids: { id: string; token: string }[] = [];
    for (let i = 0; i < devices; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, devices - i) }, async (_, k) => {
          const j = i + k;
          const res = await fetch(`${server.url}/api/v1/devices`, {
            method: 'POST',
            headers: h,
            body: JSON.stringify({
              name: `bench ${j}`,
              kind: 'other',
              metrics: METRICS,
              location: { type: 'Point', coordinates: [122.0 + (j % 40) * 0.005, 37.4 + Math.floor(j / 40) * 0.004] },
              params: { flood_limit_m: 50, capacity: 100_000 },
            }),
          });
          if (res.status !== 201) throw new Error(`device ${j}: ${res.status} ${await res.text()}`);
          const b = (await res.json()) as { device: { id: string }; token: string };
          return { id: b.device.id, token: b.token };
        }),
      );
      ids.push(...batch);
    }
    // the raised warnings as the duty screen sees them
    const raisedAt = new Map<string, number>();
    const stream = openStream(server.url, token, {
      onEvent: (ev, data) => {
        if (ev !== 'warning.raised') return;
        const w = JSON.parse(data) as { payload?: { deviceId?: string }; deviceId?: string };
        const id = w.payload?.deviceId ?? w.deviceId;
        if (id && !raisedAt.has(id)) raisedAt.set(id, performance.now());
      },
    });
    await stream.status;
    const url = e.deviceUrl(mqttPort);
    const clients = await Promise.all(
      ids.map((d) =>
        mqtt.connectAsync(url, {
          reconnectPeriod: 0,
          ...(e.auth ? { username: d.id, password: d.token } : {}),
        }),
      ),
    );
    log(`${section}: ${clients.length} devices connected; publishing for ${seconds} s…`);
    // 1. the most it sustains: each device sends its next message once the broker acknowledged the last (QoS 1)
    const start = Date.now() - 24 * 3_600_000;
    const ticks = new Array<number>(clients.length).fill(0);
    const send = (i: number, values: Record<string, number>) =>
      clients[i]!.publishAsync(
        `anlan/v1/devices/${ids[i]!.id}/readings`,
        JSON.stringify({ ts: new Date(start + ticks[i]!++ * 1000).toISOString(), values }),
        { qos: 1 },
      );
    const storedNow = async () => {
      const text = await (await fetch(`${server.url}/metrics`, { headers: h })).text();
      return Number(/anlan_readings_stored_total (\d+)/.exec(text)?.[1] ?? Number.NaN);
    };
    let messages = 0;
    const stored0 = await storedNow();
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    await Promise.all(
      clients.map(async (_c, i) => {
        while (performance.now() < deadline) {
          await send(i, QUIET);
          messages++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    // end to end: until the server has stored what it will store (an external broker acknowledges on receipt)
    let last = await storedNow();
    let lastRise = performance.now();
    for (let k = 0; k < 120; k++) {
      await new Promise((r) => setTimeout(r, 500));
      const n = await storedNow();
      if (n === last) break;
      last = n;
      lastRise = performance.now();
    }
    const storedRate = (last - stored0) / ((lastRise - t0) / 1000);
    const storedMessages = (last - stored0) / METRICS.length;
    // 2. at the target load, paced (each device every devices / rate seconds): publish → warning.raised of
    // trigger devices reporting 120 mm in an hour (a red rainstorm warning each)
    const paceMsgs = e.readingsTarget / METRICS.length;
    const period = (devices / paceMsgs) * 1000;
    const publishedAt = new Map<string, number>();
    const triggerEvery = Math.max(1, Math.floor(devices / 100));
    log(
      `${section}: ${fmt.n(paceMsgs)} msg/s paced for ${seconds} s, 100 devices raising a warning, spread over the run…`,
    );
    const p0 = performance.now();
    let paced = 0;
    const pending: Promise<unknown>[] = [];
    while (performance.now() < p0 + seconds * 1000) {
      const due = Math.floor(((performance.now() - p0) / period) * devices);
      while (paced < due) {
        const i = paced % devices;
        const round = Math.floor(paced / devices);
        // the 100 trigger devices are spread over the run (one round each), not all at once
        const rounds = Math.max(1, Math.floor((seconds * 1000) / period) - 1);
        const k = i / triggerEvery;
        const trigger =
          i % triggerEvery === 0 && round === Math.floor((k * rounds) / 100) && !publishedAt.has(ids[i]!.id);
        if (trigger) publishedAt.set(ids[i]!.id, performance.now());
        pending.push(send(i, trigger ? { ...QUIET, rain_mm: 120 } : QUIET));
        paced++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(pending);
    const pacedRate = paced / ((performance.now() - p0) / 1000);
    // the last warnings of the paced run may still be on their way
    await new Promise((r) => setTimeout(r, 2000));
    stream.close();
    await Promise.all(clients.map((c) => c.endAsync()));
    const msgRate = Math.min(messages / elapsed, storedRate / METRICS.length);
    const readingRate = storedRate;
    const lat = [...publishedAt].map(([id, t]) => (raisedAt.get(id) ?? Number.POSITIVE_INFINITY) - t);
    const missing = lat.filter((x) => !Number.isFinite(x)).length;
    report.row(
      section,
      'messages/s stored end to end (9 readings each)',
      fmt.n(msgRate),
      `broker alone ${fmt.n(baseline)}`,
      msgRate >= baseline * 0.5 ? 'PASS' : 'MISS',
    );
    report.row(
      section,
      'readings/s sustained',
      fmt.n(readingRate),
      `≥ ${fmt.n(e.readingsTarget)}`,
      readingRate >= e.readingsTarget ? 'PASS' : 'MISS',
    );
    report.row(
      section,
      'readings stored of the sustained run (server counter)',
      fmt.n(storedMessages * METRICS.length),
      `${fmt.n(messages * METRICS.length)} published`,
    );
    report.row(
      section,
      `publish → warning.raised p99 at ${fmt.n(pacedRate * METRICS.length)} readings/s`,
      missing
        ? `${missing} of ${lat.length} never raised`
        : `${fmt.ms(p99(lat))} (p50 ${fmt.ms([...lat].sort((a, b) => a - b)[Math.floor(lat.length / 2)]!)})`,
      '≤ 200 ms',
      !missing && p99(lat) <= 200 ? 'PASS' : 'MISS',
    );
  } finally {
    await server.stop();
  }
}

export async function monitoringBench(
  report: Report,
  workDir: string,
  engines: ('pglite' | 'postgres')[],
): Promise<void> {
  if (engines.includes('pglite'))
    await runEngine(report, workDir, {
      name: 'PGlite + aedes',
      env: {},
      deviceUrl: (port) => `mqtt://127.0.0.1:${port}`,
      auth: true,
      baselineUrl: standaloneAedes,
      readingsTarget: 10_000,
    });
  if (engines.includes('postgres')) {
    const why = await pgUnreachable();
    if (why) {
      report.row('monitoring PostgreSQL', 'unavailable', why, '', 'SKIP');
      return;
    }
    await recreateDatabase('anlan_bench_monitoring');
    await runEngine(report, workDir, {
      name: 'PostgreSQL + Mosquitto',
      databaseUrl: pgUrl('anlan_bench_monitoring'),
      env: { MQTT_URL: 'mqtt://127.0.0.1:1883', MQTT_PORT: '0' },
      deviceUrl: () => 'mqtt://127.0.0.1:1883',
      auth: false,
      baselineUrl: async () => ({ url: 'mqtt://127.0.0.1:1883', close: async () => undefined }),
      readingsTarget: 30_000,
    });
  }
}
