import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sleep } from './proc.ts';

/** One Server-Sent Events connection of a bench client; `onEvent` gets each event's name and data. */
export interface StreamClient {
  status: Promise<number>;
  /** bytes received so far */
  bytes(): number;
  close(): void;
}

export function openStream(
  url: string,
  token: string,
  opts: { lastEventId?: string; onEvent?: (event: string, data: string, id: string) => void } = {},
): StreamClient {
  let bytes = 0;
  let buf = '';
  const u = new URL('/api/v1/stream', url);
  const req = request(u, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(opts.lastEventId !== undefined ? { 'last-event-id': opts.lastEventId } : {}),
    },
  });
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        if (!opts.onEvent) return;
        buf += chunk;
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = '';
          let data = '';
          let id = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data = line.slice(6);
            else if (line.startsWith('id: ')) id = line.slice(4);
          }
          if (event) opts.onEvent(event, data, id);
          i = buf.indexOf('\n\n');
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', () => resolve(0));
  });
  req.end();
  return {
    status,
    bytes: () => bytes,
    close: () => req.destroy(),
  };
}

export interface Probe {
  at: number;
  ms: number;
}

/** GETs `path` one after the other until stopped; each probe's start (performance.now()) and duration. */
export function probeLoop(
  url: string,
  path: string,
  everyMs = 20,
): { probes: Probe[]; inFlightSince(): number | null; stop(): Promise<Probe[]> } {
  const probes: Probe[] = [];
  let running = true;
  let current: number | null = null;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      current = at;
      try {
        const res = await fetch(url + path);
        await res.text();
      } catch {
        // counted by its duration
      }
      current = null;
      probes.push({ at, ms: performance.now() - at });
      await sleep(everyMs);
    }
  })();
  return {
    probes,
    inFlightSince: () => current,
    async stop() {
      running = false;
      await loop;
      return probes;
    },
  };
}

export interface AbuseResult {
  clients: number;
  accepted: number;
  refused: number;
  /** bytes the clients received in their second */
  bytes: number;
  /** /healthz before the clients came */
  baselineP99: number;
  /** the slowest /healthz while clients were connected */
  duringMax: number;
  /** the slowest /healthz that started after the clients left */
  afterMax: number;
  /** how long after the clients left /healthz answered slowly (> 100 ms) */
  stallAfterMs: number;
}

/**
 * The abuse of issue #7: `tokens.length × perToken` clients each open the stream asking to replay from event 0,
 * stay `stayMs`, and leave; /healthz is probed throughout and until it has answered promptly for `settleMs`.
 */
export async function streamAbuse(
  url: string,
  tokens: string[],
  perToken: number,
  o: { stayMs?: number; settleMs?: number; maxWaitMs?: number } = {},
): Promise<AbuseResult> {
  const stayMs = o.stayMs ?? 1_000;
  const settleMs = o.settleMs ?? 3_000;
  const probe = probeLoop(url, '/healthz');
  await sleep(1_000);
  const t0 = performance.now();
  const clients: StreamClient[] = [];
  for (const token of tokens)
    for (let i = 0; i < perToken; i++) clients.push(openStream(url, token, { lastEventId: '0' }));
  const statuses = await Promise.race([Promise.all(clients.map((c) => c.status)), sleep(stayMs).then(() => null)]);
  const elapsed = performance.now() - t0;
  if (elapsed < stayMs) await sleep(stayMs - elapsed);
  const bytes = clients.reduce((s, c) => s + c.bytes(), 0);
  for (const c of clients) c.close();
  const left = performance.now();
  const finalStatuses = statuses ?? (await Promise.race([Promise.all(clients.map((c) => c.status)), sleep(0)])) ?? [];
  // wait until /healthz has been prompt for settleMs (or give up)
  const maxWait = o.maxWaitMs ?? 180_000;
  for (;;) {
    await sleep(250);
    const now = performance.now();
    if (now - left > maxWait) break;
    const pending = probe.inFlightSince();
    const stuck = pending !== null && now - pending > 100;
    if (now - left > settleMs && !stuck && lastSlow(probe.probes) < now - settleMs) break;
  }
  const probes = await probe.stop();
  const before = probes.filter((p) => p.at < t0).map((p) => p.ms);
  const during = probes.filter((p) => p.at >= t0 && p.at < left);
  const after = probes.filter((p) => p.at >= left);
  const slowAfter = probes.filter((p) => p.at + p.ms >= left && p.ms > 100);
  const stallEnd = slowAfter.length ? Math.max(...slowAfter.map((p) => p.at + p.ms)) : left;
  const codes = Array.isArray(finalStatuses) ? finalStatuses : [];
  return {
    clients: clients.length,
    accepted: codes.filter((s) => s === 200).length,
    refused: codes.filter((s) => s === 429).length,
    bytes,
    baselineP99: p99(before),
    duringMax: Math.max(0, ...during.map((p) => p.ms)),
    afterMax: Math.max(0, ...after.map((p) => p.ms)),
    stallAfterMs: Math.max(0, stallEnd - left),
  };
}

function lastSlow(probes: Probe[]): number {
  let t = 0;
  for (const p of probes) if (p.ms > 100) t = Math.max(t, p.at + p.ms);
  return t;
}

export function p99(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
}
