/**
 * GET /api/v1/stream: Server-Sent Events of the domain events the user may see, from the bus's ring of recent events.
 * One user cannot stall the others: a few connections per user (429 beyond), a reconnect replays from the ring in
 * memory (never from the database; an id the ring no longer holds gets a `reset` event: reload your data), each
 * connection pulls from the ring only while its socket drains (a client that does not read is dropped once it
 * falls behind), and each event is serialised once per redaction variant, not once per connection.
 */
import { Type as T } from 'typebox';
import { AppError } from '../../errors.ts';
import { canSee } from '../access/scope.ts';
import { can, type RequestCtx } from '../core/context.ts';
import type { Redactor, TypedApp } from '../module.ts';
import type { DomainEvent, EventBus } from './events.ts';

export interface StreamOptions {
  /** open streams one user may hold on this instance */
  maxPerUser?: number;
  /** a comment line this often keeps proxies from closing an idle stream */
  heartbeatMs?: number;
  /** a client whose socket has not drained for this long is dropped */
  stallMs?: number;
}

/** What the hub needs of a response (a ServerResponse in the route; a fake in tests). */
export interface StreamSink {
  write(chunk: string): boolean;
  readonly writableLength: number;
  once(event: 'drain', fn: () => void): unknown;
  destroy(): void;
}

interface Conn {
  ctx: RequestCtx;
  user: string;
  variant: 'personal' | 'masked';
  sink: StreamSink;
  /** the ring position of the next event to look at */
  next: number;
  /** since when the socket has not drained (ms), or null */
  blockedSince: number | null;
  /** the id the client holds (the last it was sent), and the one it has looked at up to */
  sentId: string | null;
  seenId: string | null;
  closed: boolean;
}

const HIGH_WATER = 64 * 1024;

