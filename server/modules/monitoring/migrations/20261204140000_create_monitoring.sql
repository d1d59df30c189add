-- Devices and stations, their readings (partitioned by month), hourly roll-ups, ingestion's dead letters, rules.
create table devices (
  id text primary key,
  name text not null,
  code text,
  kind text not null,
  metrics text[] not null default '{}',
  geom geometry(Point, 4326) not null,
  district_code text,
  owner_unit text,
  params jsonb not null default '{}',
  stream_url text,
  offline_after_minutes integer not null default 30,
  enabled boolean not null default true,
  notes text not null default '',
  token_hash text not null,
  last_seen_at timestamptz,
  latest jsonb not null default '{}',
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index devices_code_key on devices (code) where code is not null;
create index devices_district on devices (district_code);
create index devices_geom on devices using gist (geom);

-- One row per (device, metric, time): a repeat is ignored (on conflict do nothing), so retries never double-count.
create table readings (
  device_id text not null,
  metric text not null,
  ts timestamptz not null,
  value double precision not null,
  primary key (device_id, metric, ts)
) partition by range (ts);
-- readings outside every monthly partition (created ahead by the module) land here rather than fail
create table readings_default partition of readings default;

create table readings_hourly (
  device_id text not null,
  metric text not null,
  hour timestamptz not null,
  min double precision not null,
  max double precision not null,
  sum double precision not null,
  count integer not null,
  primary key (device_id, metric, hour)
);

create table ingest_dead_letters (
  id text primary key,
  at timestamptz not null,
  device_id text,
  via text not null,
  reason text not null,
  payload text not null
);
create index ingest_dead_letters_at on ingest_dead_letters (at desc);

create table monitoring_rules (
  id text primary key,
  builtin text unique,
  modified boolean not null default false,
  name text not null,
  name_en text not null default '',
  hazard_code text not null,
  kind text,
  device_ids text[] not null default '{}',
  colours jsonb not null,
  hysteresis double precision not null default 0,
  clear_after_minutes integer not null default 60,
  enabled boolean not null default true,
  basis text not null default '',
  version integer not null default 0,
  updated_at timestamptz not null
);
