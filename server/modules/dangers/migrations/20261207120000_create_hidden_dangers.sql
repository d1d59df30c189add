-- Hidden dangers (隐患排查治理): the register with its treatment steps, and the inspections (执法检查) whose findings
-- become hidden dangers.
create table inspections (
  id text primary key,
  number text not null unique,
  enterprise_id text not null,
  enterprise_name text not null,
  district_code text,
  owner_unit text,
  -- YYYY-MM-DD, Beijing
  date text not null,
  -- [{id|null, name}]
  inspectors jsonb not null default '[]',
  kind text not null,
  basis text not null default '',
  conclusion text not null default '',
  -- [{description, category, grade, location, legalBasis, dangerId}]
  findings jsonb not null default '[]',
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index inspections_enterprise on inspections (enterprise_id);
create index inspections_date on inspections (date desc);

create table hidden_dangers (
  id text primary key,
  number text not null unique,
  title text not null,
  description text not null default '',
  category text not null,
  grade text not null,
  source text not null,
  status text not null default 'found',
  enterprise_id text,
  enterprise_name text,
  district_code text,
  owner_unit text,
  lng double precision,
  lat double precision,
  location_entered jsonb,
  address text not null default '',
  found_at timestamptz not null,
  reporter_id text,
  reporter_name text not null default '',
  reporter_phone text not null default '',
  responsible_unit text,
  responsible_person text not null default '',
  -- YYYY-MM-DD (Beijing); the danger is overdue once deadline_at (the next day's 00:00 Beijing) has passed unsubmitted
  deadline text,
  deadline_at timestamptz,
  measures text not null default '',
  funds double precision,
  rectification_note text not null default '',
  evidence_file_ids text[] not null default '{}',
  submitted_by text,
  submitted_at timestamptz,
  verification_note text not null default '',
  verified_by text,
  verified_at timestamptz,
  closed_at timestamptz,
  cancel_reason text not null default '',
  return_reason text not null default '',
  -- 0: no overdue alarm yet; 1: the overdue alarm raised; 2: escalated to the city
  escalation_level integer not null default 0,
  inspection_id text references inspections (id),
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index hidden_dangers_status on hidden_dangers (status);
create index hidden_dangers_found on hidden_dangers (found_at desc);
create index hidden_dangers_enterprise on hidden_dangers (enterprise_id) where enterprise_id is not null;
create index hidden_dangers_district on hidden_dangers (district_code);
create index hidden_dangers_deadline on hidden_dangers (deadline_at)
  where status in ('assigned', 'rectifying', 'returned') and escalation_level < 2;
create index hidden_dangers_inspection on hidden_dangers (inspection_id) where inspection_id is not null;

create table hidden_danger_steps (
  id text primary key,
  danger_id text not null references hidden_dangers (id),
  action text not null,
  from_status text,
  to_status text not null,
  by_user text,
  by_name text not null default '',
  at timestamptz not null,
  note text not null default ''
);
create index hidden_danger_steps_danger on hidden_danger_steps (danger_id, at);
