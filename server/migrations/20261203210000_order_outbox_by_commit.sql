-- The outbox is delivered in commit order, not in the order of its sequence: a transaction that took a lower seq
-- can commit after a higher one was read. Each row records its writing transaction; a reader takes a snapshot,
-- reads the rows of transactions that committed between its previous snapshot and this one (ordered by seq within),
-- and never skips a late committer. Rows written before this migration carry the migration's transaction.
alter table outbox add column tx xid8 not null default pg_current_xact_id();
create index outbox_tx_idx on outbox (tx);

-- Each durable consumer's position (the snapshot it has read up to, and within the batch being read, the last seq
-- handled) and its lease: one instance delivers a consumer at a time.
create table event_consumers (
  name text primary key,
  snapshot text not null,
  upto text,
  after_seq bigint not null default 0,
  lease_owner text,
  lease_until timestamptz,
  updated_at timestamptz not null
);

-- Events a consumer gave up on after its retries, with the last error: looked at by an operator, never retried
-- automatically.
create table event_dead_letters (
  id bigserial primary key,
  consumer text not null,
  seq bigint not null,
  type text not null,
  entity text not null,
  entity_id text,
  payload jsonb not null,
  error text not null,
  attempts integer not null,
  failed_at timestamptz not null
);
create index event_dead_letters_consumer_idx on event_dead_letters (consumer, failed_at desc);

-- The single in-process cursor of the old bus: consumers keep their own now, listeners start from the head.
drop table event_cursors;
