-- The gazetteer: places found by name. OSM places and points of interest and junctions of named roads belong to the
-- road network they were read from (replaced with it); administrative units follow the boundaries; the place list is
-- what administrators keep (the demo's towns and streets are marked demo and approximate).
create table places (
  id uuid primary key,
  name text not null,
  name_en text,
  kind text not null,
  source text not null check (source in ('osm', 'junction', 'admin', 'list')),
  network_id uuid references road_networks (id) on delete cascade,
  -- what the place was made from: an OSM element (n123, w456), a boundary's code
  ref text,
  district_code text,
  geom geometry(Point, 4326) not null,
  demo boolean not null default false,
  approximate boolean not null default false,
  note text,
  created_by text,
  created_by_unit text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);

create index places_network_idx on places (network_id);
create index places_source_idx on places (source, district_code);
