import type { Visibility } from '../access/scope.ts';
import type { Db, Tx } from '../db/index.ts';

export type { Visibility };

export interface DomainEvent {
  seq: number;
  at: string;
  type: string;
  entity: string;
  entityId: string | null;
  payload: unknown;
  visibility: Visibility;
}

export type EventInput = Omit<DomainEvent, 'seq' | 'at'>;
export type Subscriber = (e: DomainEvent) => void | Promise<void>;

/** Writes an event to the outbox inside the caller's transaction: it is delivered only if the change commits. */
export async function emitEvent(trx: Tx, now: Date, e: EventInput): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      at: now,
      type: e.type,
      entity: e.entity,
      entity_id: e.entityId,
      payload: JSON.stringify(e.payload),
      visibility: JSON.stringify(e.visibility),
    })
    .execute();
}

function toEvent(r: {
  seq: number;
  at: Date;
  type: string;
  entity: string;
  entity_id: string | null;
  payload: unknown;
  visibility: unknown;
}): DomainEvent {
  return {
    seq: Number(r.seq),
    at: r.at.toISOString(),
    type: r.type,
    entity: r.entity,
    entityId: r.entity_id,
    payload: r.payload,
    visibility: r.visibility as Visibility,
  };
}

export async function readOutbox(db: Db, afterSeq: number, limit: number): Promise<DomainEvent[]> {
  const rows = await db.kysely
    .selectFrom('outbox')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

/**
 * Delivers committed outbox rows, in order, to in-process subscribers (a durable cursor: a crash between
 * commit and delivery loses nothing, it is delivered at the next start) and to live listeners (SSE).
 * `kick()` after a local commit delivers at once; polling picks up other instances' events.
 */
export class EventBus {
  #subs = new Map<string, Subscriber[]>();
  #listeners = new Set<(e: DomainEvent) => void>();
  #cursor = 0;
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #started = false;
  #stopped = false;
  lastSeq = 0;

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown, e?: DomainEvent) => void,
    private readonly pollMs = 1000,
  ) {}

  /** Subscribe to an event type ('*' for all). */
  subscribe(type: string, fn: Subscriber): void {
    const list = this.#subs.get(type) ?? [];
    list.push(fn);
    this.#subs.set(type, list);
  }

  listen(fn: (e: DomainEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  async start(): Promise<void> {
    const cur = await this.db.kysely
      .selectFrom('event_cursors')
      .select('seq')
      .where('name', '=', 'in-process')
      .executeTakeFirst();
    if (cur) {
      this.#cursor = Number(cur.seq);
    } else {
      const max = await this.db.kysely
        .selectFrom('outbox')
        .select((eb) => eb.fn.max('seq').as('m'))
        .executeTakeFirst();
      this.#cursor = Number(max?.m ?? 0);
      await this.db.kysely.insertInto('event_cursors').values({ name: 'in-process', seq: this.#cursor }).execute();
    }
    this.lastSeq = this.#cursor;
    this.#started = true;
    await this.kick();
    this.#timer = setInterval(() => void this.kick(), this.pollMs);
    this.#timer.unref();
  }

  /** Deliver whatever has been committed; resolves when delivered. */
  kick(): Promise<void> {
    // Before start() (start-up writes such as the demo) there is no cursor yet: start() picks up from there.
    if (!this.#started || this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#drain();
        } while (this.#again && !this.#stopped);
      } catch (err) {
        this.onError(err);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  async #drain(): Promise<void> {
    for (;;) {
      const batch = await readOutbox(this.db, this.#cursor, 500);
      if (batch.length === 0) return;
      for (const e of batch) {
        for (const fn of [...(this.#subs.get(e.type) ?? []), ...(this.#subs.get('*') ?? [])]) {
          try {
            await fn(e);
          } catch (err) {
            this.onError(err, e);
          }
        }
        this.lastSeq = e.seq;
        for (const l of this.#listeners) l(e);
      }
      this.#cursor = batch[batch.length - 1].seq;
      await this.db.kysely
        .updateTable('event_cursors')
        .set({ seq: this.#cursor })
        .where('name', '=', 'in-process')
        .execute();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
