/**
 * One durable consumer: its own cursor in `event_consumers`, delivered by one instance at a time (a lease it renews
 * while it works, released when it stops; another instance takes over once a lease lapses), each event retried with
 * backoff and, after the last attempt, recorded in `event_dead_letters` so that the consumer moves on. Every
 * consumer runs its own loop: a slow or failing one delays only itself.
 */
import type { Clock } from '../core/ids.ts';
import type { Db } from '../db/index.ts';
import { DrainLoop } from './drain-loop.ts';
import type { Cursor, DomainEvent, Want } from './outbox.repository.ts';
import * as repo from './outbox.repository.ts';

export interface ConsumerDef {
  name: string;
  /** event types ('*' for all) */
  types: readonly string[];
  handle(e: DomainEvent): Promise<void>;
}

export interface ConsumerOptions {
  db: Db;
  clock: Clock;
  /** this instance, as the lease records it */
  owner: string;
  leaseMs: number;
  /** attempts before an event is dead-lettered */
  attempts: number;
  /** wait before attempt n+1 after n failures */
  retryDelayMs: (failures: number) => number;
  batch: number;
  onError: (msg: string, err: unknown) => void;
}

export class ConsumerRunner {
  readonly name: string;
  readonly #want: Want;
  #cursor: Cursor | null = null;
  /** when the lease this instance holds ends (by its clock); null when it holds none */
  #leaseUntil: number | null = null;
  readonly #loop = new DrainLoop(
    () => this.#drain(),
    () => this.#stopped,
    (err) => {
      // The database went away for a moment: the lease is not trusted until taken again.
      this.#leaseUntil = null;
      this.o.onError(`event consumer ${this.name}: delivery failed`, err);
    },
  );
  #stopped = false;
  #wake: (() => void) | null = null;
  /** events (and empty batches) handled since the place was last saved */
  #unsaved = 0;
  #savedAt = 0;
  delivered = 0;

  constructor(
    private readonly def: ConsumerDef,
    private readonly o: ConsumerOptions,
  ) {
    this.name = def.name;
    this.#want = def.types.includes('*') ? null : { types: def.types };
  }

  /** Delivers what has been committed (if this instance holds or can take the lease); resolves when done. */
  kick(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return this.#loop.kick();
  }

  get holdsLease(): boolean {
    return this.#leaseUntil !== null && this.#leaseUntil > this.o.clock.now().getTime();
  }

  /** Stops; `release` (the default) hands the lease over at once instead of letting it lapse. */
  async stop(release = true): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop.idle();
    if (release && this.#leaseUntil !== null) {
      this.#leaseUntil = null;
      await repo.releaseLease(this.o.db.kysely, this.name, this.o.owner).catch(() => undefined);
    }
  }

  #until(): Date {
    return new Date(this.o.clock.now().getTime() + this.o.leaseMs);
  }

  /** Takes or renews the lease when a third of it has gone; false when another instance holds it. */
  async #lease(): Promise<boolean> {
    const now = this.o.clock.now();
    if (this.#leaseUntil !== null && this.#leaseUntil - now.getTime() > (this.o.leaseMs * 2) / 3) return true;
    const until = this.#until();
    if (this.#leaseUntil !== null && this.#cursor) {
      // held: renew, keeping the cursor this instance has moved on
      if (await repo.renewLease(this.o.db.kysely, this.name, this.o.owner, until)) {
        this.#leaseUntil = until.getTime();
        return true;
      }
    }
    const cur = await repo.acquireLease(this.o.db.kysely, this.name, this.o.owner, now, until);
    this.#leaseUntil = cur ? until.getTime() : null;
    this.#cursor = cur;
    return !!cur;
  }

  async #save(cur: Cursor): Promise<boolean> {
    const until = this.#until();
    const ok = await repo.saveCursor(this.o.db.kysely, this.name, this.o.owner, cur, this.o.clock.now(), until);
    this.#leaseUntil = ok ? until.getTime() : null;
    if (ok) this.#cursor = cur;
    this.#unsaved = 0;
    this.#savedAt = Date.now();
    return ok;
  }

  async #drain(): Promise<void> {
    if (!(await this.#lease()) || !this.#cursor) return;
    for (;;) {
      if (this.#stopped) {
        if (this.#unsaved) await this.#save(this.#cursor);
        return;
      }
      const cur = this.#cursor;
      const r = await repo.readNext(this.o.db, cur, this.o.batch, this.#want);
      let handled: Cursor | null = null;
      for (const e of r.events) {
        if (this.#stopped || !this.holdsLease) {
          // stopped, or the lease lapsed: keep the place reached (if the lease is still ours) and leave
          if (handled) await this.#save(handled);
          return;
        }
        const outcome = await this.#deliver(e);
        if (outcome === 'stopped') {
          if (handled) await this.#save(handled);
          return;
        }
        handled = r.at(e.seq);
        if (outcome !== 'ok') {
          if (!(await this.#deadLetter(e, outcome, handled))) return;
        } else if (this.#leaseUntil !== null && this.#leaseUntil - this.o.clock.now().getTime() < this.o.leaseMs / 2) {
          // a slow consumer keeps its lease (and saves its place) between events
          if (!(await this.#save(handled))) return;
        }
      }
      const n = r.next;
      const idle = !r.more && r.events.length === 0;
      if (n.lo !== cur.lo || n.hi !== cur.hi || n.after !== cur.after) {
        this.#cursor = n;
        this.#unsaved += r.events.length + 1;
      }
      // Busy, the place is saved every batch or second (a crash redelivers at most that); idle, at once.
      const due = idle || this.#unsaved >= this.o.batch || Date.now() - this.#savedAt >= 1000;
      if (this.#unsaved && due && !(await this.#save(this.#cursor))) return;
      if (idle) return;
    }
  }

  /** Records the failure and moves past the event, in one transaction; false when the lease was lost. */
  async #deadLetter(e: DomainEvent, failure: { error: string; attempts: number }, cur: Cursor): Promise<boolean> {
    const now = this.o.clock.now();
    const until = this.#until();
    const ok = await this.o.db.transaction(async (trx) => {
      if (!(await repo.saveCursor(trx, this.name, this.o.owner, cur, now, until))) return false;
      await repo.insertDeadLetter(trx, this.name, e, failure.error, failure.attempts, now);
      return true;
    });
    // lost: the instance that took over delivers (and, failing, records) this event itself
    this.#leaseUntil = ok ? until.getTime() : null;
    if (ok) this.#cursor = cur;
    return ok;
  }

  /** Handles one event with retries: 'ok', 'stopped' (not handled, the place is kept), or the failure to record. */
  async #deliver(e: DomainEvent): Promise<'ok' | 'stopped' | { error: string; attempts: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#withLease(() => this.def.handle(e));
        this.delivered++;
        return 'ok';
      } catch (err) {
        if (this.#stopped) return 'stopped';
        const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        if (attempt >= this.o.attempts) {
          this.o.onError(
            `event consumer ${this.name}: event ${e.seq} (${e.type}) failed ${attempt} times, dead-lettered`,
            err,
          );
          return { error, attempts: attempt };
        }
        await this.#withLease(() => this.#sleep(this.o.retryDelayMs(attempt)));
        if (this.#stopped) return 'stopped';
      }
    }
  }

  /** Runs fn while renewing the lease every third of its length (a handler may take longer than a lease). */
  async #withLease<T>(fn: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      void repo
        .renewLease(this.o.db.kysely, this.name, this.o.owner, this.#until())
        .then((ok) => {
          this.#leaseUntil = ok ? this.#until().getTime() : null;
        })
        .catch(() => undefined);
    }, this.o.leaseMs / 3);
    timer.unref();
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      t.unref();
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.#wake = done;
    });
  }
}
