-- Organisation units, district boundaries, roles, users, sessions and API tokens.
create extension if not exists postgis;

create table org_units (
  id uuid primary key,
  code text not null unique,
  name text not null,
  name_en text not null default '',
  kind text not null check (kind in ('city', 'district', 'zone', 'department', 'enterprise')),
  parent_code text references org_units (code),
  population integer check (population >= 0),
  population_demo boolean not null default false,
  sort integer not null default 0,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- District polygons (WGS-84) for point-in-polygon and the basemap; neighbours only draw the map.
create table boundaries (
  code text primary key,
  name text not null,
  kind text not null check (kind in ('district', 'neighbour')),
  geom geometry(MultiPolygon, 4326) not null,
  label_point geometry(Point, 4326),
  source text not null,
  updated_at timestamptz not null default now()
);
create index boundaries_geom_idx on boundaries using gist (geom);

create table roles (
  code text primary key,
  name text not null,
  name_en text not null,
  permissions text[] not null default '{}',
  version integer not null default 1,
  updated_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  username text not null unique,
  display_name text not null,
  phone text not null default '',
  password_hash text not null,
  unit_code text not null references org_units (code),
  roles text[] not null,
  scope text not null check (scope in ('city', 'district', 'department', 'enterprise')),
  locale text not null default 'zh-CN',
  disabled boolean not null default false,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  must_change_password boolean not null default false,
  demo boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sessions (
  id uuid primary key,
  token_hash text not null unique,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  last_seen_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key,
  name text not null,
  user_id uuid not null references users (id) on delete cascade,
  token_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);
