/**
 * Domain events: written to the outbox in the writer's transaction (delivered only if it commits), then read in
 * commit order (outbox.repository.ts) by each instance's bus, which hands them to
 * - listeners (every instance, in memory, in order: cache invalidation), from the moment the bus starts;
 * - the ring of recent events the browser streams send and replay from (never sent: `internal` events);
 * - durable consumers (event-consumer.ts), each with its own cursor and lease, retried, dead-lettered.
 * `kick()` after a local commit delivers at once; polling picks up other instances' commits.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Visibility } from '../access/scope.ts';
import { type Clock, systemClock } from '../core/ids.ts';
import type { Db, Tx } from '../db/index.ts';
import { DrainLoop } from './drain-loop.ts';
import { type ConsumerDef, ConsumerRunner } from './event-consumer.ts';
import { EventRing } from './event-ring.ts';
import type { Cursor, DomainEvent, EventInput } from './outbox.repository.ts';
import * as repo from './outbox.repository.ts';

export type { ConsumerDef, DomainEvent, EventInput, Visibility };
export type Subscriber = (e: DomainEvent) => void | Promise<void>;

/** Writes an event to the outbox inside the caller's transaction: it is delivered only if the change commits. */
export async function emitEvent(trx: Tx, now: Date, e: EventInput): Promise<void> {
  await repo.insertEvents(trx, now, [e]);
}

/**
 * Writes many events in one statement (high-volume writers: sensor readings, position reports). Needs no audit
 * row nor any lock: delivery follows commit order by itself.
 */
export async function emitEvents(trx: Tx, now: Date, events: readonly EventInput[]): Promise<void> {
  if (events.length) await repo.insertEvents(trx, now, events);
}

export interface BusOptions {
  clock?: Clock;
  /** how often other instances' commits are looked for */
  pollMs?: number;
  /** recent events kept for browser streams' replay */
  ringSize?: number;
  /** a consumer's lease; renewed every third of it while its holder lives */
  leaseMs?: number;
  /** attempts of one event before a consumer dead-letters it */
  attempts?: number;
  /** wait before the next attempt after n failures (default 1 s, doubling, at most a minute) */
  retryDelayMs?: (failures: number) => number;
  /** events read at a time */
  batch?: number;
  /** events older than this many days that every durable consumer has read are deleted (0: never) */
  retentionDays?: number;
  /** how often the outbox is pruned (default hourly; the first a minute after start) */
  pruneEveryMs?: number;
  /** rows one pruning statement deletes (default 10,000): short statements, writers never wait long behind one */
  pruneBatch?: number;
}

