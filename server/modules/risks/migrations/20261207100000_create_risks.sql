-- Risks: census layers (风险普查图层) and their features, the H3 risk grid (one current set of cells, swapped whole),
-- and the disaster-prevention projects with their progress reports.
create table census_layers (
  id text primary key,
  name text not null,
  kind text not null,
  source text,
  datum text not null,
  format text not null,
  file_name text,
  file_sha256 text,
  feature_count integer not null default 0,
  owner_unit text not null,
  imported_by text,
  imported_at timestamptz not null,
  demo boolean not null default false
);
create index census_layers_kind on census_layers (kind);

create table census_features (
  id text primary key,
  layer_id text not null references census_layers (id) on delete cascade,
  kind text not null,
  name text,
  properties jsonb not null default '{}',
  population double precision,
  capacity double precision,
  hazard_level smallint,
  geom geometry(Geometry, 4326) not null,
  demo boolean not null default false
);
create index census_features_layer on census_features (layer_id);
create index census_features_kind on census_features (kind);
create index census_features_geom on census_features using gist (geom);

-- the current grid, written and read whole: one packed row (grid-blob.ts) as base64 text rather than ~87,000 rows at
-- H3 resolution 9 (whose insert took seconds; PGlite takes a text parameter of megabytes ten times faster than bytea);
-- readers keep the unpacked grid in memory until the next recompute
create table risk_grid_data (
  id smallint primary key default 1 check (id = 1),
  computed_at timestamptz not null,
  data text not null
);

create table risk_grid_state (
  id smallint primary key default 1 check (id = 1),
  computed_at timestamptz,
  resolution integer not null default 8,
  cell_count integer not null default 0,
  feature_count integer not null default 0,
  settings_version integer not null default 0,
  norms jsonb not null default '{}',
  counts jsonb not null default '{}',
  duration_ms integer,
  -- bumped by every layer import/delete and settings change: a grid computed at an older mark is stale
  data_mark integer not null default 0,
  computed_mark integer not null default 0
);
insert into risk_grid_state (id) values (1);

create table prevention_projects (
  id text primary key,
  name text not null,
  type text not null,
  district_code text not null,
  owner_unit text not null,
  geom geometry(Geometry, 4326),
  target_quantity double precision not null,
  unit text not null,
  responsible_unit text not null,
  start_date text not null, -- YYYY-MM-DD (Beijing)
  end_date text not null,
  notes text,
  done_quantity double precision not null default 0,
  last_report_date text,
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index prevention_projects_type on prevention_projects (type);
create index prevention_projects_district on prevention_projects (district_code);

create table project_progress (
  id text primary key,
  project_id text not null references prevention_projects (id) on delete cascade,
  report_date text not null,
  quantity double precision not null,
  note text,
  reporter text not null,
  created_by text,
  created_at timestamptz not null
);
create index project_progress_project on project_progress (project_id, report_date);
