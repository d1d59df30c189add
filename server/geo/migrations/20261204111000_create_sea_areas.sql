-- Sea areas under the city's administration: a point at sea off Weihai is Weihai's, assigned to the city or to a
-- district (visibility follows that assignment), not "outside the city".
create table sea_areas (
  code text primary key,
  name text not null,
  name_en text not null default '',
  -- the district it is assigned to; null: the city's own (seen by city-wide users)
  district_code text references org_units (code),
  -- drawn by hand, not surveyed: the interface says so
  approximate boolean not null default true,
  demo boolean not null default false,
  source text not null,
  geom geometry(MultiPolygon, 4326) not null,
  updated_at timestamptz not null default now()
);
create index sea_areas_geom_idx on sea_areas using gist (geom);