export class EventBus {
  /** this instance, as consumer leases and stream event ids name it */
  readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  /** short, for stream event ids: an id from another instance (or an earlier run) is not looked up here */
  readonly tag = randomBytes(3).toString('hex');
  readonly ring: EventRing;
  #subs = new Map<string, Subscriber[]>();
  #listeners = new Set<(e: DomainEvent) => void>();
  #watchers = new Set<() => void>();
  #consumers: ConsumerRunner[] = [];
  #cursor: Cursor | null = null;
  readonly #loop = new DrainLoop(
    () => this.#drain(),
    () => this.#stopped,
    (err) => this.onError(err),
  );
  #timer: NodeJS.Timeout | null = null;
  #pruneTimer: NodeJS.Timeout | null = null;
  #pruning: Promise<number> | null = null;
  #started = false;
  #stopped = false;
  readonly #o: Required<BusOptions>;
  /** seq of the last event delivered to listeners */
  lastSeq = 0;
  /** events delivered to listeners since start: moves with every event (caches keyed on it follow changes) */
  delivered = 0;

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown, e?: DomainEvent) => void,
    opts: BusOptions | number = {},
  ) {
    const o = typeof opts === 'number' ? { pollMs: opts } : opts;
    this.#o = {
      clock: o.clock ?? systemClock,
      pollMs: o.pollMs ?? 1000,
      ringSize: o.ringSize ?? 5000,
      leaseMs: o.leaseMs ?? 30_000,
      attempts: o.attempts ?? 5,
      retryDelayMs: o.retryDelayMs ?? ((n) => Math.min(60_000, 1000 * 2 ** (n - 1))),
      batch: o.batch ?? 1000,
      retentionDays: o.retentionDays ?? 0,
      pruneEveryMs: o.pruneEveryMs ?? 3_600_000,
      pruneBatch: o.pruneBatch ?? 10_000,
    };
    this.ring = new EventRing(this.#o.ringSize);
  }

  /** Listen to an event type ('*' for all) on this instance, from its start on; awaited in order. */
  subscribe(type: string, fn: Subscriber): void {
    const list = this.#subs.get(type) ?? [];
    list.push(fn);
    this.#subs.set(type, list);
  }

  /** Every event listeners or browsers get, after the listeners (synchronous: keep it quick). */
  listen(fn: (e: DomainEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Called after new events were added to the ring (browser streams pull from it). */
  watch(fn: () => void): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  /** A durable consumer: its events once (on one instance at a time), retried, dead-lettered after the last try. */
  addConsumer(def: ConsumerDef): void {
    if (this.#consumers.some((c) => c.name === def.name)) throw new Error(`event consumer ${def.name} exists twice`);
    const runner = new ConsumerRunner(def, {
      db: this.db,
      clock: this.#o.clock,
      owner: this.instance,
      leaseMs: this.#o.leaseMs,
      attempts: this.#o.attempts,
      retryDelayMs: this.#o.retryDelayMs,
      batch: this.#o.batch,
      onError: (msg, err) => this.onError(new Error(msg, { cause: err })),
    });
    this.#consumers.push(runner);
    if (this.#started && !this.#stopped) void runner.kick();
  }

  consumer(name: string): ConsumerRunner | undefined {
    return this.#consumers.find((c) => c.name === name);
  }

  async start(): Promise<void> {
    // Listeners start from now: what they keep in memory was loaded at start.
    this.#cursor = { lo: await repo.currentSnapshot(this.db.kysely), hi: null, after: 0 };
    this.#started = true;
    await this.kick();
    this.#timer = setInterval(() => void this.kick(), this.#o.pollMs);
    this.#timer.unref();
    if (this.#o.retentionDays > 0) this.#schedulePrune(Math.min(60_000, this.#o.pruneEveryMs));
  }

  #schedulePrune(ms: number): void {
    this.#pruneTimer = setTimeout(() => {
      this.prune()
        .catch((err) => this.onError(new Error('outbox pruning failed', { cause: err })))
        .finally(() => {
          if (!this.#stopped) this.#schedulePrune(this.#o.pruneEveryMs);
        });
    }, ms);
    this.#pruneTimer.unref();
  }

  /**
   * Deletes the events older than the retention that every durable consumer has read, in batches; resolves with how
   * many. One pruning at a time per instance (several instances pruning at once delete disjoint or no rows).
   */
  prune(): Promise<number> {
    if (this.#o.retentionDays <= 0) return Promise.resolve(0);
    this.#pruning ??= (async () => {
      try {
        const before = new Date(this.#o.clock.now().getTime() - this.#o.retentionDays * 86_400_000);
        let total = 0;
        for (;;) {
          if (this.#stopped) return total;
          const n = await repo.pruneOutbox(this.db.kysely, before, this.#o.pruneBatch);
          total += n;
          if (n < this.#o.pruneBatch) return total;
        }
      } finally {
        this.#pruning = null;
      }
    })();
    return this.#pruning;
  }

  /** Deliver whatever has been committed; resolves when listeners and streams have it (consumers run on). */
  kick(): Promise<void> {
    // Before start() (start-up writes such as the demo) there is no cursor yet: start() picks up from there.
    if (!this.#started || this.#stopped) return Promise.resolve();
    for (const c of this.#consumers) void c.kick();
    return this.#loop.kick();
  }

  /** Delivers what has been committed to listeners and to these consumers (all by default); resolves when done. */
  async settle(consumers?: readonly string[]): Promise<void> {
    await this.kick();
    const list = consumers ? this.#consumers.filter((c) => consumers.includes(c.name)) : this.#consumers;
    await Promise.all(list.map((c) => c.kick()));
  }

  async #drain(): Promise<void> {
    for (;;) {
      const cur = this.#cursor;
      if (!cur || this.#stopped) return;
      // What browsers may see, and what listeners listen to: not internal events nobody here listens to
      const listened = this.#subs.has('*') ? '*' : [...this.#subs.keys()];
      const r = await repo.readNext(this.db, cur, this.#o.batch, { shown: true, types: listened });
      let ringed = 0;
      for (const e of r.events) {
        for (const fn of [...(this.#subs.get(e.type) ?? []), ...(this.#subs.get('*') ?? [])]) {
          try {
            await fn(e);
          } catch (err) {
            this.onError(err, e);
          }
        }
        this.lastSeq = e.seq;
        this.delivered++;
        if (!e.visibility?.internal) {
          this.ring.push(e);
          // streams pull before the ring wraps past what they have not looked at
          if (++ringed >= this.ring.capacity / 4) ringed = this.#notify();
        }
        for (const l of this.#listeners) l(e);
      }
      this.#cursor = r.next;
      if (ringed) this.#notify();
      if (!r.more && r.events.length === 0) return;
    }
  }

  #notify(): 0 {
    for (const w of this.#watchers) w();
    return 0;
  }

  /** Stops delivering. `releaseLeases: false` lets consumer leases lapse, as a crash would. */
  async stop(opts: { releaseLeases?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#pruneTimer) clearTimeout(this.#pruneTimer);
    await this.#pruning;
    await this.#loop.idle();
    await Promise.all(this.#consumers.map((c) => c.stop(opts.releaseLeases ?? true)));
  }
}
