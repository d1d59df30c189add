-- A road network's graph file, in chunks, for instances on one PostgreSQL server that did not build it: each fetches
-- it once into its own DATA_DIR. (The embedded database has one instance: its file on disk suffices.)
create table road_network_files (
  network_id uuid not null references road_networks (id) on delete cascade,
  part integer not null,
  data bytea not null,
  primary key (network_id, part)
);
