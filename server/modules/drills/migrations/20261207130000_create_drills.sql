-- Drills (应急演练): records typed by AQ/T 9007-2019 §4.2, their problems and improvement actions, annual plans.
create table drills (
  id text primary key,
  number text not null unique,
  title text not null,
  drill_date text not null, -- YYYY-MM-DD, Beijing date
  start_time text,
  end_time text,
  location text not null default '',
  organiser_unit text,
  subject_kind text not null, -- enterprise | unit
  subject_id text not null, -- the enterprise's id or the unit's code
  subject_name text not null,
  plan_kind text, -- command | enterprise | null
  plan_id text, -- a command plan's id
  plan_name text,
  plan_type text, -- the command plan's kind or the enterprise plan kind (comprehensive | special | onsite)
  plan_owner_unit text,
  content text not null,
  form text not null,
  purpose text,
  scenario text not null default '',
  participants jsonb not null default '[]',
  evaluation jsonb,
  plan_item_id text,
  source_kind text not null default 'manual',
  exercise_id text unique,
  revision_task_id text,
  notes text not null default '',
  district_code text,
  owner_unit text not null,
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index drills_subject on drills (subject_kind, subject_id, drill_date);
create index drills_plan on drills (plan_id) where plan_id is not null;
create index drills_date on drills (drill_date desc);
create index drills_plan_item on drills (plan_item_id) where plan_item_id is not null;

create table drill_problems (
  id text primary key,
  drill_id text not null references drills (id) on delete cascade,
  idx integer not null,
  description text not null,
  severity text not null,
  needs_plan_revision boolean not null default false
);
create index drill_problems_drill on drill_problems (drill_id, idx);

create table drill_actions (
  id text primary key,
  drill_id text not null references drills (id) on delete cascade,
  problem_id text not null references drill_problems (id) on delete cascade,
  idx integer not null,
  description text not null,
  owner_name text not null default '',
  owner_unit text not null default '',
  deadline text not null, -- YYYY-MM-DD, Beijing date
  status text not null default 'open',
  done_note text not null default '',
  alarmed_at timestamptz
);
create index drill_actions_drill on drill_actions (drill_id);
create index drill_actions_open on drill_actions (deadline) where status = 'open' and alarmed_at is null;

create table drill_plans (
  id text primary key,
  year integer not null,
  unit_kind text not null, -- enterprise | unit
  unit_id text not null,
  unit_name text not null,
  title text not null default '',
  items jsonb not null default '[]',
  district_code text,
  owner_unit text not null,
  demo boolean not null default false,
  version integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (unit_kind, unit_id, year)
);