/** The open streams of one instance. */
export class StreamHub {
  #conns = new Set<Conn>();
  #perUser = new Map<string, number>();
  /** event → its SSE text per redaction variant, made once */
  #wire = new WeakMap<DomainEvent, Partial<Record<Conn['variant'], string>>>();
  #timer: NodeJS.Timeout;
  #unwatch: () => void;
  readonly maxPerUser: number;
  readonly #stallMs: number;
  /** connections dropped because they did not read */
  dropped = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly redactors: Record<string, Redactor>,
    opts: StreamOptions = {},
  ) {
    this.maxPerUser = opts.maxPerUser ?? 5;
    this.#stallMs = opts.stallMs ?? 30_000;
    this.#unwatch = bus.watch(() => {
      for (const c of this.#conns) this.#pump(c);
    });
    this.#timer = setInterval(() => this.#heartbeat(), opts.heartbeatMs ?? 25_000);
    this.#timer.unref();
  }

  get size(): number {
    return this.#conns.size;
  }

  /** Counts a stream against its user's limit, or refuses it (429). Returns the key `open` and `release` take. */
  admit(ctx: RequestCtx): string {
    const user = `${ctx.actor.kind}:${ctx.actor.id ?? ctx.actor.name}`;
    const n = this.#perUser.get(user) ?? 0;
    if (n >= this.maxPerUser) throw new AppError('TOO_MANY_REQUESTS', { seconds: 10 });
    this.#perUser.set(user, n + 1);
    return user;
  }

  release(user: string): void {
    const n = (this.#perUser.get(user) ?? 1) - 1;
    if (n > 0) this.#perUser.set(user, n);
    else this.#perUser.delete(user);
  }

  /**
   * Starts sending to an admitted stream: after `lastEventId` when the ring still holds it (a reconnect misses
   * nothing), else a `reset` event first (the client reloads what it shows), or from now on without one.
   */
  open(ctx: RequestCtx, user: string, sink: StreamSink, lastEventId?: string): Conn {
    const ring = this.bus.ring;
    const conn: Conn = {
      ctx,
      user,
      variant: can(ctx.actor, 'personal.read') ? 'personal' : 'masked',
      sink,
      next: ring.end,
      blockedSince: null,
      sentId: lastEventId ?? null,
      seenId: null,
      closed: false,
    };
    this.#conns.add(conn);
    if (lastEventId) {
      const seq = this.#seqOf(lastEventId);
      const next = seq === undefined ? undefined : ring.after(seq);
      if (next !== undefined) conn.next = next;
      else this.#reset(conn);
    }
    this.#pump(conn);
    return conn;
  }

  /** The client left (or was dropped): stop all work for it. */
  close(conn: Conn): void {
    if (conn.closed) return;
    conn.closed = true;
    this.#conns.delete(conn);
    this.release(conn.user);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#unwatch();
    for (const c of [...this.#conns]) this.#drop(c);
  }

  #id(seq: number): string {
    return `${seq}-${this.bus.tag}`;
  }

  #seqOf(id: string): number | undefined {
    const m = /^(\d{1,15})-([0-9a-f]+)$/.exec(id);
    return m && m[2] === this.bus.tag ? Number(m[1]) : undefined;
  }

  #reset(conn: Conn): void {
    const last = this.bus.ring.lastSeq();
    const id = last === undefined ? '' : `id: ${this.#id(last)}\n`;
    conn.sink.write(`${id}event: reset\ndata: {}\n\n`);
    if (id) conn.sentId = conn.seenId = this.#id(last as number);
  }

  #text(e: DomainEvent, conn: Conn): string {
    let wire = this.#wire.get(e);
    if (!wire) {
      wire = {};
      this.#wire.set(e, wire);
    }
    let text = wire[conn.variant];
    if (text === undefined) {
      const redact = this.redactors[e.entity];
      const data = {
        type: e.type,
        entity: e.entity,
        entityId: e.entityId,
        at: e.at,
        // Redactors mask for viewers without personal.read and depend on nothing else: one text per variant.
        payload: redact ? redact(e.payload, conn.ctx) : e.payload,
      };
      text = `id: ${this.#id(e.seq)}\nevent: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`;
      wire[conn.variant] = text;
    }
    return text;
  }

  /** Sends what the connection has not looked at yet, while its socket takes it. */
  #pump(conn: Conn): void {
    const ring = this.bus.ring;
    if (conn.closed) return;
    if (conn.next < ring.start) {
      // it read so slowly that the ring moved past it: let it reconnect (it gets a reset)
      this.#drop(conn);
      return;
    }
    if (conn.blockedSince !== null) return;
    while (conn.next < ring.end) {
      const e = ring.at(conn.next++);
      conn.seenId = this.#id(e.seq);
      if (!canSee(conn.ctx.actor, e.visibility)) continue;
      const ok = conn.sink.write(this.#text(e, conn));
      conn.sentId = conn.seenId;
      if (!ok || conn.sink.writableLength > HIGH_WATER) {
        conn.blockedSince = Date.now();
        conn.sink.once('drain', () => {
          conn.blockedSince = null;
          this.#pump(conn);
        });
        return;
      }
    }
  }

  #drop(conn: Conn): void {
    if (conn.closed) return;
    this.dropped++;
    this.close(conn);
    conn.sink.destroy();
  }

  #heartbeat(): void {
    const now = Date.now();
    for (const c of [...this.#conns]) {
      if (c.blockedSince !== null) {
        if (now - c.blockedSince > this.#stallMs) this.#drop(c);
        continue;
      }
      // The id moves past events this user may not see, so a reconnect finds its place in the ring.
      const id = c.seenId && c.seenId !== c.sentId ? `id: ${c.seenId}\n\n` : '';
      if (id) c.sentId = c.seenId;
      c.sink.write(`${id}: keep-alive\n\n`);
    }
  }
}

export function streamRoutes(
  app: TypedApp,
  deps: { bus: EventBus; redactors: Record<string, Redactor> } & StreamOptions,
): StreamHub {
  const hub = new StreamHub(deps.bus, deps.redactors, deps);
  app.addHook('onClose', async () => hub.stop());
  app.get(
    '/api/v1/stream',
    {
      schema: {
        tags: ['events'],
        description:
          'Server-Sent Events of the domain events the user may see. Reconnect with Last-Event-ID (or ?lastEventId) to ' +
          'receive what was missed; an event `reset` says the missed events are no longer at hand: reload. At most a ' +
          'few streams per user (429 beyond).',
        querystring: T.Object({ lastEventId: T.Optional(T.String({ maxLength: 100 })) }),
      },
    },
    async (req, reply) => {
      const header = req.headers['last-event-id'];
      const lastEventId = (typeof header === 'string' ? header : undefined) ?? req.query.lastEventId;
      const user = hub.admit(req.ctx);
      reply.hijack();
      const res = reply.raw;
      let conn: ReturnType<StreamHub['open']> | undefined;
      res.on('close', () => (conn ? hub.close(conn) : hub.release(user)));
      res.on('error', () => undefined);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      if (res.destroyed) return;
      conn = hub.open(req.ctx, user, res, lastEventId?.slice(0, 100));
    },
  );
  return hub;
}
