-- Rescue forces: teams, their members (certificates, training), the history of their status, and the areas the
-- coverage analyses measure (built-up land, forests, chemical parks).
create table teams (
  id text primary key,
  name text not null,
  type text not null,
  geom geometry(Point, 4326) not null,
  district_code text,
  owner_unit text,
  organisation text not null default '',
  station_class text,
  suburban boolean not null default false,
  specialties text[] not null default '{}',
  radius_km double precision,
  headcount integer not null default 0,
  capabilities text[] not null default '{}',
  equipment jsonb not null default '[]',
  vehicles jsonb not null default '[]',
  contacts jsonb not null default '[]',
  status text not null default 'available',
  status_note text not null default '',
  status_confirmed_at timestamptz not null,
  notes text not null default '',
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index teams_type on teams (type);
create index teams_district on teams (district_code);
create index teams_geom on teams using gist (geom);

create table team_members (
  id text primary key,
  team_id text not null references teams (id) on delete cascade,
  name text not null,
  role text not null default '',
  phone text not null default '',
  certificates jsonb not null default '[]',
  training jsonb not null default '[]',
  -- the earliest expiry of its certificates (YYYY-MM-DD), for the register's flags
  next_expiry text,
  version integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index team_members_team on team_members (team_id);
create index team_members_expiry on team_members (next_expiry) where next_expiry is not null;

create table team_status_history (
  id text primary key,
  team_id text not null references teams (id) on delete cascade,
  status text not null,
  previous text,
  note text not null default '',
  by_user text,
  at timestamptz not null
);
create index team_status_history_team on team_status_history (team_id, at desc);

create table force_areas (
  id text primary key,
  kind text not null,
  name text not null,
  geom geometry(MultiPolygon, 4326) not null,
  district_code text,
  area_km2 double precision not null,
  approximate boolean not null default false,
  notes text not null default '',
  demo boolean not null default false,
  created_by text,
  created_at timestamptz not null
);
create index force_areas_kind on force_areas (kind);
create index force_areas_geom on force_areas using gist (geom);
