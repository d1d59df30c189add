-- Incidents, their command log, and the yearly number counter (WH-2026-000123).
create table incidents (
  id uuid primary key,
  number text not null unique,
  title text not null,
  description text not null default '',
  type_code text not null,
  category text not null check (category in ('natural', 'accident', 'public_health', 'social_security', 'other')),
  occurred_at timestamptz not null,
  reported_at timestamptz not null,
  geom geometry(Point, 4326),
  address text not null default '',
  reporter_name text not null default '',
  reporter_unit text not null default '',
  reporter_phone text not null default '',
  deaths integer not null default 0 check (deaths >= 0),
  missing integer not null default 0 check (missing >= 0),
  seriously_injured integer not null default 0 check (seriously_injured >= 0),
  injured integer not null default 0 check (injured >= 0),
  affected integer not null default 0 check (affected >= 0),
  relocated integer not null default 0 check (relocated >= 0),
  direct_loss_wan numeric(14, 2) not null default 0 check (direct_loss_wan >= 0),
  district_code text,
  district_status text not null check (district_status in ('inside', 'outside', 'unknown')),
  computed_level text check (computed_level in ('I', 'II', 'III', 'IV')),
  level_basis text not null default '',
  level_override text check (level_override in ('I', 'II', 'III', 'IV')),
  level_override_reason text,
  level_override_by text,
  level_override_at timestamptz,
  level text generated always as (coalesce(level_override, computed_level)) stored,
  status text not null default 'reported'
    check (status in ('reported', 'verified', 'responding', 'recovering', 'closed')),
  created_by uuid,
  created_by_unit text,
  demo boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index incidents_occurred_idx on incidents (occurred_at desc, id);
create index incidents_status_idx on incidents (status, occurred_at desc);
create index incidents_district_idx on incidents (district_code, occurred_at desc);
create index incidents_category_idx on incidents (category, occurred_at desc);
create index incidents_level_idx on incidents (level, occurred_at desc);
create index incidents_type_idx on incidents (type_code);
create index incidents_geom_idx on incidents using gist (geom);

create table incident_log (
  id uuid primary key,
  incident_id uuid not null references incidents (id),
  at timestamptz not null,
  kind text not null,
  text text not null,
  actor_id uuid,
  actor_name text,
  data jsonb
);
create index incident_log_incident_idx on incident_log (incident_id, at);

create table incident_counters (
  year integer primary key,
  last integer not null
);
