import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => t.stop());

interface SseEvent {
  id: string;
  event: string;
  data: { type: string; entityId: string; payload: { title: string; reporter: { phone: string } } };
}

/** Reads Server-Sent Events until `until` is satisfied or the time runs out. */
async function collect(
  token: string,
  opts: { lastEventId?: string; until: (events: SseEvent[]) => boolean; ms: number; onOpen?: () => Promise<void> },
): Promise<SseEvent[]> {
  const ac = new AbortController();
  const events: SseEvent[] = [];
  const res = await fetch(`${base}/api/v1/stream`, {
    headers: { authorization: `Bearer ${token}`, ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}) },
    signal: ac.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const timer = setTimeout(() => ac.abort(), opts.ms);
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const opened = opts.onOpen?.();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i = buf.indexOf('\n\n');
      while (i >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const f: Record<string, string> = {};
        for (const line of block.split('\n')) {
          const m = /^(\w+): ?(.*)$/.exec(line);
          if (m) f[m[1]] = m[2];
        }
        if (f.event) events.push({ id: f.id, event: f.event, data: JSON.parse(f.data) });
        i = buf.indexOf('\n\n');
      }
      if (opts.until(events)) break;
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  await opened;
  return events;
}

describe('live events over SSE', () => {
  it('delivers a created incident to a permitted subscriber and not to one outside its district', async () => {
    const duty = await t.userWith('duty_officer', 'yjj', 'city');
    const huancui = await t.userWith('district_staff', '371002', 'district');
    const rushan = await t.userWith('district_staff', '371083', 'district');
    const title = `SSE ${Date.now()}`;
    const sentinel = `乳山 ${Date.now()}`;
    // Events arrive in order: once Rushan's subscriber has its own district's later incident, it would already
    // have had the Huancui one if it were going to get it.
    let opened = 0;
    const createBoth = async () => {
      if (++opened < 2) return;
      const a = await t.api('POST', '/api/v1/incidents', { token: duty.token, body: incidentBody({ title }) });
      expect(a.statusCode).toBe(201);
      const b = await t.api('POST', '/api/v1/incidents', {
        token: duty.token,
        body: incidentBody({ title: sentinel, location: { type: 'Point', coordinates: [121.54, 36.92] } }),
      });
      expect(b.statusCode).toBe(201);
    };
    const has = (name: string) => (es: SseEvent[]) => es.some((e) => e.data.payload.title === name);
    const [forHuancui, forRushan] = await Promise.all([
      collect(huancui.token, { until: has(title), ms: 30_000, onOpen: createBoth }),
      collect(rushan.token, { until: has(sentinel), ms: 30_000, onOpen: createBoth }),
    ]);
    const got = forHuancui.find((e) => e.data.payload.title === title);
    expect(got).toBeDefined();
    expect(got!.event).toBe('incident.created');
    expect(Number(got!.id)).toBeGreaterThan(0);
    expect(forRushan.some((e) => e.data.payload.title === sentinel)).toBe(true);
    expect(forRushan.some((e) => e.data.payload.title === title)).toBe(false);
    expect(forHuancui.some((e) => e.data.payload.title === sentinel)).toBe(false);
  });

  it('masks personal fields for subscribers without personal.read', async () => {
    const duty = await t.userWith('duty_officer', 'yjj', 'city');
    const viewer = await t.userWith('viewer', 'yjj', 'city');
    const title = `mask ${Date.now()}`;
    const events = await collect(viewer.token, {
      until: (es) => es.some((e) => e.data.payload.title === title),
      ms: 30_000,
      onOpen: async () => {
        await t.api('POST', '/api/v1/incidents', { token: duty.token, body: incidentBody({ title }) });
      },
    });
    expect(events.find((e) => e.data.payload.title === title)!.data.payload.reporter.phone).toBe('138****5678');
  });

  it('a reconnect with Last-Event-ID misses nothing', async () => {
    const duty = await t.userWith('duty_officer', 'yjj', 'city');
    const first = `first ${Date.now()}`;
    const seen = await collect(duty.token, {
      until: (es) => es.some((e) => e.data.payload.title === first),
      ms: 30_000,
      onOpen: async () => {
        await t.api('POST', '/api/v1/incidents', { token: duty.token, body: incidentBody({ title: first }) });
      },
    });
    const last = seen.find((e) => e.data.payload.title === first)!.id;
    // While disconnected, three incidents are reported.
    const missed = [`m1 ${Date.now()}`, `m2 ${Date.now()}`, `m3 ${Date.now()}`];
    for (const title of missed)
      await t.api('POST', '/api/v1/incidents', { token: duty.token, body: incidentBody({ title }) });
    const after = `after ${Date.now()}`;
    const replay = await collect(duty.token, {
      lastEventId: last,
      until: (es) => es.some((e) => e.data.payload.title === after),
      ms: 30_000,
      onOpen: async () => {
        await t.api('POST', '/api/v1/incidents', { token: duty.token, body: incidentBody({ title: after }) });
      },
    });
    const titles = replay.map((e) => e.data.payload.title);
    expect(titles).toEqual([...missed, after]);
    const ids = replay.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('refuses a stream without a token', async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    expect(res.status).toBe(401);
  });
});
