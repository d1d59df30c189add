-- Road networks (imported OSM extracts or the synthetic demo network), their segments for the map, search and
-- closures, area features (water, land) for the basemap, and road closures.
create table road_networks (
  id uuid primary key,
  name text not null,
  source text not null,
  attribution text not null,
  synthetic boolean not null default false,
  -- building → ready → (current, by settings 'roads.current') → retired; failed imports keep their message
  status text not null check (status in ('building', 'ready', 'retired', 'failed')),
  message text,
  node_count integer not null default 0,
  segment_count integer not null default 0,
  bbox double precision[],
  file text,
  created_by text,
  created_at timestamptz not null,
  ready_at timestamptz
);

create table roads (
  network_id uuid not null references road_networks (id) on delete cascade,
  seg integer not null,
  osm_way_id bigint,
  name text,
  name_en text,
  class text not null,
  -- 'both', 'forward' (along the geometry) or 'backward', for the car profile
  oneway text not null,
  meters real not null,
  geom geometry(LineString, 4326) not null,
  primary key (network_id, seg)
);
create index roads_geom_idx on roads using gist (geom);
create index roads_name_idx on roads (network_id, name);
-- low-zoom tiles read only the major classes: a smaller index for them
create index roads_major_geom_idx on roads using gist (geom)
  where class in ('motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary',
                  'secondary_link');

create table map_areas (
  network_id uuid not null references road_networks (id) on delete cascade,
  id integer not null,
  kind text not null check (kind in ('water', 'land')),
  name text,
  geom geometry(Geometry, 4326) not null,
  primary key (network_id, id)
);
create index map_areas_geom_idx on map_areas using gist (geom);

create table closures (
  id uuid primary key,
  number text not null unique,
  cause text not null,
  -- the closed stretch as drawn or as the union of the chosen segments; re-resolved against a new network
  geom geometry(MultiLineString, 4326) not null,
  network_id uuid,
  segs integer[] not null,
  road_names text[] not null default '{}',
  starts_at timestamptz not null,
  expected_end_at timestamptz,
  cleared_at timestamptz,
  cleared_by text,
  incident_id uuid,
  created_by text not null,
  created_at timestamptz not null,
  version integer not null default 1
);
create index closures_active_idx on closures (cleared_at, starts_at);
create table closure_counters (year integer primary key, last integer not null);

-- Road questions for everyone who reads incidents; closures for those who command and report them; network
-- import for administrators. (Roles stay editable; this grants the new permissions once.)
update roles set permissions = array_append(permissions, 'geo.read')
  where 'incidents.read' = any (permissions) and not ('geo.read' = any (permissions));
update roles set permissions = array_append(permissions, 'closures.manage')
  where code in ('admin', 'commander', 'duty_officer', 'district_staff', 'field_responder')
    and not ('closures.manage' = any (permissions));
update roles set permissions = array_append(permissions, 'roads.import')
  where code = 'admin' and not ('roads.import' = any (permissions));
