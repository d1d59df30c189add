/**
 * The outbox's SQL. Rows are read in commit order: a reader keeps the snapshot it last read at (`lo`), takes a new
 * one (`hi`), and reads the rows of the transactions visible in `hi` but not in `lo` — those that committed in
 * between — ordered by seq. A transaction still in flight at `hi` is in `hi`'s in-progress list, so its rows come
 * in a later batch, whatever its seq: nothing is skipped, with or without the audit chain's lock.
 */
import { sql } from 'kysely';
import type { Visibility } from '../access/scope.ts';
import type { Db, Tx } from '../db/index.ts';

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

/** Where a reader stands: the snapshot read up to, and inside the batch up to `hi`, the last seq handled. */
export interface Cursor {
  lo: string;
  hi: string | null;
  after: number;
}

/** Six parameters a row: well below PostgreSQL's 65,535 parameters a statement. */
const ROWS_PER_INSERT = 5_000;

/** Writes events to the outbox inside the caller's transaction, in one statement per 5,000 events. */
export async function insertEvents(trx: Tx, now: Date, events: readonly EventInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    await trx
      .insertInto('outbox')
      .values(
        events.slice(i, i + ROWS_PER_INSERT).map((e) => ({
          at: now,
          type: e.type,
          entity: e.entity,
          entity_id: e.entityId,
          payload: JSON.stringify(e.payload),
          visibility: JSON.stringify(e.visibility),
        })),
      )
      .execute();
  }
}

interface Snapshot {
  xmin: bigint;
  xmax: bigint;
  xip: string[];
}

/** `xmin:xmax:xip,xip` (pg_snapshot's text form). */
export function parseSnapshot(s: string): Snapshot {
  const [xmin, xmax, xip] = s.split(':');
  if (xmin === undefined || xmax === undefined || !/^\d+$/.test(xmin) || !/^\d+$/.test(xmax))
    throw new Error(`not a snapshot: ${s}`);
  return { xmin: BigInt(xmin), xmax: BigInt(xmax), xip: xip ? xip.split(',').filter(Boolean) : [] };
}

export async function currentSnapshot(db: Tx): Promise<string> {
  const r = await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db);
  return r.rows[0].s;
}

interface OutboxRow {
  seq: number | string;
  at: Date;
  type: string;
  entity: string;
  entity_id: string | null;
  payload: unknown;
  visibility: unknown;
}

function toEvent(r: OutboxRow): DomainEvent {
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

/**
 * Rows of transactions that committed after snapshot `lo` and by snapshot `hi`, with seq above `after`, in seq
 * order. Two index scans on `tx`: transactions that began after `lo` (`tx >= lo.xmax`, and `tx < hi.xmax` since
 * they are visible in `hi`) and those in flight at `lo` (its in-progress list).
 */
async function readBetween(
  db: Tx,
  lo: string,
  hi: string,
  after: number,
  limit: number,
  types: readonly string[] | null,
): Promise<DomainEvent[]> {
  const l = parseSnapshot(lo);
  const h = parseSnapshot(hi);
  const typeFilter = types ? sql`and type in (${sql.join([...types])})` : sql``;
  const inFlight = l.xip.length
    ? sql`union all
      select seq, at, type, entity, entity_id, payload, visibility, tx from outbox
      where tx in (${sql.join(l.xip.map((x) => sql`${x}::xid8`))}) and seq > ${after} ${typeFilter}`
    : sql``;
  const r = await sql<OutboxRow>`
    select seq, at, type, entity, entity_id, payload, visibility from (
      select seq, at, type, entity, entity_id, payload, visibility, tx from outbox
      where tx >= ${String(l.xmax)}::xid8 and tx < ${String(h.xmax)}::xid8 and seq > ${after} ${typeFilter}
      ${inFlight}
    ) b
    where pg_visible_in_snapshot(tx, ${hi}::pg_snapshot)
    order by seq
    limit ${limit}`.execute(db);
  return r.rows.map(toEvent);
}

/**
 * The next events after `cur` (at most `limit`, of `types` if given). `at(seq)` is the cursor just after one of
 * them; `next` the cursor after all of them; `more` says the batch was cut at `limit` (otherwise everything
 * committed by the new snapshot has been read).
 */
export async function readNext(
  db: Db,
  cur: Cursor,
  limit: number,
  types: readonly string[] | null = null,
): Promise<{ events: DomainEvent[]; at(seq: number): Cursor; next: Cursor; more: boolean }> {
  let { lo, hi, after } = cur;
  if (!hi) {
    const now = await currentSnapshot(db.kysely);
    // Any commit moves the snapshot (its xid leaves the in-progress list, or xmax grows): unchanged, nothing new.
    if (now === lo) return { events: [], at: () => cur, next: cur, more: false };
    // A snapshot from another cluster (a restored dump): its transaction numbers mean nothing here.
    if (parseSnapshot(now).xmax < parseSnapshot(lo).xmax) lo = now;
    hi = now;
    after = 0;
  }
  const batch = { lo, hi };
  const events = await readBetween(db.kysely, lo, hi, after, limit, types);
  const at = (seq: number): Cursor => ({ ...batch, after: seq });
  if (events.length === limit) return { events, at, next: at(events[events.length - 1].seq), more: true };
  return { events, at, next: { lo: hi, hi: null, after: 0 }, more: false };
}

/** The consumer's row: created at the current snapshot (a new consumer starts at the head), leased to `owner`. */
export async function acquireLease(
  db: Tx,
  name: string,
  owner: string,
  now: Date,
  until: Date,
): Promise<Cursor | null> {
  const r = await sql<{ snapshot: string; upto: string | null; after_seq: number | string }>`
    insert into event_consumers (name, snapshot, after_seq, lease_owner, lease_until, updated_at)
    values (${name}, pg_current_snapshot()::text, 0, ${owner}, ${until}, ${now})
    on conflict (name) do update set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
    where event_consumers.lease_owner = excluded.lease_owner or event_consumers.lease_owner is null
       or event_consumers.lease_until < ${now}
    returning snapshot, upto, after_seq`.execute(db);
  const row = r.rows[0];
  return row ? { lo: row.snapshot, hi: row.upto, after: Number(row.after_seq) } : null;
}

/** Saves the position and extends the lease, if `owner` still holds it; false when it does not. */
export async function saveCursor(
  db: Tx,
  name: string,
  owner: string,
  cur: Cursor,
  now: Date,
  until: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('event_consumers')
    .set({ snapshot: cur.lo, upto: cur.hi, after_seq: cur.after, lease_until: until, updated_at: now })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function renewLease(db: Tx, name: string, owner: string, until: Date): Promise<boolean> {
  const r = await db
    .updateTable('event_consumers')
    .set({ lease_until: until })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function releaseLease(db: Tx, name: string, owner: string): Promise<void> {
  await db
    .updateTable('event_consumers')
    .set({ lease_owner: null, lease_until: null })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function insertDeadLetter(
  db: Tx,
  consumer: string,
  e: DomainEvent,
  error: string,
  attempts: number,
  now: Date,
): Promise<void> {
  await db
    .insertInto('event_dead_letters')
    .values({
      consumer,
      seq: e.seq,
      type: e.type,
      entity: e.entity,
      entity_id: e.entityId,
      payload: JSON.stringify(e.payload ?? null),
      error: error.slice(0, 4000),
      attempts,
      failed_at: now,
    })
    .execute();
}
