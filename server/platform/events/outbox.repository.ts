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
  /** in memory only, for a batch larger than a page: the rest of its seqs, in order (not sorted again per page) */
  plan?: { seqs: number[]; i: number };
}

/** Which rows a reader wants: some types (a consumer), or what browsers may see plus some types (the listeners'). */
export type Want = { types: readonly string[] } | { shown: true; types: readonly string[] | '*' } | null;

/** Events per statement: one JSON parameter each, parsed by PostgreSQL (twice as fast as 6 parameters a row). */
const ROWS_PER_INSERT = 5_000;

/** Writes events to the outbox inside the caller's transaction, in one statement per 5,000 events. */
export async function insertEvents(trx: Tx, now: Date, events: readonly EventInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const rows = events.slice(i, i + ROWS_PER_INSERT).map((e) => ({
      type: e.type,
      entity: e.entity,
      entity_id: e.entityId,
      payload: e.payload ?? null,
      visibility: e.visibility,
    }));
    await sql`insert into outbox (at, type, entity, entity_id, payload, visibility)
      select ${now}, r.type, r.entity, r.entity_id, coalesce(r.payload, 'null'::jsonb), r.visibility
      from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as (type text, entity text, entity_id text, payload jsonb, visibility jsonb)) with ordinality
        as r(type, entity, entity_id, payload, visibility, n)
      order by r.n`.execute(trx);
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

function wanted(want: Want) {
  if (!want) return sql``;
  if ('shown' in want) {
    if (want.types === '*') return sql``;
    const shown = sql`coalesce((visibility->>'internal')::boolean, false) = false`;
    return want.types.length ? sql`and (${shown} or type in (${sql.join([...want.types])}))` : sql`and ${shown}`;
  }
  return want.types.length ? sql`and type in (${sql.join([...want.types])})` : sql`and false`;
}

/**
 * The batch between snapshots `lo` and `hi` with seq above `after`: rows of transactions visible in `hi` but not in
 * `lo`. Two index scans on `tx`: transactions that began after `lo` (`tx >= lo.xmax`, and `tx < hi.xmax` since they
 * are visible in `hi`) and those in flight at `lo` (its in-progress list). `hi` 'now' is the statement's own
 * snapshot: what it sees has committed, no bound or visibility test needed.
 */
function batchRows(lo: string, hi: string | 'now', after: number, want: Want, columns: 'seq' | 'all') {
  const l = parseSnapshot(lo);
  const cols = columns === 'seq' ? sql`seq, tx` : sql`seq, at, type, entity, entity_id, payload, visibility, tx`;
  const filter = wanted(want);
  const upTo = hi === 'now' ? sql`` : sql`and tx < ${String(parseSnapshot(hi).xmax)}::xid8`;
  const inFlight = l.xip.length
    ? sql`union all
      select ${cols} from outbox
      where tx in (${sql.join(l.xip.map((x) => sql`${x}::xid8`))}) and seq > ${after} ${filter}`
    : sql``;
  const visible = hi === 'now' ? sql`` : sql`where pg_visible_in_snapshot(tx, ${hi}::pg_snapshot)`;
  return sql`(
    select ${cols} from outbox
    where tx >= ${String(l.xmax)}::xid8 ${upTo} and seq > ${after} ${filter}
    ${inFlight}
  ) b ${visible}`;
}

const COLUMNS = sql`seq, at, type, entity, entity_id, payload, visibility`;

/**
 * The next events after `cur` (at most `limit`, of what `want`s). `at(seq)` is the cursor just after one of them;
 * `next` the cursor after all of them; `more` says the batch was cut at `limit` (otherwise everything committed by
 * the snapshot read at has been read).
 */
export async function readNext(
  db: Db,
  cur: Cursor,
  limit: number,
  want: Want = null,
): Promise<{ events: DomainEvent[]; at(seq: number): Cursor; next: Cursor; more: boolean }> {
  const { lo } = cur;
  let hi = cur.hi;
  let rows: OutboxRow[];
  if (hi && cur.plan) {
    // a big batch, listed once: its next page by seq
    const { seqs, i } = cur.plan;
    const page = seqs.slice(i, i + limit);
    rows = page.length
      ? (
          await sql<OutboxRow>`select ${COLUMNS} from outbox where seq in (${sql.join(page)}) order by seq`.execute(
            db.kysely,
          )
        ).rows
      : [];
    const events = rows.map(toEvent);
    const at = (seq: number): Cursor => ({ lo, hi: hi as string, after: seq });
    const rest = i + page.length;
    if (rest < seqs.length)
      return { events, at, next: { ...at(page[page.length - 1]), plan: { seqs, i: rest } }, more: true };
    return { events, at, next: { lo: hi, hi: null, after: 0 }, more: false };
  }
  if (hi) {
    // part-way through a batch (a consumer that stopped inside one)
    rows = (
      await sql<OutboxRow>`select ${COLUMNS} from ${batchRows(lo, hi, cur.after, want, 'all')}
        order by seq limit ${limit}`.execute(db.kysely)
    ).rows;
  } else {
    // One statement reads the new batch and the snapshot it saw (the first row), so nothing slips in between.
    const r = await sql<OutboxRow & { hi: string | null }>`
      (select pg_current_snapshot()::text as hi, null::bigint as seq, null::timestamptz as at, null::text as type,
         null::text as entity, null::text as entity_id, null::jsonb as payload, null::jsonb as visibility)
      union all
      (select null, ${COLUMNS} from ${batchRows(lo, 'now', 0, want, 'all')} order by seq limit ${limit})`.execute(
      db.kysely,
    );
    hi = r.rows.find((x) => x.seq === null)?.hi ?? null;
    if (!hi) throw new Error('outbox read returned no snapshot');
    rows = r.rows.filter((x) => x.seq !== null);
    // A cursor from another cluster (a restored dump): its transaction numbers mean nothing here; start from now.
    if (parseSnapshot(hi).xmax < parseSnapshot(lo).xmax) rows = [];
  }
  const batchHi = hi;
  const events = rows.map(toEvent);
  const at = (seq: number): Cursor => ({ lo, hi: batchHi, after: seq });
  if (events.length < limit) return { events, at, next: { lo: batchHi, hi: null, after: 0 }, more: false };
  // A batch larger than a page (a backlog, a bulk load): list the rest of its seqs once, then read page by page.
  const last = events[events.length - 1].seq;
  const rest = await sql<{ seq: number | string }>`
    select seq from ${batchRows(lo, batchHi, last, want, 'seq')} order by seq`.execute(db.kysely);
  const seqs = rest.rows.map((x) => Number(x.seq));
  if (!seqs.length) return { events, at, next: { lo: batchHi, hi: null, after: 0 }, more: false };
  return { events, at, next: { ...at(last), plan: { seqs, i: 0 } }, more: true };
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

/**
 * Deletes up to `limit` events committed before `before` that every durable consumer has read (visible in the
 * snapshot the consumer has read up to), oldest first; returns how many. Walks the seq index from its start, where
 * the old rows are, so a batch costs what it deletes. Listeners and browser streams read live (and replay from
 * memory), so they never need a row this old. (Not "below the oldest snapshot's xmin": on a shared server another
 * database's open transaction holds xmin back.)
 */
export async function pruneOutbox(db: Tx, before: Date, limit: number): Promise<number> {
  const r = await sql<{ n: string }>`
    with gone as (
      delete from outbox where seq in (
        select o.seq from outbox o
        where o.at < ${before}
          and not exists (
            select 1 from event_consumers c where not pg_visible_in_snapshot(o.tx, c.snapshot::pg_snapshot)
          )
        order by o.seq limit ${limit}
      ) returning 1
    )
    select count(*) as n from gone`.execute(db);
  return Number(r.rows[0].n);
}
