-- The register orders by occurred_at desc, id desc: an index in the same order spares an incremental sort.
drop index if exists incidents_occurred_idx;
create index incidents_occurred_idx on incidents (occurred_at desc, id desc);
