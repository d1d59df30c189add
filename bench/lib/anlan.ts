import { performance } from 'node:perf_hooks';
import { type Child, freePort, spawnNode } from './proc.ts';

export const ADMIN_PASSWORD = 'Bench-admin-pass-1';

export interface AnlanServer {
  url: string;
  pid: number;
  /** milliseconds from spawn to the line containing `listening on` */
  readyMs: number;
  child: Child;
  stop(): Promise<void>;
}

export interface AnlanStart {
  dataDir: string;
  databaseUrl?: string;
  demo: boolean;
  timeoutMs?: number;
  /** the server's log level (default warn); `info` prints its start-up phases */
  logLevel?: string;
  /** more environment (MQTT_PORT, MQTT_URL …) */
  env?: Record<string, string>;
}

/**
 * Spawns the server as `npm start` does (`node scripts/start.mjs`: compiled ahead) on a free loopback port and waits
 * until it answers `/healthz` (at LOG_LEVEL=warn it prints no `listening on` line).
 */
export async function startAnlan(o: AnlanStart): Promise<AnlanServer> {
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: o.dataDir,
    ANLAN_DEMO: o.demo ? '1' : '0',
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: o.logLevel ?? 'warn',
    DATABASE_URL: o.databaseUrl ?? '',
    // no embedded MQTT broker unless the bench asks (the machine's Mosquitto holds 1883)
    MQTT_PORT: '0',
    ...o.env,
  };
  const t0 = performance.now();
  const child = spawnNode('scripts/start.mjs', env);
  try {
    // a first start migrates: on a busy two-core machine that alone has taken over three minutes
    await waitUntilAnswering(`http://127.0.0.1:${port}/healthz`, child, o.timeoutMs ?? 600_000);
  } catch (err) {
    await child.stop(2_000);
    throw err;
  }
  const readyMs = performance.now() - t0;
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, readyMs, child, stop: () => child.stop() };
}

/** Signs in as admin; returns the bearer token. */
export async function login(url: string, password = ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function waitUntilAnswering(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exited()) throw new Error(`the server exited before it answered:\n${child.output().slice(-2000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (performance.now() > deadline)
      throw new Error(`the server did not answer within ${timeoutMs / 1000} s:\n${child.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Reports an incident in Huancui through the API (the benches' writer); returns its id and when the answer came.
 * `extra` overrides the type and adds casualties and the like.
 */
export async function reportIncident(
  url: string,
  token: string,
  title: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; answered: number }> {
  const res = await fetch(`${url}/api/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      title,
      typeCode: '12H02',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      location: { type: 'Point', coordinates: [122.12, 37.5] },
      address: '环翠区',
      ...extra,
    }),
  });
  const text = await res.text();
  const answered = Date.now();
  if (res.status !== 201) throw new Error(`POST /incidents: ${res.status} ${text}`);
  return { id: (JSON.parse(text) as { id: string }).id, answered };
}
