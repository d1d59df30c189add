-- Enterprises (企业): the register of work-safety subjects. Each has its own org unit (kind 'enterprise', code
-- QY-<credit code>) that its enterprise users belong to; scope is the district of its location (or given) and that unit.
create table enterprises (
  id text primary key,
  name text not null,
  -- GB 32100-2015, upper case, its check character verified on every write
  credit_code text not null unique,
  industry text not null,
  high_risk_category text check (high_risk_category in
    ('hazardous_chemicals', 'mines', 'metal_smelting', 'urban_rail', 'construction', 'fireworks')),
  crowded_venue boolean not null default false,
  park text,
  geom geometry(Point, 4326),
  -- {datum, coordinates} as entered when not WGS-84
  location_entered jsonb,
  district_code text,
  address text,
  legal_representative text,
  -- [{name, role?, phone}]
  safety_contacts jsonb not null default '[]',
  employees integer,
  insurance_expiry text,
  automation text not null default 'not_applicable'
    check (automation in ('not_applicable', 'none', 'partial', 'complete')),
  unit_code text not null,
  active boolean not null default true,
  notes text,
  -- name's pinyin (full and initials, lower case) for the register's search
  search_keys text not null default '',
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index enterprises_district on enterprises (district_code);
create index enterprises_unit on enterprises (unit_code);
create index enterprises_geom on enterprises using gist (geom);

-- Hazard units (危险化学品单元: production or storage) with their inventories and the GB 18218-2018 identification
-- stored at each save (S, and R, alpha, grade when a major hazard).
create table hazard_units (
  id text primary key,
  enterprise_id text not null references enterprises (id) on delete cascade,
  name text not null,
  kind text not null check (kind in ('production', 'storage')),
  -- [{name?, cas?, category?, quantityT}] (design maximum quantities, GB 18218-2018 4.2.2)
  inventories jsonb not null default '[]',
  exposed_population integer not null default 0,
  s double precision not null,
  is_major boolean not null,
  r double precision,
  alpha double precision,
  grade integer check (grade between 1 and 4),
  -- the identification's working: one line per substance
  working jsonb not null default '[]',
  notes text,
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index hazard_units_enterprise on hazard_units (enterprise_id);

-- Risk points (风险点) graded by LEC (D = L×E×C) or LS (R = L×S); the score is stored and the colour computed on
-- read from the grading rule in force (setting safety.riskGrading), so a change of thresholds re-colours at once.
create table risk_points (
  id text primary key,
  enterprise_id text not null references enterprises (id) on delete cascade,
  name text not null,
  area text,
  hazard text not null default '',
  accident_types jsonb not null default '[]',
  method text not null check (method in ('LEC', 'LS')),
  l double precision not null,
  e double precision,
  c double precision,
  s double precision,
  score double precision not null,
  control_measures jsonb not null default '[]',
  -- [{name, role?, phone?}]
  responsible jsonb not null default '[]',
  review_interval_days integer,
  next_review text,
  active boolean not null default true,
  notes text,
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index risk_points_enterprise on risk_points (enterprise_id);
