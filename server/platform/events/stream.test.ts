import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctxAs } from '../../test/factories.ts';
import { incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';
import type { RequestCtx } from '../core/context.ts';
import { EventBus, emitEvents } from './events.ts';
import { StreamHub, type StreamSink } from './stream.routes.ts';

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
  opts: {
    lastEventId?: string;
    until: (events: SseEvent[]) => boolean;
    ms: number;
    onOpen?: () => Promise<void>;
    /** takes the response instead of reading events */
    onResponse?: (res: Response, ac: AbortController) => Promise<void>;
  },
): Promise<SseEvent[]> {
  const ac = new AbortController();
  const events: SseEvent[] = [];
  const res = await fetch(`${base}/api/v1/stream`, {
    headers: { authorization: `Bearer ${token}`, ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}) },
    signal: ac.signal,
  });
  if (opts.onResponse) return opts.onResponse(res, ac).then(() => []);
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
    expect(got!.id).toMatch(/^\d+-[0-9a-f]+$/);
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
    // (each report also raises its alarm, an alert.raised event of its own, in order between them)
    const titles = replay.filter((e) => e.event === 'incident.created').map((e) => e.data.payload.title);
    expect(titles).toEqual([...missed, after]);
    expect(replay.filter((e) => e.event === 'alert.raised')).toHaveLength(4);
    const ids = replay.map((e) => Number(e.id.split('-')[0]));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('tells a client whose last event is no longer at hand to reload (reset), then goes live', async () => {
    const duty = await t.userWith('duty_officer', 'yjj', 'city');
    const title = `after reset ${Date.now()}`;
    // an id from another instance (or an earlier run of this one): its place in the order is unknown here
    const events = await collect(duty.token, {
      lastEventId: '0',
      until: (es) => es.some((e) => e.data.payload?.title === title),
      ms: 30_000,
      onOpen: async () => {
        await t.api('POST', '/api/v1/incidents', { token: duty.token, body: incidentBody({ title }) });
      },
    });
    expect(events[0].event).toBe('reset');
    expect(events.at(-1)?.data.payload.title).toBe(title);
  });

  it('refuses a user more than five streams at once (429), and counts a closed one out', async () => {
    const viewer = await t.userWith('viewer', 'yjj', 'city');
    const open: AbortController[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 6; i++) {
      await collect(viewer.token, {
        until: () => true,
        ms: 30_000,
        onResponse: async (res, ac) => {
          if (res.status === 200) open.push(ac);
          else refused = res;
        },
      });
    }
    expect(open).toHaveLength(5);
    expect(refused?.status).toBe(429);
    expect(((await refused!.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
    // another user is not affected
    const other = await t.userWith('viewer', 'yjj', 'city');
    await collect(other.token, {
      until: () => true,
      ms: 30_000,
      onResponse: async (res, ac) => {
        expect(res.status).toBe(200);
        ac.abort();
      },
    });
    // one leaves: a new one may come
    open.pop()!.abort();
    let status = 0;
    for (let tries = 0; status !== 200 && tries < 50; tries++) {
      await collect(viewer.token, {
        until: () => true,
        ms: 30_000,
        onResponse: async (res, ac) => {
          status = res.status;
          if (status === 200) open.push(ac);
          else await res.text();
        },
      });
      if (status !== 200) await new Promise((r) => setImmediate(r));
    }
    expect(status).toBe(200);
    for (const ac of open) ac.abort();
  });

  it('refuses a stream without a token', async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    expect(res.status).toBe(401);
  });
});

/** A response socket: `reads` false is a client that never reads (its buffer only grows). */
class FakeSink implements StreamSink {
  chunks: string[] = [];
  writableLength = 0;
  destroyed = false;
  constructor(
    private readonly reads: boolean,
    private readonly buffer = 1024,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    if (!this.reads) this.writableLength += chunk.length;
    return this.writableLength < this.buffer;
  }
  once(): void {}
  destroy(): void {
    this.destroyed = true;
  }
  events(): string[] {
    return this.chunks.filter((c) => c.includes('event: ')).map((c) => /event: (.*)/.exec(c)![1]);
  }
}

describe('the stream hub', () => {
  const visibility = { permission: 'incidents.read' };
  let viewer: RequestCtx;
  let duty: RequestCtx;
  beforeAll(async () => {
    viewer = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
    duty = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city');
  });

  it('serialises each event once per redaction variant, however many streams are open', async () => {
    let redactions = 0;
    const hub = new StreamHub(t.bus, {
      person: (v, ctx) => {
        redactions++;
        return ctx.actor.permissions.has('personal.read') ? v : { ...(v as object), phone: '138****5678' };
      },
    });
    try {
      const sinks = [viewer, viewer, viewer, duty, duty].map((ctx) => {
        const sink = new FakeSink(true);
        hub.open(ctx, hub.admit(ctx), sink);
        return sink;
      });
      const type = `person.updated.${Date.now()}`;
      await t.db.transaction((trx) =>
        emitEvents(trx, new Date(), [
          { type, entity: 'person', entityId: 'p1', payload: { phone: '13812345678' }, visibility },
        ]),
      );
      await t.bus.kick();
      const texts = sinks.map((s) => s.chunks.find((c) => c.includes(type))!);
      expect(redactions).toBe(2);
      expect(texts[0]).toContain('138****5678');
      expect(texts[3]).toContain('13812345678');
      // the very same string, not a copy per stream
      expect(new Set(texts.slice(0, 3)).size).toBe(1);
      expect(new Set(texts.slice(3)).size).toBe(1);
    } finally {
      hub.stop();
    }
  });

  it('drops a client that does not read once it falls behind, with its buffer bounded; the others get everything', async () => {
    const bus = new EventBus(t.db, () => undefined, { ringSize: 20 });
    await bus.start();
    const hub = new StreamHub(bus, {});
    try {
      const reader = new FakeSink(true);
      const stuck = new FakeSink(false);
      hub.open(duty, hub.admit(duty), reader);
      hub.open(duty, hub.admit(duty), stuck);
      const type = `bulk.loaded.${Date.now()}`;
      const text = 'x'.repeat(200);
      await t.db.transaction((trx) =>
        emitEvents(
          trx,
          new Date(),
          Array.from({ length: 50 }, (_, n) => ({
            type,
            entity: 'test',
            entityId: String(n),
            payload: { text },
            visibility,
          })),
        ),
      );
      await bus.kick();
      expect(reader.events().filter((e) => e === type)).toHaveLength(50);
      expect(stuck.destroyed).toBe(true);
      expect(stuck.writableLength).toBeLessThan(1024 + 1024);
      expect(hub.size).toBe(1);
      expect(hub.dropped).toBe(1);
      // its place is free again
      expect(() => hub.admit(duty)).not.toThrow();
    } finally {
      hub.stop();
      await bus.stop();
    }
  });
});
